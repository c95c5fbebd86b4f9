"""The tables as CSV: one row per paper, per entity, per link, per result, per relation's evidence.

``results`` is every dataset's leaderboard: its results by metric, best
first, with the method, paper and sentence. ``relations`` has one row per
paper that states an entity -> entity relation (one row without a paper for
a task hierarchy edge from names or a lexicon alone). Beside its ids, a row
names each paper, entity, annotation, result or relation by the IRI the RDF
export gives it (``iri``, ``paper_iri`` ...), so SPARQL answers join the tables.

pandas reads them with ``pd.read_csv(path, keep_default_na=False)``; the
Parquet exporter writes the same rows, typed, and with the exact text: in
the CSV files, a text cell a spreadsheet would run as a formula (it starts
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets a ``'``
in front, as OWASP recommends against CSV injection. Rows are written with the
standard ``csv`` module in the dialect of ``DataFrame.to_csv`` (minimal
quoting, ``\\n`` line ends), a paper's rows or an entity's row at a time as
segments a rebuild can copy from the previous file (:mod:`kg.export.segments`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.export.segments import segmented
from kg.graph import KnowledgeGraph, _digest, paper_attributes, relation_id
from kg.iri import Iris
from kg.records import Entity, EntityLink, Paper, Result
from kg.relate import leaderboard

if TYPE_CHECKING:
    from kg.export import ExportOptions

Row = tuple[Any, ...]


def paper_rows(kg: KnowledgeGraph, iris: Iris, paper: Paper) -> list[Row]:
    f = paper_attributes(paper)
    return [
        (
            *(paper.id, f["title"], f["date"], f["arxiv_id"], f["url"], f["authors"], f["source"], f["abstract"]),
            *(paper.doi or "", "; ".join(paper.categories), paper.primary_category or "", iris.paper(paper)),
        )
    ]


def entity_rows(kg: KnowledgeGraph, iris: Iris, entity: Entity) -> list[Row]:
    aliases = "; ".join(entity.aliases)
    return [(entity.id, entity.type.value, entity.label, aliases, kg.paper_count[entity.id], iris.entity(entity))]


def mention_rows(kg: KnowledgeGraph, iris: Iris, paper_id: str) -> list[Row]:
    entity = kg.entity_by_id
    links = kg.links_of(paper_id)
    paper_iri = iris.paper(kg.paper_by_id[links[0].paper_id]) if links else ""
    return [
        (
            link.paper_id,
            link.entity_id,
            entity[link.entity_id].type.value,
            entity[link.entity_id].label,
            link.relation.value,
            link.surface,
            link.sentence,
            link.start,
            link.end,
            link.extractor,
            float(link.confidence),
            iris.mention(link),
            paper_iri,
            iris.entity(entity[link.entity_id]),
        )
        for link in links
    ]


def result_rows(kg: KnowledgeGraph, iris: Iris, ranked: list[tuple[int, Result]]) -> list[Row]:
    entity = kg.entity_by_id
    return [
        (
            r.dataset_id,
            entity[r.dataset_id].label,
            r.metric,
            rank,
            r.value,
            r.unit,
            r.kind,
            r.method_id,
            entity[r.method_id].label if r.method_id else "",
            r.paper_id,
            kg.paper_by_id[r.paper_id].title,
            r.sentence,
            r.start,
            r.end,
            iris.result(r),
            iris.entity(entity[r.dataset_id]),
            iris.entity(entity[r.method_id]) if r.method_id else "",
            iris.paper(kg.paper_by_id[r.paper_id]),
        )
        for rank, r in ranked
    ]


def relation_rows(kg: KnowledgeGraph, iris: Iris, edge: EntityLink) -> list[Row]:
    head, tail = kg.entity_by_id[edge.head], kg.entity_by_id[edge.tail]
    fixed = (edge.head, head.label, edge.type.value, edge.tail, tail.label, edge.count)
    edge_iris = (iris.relation(edge), iris.entity(head), iris.entity(tail))
    return [
        (
            *(*fixed, e.paper_id, e.sentence, e.extractor, float(e.confidence)),
            *(*edge_iris, iris.paper(kg.paper_by_id[e.paper_id]) if e.paper_id else ""),
        )
        for e in edge.evidence
    ]


@dataclass(frozen=True)
class Table:
    """A table's columns (name -> type) and its rows, grouped by the record they come from.

    Rows name papers and entities by their RDF IRI too (the ``iri`` and
    ``*_iri`` columns), so ``iris`` is part of every call: the keys need
    not hold the base IRI, as it is in the context of every segment index.
    """

    columns: dict[str, type]
    #: ``(segment key, record)`` for every record, in row order.
    records: Callable[[KnowledgeGraph, Iris], Iterator[tuple[str, Any]]]
    #: The rows of one record.
    rows: Callable[[KnowledgeGraph, Iris, Any], list[Row]]


def _papers(kg: KnowledgeGraph, iris: Iris) -> Iterator[tuple[str, Paper]]:
    return ((kg.paper_keys[p.id], p) for p in kg.papers)


def _entities(kg: KnowledgeGraph, iris: Iris) -> Iterator[tuple[str, Entity]]:
    return ((kg.entity_keys[e.id], e) for e in kg.entities)


def _links(kg: KnowledgeGraph, iris: Iris) -> Iterator[tuple[str, str]]:
    """One segment per paper, its record the paper's id: its links are made only if the segment is rendered."""
    return ((kg.mention_keys[p.id], p.id) for p in kg.papers)


def _results(kg: KnowledgeGraph, iris: Iris) -> Iterator[tuple[str, list[Row]]]:
    """One segment per dataset and metric, keyed by its rows: a new result re-renders its leaderboard only.

    The record is the rows themselves, made once for the key and the segment alike.
    """
    for _, group in groupby(
        leaderboard(kg.results), key=lambda ranked: (ranked[1].dataset_id, ranked[1].metric.lower())
    ):
        rows = result_rows(kg, iris, list(group))
        yield _digest(rows), rows


def _relations(kg: KnowledgeGraph, iris: Iris) -> Iterator[tuple[str, list[Row]]]:
    """One segment per relation, keyed by its rows, which are the record (as for the results)."""
    for edge in kg.relations:
        rows = relation_rows(kg, iris, edge)
        yield _digest(relation_id(edge), rows), rows


def _as_made(kg: KnowledgeGraph, iris: Iris, rows: list[Row]) -> list[Row]:
    return rows


#: Table name -> table; the names and columns are the CSV contract.
TABLES: dict[str, Table] = {
    "papers": Table(
        # "sources" (plural) is the column name the CSV contract fixed first.
        # Columns added later go at the end, so code that reads columns by position keeps working.
        dict.fromkeys(
            (
                *("id", "title", "date", "arxiv_id", "url", "authors", "sources", "abstract"),
                *("doi", "categories", "primary_category", "iri"),
            ),
            str,
        ),
        _papers,
        paper_rows,
    ),
    "entities": Table(
        {"id": str, "type": str, "label": str, "aliases": str, "papers": int, "iri": str}, _entities, entity_rows
    ),
    "mentions": Table(
        {
            "paper_id": str,
            "entity_id": str,
            "entity_type": str,
            "entity_label": str,
            "relation": str,
            "surface": str,
            "sentence": str,
            "start": int,
            "end": int,
            "extractor": str,
            "confidence": float,
            "iri": str,
            "paper_iri": str,
            "entity_iri": str,
        },
        _links,
        mention_rows,
    ),
    "results": Table(
        {
            "dataset_id": str,
            "dataset": str,
            "metric": str,
            "rank": int,
            "value": float,
            "unit": str,
            "kind": str,
            "method_id": str,
            "method": str,
            "paper_id": str,
            "title": str,
            "sentence": str,
            "start": int,
            "end": int,
            "iri": str,
            "dataset_iri": str,
            "method_iri": str,
            "paper_iri": str,
        },
        _results,
        _as_made,
    ),
    "relations": Table(
        {
            "head_id": str,
            "head": str,
            "relation": str,
            "tail_id": str,
            "tail": str,
            "papers": int,
            "paper_id": str,
            "sentence": str,
            "extractor": str,
            "confidence": float,
            "iri": str,
            "head_iri": str,
            "tail_iri": str,
            "paper_iri": str,
        },
        _relations,
        _as_made,
    ),
}


#: What a spreadsheet takes a cell starting with as the start of a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutral(value: Any) -> Any:
    """``value``, with a ``'`` in front if it is text a spreadsheet would run as a formula."""
    return f"'{value}" if isinstance(value, str) and value.startswith(FORMULA_START) else value


def csv_text(rows: list[Row]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([tuple(map(neutral, row)) for row in rows])
    return buffer.getvalue()


def write(kg: KnowledgeGraph, out_dir: Path, options: ExportOptions) -> list[Path]:
    written = []
    iris = options.iris
    for name, table in TABLES.items():
        dest = out_dir / f"{name}.csv"

        def render(record: Any, table: Table = table) -> bytes:
            return csv_text(table.rows(kg, iris, record)).encode()

        with segmented(dest, f"csv;{name};base={iris.base}", options.cache_dir) as out:
            out.write(csv_text([tuple(table.columns)]).encode())
            for key, record in table.records(kg, iris):
                out.segment(key, render, record)
        written.append(dest)
    return written
