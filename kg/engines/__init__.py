"""Engines: where extraction runs (this machine's processes, or a Dask cluster).

An engine is a generator function ``run(papers, options)`` yielding
``(chunk, mentions_per_paper)`` pairs in input order. It starts whatever it
needs (a process pool, a Dask client) when iteration begins and shuts it down
when the generator is closed, so callers only iterate. Entity resolution is
not an engine's job: it runs once, deterministically, over all mentions,
which is why every engine gives the same graph.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

from kg import registry
from kg.records import Mention, Paper

if TYPE_CHECKING:
    from kg.pipeline import ExtractOptions

Engine = Callable[[Sequence[Paper], "ExtractOptions"], Iterator[tuple[list[Paper], list[list[Mention]]]]]

#: Engine name -> "module:function". Imported lazily: Dask loads only when asked for.
ENGINES: dict[str, str] = {
    "local": "kg.engines.local:run",
    "dask": "kg.engines.dask:run",
}


class EngineError(RuntimeError):
    """An engine cannot start (missing optional dependency, unreachable scheduler)."""


#: What an engine's error adds when its worker processes die as they start:
#: they import the main module again (forkserver and spawn do), so a script
#: that calls kg.build at its top level runs that call again in each of them.
MAIN_GUARD = (
    'if kg.build runs in a script, call it under if __name__ == "__main__": (every worker imports the script again)'
)


def check_main_guard() -> None:
    """Raise :class:`EngineError` in a worker process that runs the main script as it starts.

    A worker started by forkserver or spawn imports the main script; one that
    calls kg.build at its top level then builds again, inside the worker,
    before the worker has started: it would start a pool of its own there
    (whose semaphores the resource tracker reports as leaked, after the
    build's own error) and wait for the output folder the build holds.
    ``_inheriting`` is how multiprocessing itself tells (``spawn._check_not_importing_main``).
    """
    import multiprocessing

    if getattr(multiprocessing.current_process(), "_inheriting", False):
        raise EngineError(MAIN_GUARD)


def get_engine(name: str) -> Engine:
    return registry.load_named(ENGINES, name, "engine", EngineError)


def start_early(options: ExtractOptions) -> None:
    """Let the engine of ``options`` start what it can before the papers are read.

    An engine module may define ``start_early(options)`` for work that does
    not depend on the papers (starting processes, importing spaCy in them),
    so that it overlaps reading the input instead of following it.
    """
    _hook(options, "start_early")


def finish(options: ExtractOptions) -> None:
    """Let the engine of ``options`` stop what :func:`start_early` started, once extraction is over.

    The hook is ``finish(options)`` in the engine module, if it has one.
    """
    _hook(options, "finish")


def _hook(options: ExtractOptions, name: str) -> None:
    module = ENGINES[options.engine].partition(":")[0]
    hook = getattr(importlib.import_module(module), name, None)
    if hook is not None:
        hook(options)
