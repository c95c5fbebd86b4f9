"""CSV tables via pandas: papers, entities and mentions (one row per link with evidence)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from kg.atomic import atomic_path
from kg.graph import KnowledgeGraph

if TYPE_CHECKING:
    import pandas as pd

    from kg.export import ExportOptions


def papers_frame(kg: KnowledgeGraph) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame(
        [
            {
                "id": p.id,
                "title": p.title,
                "date": p.date or "",
                "arxiv_id": p.arxiv_id or "",
                "url": p.url or "",
                "authors": "; ".join(p.authors),
                "sources": "; ".join(f"{s.path}:{s.line}" for s in p.sources),
                "abstract": p.abstract,
            }
            for p in kg.papers
        ],
        columns=["id", "title", "date", "arxiv_id", "url", "authors", "sources", "abstract"],
    )


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
            "paper_id", "entity_id", "entity_type", "entity_label", "relation", "surface",
            "sentence", "start", "end", "extractor", "confidence",
        ],
    )


TABLES = {"papers.csv": papers_frame, "entities.csv": entities_frame, "mentions.csv": mentions_frame}


def write(kg: KnowledgeGraph, out_dir: Path, options: ExportOptions) -> list[Path]:
    written = []
    for name, frame in TABLES.items():
        dest = out_dir / name
        with atomic_path(dest) as tmp:
            frame(kg).to_csv(tmp, index=False)
        written.append(dest)
    return written
