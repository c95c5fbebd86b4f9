"""Relations and results resolved to entities: the same pair said by many papers is one edge.

Each end of an extracted relation is the span of a mention, so it becomes the
entity that mention resolved to (see ``spans`` in :func:`kg.resolve.resolve`).
An end whose entity was finally typed otherwise than the relation allows
("evaluatedOn" a name the corpus reads as a method) is dropped: the
relation's cue was read for the other type. Task hierarchy edges
(:mod:`kg.hierarchy`) join the same list.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from kg.records import Entity, EntityLink, EntityRelation, EntityType, Evidence, RelationType, Result

#: The types each relation joins, head first.
SIGNATURE: dict[RelationType, tuple[EntityType, EntityType]] = {
    RelationType.USED_FOR: (EntityType.METHOD, EntityType.TASK),
    RelationType.EVALUATED_ON: (EntityType.METHOD, EntityType.DATASET),
    RelationType.BENCHMARK_FOR: (EntityType.DATASET, EntityType.TASK),
    RelationType.BASED_ON: (EntityType.METHOD, EntityType.METHOD),
    RelationType.COMPARED_TO: (EntityType.METHOD, EntityType.METHOD),
    RelationType.BROADER: (EntityType.TASK, EntityType.TASK),
}

Spans = Mapping[tuple[str, int], str]


def entity_links(relations: Iterable[EntityRelation], spans: Spans, entities: Mapping[str, Entity]) -> list[EntityLink]:
    """One :class:`EntityLink` per (head, type, tail), its evidence in paper order, sorted for stable output."""
    edges: dict[tuple[str, RelationType, str], EntityLink] = {}
    for r in relations:
        head, tail = spans.get((r.paper_id, r.head_start)), spans.get((r.paper_id, r.tail_start))
        if head is None or tail is None or head == tail:
            continue
        if (entities[head].type, entities[tail].type) != SIGNATURE[r.type]:
            continue
        edge = edges.setdefault((head, r.type, tail), EntityLink(head, r.type, tail))
        edge.evidence.append(Evidence(r.paper_id, r.sentence, r.extractor, r.confidence))
    for edge in edges.values():
        edge.evidence.sort(key=lambda e: (e.paper_id, -e.confidence))
    return sorted(edges.values(), key=lambda e: (e.head, e.type, e.tail))


def resolved_results(results: Iterable[Result], spans: Spans, entities: Mapping[str, Entity]) -> list[Result]:
    """Results with the ids of their method and dataset; one whose dataset is no dataset entity is dropped."""
    out = []
    for r in results:
        dataset = spans.get((r.paper_id, r.dataset_start))
        if dataset is None or entities[dataset].type is not EntityType.DATASET:
            continue
        method = spans.get((r.paper_id, r.method_start), "")
        if method and entities[method].type is not EntityType.METHOD:
            method = ""
        out.append(replace(r, method_id=method, dataset_id=dataset))
    return sorted(out, key=lambda r: (r.dataset_id, r.metric.lower(), r.paper_id, r.start))


def merged(edges: Iterable[EntityLink]) -> list[EntityLink]:
    """One edge per (head, type, tail), the evidence of all: a task under another by its name and by a sentence."""
    out: dict[tuple[str, RelationType, str], EntityLink] = {}
    for e in edges:
        held = out.setdefault((e.head, e.type, e.tail), EntityLink(e.head, e.type, e.tail))
        held.evidence.extend(e.evidence)
    return sorted(out.values(), key=lambda e: (e.head, e.type, e.tail))
