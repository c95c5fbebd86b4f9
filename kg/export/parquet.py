"""The papers, entities and mentions tables as Parquet (pyarrow).

The same rows as the CSV tables (built by the same functions), but typed:
offsets and counts stay integers, confidence stays a float and no text is
mistaken for a number or NaN, and the files are compressed. pandas, DuckDB or
Spark read them without parsing, which matters at a million mentions.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from kg.export.tables import write_frames
from kg.graph import KnowledgeGraph

if TYPE_CHECKING:
    from kg.export import ExportOptions


def write(kg: KnowledgeGraph, out_dir: Path, options: ExportOptions) -> list[Path]:
    return write_frames(
        kg, out_dir, ".parquet", lambda frame, path: frame.to_parquet(path, index=False, engine="pyarrow")
    )
