"""The local engine: this process, or a pool of ``--jobs`` processes on this machine."""

from __future__ import annotations

import multiprocessing
import multiprocessing.forkserver
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import partial

from kg.engines import MAIN_GUARD, EngineError
from kg.pipeline import CHUNK, ExtractOptions, chunks, has_runner, runner
from kg.records import Mention, Paper
from kg.workers import follow_parent

#: Up to this many papers run in this process even when ``--jobs`` asks for
#: more. Measured on an idle two-core machine with --jobs 2, two workers start
#: and load the model about as fast as this process does (~1 s), so a pool
#: pays off early: 10 papers take 0.96 s in-process and 1.05 s in a pool, 32
#: take 1.2 s either way, 64 take 1.5 s and 1.35 s. In a cached rebuild the
#: pool also overlaps the decoding of cached results: 32 new papers among
#: 10,000 take 1.85 s in-process and 1.7 s with a pool. Once :func:`start_early`
#: has the forkserver import spaCy, workers start sooner than this process
#: could, and a pool is used for any number of papers.
IN_PROCESS = 16
#: Up to this many papers run in this process when it has the model loaded
#: already, as a process that calls kg.build again does. It parses ~85
#: papers a second; two new workers take ~1.5 s to start, then parse twice
#: as fast, so they are ahead only beyond ~250 papers.
WARM_IN_PROCESS = 4 * CHUNK
#: What the forkserver imports once, so that every worker forked from it has
#: them already: this module, and spaCy, the bulk of a worker's start-up.
#: Not the main script, multiprocessing's default: a script that calls
#: ``kg.build`` outside ``if __name__ == "__main__":`` would run again in the
#: server, fail there, and have the server restarted by every worker it
#: starts, without end (45,695 tracebacks before the run was stopped).
PRELOAD = [__name__, "spacy"]
#: The error when a worker dies. The cache keeps what was extracted before,
#: so running the build again resumes it.
BROKEN = f"a worker process died (killed, or out of memory?); {MAIN_GUARD}"


def _run_chunk(papers: list[Paper], options: ExtractOptions) -> list[list[Mention]]:
    return runner(options).run(papers)


def chunk_size(count: int, jobs: int) -> int:
    """At most CHUNK papers, in a number of chunks that keeps all ``jobs`` workers busy to the end.

    193 papers on two workers go as 49+49+49+46, not 64+64+64+1, which would
    leave one worker with twice the work of the other.
    """
    rounds = -(-count // (CHUNK * jobs))
    return -(-count // (rounds * jobs))


def _context() -> multiprocessing.context.BaseContext:
    # forkserver: workers start from a clean interpreter, not a copy of a
    # parent that may hold a loaded model and every paper read so far.
    if os.name == "nt":
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)  # for a server started from here on
    return context


def start_early(options: ExtractOptions) -> None:
    """Start the forkserver, which imports spaCy, while the main process reads input and decodes cached results.

    Without this, the server starts (and imports spaCy) only once the papers
    to extract are known. Measured on a rebuild of 10,000 benchmark papers
    plus 100 new ones with ``--jobs 2``, when each worker still imported
    spaCy itself: the first new results arrived 0.5 s sooner (1.5 s instead
    of 2.0 s after reading). When no paper turns out to need the pool, the
    import happened beside the main process and is not waited for. Only for
    a process that builds once (see :func:`kg.build`): after it, a few new
    papers go to workers rather than to a model loaded here.
    """
    global _started_early
    if options.jobs <= 1 or os.name == "nt":
        return
    _context()
    multiprocessing.forkserver.ensure_running()
    _started_early = True


def finish(options: ExtractOptions) -> None:
    """Stop the forkserver, which would otherwise hold spaCy until the process exits.

    It is idle once extraction is over, but it lived on through the exports,
    where a build that takes most papers from the cache peaks. Measured in
    summed PSS on 10,100 benchmark papers: taking every paper from the cache
    and writing every file afresh, 648 MB with it and 557 MB without; a
    rebuild after adding 100 papers, 717 MB and 661 to 678 MB. The next pool,
    if any, starts a new server. ``_stop`` is private to multiprocessing;
    a Python without it keeps the server, as before.
    """
    global _started_early
    stop = getattr(multiprocessing.forkserver._forkserver, "_stop", None)
    if options.jobs > 1 and os.name != "nt" and stop is not None:
        stop()
        _started_early = False


#: Whether :func:`start_early` has run in this process: its forkserver then
#: imports spaCy (unless a pool had started it before, without the preload).
_started_early = False


def _in_process(count: int, options: ExtractOptions) -> bool:
    if options.jobs <= 1:
        return True
    if has_runner(options):
        return count <= WARM_IN_PROCESS
    return count <= IN_PROCESS and not _started_early


def run(papers: Sequence[Paper], options: ExtractOptions) -> Iterator[tuple[list[Paper], list[list[Mention]]]]:
    if _in_process(len(papers), options):
        # In-process: no start-up cost, and the model stays loaded for the next call.
        for chunk in chunks(papers):
            yield chunk, _run_chunk(chunk, options)
        return
    work = list(chunks(papers, chunk_size(len(papers), options.jobs)))
    # An executor, not a Pool: a Pool replaces a worker that dies, even one
    # that dies as it starts, and so never returns; an executor says so.
    pool = ProcessPoolExecutor(min(options.jobs, len(work)), mp_context=_context(), initializer=follow_parent)
    finished = False
    try:
        yield from zip(work, pool.map(partial(_run_chunk, options=options), work), strict=True)
        finished = True
    except BrokenProcessPool:
        # Waits for every worker to end first, so that what they print comes before the error.
        pool.shutdown(wait=True, cancel_futures=True)
        raise EngineError(BROKEN) from None
    finally:
        # Stopped early (an error, Ctrl-C), the workers only finish the chunk they are on.
        pool.shutdown(wait=finished, cancel_futures=True)
