"""The mention table: every mention of a build as columns, the fields of :class:`~kg.records.Mention`.

In a build it is a :class:`MentionTable` (strings as codes into the distinct
strings, numbers as arrays), made a paper at a time by :class:`MentionRows`
from the extraction cache's rows or from Mention records, and the resolver
(:mod:`kg.resolve`) works on its columns. Between processes it travels as
rows: the extraction cache stores each paper's positionally (see
:mod:`kg.cache`), and Dask workers send theirs back as Parquet.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

import numpy as np

from kg.records import EntityRelation, EntityType, Extraction, Mention, Paper, Relation, Result

if TYPE_CHECKING:
    import pyarrow as pa

COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(Mention))
#: Enum members by stored value: a dict lookup is several times cheaper than
#: calling the enum, which counts when a rebuild restores 150,000 mentions.
TYPES: dict[str, EntityType] = {t.value: t for t in EntityType}
RELATIONS: dict[str, Relation] = {r.value: r for r in Relation}
#: Types and relations in a fixed order: the table holds a mention's type and relation as indexes into these.
KINDS: tuple[EntityType, ...] = tuple(EntityType)
RELATION_ORDER: tuple[Relation, ...] = tuple(Relation)
#: Codes by member, or by value: a StrEnum member hashes and compares as its value does.
KIND_CODE = {kind: i for i, kind in enumerate(KINDS)}
RELATION_CODE = {relation: i for i, relation in enumerate(RELATION_ORDER)}


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


@dataclass
class Strings:
    """A column of strings as a code per row (-1 where a row has none) and the distinct strings the codes index.

    A string no row holds may be among them (left by a paper whose stored rows did not all decode).

    Each distinct string is one object however many rows hold it (a sentence
    is held by every mention in it), and the resolver works on the codes.
    """

    codes: np.ndarray
    values: list[str]


@dataclass
class MentionTable:
    """Mentions as columns, a row per mention in input order, and the relations and results beside them.

    The columns are the fields of :class:`~kg.records.Mention`: strings as
    :class:`Strings` (a long form that is None or "" has none), a type and a
    relation as indexes into :data:`KINDS` and :data:`RELATION_ORDER`, numbers
    as arrays. Like :class:`~kg.records.Extraction`, it carries the relations
    and results the mentions' sentences state, which are few and stay records.
    """

    paper_id: Strings
    text: Strings
    type: np.ndarray
    relation: np.ndarray
    start: np.ndarray
    end: np.ndarray
    sentence: Strings
    extractor: Strings
    confidence: np.ndarray
    long_form: Strings
    relations: list[EntityRelation] = field(default_factory=list)
    results: list[Result] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.start)


#: The columns of strings, in the order of :data:`COLUMNS`.
STRINGS = ("paper_id", "text", "sentence", "extractor", "long_form")


class MentionRows:
    """A :class:`MentionTable` made a paper at a time, from records or from the extraction cache's rows.

    Each paper's rows go in at its position in the input, in any order of
    papers: the table sorts them by position, the rows of one position in
    the order they came. Rows wait in typed arrays, a few bytes each, not as
    Python objects.
    """

    def __init__(self) -> None:
        self._positions = array("i")
        self._codes = {name: array("i") for name in STRINGS}
        self._index: dict[str, dict[str, int]] = {name: {} for name in STRINGS}
        self._kinds, self._relations = array("b"), array("b")
        self._starts, self._ends, self._confidences = array("q"), array("q"), array("d")
        self._statements = Extraction()

    def _code(self, name: str, value: str | None) -> int:
        if value is None or (not value and name == "long_form"):  # an empty long form is none
            return -1
        index = self._index[name]
        return index.setdefault(value, len(index))

    def add(self, position: int, mentions: Iterable[Mention]) -> None:
        """One paper's mentions, and the relations and results they carry (an :class:`~kg.records.Extraction`)."""
        relations, results = getattr(mentions, "relations", ()), getattr(mentions, "results", ())
        mentions = list(mentions)
        self._append(
            position,
            {name: [self._code(name, getattr(m, name)) for m in mentions] for name in STRINGS},
            [KIND_CODE[m.type] for m in mentions],
            [RELATION_CODE[m.relation] for m in mentions],
            [(m.start, m.end, m.confidence) for m in mentions],
        )
        self._statements.relations.extend(relations)
        self._statements.results.extend(results)

    def add_stored(self, position: int, paper_id: str, sentences: list[str], rows: list[list[Any]]) -> None:
        """One paper's mentions as :func:`kg.cache.encode` stores them: rows of the columns but ``paper_id``,
        a row's sentence an index into ``sentences``.

        A row that is not such a row raises ValueError, KeyError, TypeError or
        IndexError before any row of the paper is added.
        """
        paper = self._code("paper_id", paper_id)
        said = [self._code("sentence", sentence) for sentence in sentences]
        codes: dict[str, list[int]] = {name: [] for name in STRINGS}
        kinds, relations, numbers = [], [], []
        for text, kind, relation, start, end, at, extractor, confidence, long_form in rows:
            codes["paper_id"].append(paper)
            codes["text"].append(self._code("text", text))
            codes["sentence"].append(said[at])
            codes["extractor"].append(self._code("extractor", extractor))
            codes["long_form"].append(self._code("long_form", long_form))
            kinds.append(KIND_CODE[kind])
            relations.append(RELATION_CODE[relation])
            numbers.append((start, end, confidence))
        self._append(position, codes, kinds, relations, numbers)

    def _append(
        self,
        position: int,
        codes: dict[str, list[int]],
        kinds: list[int],
        relations: list[int],
        numbers: list[tuple[int, int, float]],
    ) -> None:
        """Every column's new values at once, converted first, so that a bad value leaves the table as it was."""
        starts, ends, confidences = zip(*numbers, strict=True) if numbers else ((), (), ())
        typed = [array("q", starts), array("q", ends), array("d", confidences)]
        self._positions.extend(array("i", [position]) * len(kinds))
        for name, column in codes.items():
            self._codes[name].extend(array("i", column))
        self._kinds.extend(array("b", kinds))
        self._relations.extend(array("b", relations))
        for held, new in zip((self._starts, self._ends, self._confidences), typed, strict=True):
            held.extend(new)

    def table(self) -> MentionTable:
        """The rows added so far, sorted by position; add no more rows after."""
        positions = np.frombuffer(self._positions, np.int32)
        order = np.argsort(positions, kind="stable") if np.any(positions[1:] < positions[:-1]) else slice(None)

        def column(values: array[Any], dtype: type) -> np.ndarray:
            return np.frombuffer(values, dtype)[order]

        strings = {name: Strings(column(self._codes[name], np.int32), list(self._index[name])) for name in STRINGS}
        return MentionTable(
            type=column(self._kinds, np.int8),
            relation=column(self._relations, np.int8),
            start=column(self._starts, np.int64),
            end=column(self._ends, np.int64),
            confidence=column(self._confidences, np.float64),
            relations=self._statements.relations,
            results=self._statements.results,
            **strings,
        )


def to_table(mentions: Sequence[Mention]) -> MentionTable:
    """The mention table of ``mentions``, a row each in their order (with their relations and results, if any)."""
    rows = MentionRows()
    rows.add(0, mentions)
    return rows.table()


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
