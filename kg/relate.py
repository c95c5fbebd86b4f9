"""Relations and results resolved to entities: the same pair said by many papers is one edge.

Each end of an extracted relation is the span of a mention, so it becomes the
entity that mention resolved to (see ``spans`` in :func:`kg.resolve.resolve`).
An end whose entity was finally typed otherwise than the relation allows
("evaluatedOn" a name the corpus reads as a method) is dropped: the
relation's cue was read for the other type. Task hierarchy edges
(:mod:`kg.hierarchy`) join the same list.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from itertools import groupby
from typing import TYPE_CHECKING

from kg.records import Entity, EntityLink, EntityRelation, EntityType, Evidence, RelationType, Result

if TYPE_CHECKING:
    from kg.resolve import Spans

#: The types each relation joins, head first.
SIGNATURE: dict[RelationType, tuple[EntityType, EntityType]] = {
    RelationType.USED_FOR: (EntityType.METHOD, EntityType.TASK),
    RelationType.EVALUATED_ON: (EntityType.METHOD, EntityType.DATASET),
    RelationType.BENCHMARK_FOR: (EntityType.DATASET, EntityType.TASK),
    RelationType.BASED_ON: (EntityType.METHOD, EntityType.METHOD),
    RelationType.COMPARED_TO: (EntityType.METHOD, EntityType.METHOD),
    RelationType.BROADER: (EntityType.TASK, EntityType.TASK),
}


def entity_links(relations: Iterable[EntityRelation], spans: Spans, entities: Mapping[str, Entity]) -> list[EntityLink]:
    """One :class:`EntityLink` per (head, type, tail), its evidence in paper order, sorted for stable output."""
    edges: dict[tuple[str, RelationType, str], EntityLink] = {}
    for r in relations:
        head_type, tail_type = SIGNATURE[r.type]
        head = spans.get((r.paper_id, r.head_start, head_type))
        tail = spans.get((r.paper_id, r.tail_start, tail_type))
        if head is None or tail is None or head == tail:
            continue
        if (entities[head].type, entities[tail].type) != (head_type, tail_type):
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
        dataset = spans.get((r.paper_id, r.dataset_start, EntityType.DATASET))
        if dataset is None or entities[dataset].type is not EntityType.DATASET:
            continue
        method = spans.get((r.paper_id, r.method_start, EntityType.METHOD), "")
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


#: Metrics where a lower number is better (ontology/queries/dataset_leaderboard.rq says the same).
LOWER_IS_BETTER = re.compile(r"error|loss|perplexity|FID|FVD|KID|LPIPS|MAE|MSE|WER|CER|EER|FPR|distance|bits", re.I)


def leaderboard(results: Iterable[Result]) -> Iterator[tuple[int, Result]]:
    """Each dataset's results by metric, best first, each with its rank under its metric.

    Absolute scores are ranked (1 is best); gains, which are differences, follow
    their metric's scores unranked (rank 0).
    """

    def order(r: Result) -> tuple[str, str, bool, float]:
        best_first = r.value if LOWER_IS_BETTER.search(r.metric) else -r.value
        return r.dataset_id, r.metric.lower(), r.kind != "absolute", best_first

    ranked = sorted(results, key=lambda r: (*order(r), r.paper_id, r.start))
    for _, group in groupby(ranked, key=lambda r: (r.dataset_id, r.metric.lower())):
        rank = 0
        for r in group:
            rank += r.kind == "absolute"
            yield (rank if r.kind == "absolute" else 0), r
