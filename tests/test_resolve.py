"""Entity resolution: one entity per real-world thing, typed by evidence, with stable ids."""

from __future__ import annotations

import gc
import random
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from kg.engines.table import to_table
from kg.pipeline import ExtractOptions, all_mentions, extract_mentions
from kg.records import Entity, EntityType, Link, Mention, Paper, Relation
from kg.resolve import Spans, fold, resolve

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph


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
    # LaTeX accents as arXiv abstracts keep them, beside the same name typed in Unicode
    assert fold("Poincar\\'e ResNet") == fold("Poincaré ResNet")
    assert fold('G\\"{o}del machines') == fold("Gödel machine")


def test_a_latex_accent_is_shown_as_its_letter_and_kept_as_an_alias() -> None:
    entities, _ = resolve([mention("p1", "Poincar\\'e ResNet"), mention("p1", "Poincar\\'e ResNet")])
    assert [(e.label, e.aliases) for e in entities] == [("Poincaré ResNet", ["Poincar\\'e ResNet"])]


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


# Resolution that never merges two different things: the failure cases of issue 16, on real sentences.

ABSTRACTS = {
    "xgboost": (
        "XGBoost: A Scalable Tree Boosting System",
        "Tree boosting is a highly effective and widely used machine learning method. In this paper, we propose"
        " eXtreme Gradient Boosting (XGBoost), a scalable end-to-end tree boosting system, which is used widely"
        " by data scientists to achieve state-of-the-art results on many machine learning challenges.",
    ),
    "fit-time": (
        "Multi-resolution Networks For Flexible Irregular Time Series Modeling",
        "Missing values and irregularly collected samples commonly occur in multivariate time series data. We"
        " propose a unified model named Flexible Irregular Time series network (FIT). The FIT network creates an"
        " informative dense representation at each time step using signal information such as last observed value.",
    ),
    "fit-transfer": (
        "Measuring transferability of adversarial examples",
        "The transferability of adversarial examples is a key issue in the security of deep neural networks. To"
        " address this issue, we propose a new selection mechanism, called Fast Inference of Transferability (FIT),"
        " which aims at choosing the best source model with only a few preliminary queries to the target. Our"
        " experimental results show that FIT is highly effective at selecting the best source model.",
    ),
    "fit-bare": (
        "A benchmark of irregular time series models",
        "We compare GRU-D, SeFT and FIT on three clinical prediction tasks. Gaussian processes remain a strong"
        " baseline, and a Gaussian process with a learned kernel is the best model on two of them.",
    ),
}


@pytest.fixture(scope="module")
def abstracts_kg() -> tuple[list[Entity], list[Link]]:
    papers = [Paper(key, title, abstract) for key, (title, abstract) in ABSTRACTS.items()]
    return resolve(all_mentions(extract_mentions(papers, ExtractOptions(jobs=1, progress=False))))


def entities_named(resolved: tuple[list[Entity], list[Link]], name: str) -> dict[str, set[str]]:
    """Label -> papers linked, of every entity that ``name`` is the label or an alias of."""
    entities, links = resolved
    return {
        e.label: {link.paper_id for link in links if link.entity_id == e.id}
        for e in entities
        if name == e.label or name in e.aliases
    }


def test_long_form_with_letters_inside_words_and_its_acronym_are_one_method(abstracts_kg) -> None:
    assert entities_named(abstracts_kg, "XGBoost") == {"eXtreme Gradient Boosting (XGBoost)": {"xgboost"}}
    assert entities_named(abstracts_kg, "eXtreme Gradient Boosting") == entities_named(abstracts_kg, "XGBoost")


def test_one_acronym_defined_differently_in_two_papers_is_two_entities(abstracts_kg) -> None:
    # A third paper that uses FIT without defining it has no usual reading to join (one paper each).
    assert entities_named(abstracts_kg, "FIT") == {
        "Flexible Irregular Time series network (FIT)": {"fit-time"},
        "Fast Inference of Transferability (FIT)": {"fit-transfer"},
        "FIT": {"fit-bare"},
    }


def test_plural_is_one_entity_with_its_singular(abstracts_kg) -> None:
    assert entities_named(abstracts_kg, "Gaussian processes") == {"Gaussian process": {"fit-bare"}}


def test_bare_uses_follow_the_definition_most_papers_give() -> None:
    mentions = [
        mention("p1", "FIT", long_form="Flexible Irregular Time series network"),
        mention("p2", "FIT", long_form="Flexible Irregular Time series networks"),
        mention("p3", "FIT", long_form="Fast Inference of Transferability"),
        mention("p3", "FIT"),  # its own definition wins over the usual one
        mention("p4", "FIT"),
    ]
    entities, links = resolve(mentions)
    papers = {e.label: sorted(link.paper_id for link in links if link.entity_id == e.id) for e in entities}
    assert papers == {
        "Flexible Irregular Time series network (FIT)": ["p1", "p2", "p4"],
        "Fast Inference of Transferability (FIT)": ["p3"],
    }


def test_acronyms_spelled_with_other_capitals_stay_apart_from_a_coined_name() -> None:
    """The seed pages' FiT, FITS and the FIT of Multi-FIT: three methods of three papers."""
    coined = Mention("p1", "FiT", EntityType.METHOD, Relation.PROPOSES, 0, 3, "called FiT", "methods:shape", 0.9)
    mentions = [coined, mention("p2", "FIT"), mention("p3", "FITS"), mention("p4", "fit", EntityType.CONCEPT)]
    entities, _ = resolve(mentions)
    assert sorted(e.label for e in entities) == ["FIT", "FITS", "FiT", "fit"]


def test_case_variants_without_a_coined_spelling_are_one_name() -> None:
    mentions = [
        mention("p1", "BERT", long_form="Bidirectional Encoder Representations from Transformers"),
        mention("p2", "Bert"),
        mention("p3", "GoogLeNet"),
        mention("p4", "GoogleNet"),
        mention("p5", "dasNet"),
        Mention("p5", "DasNet", EntityType.METHOD, Relation.PROPOSES, 0, 6, "DasNet ...", "methods:shape", 0.9),
    ]
    entities, _ = resolve(mentions)
    assert sorted(e.label for e in entities) == [
        "Bidirectional Encoder Representations from Transformers (BERT)",
        "DasNet",
        "GoogLeNet",
    ]


def test_variant_long_forms_of_one_acronym_are_one_sense() -> None:
    mentions = [
        mention("p1", "GCN", long_form="graph convolutional network"),
        mention("p2", "GCNs", long_form="Graph Convolution Networks"),
        mention("p3", "GCN"),
    ]
    entities, _ = resolve(mentions)
    assert [e.id for e in entities] == ["method:graphconvolutionalnetwork"]


@pytest.mark.parametrize(
    "plural,singular",
    [
        ("Gaussian processes", "Gaussian process"),
        ("analyses", "analysis"),
        ("classes", "class"),
        ("losses", "loss"),
        ("indices", "index"),
        ("hypotheses", "hypothesis"),
        ("anchor boxes", "anchor box"),
        ("policies", "policy"),
        ("patches", "patch"),
        ("WikiMovies", "WikiMovie"),
        ("ResNets", "ResNet"),
        ("GCNs", "GCN"),
        ("GRAPH NEURAL NETWORKS", "graph neural network"),
    ],
)
def test_plurals_fold_by_english_rules(plural: str, singular: str) -> None:
    assert fold(plural) == fold(singular)


@pytest.mark.parametrize("word", ["series", "species", "bias", "k-means", "analysis", "corpus", "FITS", "ProxylessNAS"])
def test_words_ending_in_s_that_are_not_plurals_keep_it(word: str) -> None:
    assert fold(word) == word.replace("-", "").lower()


def test_seed_pages_keep_fit_fits_and_multi_fit_apart(seed_kg: KnowledgeGraph) -> None:
    labels = {e.label for e in seed_kg.entities if e.type is EntityType.METHOD}
    assert {"FiT", "FITS", "FIT"} <= labels
    assert not any({"FiT", "FITS", "FIT"} & set(e.aliases) for e in seed_kg.entities)
    (gaussian,) = [e for e in seed_kg.entities if "Gaussian processes" in [e.label, *e.aliases]]
    assert "Gaussian process" in [gaussian.label, *gaussian.aliases]


def test_the_label_writes_the_acronym_as_the_definition_does() -> None:
    long = "convolutional neural networks"
    mentions = [
        Mention("p1", "CNNs", EntityType.METHOD, Relation.USES, 40, 44, "... (CNNs) ...", "test", 0.9, long),
        *(
            Mention("p1", "CNN", EntityType.METHOD, Relation.USES, s, s + 3, "... CNN ...", "test", 0.9, long)
            for s in (90, 120)
        ),
    ]
    (entity,), _ = resolve(mentions)
    assert entity.label == "convolutional neural networks (CNNs)"


def test_the_label_is_singular_when_any_paper_writes_it_so() -> None:
    plural = [mention(f"p{k}", "Transformers") for k in range(3)]
    (entity,), _ = resolve([*plural, mention("p9", "Transformer")])
    assert (entity.label, entity.aliases) == ("Transformer", ["Transformers"])
    (only,), _ = resolve(plural)
    assert only.label == "Transformers"  # never written in the singular: kept as written
    long = "Multi-Layer Perceptrons"
    defined = [mention("p1", "MLPs", long_form=long), mention("p2", "MLPs", long_form="Multi-Layer Perceptron")]
    (mlp,), _ = resolve([*defined, mention("p3", "MLP"), mention("p4", "MLPs", long_form=long)])
    assert mlp.label == "Multi-Layer Perceptron (MLP)"  # the acronym agrees with its long form


def test_the_mention_table_resolves_as_the_records_it_holds() -> None:
    mentions = [
        mention("p1", "GCN", long_form="graph convolutional network"),
        mention("p2", "GCNs"),
        mention("p2", "Cora", EntityType.DATASET),
        Mention("p3", "owner/Repo", EntityType.REPOSITORY, Relation.HAS_CODE, 0, 10, "github", "links"),
    ]
    spans, from_table = Spans(), Spans()
    entities, _ = resolved = resolve(mentions, None, spans)
    assert resolve(to_table(mentions), None, from_table) == resolved
    ids = {e.id for e in entities}
    for m in mentions:
        key = (m.paper_id, m.start, m.type)
        assert from_table.get(key) == spans.get(key) in ids
    assert resolve([]) == resolve(to_table([])) == ([], [])


def test_spans_find_the_entity_of_each_mention_and_nothing_else() -> None:
    mentions = [
        mention("p1", "GCN", long_form="graph convolutional network"),
        Mention("p1", "GCN search", EntityType.CONCEPT, Relation.ABOUT, 0, 10, "...", "test"),
        Mention("p2", "GCN", EntityType.METHOD, Relation.USES, 7, 10, "...", "test"),
    ]
    spans = Spans()
    resolve(mentions, None, spans)
    assert spans.get(("p1", 0, EntityType.METHOD)) == "method:graphconvolutionalnetwork"
    assert spans.get(("p1", 0, EntityType.CONCEPT)) == "concept:gcnsearch"
    assert spans.get(("p2", 7, EntityType.METHOD)) == "method:graphconvolutionalnetwork"
    missing = [
        ("p2", 0, EntityType.METHOD),
        ("p1", -1, EntityType.METHOD),
        ("p1", 11, EntityType.METHOD),
        ("p3", 0, EntityType.METHOD),
    ]
    assert [spans.get(key, "") for key in missing] == ["", "", "", ""]
    assert Spans().get(("p1", 0, EntityType.METHOD)) is None


def test_a_build_resolves_and_exports_the_seed_pages_as_their_records_do(
    seeds_dir: Path, seed_build: Path, seed_results: list[tuple[Paper, list[Mention]]], tmp_path: Path
) -> None:
    """`kg build` decodes its cache into the mention table; records of the same mentions give the same files.

    The records go the way `kg extract` and the Python API take them
    (:func:`all_mentions`, then a table made of the records); the build's
    table never held a record, and sorts cached papers' rows and their
    source links into input order.
    """
    from kg.api import knowledge_graph
    from kg.cache import ExtractionCache
    from kg.export import ExportOptions, export_all
    from kg.pipeline import cache_scope, mention_table, model_name

    papers = [paper for paper, _ in seed_results]
    options = ExtractOptions(jobs=1, progress=False)
    with ExtractionCache.in_folder(seed_build, cache_scope(options)) as cache:
        table = mention_table(papers, options, cache)
        assert cache.misses == 0
    model = model_name(options)
    from_records = knowledge_graph(papers, all_mentions(seed_results), model=model)
    from_table = knowledge_graph(papers, table, model=model)
    for records in ("entities", "links", "relations", "results"):
        assert repr(getattr(from_table, records)) == repr(getattr(from_records, records)), records
    written = export_all(from_records, tmp_path, ExportOptions(jobs=1))
    assert written
    for path in written:
        assert path.read_bytes() == (seed_build / path.name).read_bytes(), path.name
