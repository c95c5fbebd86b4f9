"""Entity resolution: one entity per real-world thing, typed by evidence, with stable ids."""

from __future__ import annotations

import gc
import random

from kg.records import EntityType, Mention, Relation
from kg.resolve import fold, resolve


def mention(paper: str, text: str, kind: EntityType = EntityType.METHOD, long_form: str | None = None) -> Mention:
    relation = {
        EntityType.METHOD: Relation.USES,
        EntityType.DATASET: Relation.EVALUATES_ON,
        EntityType.CONCEPT: Relation.ABOUT,
    }[kind]
    return Mention(paper, text, kind, relation, 0, len(text), f"... {text} ...", "test", 0.9, long_form)


def test_variants_fold_together() -> None:
    assert fold("Graph-Neural Networks") == fold("graph neural network") == fold("GRAPH NEURAL NETWORKS")
    assert fold("ﬁne-tuning") == fold("fine tuning")  # Unicode ligature from a PDF


def test_acronym_defined_in_one_paper_merges_its_use_in_another() -> None:
    mentions = [
        mention("p1", "Differentiable Architecture Search"),
        mention("p1", "DARTS", long_form="Differentiable Architecture Search"),
        mention("p2", "DARTS"),
        mention("p3", "differentiable architecture search"),
    ]
    entities, links = resolve(mentions)
    assert len(entities) == 1
    (entity,) = entities
    assert entity.label == "Differentiable Architecture Search (DARTS)"
    assert {"DARTS", "Differentiable Architecture Search", "differentiable architecture search"} <= set(entity.aliases)
    assert entity.label not in entity.aliases
    assert {link.paper_id for link in links} == {"p1", "p2", "p3"}


def test_type_follows_the_weight_of_evidence_not_the_order() -> None:
    mentions = [
        mention("p1", "Cora", EntityType.METHOD),
        mention("p2", "Cora", EntityType.DATASET),
        mention("p3", "Cora", EntityType.DATASET),
    ]
    for order in (mentions, mentions[::-1]):
        (entity,), links = resolve(order)
        assert entity.type is EntityType.DATASET
        assert {link.relation for link in links} == {Relation.EVALUATES_ON}


def test_ids_do_not_depend_on_input_order() -> None:
    mentions = [
        mention("p1", "GCN", long_form="graph convolutional network"),
        mention("p2", "GCNs"),
        mention("p2", "ImageNet", EntityType.DATASET),
        mention("p3", "graph neural networks", EntityType.CONCEPT),
    ]
    first = resolve(mentions)
    shuffled = mentions[:]
    random.Random(7).shuffle(shuffled)
    second = resolve(shuffled)
    assert first == second
    assert sorted(e.id for e in first[0]) == [
        "concept:graphneuralnetwork",
        "dataset:imagenet",
        "method:graphconvolutionalnetwork",
    ]


def test_proposes_replaces_uses_for_the_same_paper() -> None:
    own = Mention("p1", "UncAD", EntityType.METHOD, Relation.PROPOSES, 0, 5, "UncAD ...", "methods:title", 0.95)
    _, links = resolve([own, mention("p1", "UncAD")])
    assert [link.relation for link in links] == [Relation.PROPOSES]


def test_link_evidence_is_the_earliest_then_most_confident_then_first_given() -> None:
    def at(start: int, confidence: float, extractor: str) -> Mention:
        return Mention("p1", "GCN", EntityType.METHOD, Relation.USES, start, start + 3, "...", extractor, confidence)

    mentions = [at(40, 0.99, "late"), at(10, 0.5, "weak"), at(10, 0.9, "strong"), at(10, 0.9, "tied")]
    (link,) = resolve(mentions)[1]
    assert (link.start, link.extractor) == (10, "strong")
    (link,) = resolve(mentions[::-1])[1]
    assert (link.start, link.extractor) == (10, "tied")


def test_garbage_collector_is_left_as_it_was_found() -> None:
    mentions = [mention("p1", "GCN")]
    resolve(mentions)
    assert gc.isenabled()
    gc.disable()
    try:
        resolve(mentions)
        assert not gc.isenabled()
    finally:
        gc.enable()
