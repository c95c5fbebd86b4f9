"""kg.layout: one map per graph, clusters named by what is specific to them."""

from __future__ import annotations

import math

from kg.graph import KnowledgeGraph
from kg.layout import OTHER, compute, core_entities
from kg.records import Entity, EntityType, Link, Paper, Relation


def test_the_same_tables_give_the_same_map(seed_kg: KnowledgeGraph) -> None:
    again = KnowledgeGraph(seed_kg.papers, seed_kg.entities, seed_kg.links)
    assert compute(again) == seed_kg.layout
    assert set(seed_kg.layout.positions) == {p.id for p in seed_kg.papers} | {e.id for e in seed_kg.entities}


def test_clusters_are_compact_and_apart(seed_kg: KnowledgeGraph) -> None:
    """Each cluster's papers lie nearer their own centre than the clusters' centres lie to each other."""
    layout = seed_kg.layout
    named = [c for c in layout.clusters if c.id != OTHER]
    assert len(named) >= 5
    spread = {}
    for cluster in named:
        papers = [p.id for p in seed_kg.papers if layout.cluster_of[p.id] == cluster.id]
        assert len(papers) == cluster.papers
        spread[cluster.id] = max(math.dist(layout.positions[p], (cluster.x, cluster.y)) for p in papers)
    for a in named:
        nearest = min(math.dist((a.x, a.y), (b.x, b.y)) for b in named if b is not a)
        assert nearest > 0.5 * spread[a.id], a.terms


def test_a_cluster_is_named_by_entities_its_papers_share(seed_kg: KnowledgeGraph) -> None:
    layout = seed_kg.layout
    by_label = {e.label: e.id for e in seed_kg.entities}
    core = core_entities(seed_kg)
    for cluster in layout.clusters:
        if cluster.id == OTHER:
            assert cluster.terms == []
            continue
        assert 1 <= len(cluster.terms) <= 3
        for term in cluster.terms:
            entity = by_label[term]
            assert entity in core
            inside = {p for p in seed_kg.papers_by_entity[entity] if layout.cluster_of[p] == cluster.id}
            assert len(inside) >= 2, (cluster.terms, term)


def test_specific_entities_name_a_cluster_before_common_ones() -> None:
    """Two groups of three papers; "learning" is in every paper, so neither group is named by it."""
    papers = [Paper(id=f"paper:{i}", title=f"P{i}", abstract="") for i in range(6)]
    entities = [
        Entity(id="concept:learning", type=EntityType.CONCEPT, label="learning"),
        Entity(id="dataset:coco", type=EntityType.DATASET, label="COCO"),
        Entity(id="task:parsing", type=EntityType.TASK, label="parsing"),
    ]

    def link(paper: int, entity: str) -> Link:
        return Link(f"paper:{paper}", entity, Relation.ABOUT, "", 0, 1, "test", 1.0, "")

    links = [link(i, "concept:learning") for i in range(6)]
    links += [link(i, "dataset:coco") for i in range(3)] + [link(i, "task:parsing") for i in range(3, 6)]
    layout = compute(KnowledgeGraph(papers, entities, links))
    assert sorted(c.terms for c in layout.clusters) == [["COCO"], ["parsing"]]
