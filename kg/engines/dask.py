"""The Dask engine: extraction on a dask.distributed cluster.

Papers go to workers in partitions; each worker process loads the model once
(:func:`kg.pipeline.runner` is cached per process) and answers with one
Parquet partition of the mention table, the papers' relations and results
beside it. Only a bounded window of partitions is in flight, so the client
never ships the whole corpus into cluster memory at once. Without
``--scheduler`` a LocalCluster of ``--jobs`` single-threaded worker processes
is started and stopped around the run.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from kg.cache import decode, encode
from kg.engines import MAIN_GUARD, EngineError
from kg.engines.table import from_parquet, per_paper, to_parquet
from kg.pipeline import ExtractOptions, chunks, runner
from kg.records import Extraction, Mention, Paper

if TYPE_CHECKING:
    from distributed import Client, Future

Result = tuple[list[Paper], list[list[Mention]]]

#: Partitions in flight per worker thread: enough to keep workers busy while
#: the client decodes finished ones.
WINDOW_PER_THREAD = 4
#: How long to wait for a scheduler given with ``--scheduler`` before giving up.
CONNECT_TIMEOUT = "10s"
#: Where a local cluster's scheduler serves HTTP. Without a dashboard it still
#: serves health and metrics routes, by default on port 8787 of every
#: interface, and warns on stderr when another cluster holds that port; any
#: free port of this machine only avoids both.
LOCAL_HTTP = "127.0.0.1:0"


def extract_partition(papers: list[Paper], options: ExtractOptions) -> tuple[bytes, list[str]]:
    """Runs on a worker: the mentions of ``papers`` as one Parquet partition, and each paper's
    relations and results in the extraction cache's form (:func:`kg.cache.encode`)."""
    found = runner(options).run(papers)
    statements = [encode(Extraction((), f.relations, f.results)) for f in found]
    return to_parquet(m for mentions in found for m in mentions), statements


@contextmanager
def _client(options: ExtractOptions) -> Iterator[Client]:
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise EngineError("the dask engine needs dask.distributed: pip install 'kg[dask]'") from None
    if options.scheduler is None:
        try:
            cluster = LocalCluster(
                n_workers=options.jobs,
                threads_per_worker=1,
                processes=True,
                dashboard_address=LOCAL_HTTP,
                scheduler_kwargs={"dashboard": False},
            )
        except RuntimeError as err:  # "Nanny failed to start."
            raise EngineError(f"cannot start a local Dask cluster: {err}; {MAIN_GUARD}") from None
        with cluster, Client(cluster) as client:
            yield client
        return
    try:
        client = Client(options.scheduler, timeout=CONNECT_TIMEOUT)
    except OSError as err:
        raise EngineError(f"cannot reach Dask scheduler at {options.scheduler}: {err}") from None
    with client:
        yield client


def _oldest(in_flight: deque[tuple[list[Paper], Future]]) -> Result:
    papers, future = in_flight.popleft()
    table, statements = future.result()
    mentions = per_paper(papers, from_parquet(table))
    found = [decode(data, paper.id) for data, paper in zip(statements, papers, strict=True)]
    return papers, [Extraction(m, f.relations, f.results) for m, f in zip(mentions, found, strict=True)]


def run(papers: Sequence[Paper], options: ExtractOptions) -> Iterator[Result]:
    with _client(options) as client:
        window = WINDOW_PER_THREAD * max(1, sum(client.nthreads().values()))
        in_flight: deque[tuple[list[Paper], Future]] = deque()
        for chunk in chunks(papers):
            in_flight.append((chunk, client.submit(extract_partition, chunk, options, pure=False)))
            if len(in_flight) >= window:
                yield _oldest(in_flight)
        while in_flight:
            yield _oldest(in_flight)
