"""The papers, entities and mentions tables as Parquet (pyarrow).

The same rows as the CSV tables (built by the same functions), but typed:
offsets and counts stay integers, confidence stays a float and no text is
mistaken for a number or NaN, and the files are compressed. pandas, DuckDB or
Spark read them without parsing, which matters at a million mentions.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from kg.atomic import atomic_path
from kg.export.tables import entities_frame, mentions_frame, papers_frame
from kg.graph import KnowledgeGraph

if TYPE_CHECKING:
    from kg.export import ExportOptions

TABLES = {"papers.parquet": papers_frame, "entities.parquet": entities_frame, "mentions.parquet": mentions_frame}


def write(kg: KnowledgeGraph, out_dir: Path, options: ExportOptions) -> list[Path]:
    written = []
    for name, frame in TABLES.items():
        dest = out_dir / name
        with atomic_path(dest) as tmp:
            frame(kg).to_parquet(tmp, index=False, engine="pyarrow")
        written.append(dest)
    return written
