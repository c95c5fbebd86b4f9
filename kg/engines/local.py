"""The local engine: this process, or a pool of ``--jobs`` processes on this machine."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator, Sequence
from functools import partial

from kg.pipeline import CHUNK, ExtractOptions, chunks, runner
from kg.records import Mention, Paper


def _run_chunk(papers: list[Paper], options: ExtractOptions) -> list[list[Mention]]:
    return runner(options).run(papers)


def run(papers: Sequence[Paper], options: ExtractOptions) -> Iterator[tuple[list[Paper], list[list[Mention]]]]:
    if options.jobs <= 1 or len(papers) <= CHUNK:
        # In-process: no start-up cost, and the model stays loaded for the next call.
        for chunk in chunks(papers):
            yield chunk, _run_chunk(chunk, options)
        return
    # forkserver: workers start from a clean interpreter, not a copy of a
    # parent that may hold a loaded model and every paper read so far.
    context = multiprocessing.get_context("spawn" if os.name == "nt" else "forkserver")
    work = list(chunks(papers))
    with context.Pool(min(options.jobs, len(work))) as pool:
        yield from zip(work, pool.imap(partial(_run_chunk, options=options), work), strict=True)
