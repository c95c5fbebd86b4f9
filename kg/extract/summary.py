"""The per-paper JSON record of ``kg extract`` (a contract: keys stay stable).

Labels are the resolved entities' preferred labels, so one acronym and its
long form appear once per paper, as they would in the graph. Keys added
since come last, after the original ones: the paper's ``doi``,
``categories`` and ``primary_category``, then ``relations``
(``[head, type, tail]``) and ``results``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping

from kg.records import Entity, EntityType, Mention, Paper, Relation, Result
from kg.relate import entity_links, resolved_results
from kg.resolve import Spans, resolve

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
        spans = Spans()
        entities, links = resolve(mentions, names, spans)
        by_id = {e.id: e for e in entities}
        record: dict[str, object] = {"id": paper.id, "title": paper.title}
        record.update({key: [] for key in KEYS.values()})
        record["proposed"] = []
        record.update(doi=paper.doi, categories=paper.categories, primary_category=paper.primary_category)
        seen: set[tuple[str, str]] = set()
        for link in sorted(links, key=lambda link: link.start):
            entity = by_id[link.entity_id]
            key = "proposed" if link.relation is Relation.PROPOSES else KEYS[entity.type]
            for k in {key, "methods"} if key == "proposed" else {key}:
                if (k, entity.id) not in seen:
                    seen.add((k, entity.id))
                    record[k].append(entity.label)  # type: ignore[union-attr]
        edges = entity_links(getattr(mentions, "relations", ()), spans, by_id)
        record["relations"] = [[by_id[e.head].label, e.type.value, by_id[e.tail].label] for e in edges]
        found = resolved_results(getattr(mentions, "results", ()), spans, by_id)
        record["results"] = [_result(r, by_id) for r in sorted(found, key=lambda r: r.start)]
        yield record


def _result(result: Result, by_id: Mapping[str, Entity]) -> dict[str, object]:
    return {
        "method": by_id[result.method_id].label if result.method_id else "",
        "dataset": by_id[result.dataset_id].label,
        "metric": result.metric,
        "value": result.value,
        "unit": result.unit,
        "kind": result.kind,
        "sentence": result.sentence,
    }
