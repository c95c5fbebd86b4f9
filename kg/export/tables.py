"""The papers, entities and mentions tables as CSV: one row per paper, per entity, per link.

pandas reads them with ``pd.read_csv(path, keep_default_na=False)``; the
Parquet exporter writes the same rows, typed. Rows are written with the
standard ``csv`` module in the dialect of ``DataFrame.to_csv`` (minimal
quoting, ``\\n`` line ends), a paper's rows or an entity's row at a time as
segments a rebuild can copy from the previous file (:mod:`kg.export.segments`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.export.segments import segmented
from kg.graph import KnowledgeGraph, paper_attributes
from kg.records import Entity, Link, Paper

if TYPE_CHECKING:
    from kg.export import ExportOptions

Row = tuple[Any, ...]


def paper_rows(kg: KnowledgeGraph, paper: Paper) -> list[Row]:
    f = paper_attributes(paper)
    return [
        (
            *(paper.id, f["title"], f["date"], f["arxiv_id"], f["url"], f["authors"], f["source"], f["abstract"]),
            *(paper.doi or "", "; ".join(paper.categories), paper.primary_category or ""),
        )
    ]


def entity_rows(kg: KnowledgeGraph, entity: Entity) -> list[Row]:
    return [(entity.id, entity.type.value, entity.label, "; ".join(entity.aliases), kg.paper_count[entity.id])]


def mention_rows(kg: KnowledgeGraph, links: list[Link]) -> list[Row]:
    entity = kg.entity_by_id
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
        )
        for link in links
    ]


@dataclass(frozen=True)
class Table:
    """A table's columns (name -> type) and its rows, grouped by the record they come from."""

    columns: dict[str, type]
    #: ``(segment key, record)`` for every record, in row order.
    records: Callable[[KnowledgeGraph], Iterator[tuple[str, Any]]]
    #: The rows of one record.
    rows: Callable[[KnowledgeGraph, Any], list[Row]]


def _papers(kg: KnowledgeGraph) -> Iterator[tuple[str, Paper]]:
    return ((kg.paper_keys[p.id], p) for p in kg.papers)


def _entities(kg: KnowledgeGraph) -> Iterator[tuple[str, Entity]]:
    return ((kg.entity_keys[e.id], e) for e in kg.entities)


def _links(kg: KnowledgeGraph) -> Iterator[tuple[str, list[Link]]]:
    return ((kg.mention_keys[p.id], kg.links_by_paper[p.id]) for p in kg.papers)


#: Table name -> table; the names and columns are the CSV contract.
TABLES: dict[str, Table] = {
    "papers": Table(
        # "sources" (plural) is the column name the CSV contract fixed first.
        # Columns added later go at the end, so code that reads columns by position keeps working.
        dict.fromkeys(
            (
                *("id", "title", "date", "arxiv_id", "url", "authors", "sources", "abstract"),
                *("doi", "categories", "primary_category"),
            ),
            str,
        ),
        _papers,
        paper_rows,
    ),
    "entities": Table({"id": str, "type": str, "label": str, "aliases": str, "papers": int}, _entities, entity_rows),
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
        },
        _links,
        mention_rows,
    ),
}


def csv_text(rows: list[Row]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def write(kg: KnowledgeGraph, out_dir: Path, options: ExportOptions) -> list[Path]:
    written = []
    for name, table in TABLES.items():
        dest = out_dir / f"{name}.csv"

        def render(record: Any, table: Table = table) -> bytes:
            return csv_text(table.rows(kg, record)).encode()

        with segmented(dest, f"csv;{name}", options.cache_dir) as out:
            out.write(csv_text([tuple(table.columns)]).encode())
            for key, record in table.records(kg):
                out.segment(key, render, record)
        written.append(dest)
    return written
