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

Files are written a row group at a time (:class:`RowGroups`), and the
previous file is read the same way, so the exporter holds a few row groups
at most, whatever the size of the graph. Made whole, the tables raised the
peak memory of a build by 140 MB at 10,000 papers and 1 GB at 100,000, and
a rebuild's by 215 MB and 1.3 GB; in row groups, by 51 MB and nothing, and
112 and 166 MB.
"""

from __future__ import annotations

import array
from bisect import bisect_right
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.export.segments import rewritten
from kg.export.tables import TABLES, Row, Table
from kg.graph import KnowledgeGraph
from kg.iri import Iris

if TYPE_CHECKING:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from kg.export import ExportOptions

#: Rows per row group, the unit in which the exporter makes, writes and forgets rows. In
#: Arrow, 16,384 rows of the benchmark's mentions take 5 MB, of its papers 23 MB (the
#: abstracts); a rebuild holds a few, some of them the previous file's. Smaller groups
#: also keep the text columns dictionary-encoded: mentions.parquet of 100,000 papers is
#: 89 MB in groups of this size, 105 MB in one.
ROW_GROUP = 16_384


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


class UnreadableRows(Exception):
    """The previous file opened as Parquet, but a row group of it could not be read."""


class PreviousFile:
    """The previous build's file, decoded one row group at a time as rows are taken from it.

    Rows are asked for in about the order they were written, so keeping the
    last group read decodes each group about once.
    """

    def __init__(self, file: pq.ParquetFile) -> None:
        self.file = file
        sizes = (file.metadata.row_group(i).num_rows for i in range(file.num_row_groups))
        self.starts = list(accumulate(sizes, initial=0))
        self._group: tuple[int, pa.Table] | None = None

    @classmethod
    def open(cls, dest: Path, expected: pa.Schema, spans: dict[str, tuple[int, int]]) -> PreviousFile | None:
        """The file at ``dest``, or None if it cannot be read or is not what its index describes."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        try:
            file = pq.ParquetFile(dest)
            schema = file.schema_arrow
        except (OSError, pa.ArrowException):
            return None
        rows = file.metadata.num_rows
        fits = all(start + count <= rows for start, count in spans.values())
        return cls(file) if fits and schema.equals(expected) else None

    def rows(self, start: int, end: int) -> Iterator[pa.Table]:
        """Rows ``start:end``, as slices of the row groups that hold them."""
        import pyarrow as pa

        while start < end:
            index = bisect_right(self.starts, start) - 1
            if self._group is None or self._group[0] != index:
                try:
                    self._group = (index, self.file.read_row_group(index))
                except (OSError, pa.ArrowException) as err:
                    raise UnreadableRows(str(err)) from err
            stop = min(end, self.starts[index + 1])
            yield self._group[1].slice(start - self.starts[index], stop - start)
            start = stop


@dataclass
class RowGroups:
    """One table's rows in file order, from Python rows and runs of previous rows, written a row group at a time.

    A group is written, and dropped, once it holds :data:`ROW_GROUP` rows or
    more, at the end of a segment. Where groups end so depends only on the
    segments' sizes, never on which rows were reused, so a rebuild writes
    the bytes a fresh build would.
    """

    writer: pq.ParquetWriter
    table: Table
    previous: PreviousFile | None
    _pieces: list[pa.Table] = field(default_factory=list)
    _fresh: list[Row] = field(default_factory=list)
    #: Previous rows not yet taken: (start, end) in the previous file.
    _run: tuple[int, int] | None = None
    _size: int = 0

    def add_fresh(self, rows: list[Row]) -> None:
        self._take_run()
        self._fresh.extend(rows)
        self._grew(len(rows))

    def add_previous(self, start: int, count: int) -> None:
        if self._run is not None and self._run[1] == start:
            self._run = (self._run[0], start + count)
        else:
            self._make_fresh()
            self._take_run()
            self._run = (start, start + count)
        self._grew(count)

    def _grew(self, count: int) -> None:
        self._size += count
        if self._size >= ROW_GROUP:
            self.flush()

    def _make_fresh(self) -> None:
        if self._fresh:
            self._pieces.append(from_rows(self._fresh, self.table))
            self._fresh = []

    def _take_run(self) -> None:
        if self._run is not None:
            assert self.previous is not None, "a run of previous rows needs the previous file"
            self._pieces.extend(self.previous.rows(*self._run))
            self._run = None

    def flush(self) -> None:
        """Write the rows held so far as one row group."""
        import pyarrow as pa

        self._make_fresh()
        self._take_run()
        if self._pieces:
            # One array per column: the writer's bytes depend on how a column is cut into
            # arrays (seen on 65,536 mention rows), and so would depend on what was reused.
            self.writer.write_table(pa.concat_tables(self._pieces).combine_chunks())
        self._pieces, self._size = [], 0


def write_rows(
    kg: KnowledgeGraph,
    iris: Iris,
    table: Table,
    writer: pq.ParquetWriter,
    previous: PreviousFile | None,
    spans: dict[str, tuple[int, int]],
) -> dict[str, tuple[int, int]]:
    """Write every row of ``table`` through ``writer``, those of segments in ``spans`` taken from ``previous``.

    Returns the new file's spans (key -> first row, row count).
    """
    groups = RowGroups(writer, table, previous)
    new_spans: dict[str, tuple[int, int]] = {}
    position = 0
    for key, record in table.records(kg, iris):
        span = spans.get(key) if previous is not None else None
        if span is None:
            rows = table.rows(kg, iris, record)
            groups.add_fresh(rows)
            count = len(rows)
        else:
            groups.add_previous(*span)
            count = span[1]
        new_spans[key] = (position, count)
        position += count
    groups.flush()
    return new_spans


def _write_file(
    kg: KnowledgeGraph,
    iris: Iris,
    table: Table,
    dest: Path,
    previous: PreviousFile | None,
    spans: dict[str, tuple[int, int]],
) -> dict[str, tuple[int, int]]:
    import pyarrow.parquet as pq

    with pq.ParquetWriter(dest, schema(table)) as writer:
        return write_rows(kg, iris, table, writer, previous, spans)


def write(kg: KnowledgeGraph, out_dir: Path, options: ExportOptions) -> list[Path]:
    written = []
    iris = options.iris
    for name, table in TABLES.items():
        dest = out_dir / f"{name}.parquet"
        with rewritten(dest, f"parquet;{name};base={iris.base}", options.cache_dir) as rewrite, ExitStack() as stack:
            # The ExitStack closes the previous file before rewritten() renames the new one over it.
            previous = None if rewrite.previous is None else PreviousFile.open(dest, schema(table), rewrite.previous)
            if previous is not None:
                stack.callback(previous.file.close)
            try:
                rewrite.spans = _write_file(kg, iris, table, rewrite.tmp, previous, rewrite.previous or {})
            except UnreadableRows:
                rewrite.spans = _write_file(kg, iris, table, rewrite.tmp, None, {})
        written.append(dest)
    return written
