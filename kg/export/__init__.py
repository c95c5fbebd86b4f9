"""Exporters: one module per output format, registered here by name.

An exporter is a function ``write(kg, out_dir, options) -> list[Path]`` that
writes its files atomically (see :mod:`kg.atomic`) and returns their paths.
Modules are imported lazily so heavy libraries load only when their format is
written; adding a format means one module and one line in ``EXPORTERS``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from kg import registry
from kg.graph import KnowledgeGraph

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


@dataclass(frozen=True)
class ExportOptions:
    rdf_format: str = "ttl"
    base_iri: str = "https://w3id.org/kg-papers/"
    html_max_nodes: int = 1500
    #: Where exporters keep what lets the next build reuse unchanged parts of
    #: their files (see :mod:`kg.export.segments`); ``None`` writes everything afresh.
    cache_dir: Path | None = None


def get_exporter(name: str) -> Exporter:
    return registry.load_named(EXPORTERS, name, "export format")


def export_all(
    kg: KnowledgeGraph, out_dir: Path, options: ExportOptions, names: Iterable[str] | None = None
) -> list[Path]:
    written: list[Path] = []
    for name in names if names is not None else EXPORTERS:
        written.extend(get_exporter(name)(kg, out_dir, options))
    return written
