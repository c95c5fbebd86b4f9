"""Exporters: one module per output format, registered here by name.

An exporter is a function ``write(kg, out_dir, options) -> list[Path]`` that
writes its files atomically (see :mod:`kg.atomic`) and returns their paths.
:func:`export_all` renames the files of all exporters into place together,
only once every one of them succeeded.
Modules are imported lazily so heavy libraries load only when their format is
written; adding a format means one module and one line in ``EXPORTERS``.
"""

from __future__ import annotations

import gc
import multiprocessing
import sys
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from kg import registry
from kg.atomic import Staged, commit, discard, remove_leftovers, staged
from kg.export.segments import INDEX_FOLDER
from kg.graph import PAPER_KEYED, KnowledgeGraph
from kg.iri import Iris, check_base

Exporter = Callable[[KnowledgeGraph, Path, "ExportOptions"], list[Path]]

#: Exporter name -> "module:function".
EXPORTERS: dict[str, str] = {
    "rdf": "kg.export.rdf:write",
    "graphml": "kg.export.graphml:write",
    "gexf": "kg.export.gexf:write",
    "html": "kg.export.html:write",
    "tables": "kg.export.tables:write",
    "parquet": "kg.export.parquet:write",
}


#: Exporters that draw the map (:attr:`KnowledgeGraph.layout`), laid out once before they fork.
LAID_OUT = {"html", "graphml", "gexf"}

#: Exporters that take longest, in a full build and in a rebuild alike.
LONGEST = ("rdf", "parquet")


@dataclass(frozen=True)
class ExportOptions:
    rdf_format: str = "ttl"
    base_iri: str = "https://w3id.org/kg-papers/"
    html_max_nodes: int = 1500
    #: Where exporters keep what lets the next build reuse unchanged parts of
    #: their files (see :mod:`kg.export.segments`); ``None`` writes everything afresh.
    cache_dir: Path | None = None
    #: Exporters run side by side in this many processes (see :func:`export_all`);
    #: :func:`kg.build` sets it to the extraction's number of processes.
    jobs: int = 1

    @property
    def iris(self) -> Iris:
        """The IRIs under ``base_iri``: every export names a paper or an entity by the IRI the RDF gives it."""
        return Iris(check_base(self.base_iri))


def get_exporter(name: str) -> Exporter:
    return registry.load_named(EXPORTERS, name, "export format")


def export_all(
    kg: KnowledgeGraph, out_dir: Path, options: ExportOptions, names: Iterable[str] | None = None
) -> list[Path]:
    """Run the exporters ``names`` (default: all) and rename their files into place together.

    The files are one generation: written to temporary files, and renamed
    only once every exporter succeeded; after an error (a full disk) none is,
    and ``out_dir`` keeps the previous build's files, whole. The folder's lock
    (:mod:`kg.lock`) is held meanwhile, and temporary files a killed build
    left are removed. Only this process renames: a worker hands its files
    back, so none is renamed after the build is gone.
    """
    from kg.lock import holding

    names = list(names if names is not None else EXPORTERS)
    if not names:
        return []
    folders = [out_dir] + ([options.cache_dir / INDEX_FOLDER] if options.cache_dir is not None else [])
    with holding(out_dir), staged() as files:
        for folder in folders:
            remove_leftovers(folder)
        try:
            written = _export(kg, out_dir, options, names, files)
            commit(files)
        finally:
            discard(files)  # after an error; after the commit, nothing is left to discard
            for folder in folders:
                remove_leftovers(folder)  # what a worker staged but did not hand back (it died, or failed)
    return written


def _export(
    kg: KnowledgeGraph, out_dir: Path, options: ExportOptions, names: list[str], files: list[Staged]
) -> list[Path]:
    """Run the exporters ``names``, in up to ``options.jobs`` processes on Linux; ``files`` gets what they wrote.

    Each exporter is one unit of work. Forked workers inherit the graph
    instead of receiving a copy, so running them side by side costs no
    pickling, and the tables every exporter reads are built once, before
    the fork. The exceptions are the paper keys, which the processes work out
    together first and are then the only thing sent to the workers, and the
    mention keys made from those, which the exporters that read them make.

    When exports that draw the map (:data:`LAID_OUT`) and others are both
    asked for, this process is one of the ``jobs``: the workers write the
    others while it lays out the map and then writes those that draw it.
    The layout is most of their time (about as long as the others take
    together on two cores), and a worker fewer is a copy fewer: inheriting
    is not free, as every object a worker reads gets its reference count
    written, which copies its page. Fewer workers run when free memory
    cannot hold a copy each (see :func:`workers_memory_allows`), and the
    exports a dead worker (killed, out of memory) leaves unwritten are
    written here afterwards.
    """
    # Only on Linux: on macOS a forked child may crash in system libraries, and Windows cannot fork.
    if options.jobs < 2 or len(names) < 2 or not sys.platform.startswith("linux"):
        return _one_after_another(kg, out_dir, options, names)
    kg.build_indexes(skip=PAPER_KEYED)
    here = [name for name in names if name in LAID_OUT] if set(names) - LAID_OUT else []
    away = [name for name in names if name not in here]
    if not here and LAID_OUT.intersection(names):
        kg.layout  # noqa: B018 (a cached property, computed here so workers inherit it)
    workers = workers_memory_allows(min(options.jobs - bool(here), len(away)))
    if workers + bool(here) < 2:
        return _one_after_another(kg, out_dir, options, names)
    # Objects that live until the end, moved out of the collector's sight: a
    # collection in a worker would otherwise touch, and so copy, every page.
    # A caller that froze its objects first (kg build) keeps them frozen.
    frozen_by_caller = gc.get_freeze_count() > 0
    gc.freeze()
    futures: dict[str, Future[tuple[list[Path], list[Staged]]]] = {}
    written: dict[str, list[Path]] = {}
    try:
        # An executor, not a Pool: a Pool replaces a worker that dies and waits for its work forever.
        # With fork, initargs reach the workers as they are in memory, not pickled.
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, context, initializer=_inherit, initargs=(kg, out_dir, options)) as pool:
            # The costliest index is worked out in parts, one per process, and handed to every exporter.
            parts = workers + bool(here)
            pending = [pool.submit(_paper_keys, (i, parts)) for i in range(workers)]
            keys = kg.keys_of(kg.papers[workers::parts]) if here else {}
            for part in pending:
                keys.update(part.result())
            # The longest first, so that no worker is left alone with a long one at the end.
            for name in sorted(away, key=lambda name: name not in LONGEST):
                futures[name] = pool.submit(_export_inherited, (name, keys))
            if here:
                kg.paper_keys = keys  # the cached property, worked out with the workers
                for name in here:  # the first lays out the map
                    written[name] = get_exporter(name)(kg, out_dir, options)
            written.update(_collect(futures, files))
    except BrokenProcessPool:
        written.update(_collect({name: future for name, future in futures.items() if _succeeded(future)}, files))
        for name in names:
            if name not in written:  # its worker died: written here, in this process, after all
                written[name] = get_exporter(name)(kg, out_dir, options)
    finally:
        if not frozen_by_caller:
            gc.unfreeze()
    return [path for name in names for path in written[name]]


def _collect(futures: dict[str, Future[tuple[list[Path], list[Staged]]]], files: list[Staged]) -> dict[str, list[Path]]:
    """The paths each worker wrote, by exporter; the files they staged join ``files``."""
    results = {name: future.result() for name, future in futures.items()}  # all, or an error before any is kept
    for _, staged_there in results.values():
        files.extend(staged_there)
    return {name: paths for name, (paths, _) in results.items()}


def _succeeded(future: Future[tuple[list[Path], list[Staged]]]) -> bool:
    return future.done() and not future.cancelled() and future.exception() is None


def _one_after_another(kg: KnowledgeGraph, out_dir: Path, options: ExportOptions, names: list[str]) -> list[Path]:
    return [path for name in names for path in get_exporter(name)(kg, out_dir, options)]


def workers_memory_allows(wanted: int) -> int:
    """How many of ``wanted`` export workers the free memory holds, if each copied all this process holds.

    A worker copies less (the pages of what it reads), but an estimate that
    runs out of memory costs the whole build: the kernel then kills the
    largest process, this one. Where Linux does not say, ``wanted``.
    """
    from kg.memory_guard import available, resident

    free, own = available(), resident()
    if free is None or own is None:
        return wanted
    return max(1, min(wanted, free // max(own, 1)))


#: In a forked export worker: the graph, the output folder and the options.
_inherited: tuple[KnowledgeGraph, Path, ExportOptions] | None = None


def _inherit(kg: KnowledgeGraph, out_dir: Path, options: ExportOptions) -> None:
    from kg.workers import follow_parent

    global _inherited
    _inherited = (kg, out_dir, options)
    follow_parent()


def _paper_keys(part: tuple[int, int]) -> dict[str, str]:
    """Paper keys of every ``count``-th paper from the ``index``-th, in a forked export worker."""
    assert _inherited is not None, "runs only in workers that export_all started"
    index, count = part
    kg = _inherited[0]
    return kg.keys_of(kg.papers[index::count])


def _export_inherited(task: tuple[str, dict[str, str]]) -> tuple[list[Path], list[Staged]]:
    """One exporter's paths, and its files, staged for the main process to rename (see :func:`export_all`)."""
    assert _inherited is not None, "runs only in workers that export_all started"
    name, paper_keys = task
    kg = _inherited[0]
    kg.paper_keys = paper_keys  # the cached property, computed by the workers together
    with staged() as files:
        return get_exporter(name)(*_inherited), files
