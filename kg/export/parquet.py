"""The papers, entities and mentions tables as Parquet (pyarrow).

The same rows as the CSV tables (built by the same functions), but typed:
offsets and counts stay integers, confidence stays a float and no text is
mistaken for a number or NaN, and the files are compressed. pandas, DuckDB or
Spark read them without parsing, which matters at a million mentions.
Parquet files are compressed column by column, so unlike the CSV tables they
are written whole each build; from columns built straight from the rows,
that takes well under a second at 10,000 papers.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from kg.atomic import atomic_path
from kg.export.tables import TABLES, Table
from kg.graph import KnowledgeGraph

if TYPE_CHECKING:
    import pyarrow as pa

    from kg.export import ExportOptions


def arrow_table(kg: KnowledgeGraph, table: Table) -> pa.Table:
    import pyarrow as pa

    types = {str: pa.string(), int: pa.int64(), float: pa.float64()}
    rows = [row for _, record in table.records(kg) for row in table.rows(kg, record)]
    # Lists, not the tuples zip gives: pyarrow converts a tuple of strings ~50x slower.
    columns = [list(values) for values in zip(*rows, strict=True)] if rows else [[]] * len(table.columns)
    schema = pa.schema([(name, types[kind]) for name, kind in table.columns.items()])
    arrays = [pa.array(values, type=field.type) for values, field in zip(columns, schema, strict=True)]
    return pa.Table.from_arrays(arrays, schema=schema)


def write(kg: KnowledgeGraph, out_dir: Path, options: ExportOptions) -> list[Path]:
    import pyarrow.parquet as pq

    written = []
    for name, table in TABLES.items():
        dest = out_dir / f"{name}.parquet"
        with atomic_path(dest) as tmp:
            pq.write_table(arrow_table(kg, table), tmp)
        written.append(dest)
    return written
