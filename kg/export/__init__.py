"""Exporters: one module per output format, registered here by name.

An exporter is a function ``write(kg, out_dir, options) -> list[Path]`` that
writes its files atomically (see :mod:`kg.atomic`) and returns their paths.
Modules are imported lazily so heavy libraries load only when their format is
written; adding a format means one module and one line in ``EXPORTERS``.
"""

from __future__ import annotations

import gc
import multiprocessing
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from kg import registry
from kg.graph import PAPER_KEYED, KnowledgeGraph

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
    #: Exporters run side by side in this many processes (see :func:`export_all`).
    jobs: int = 1


def get_exporter(name: str) -> Exporter:
    return registry.load_named(EXPORTERS, name, "export format")


def export_all(
    kg: KnowledgeGraph, out_dir: Path, options: ExportOptions, names: Iterable[str] | None = None
) -> list[Path]:
    """Run the exporters ``names`` (default: all), in ``options.jobs`` processes on Linux.

    Each exporter is one unit of work. Forked workers inherit the graph
    instead of receiving a copy, so running them side by side costs no
    pickling, and the tables every exporter reads are built once, before
    the fork. The exceptions are the paper keys, which the workers work out
    together first and are then the only thing sent to them, and the
    mention keys made from those, which the exporters that read them make.
    """
    names = list(names if names is not None else EXPORTERS)
    # Only on Linux: on macOS a forked child may crash in system libraries, and Windows cannot fork.
    if options.jobs < 2 or len(names) < 2 or not sys.platform.startswith("linux"):
        return [path for name in names for path in get_exporter(name)(kg, out_dir, options)]
    kg.build_indexes(skip=PAPER_KEYED)
    # Objects that live until the end, moved out of the collector's sight: a
    # collection in a worker would otherwise touch, and so copy, every page.
    # A caller that froze its objects first (kg build) keeps them frozen.
    frozen_by_caller = gc.get_freeze_count() > 0
    gc.freeze()
    try:
        context = multiprocessing.get_context("fork")
        workers = min(options.jobs, len(names))
        # With fork, initargs reach the workers as they are in memory, not pickled.
        with context.Pool(workers, _inherit, (kg, out_dir, options)) as pool:
            # The costliest index is worked out in parts, one per worker, and handed to every exporter.
            keys: dict[str, str] = {}
            for part in pool.map(_paper_keys, [(i, workers) for i in range(workers)], chunksize=1):
                keys.update(part)
            # The longest first, so that no worker is left alone with a long one at the end.
            order = sorted(names, key=lambda name: name not in LONGEST)
            done = pool.map(_export_inherited, [(name, keys) for name in order], chunksize=1)
            written = dict(zip(order, done, strict=True))
    finally:
        if not frozen_by_caller:
            gc.unfreeze()
    return [path for name in names for path in written[name]]


#: In a forked export worker: the graph, the output folder and the options.
_inherited: tuple[KnowledgeGraph, Path, ExportOptions] | None = None


def _inherit(kg: KnowledgeGraph, out_dir: Path, options: ExportOptions) -> None:
    global _inherited
    _inherited = (kg, out_dir, options)


def _paper_keys(part: tuple[int, int]) -> dict[str, str]:
    """Paper keys of every ``count``-th paper from the ``index``-th, in a forked export worker."""
    assert _inherited is not None, "runs only in workers that export_all started"
    index, count = part
    kg = _inherited[0]
    return kg.keys_of(kg.papers[index::count])


def _export_inherited(task: tuple[str, dict[str, str]]) -> list[Path]:
    assert _inherited is not None, "runs only in workers that export_all started"
    name, paper_keys = task
    kg = _inherited[0]
    kg.paper_keys = paper_keys  # the cached property, computed by the workers together
    return get_exporter(name)(*_inherited)
