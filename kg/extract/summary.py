"""The per-paper JSON record of ``kg extract`` (a contract: keys stay stable).

Labels are the resolved entities' preferred labels, so one acronym and its
long form appear once per paper, as they would in the graph.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping

from kg.records import EntityType, Mention, Paper, Relation
from kg.resolve import resolve

KEYS = {
    EntityType.REPOSITORY: "repos",
    EntityType.URL: "urls",
    EntityType.METHOD: "methods",
    EntityType.DATASET: "datasets",
    EntityType.TASK: "tasks",
    EntityType.CONCEPT: "concepts",
}


def paper_summaries(
    results: Iterable[tuple[Paper, list[Mention]]], names: Mapping[str, str] | None = None
) -> Iterator[str]:
    """One JSON line per paper, in input order: :func:`summaries` as ``kg extract`` prints them."""
    for record in summaries(results, names):
        yield json.dumps(record, ensure_ascii=False)


def summaries(
    results: Iterable[tuple[Paper, list[Mention]]], names: Mapping[str, str] | None = None
) -> Iterator[dict[str, object]]:
    """One record per paper, in input order (what :func:`kg.extract` returns).

    Resolution runs per paper here so output streams; labels therefore use the
    acronym definitions of that abstract, not the whole corpus. ``names`` is
    a lexicon's :meth:`~kg.lexicons.Lexicon.groups`, as :func:`kg.resolve.resolve` takes it.
    """
    for paper, mentions in results:
        entities, links = resolve(mentions, names)
        by_id = {e.id: e for e in entities}
        record: dict[str, object] = {"id": paper.id, "title": paper.title}
        record.update({key: [] for key in KEYS.values()})
        record["proposed"] = []
        # Added after the first keys (a contract), so they come last.
        record.update(doi=paper.doi, categories=paper.categories, primary_category=paper.primary_category)
        seen: set[tuple[str, str]] = set()
        for link in sorted(links, key=lambda link: link.start):
            entity = by_id[link.entity_id]
            key = "proposed" if link.relation is Relation.PROPOSES else KEYS[entity.type]
            for k in {key, "methods"} if key == "proposed" else {key}:
                if (k, entity.id) not in seen:
                    seen.add((k, entity.id))
                    record[k].append(entity.label)  # type: ignore[union-attr]
        yield record
