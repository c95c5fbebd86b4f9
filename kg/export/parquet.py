"""The papers, entities and mentions tables as Parquet (pyarrow).

The same rows as the CSV tables (built by the same functions), but typed:
offsets and counts stay integers, confidence stays a float and no text is
mistaken for a number or NaN, and the files are compressed. pandas, DuckDB or
Spark read them without parsing, which matters at a million mentions.

Parquet is compressed column by column, so its bytes cannot be copied a
segment at a time like the CSV tables' (:mod:`kg.export.segments`); what a
rebuild reuses instead are rows. The segment index of a Parquet file holds,
per paper or entity key, its run of rows; a rebuild reads the previous file
(columnar decoding in C), takes the rows of unchanged segments from it, makes
Python rows only for the rest, and writes the file anew. Turning Python
objects into Arrow columns was most of the exporter's time.
"""

from __future__ import annotations

import array
from itertools import accumulate
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.export.segments import rewritten
from kg.export.tables import TABLES, Row, Table
from kg.graph import KnowledgeGraph

if TYPE_CHECKING:
    import pyarrow as pa

    from kg.export import ExportOptions


def schema(table: Table) -> pa.Schema:
    import pyarrow as pa

    types = {str: pa.string(), int: pa.int64(), float: pa.float64()}
    return pa.schema([(name, types[kind]) for name, kind in table.columns.items()])


#: The largest offset into a string column's bytes: Arrow's ``string`` counts them in 32 bits.
MAX_OFFSET = 2**31 - 1
#: array typecodes of the numeric columns, whose buffers Arrow reads as they are.
_NUMBERS = {int: "q", float: "d"}


def column(values: list[Any], kind: type, arrow_type: pa.DataType) -> pa.Array:
    """An Arrow column of ``values`` (all of Python type ``kind``), assembled from buffers.

    ``pa.array`` would do the same but imports pandas on its first call
    (0.3 s) to check the values are not a pandas object. Table rows hold no
    None (a missing value is ""), so no column needs a validity bitmap.
    Text past :data:`MAX_OFFSET` bytes goes through ``pa.array``, which
    splits it into chunks.
    """
    import pyarrow as pa

    if kind is not str:
        return pa.Array.from_buffers(arrow_type, len(values), [None, pa.py_buffer(array.array(_NUMBERS[kind], values))])
    encoded = list(map(str.encode, values))
    offsets = array.array("q", accumulate(map(len, encoded), initial=0))
    if offsets[-1] > MAX_OFFSET:
        return pa.array(values, type=arrow_type)
    buffers = [None, pa.py_buffer(array.array("i", offsets)), pa.py_buffer(b"".join(encoded))]
    return pa.Array.from_buffers(arrow_type, len(values), buffers)


def from_rows(rows: list[Row], table: Table) -> pa.Table:
    import pyarrow as pa

    arrow = schema(table)
    columns = zip(*rows, strict=True) if rows else [()] * len(arrow)
    arrays = [
        column(list(values), kind, field.type)
        for values, kind, field in zip(columns, table.columns.values(), arrow, strict=True)
    ]
    return pa.Table.from_arrays(arrays, schema=arrow)


def _previous_rows(dest: Path, expected: pa.Schema, spans: dict[str, tuple[int, int]]) -> pa.Table | None:
    """The file at ``dest`` as a table, or None if it cannot be read or is not what its index describes."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        # ParquetFile reads just this file; read_table would set up pyarrow.dataset for it first.
        previous = pq.ParquetFile(dest).read()
    except (OSError, pa.ArrowException):
        return None
    fits = all(start + count <= previous.num_rows for start, count in spans.values())
    return previous if fits and previous.schema.equals(expected) else None


def reassembled(
    kg: KnowledgeGraph, table: Table, previous: pa.Table | None, spans: dict[str, tuple[int, int]]
) -> tuple[pa.Table, dict[str, tuple[int, int]]]:
    """All rows of ``table`` in order, those of segments in ``spans`` taken from ``previous``.

    Returns the table and its own spans (key -> first row, row count). New
    rows are numbered after the previous ones, so one ``take`` over both puts
    every row in its place.
    """
    import pyarrow as pa

    reused = previous.num_rows if previous is not None else 0
    fresh: list[Row] = []
    picks = array.array("q")  # for each output row: its row in previous, then in fresh
    new_spans: dict[str, tuple[int, int]] = {}
    for key, record in table.records(kg):
        span = spans.get(key) if previous is not None else None
        if span is None:
            rows = table.rows(kg, record)
            span = (reused + len(fresh), len(rows))
            fresh.extend(rows)
        new_spans[key] = (len(picks), span[1])
        picks.extend(range(span[0], span[0] + span[1]))
    made = from_rows(fresh, table)
    if previous is None or len(fresh) == len(picks):
        return made, new_spans  # nothing reused: the rows are in order already
    order = pa.Array.from_buffers(pa.int64(), len(picks), [None, pa.py_buffer(picks)])
    return pa.concat_tables([previous, made]).take(order), new_spans


def write(kg: KnowledgeGraph, out_dir: Path, options: ExportOptions) -> list[Path]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    written = []
    for name, table in TABLES.items():
        dest = out_dir / f"{name}.parquet"
        with rewritten(dest, f"parquet;{name}", options.cache_dir) as rewrite:
            spans = rewrite.previous or {}
            previous = _previous_rows(dest, schema(table), spans) if rewrite.previous is not None else None
            try:
                arrow, rewrite.spans = reassembled(kg, table, previous, spans)
            except (pa.ArrowInvalid, pa.ArrowCapacityError):
                # Taking rows gathers each column into one array, which holds at most 2 GB
                # of text (the mentions' sentences, near 400,000 papers): write it afresh.
                arrow, rewrite.spans = reassembled(kg, table, None, {})
            pq.write_table(arrow, rewrite.tmp)
        written.append(dest)
    return written
