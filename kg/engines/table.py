"""The mention table: the one shape mentions take outside a Python process.

The extraction cache stores rows of it (positional, see :mod:`kg.cache`) and
Dask workers send it back as Parquet, so whichever way mentions travelled, the
resolver gets the same records. The columns are the fields of
:class:`~kg.records.Mention`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import fields
from typing import TYPE_CHECKING, Any

from kg.records import EntityType, Mention, Paper, Relation

if TYPE_CHECKING:
    import pyarrow as pa

COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(Mention))
#: Enum members by stored value: a dict lookup is several times cheaper than
#: calling the enum, which counts when a rebuild restores 150,000 mentions.
TYPES: dict[str, EntityType] = {t.value: t for t in EntityType}
RELATIONS: dict[str, Relation] = {r.value: r for r in Relation}


def to_row(mention: Mention) -> dict[str, Any]:
    row = {name: getattr(mention, name) for name in COLUMNS}
    row["type"] = mention.type.value
    row["relation"] = mention.relation.value
    return row


def from_row(row: dict[str, Any]) -> Mention:
    return Mention(**{**row, "type": TYPES[row["type"]], "relation": RELATIONS[row["relation"]]})


def schema() -> pa.Schema:
    import pyarrow as pa

    types = {"start": pa.int64(), "end": pa.int64(), "confidence": pa.float64()}
    return pa.schema([pa.field(name, types.get(name, pa.string()), nullable=name == "long_form") for name in COLUMNS])


def to_parquet(mentions: Iterable[Mention]) -> bytes:
    """One Parquet partition of the mention table, as bytes a Dask future can carry."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pylist([to_row(m) for m in mentions], schema=schema())
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    return sink.getvalue().to_pybytes()


def from_parquet(data: bytes) -> list[Mention]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    return [from_row(row) for row in pq.read_table(pa.BufferReader(data)).to_pylist()]


def per_paper(papers: Sequence[Paper], mentions: Iterable[Mention]) -> list[list[Mention]]:
    """Mentions regrouped by paper, in the order of ``papers``."""
    grouped: dict[str, list[Mention]] = {p.id: [] for p in papers}
    for m in mentions:
        grouped[m.paper_id].append(m)
    return [grouped[p.id] for p in papers]
