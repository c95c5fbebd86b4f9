"""CSV tables via pandas: papers, entities and mentions (one row per link with evidence)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from kg.atomic import atomic_path
from kg.graph import KnowledgeGraph, paper_attributes

if TYPE_CHECKING:
    import pandas as pd

    from kg.export import ExportOptions


def papers_frame(kg: KnowledgeGraph) -> pd.DataFrame:
    import pandas as pd

    # "sources" (plural) is the column name the CSV contract fixed first.
    rows = [{"id": p.id, **paper_attributes(p)} for p in kg.papers]
    columns = ["id", "title", "date", "arxiv_id", "url", "authors", "source", "abstract"]
    return pd.DataFrame(rows, columns=columns).rename(columns={"source": "sources"})


def entities_frame(kg: KnowledgeGraph) -> pd.DataFrame:
    import pandas as pd

    papers: dict[str, set[str]] = {}
    for link in kg.links:
        papers.setdefault(link.entity_id, set()).add(link.paper_id)
    return pd.DataFrame(
        [
            {
                "id": e.id,
                "type": e.type.value,
                "label": e.label,
                "aliases": "; ".join(e.aliases),
                "papers": len(papers.get(e.id, ())),
            }
            for e in kg.entities
        ],
        columns=["id", "type", "label", "aliases", "papers"],
    )


def mentions_frame(kg: KnowledgeGraph) -> pd.DataFrame:
    import pandas as pd

    entity = kg.entity_by_id
    return pd.DataFrame(
        [
            {
                "paper_id": link.paper_id,
                "entity_id": link.entity_id,
                "entity_type": entity[link.entity_id].type.value,
                "entity_label": entity[link.entity_id].label,
                "relation": link.relation.value,
                "surface": link.surface,
                "sentence": link.sentence,
                "start": link.start,
                "end": link.end,
                "extractor": link.extractor,
                "confidence": link.confidence,
            }
            for link in kg.links
        ],
        columns=[
            "paper_id",
            "entity_id",
            "entity_type",
            "entity_label",
            "relation",
            "surface",
            "sentence",
            "start",
            "end",
            "extractor",
            "confidence",
        ],
    )


#: Table name -> function building it; the CSV and Parquet exporters write the same rows.
FRAMES: dict[str, Callable[[KnowledgeGraph], pd.DataFrame]] = {
    "papers": papers_frame,
    "entities": entities_frame,
    "mentions": mentions_frame,
}


def write_frames(
    kg: KnowledgeGraph, out_dir: Path, suffix: str, save: Callable[[pd.DataFrame, Path], object]
) -> list[Path]:
    """Write every table as ``<name><suffix>`` with ``save``, each file atomically."""
    written = []
    for name, frame in FRAMES.items():
        dest = out_dir / f"{name}{suffix}"
        with atomic_path(dest) as tmp:
            save(frame(kg), tmp)
        written.append(dest)
    return written


def write(kg: KnowledgeGraph, out_dir: Path, options: ExportOptions) -> list[Path]:
    return write_frames(kg, out_dir, ".csv", lambda frame, path: frame.to_csv(path, index=False))
