"""Methods, datasets, tasks and concepts extracted from real seed abstracts."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from kg.extract.summary import paper_summaries
from kg.ingest import read_inputs
from kg.pipeline import ExtractOptions, extract_mentions
from kg.problems import Problems
from kg.records import EntityType, Mention, Paper, Relation
from kg.resolve import fold

OPTIONS = ExtractOptions(jobs=1, progress=False)


@pytest.fixture(scope="module")
def seed_papers(seeds_dir: Path) -> dict[str, Paper]:
    return {p.title: p for p in read_inputs([seeds_dir], Problems(stream=None))}


def paper_titled(papers: dict[str, Paper], start: str) -> Paper:
    (paper,) = [p for title, p in papers.items() if title.startswith(start)]
    return paper


def mentions_of(paper: Paper) -> list[Mention]:
    [(_, mentions)] = list(extract_mentions([paper], OPTIONS))
    return mentions


def summary_of(paper: Paper) -> dict:
    [line] = list(paper_summaries(extract_mentions([paper], OPTIONS)))
    return json.loads(line)


def test_title_name_is_the_proposed_method(seed_papers: dict[str, Paper]) -> None:
    paper = paper_titled(seed_papers, "UncAD: Towards Safe End-to-end Autonomous Driving")
    mentions = mentions_of(paper)
    uncad = [m for m in mentions if m.text == "UncAD"]
    assert uncad and all(m.type is EntityType.METHOD and m.relation is Relation.PROPOSES for m in uncad)
    assert {m.text for m in mentions if m.relation is Relation.EVALUATES_ON} == {"nuScenes"}
    # The abstract's more specific "end-to-end autonomous driving" is the task it names.
    assert any(fold(m.text).endswith(fold("autonomous driving")) for m in mentions if m.type is EntityType.TASK)


def test_named_contribution_is_proposed(seed_papers: dict[str, Paper]) -> None:
    record = summary_of(paper_titled(seed_papers, "How to choose your best allies for a transferable attack?"))
    assert record["proposed"] == ["FiT"]


def test_acronym_definition_gives_one_labelled_method(seed_papers: dict[str, Paper]) -> None:
    record = summary_of(paper_titled(seed_papers, "Towards Deeper Graph Neural Networks"))
    assert record["proposed"] == ["Deep Adaptive Graph Neural Network (DAGNN)"]
    assert record["methods"].count("Deep Adaptive Graph Neural Network (DAGNN)") == 1


def test_dataset_list_spreads_to_unlisted_names(seed_papers: dict[str, Paper]) -> None:
    # "iNAT-mini" is in no list: it is a dataset because it ends "Places-365, five EMNIST datasets, and".
    record = summary_of(paper_titled(seed_papers, "WaveMix: A Resource-efficient Neural Network"))
    assert set(record["datasets"]) == {"Cityscapes", "Places-365", "EMNIST", "iNAT-mini"}
    assert "WaveMix" in record["proposed"]
    assert "iNAT-mini" not in record["methods"]


def test_benchmark_named_after_its_cue_is_a_dataset(seed_papers: dict[str, Paper]) -> None:
    record = summary_of(paper_titled(seed_papers, "Wider and Deeper LLM Networks are Fairer LLM Evaluators"))
    assert record["datasets"] == ["LLMEval^2"]


def test_generic_phrases_are_never_entities(seed_build: Path) -> None:
    entities = pd.read_csv(seed_build / "entities.csv", keep_default_na=False)
    labels = {fold(label) for label in entities["label"]}
    for phrase in ["real-world datasets", "this paper", "results", "experiments", "approach", "our method"]:
        assert fold(phrase) not in labels, phrase


def test_acronym_merges_across_papers(seed_build: Path) -> None:
    entities = pd.read_csv(seed_build / "entities.csv", keep_default_na=False)
    darts = entities[entities["aliases"].str.split("; ").apply(lambda a: "DARTS" in a)]
    assert len(darts) == 1, "DARTS and its expansion are one entity"
    row = darts.iloc[0]
    assert row["type"] == "Method"
    assert row["label"].lower() == "differentiable architecture search (darts)"
    assert row["papers"] >= 3


def test_every_link_keeps_its_evidence(seed_build: Path, seed_papers: dict[str, Paper]) -> None:
    mentions = pd.read_parquet(seed_build / "mentions.parquet")  # the exact text (the CSV neutralises formulas)
    text_of = {p.id: p.text for p in seed_papers.values()}
    scientific = mentions[mentions["entity_type"].isin(["Method", "Dataset", "Task", "Concept"])]
    assert len(scientific) > 1000
    for row in scientific.itertuples():
        assert text_of[row.paper_id][row.start : row.end] == row.surface
        assert row.surface in row.sentence
        assert "\n\n" not in row.sentence, "evidence never runs the title into the abstract"
        assert row.extractor.split(":")[0] in {"methods", "datasets", "tasks", "concepts"}
        assert 0.0 < float(row.confidence) <= 1.0


def test_each_paper_has_a_few_concepts(seed_build: Path) -> None:
    mentions = pd.read_csv(seed_build / "mentions.csv", keep_default_na=False)
    per_paper = mentions[mentions["extractor"] == "concepts"].groupby("paper_id").size()
    assert per_paper.max() <= 8
    assert per_paper.median() >= 5


def test_an_acronym_glued_to_a_suffix_gives_no_broken_name(seed_papers: dict[str, Paper]) -> None:
    # "a new Graph Neural Network (GNN)-based approach": the tokenizer reads "GNN)-based" as one token.
    record = summary_of(paper_titled(seed_papers, "Representation Learning in Continuous-Time Dynamic Signed Networks"))
    names = [n for key in ("methods", "datasets", "tasks", "concepts", "proposed") for n in record[key]]
    assert not [n for n in names if ")-" in n or n.count("(") != n.count(")")]


def test_the_method_a_paper_proposes_by_its_kind_is_a_method(seed_papers: dict[str, Paper]) -> None:
    # "In this paper we propose the triplet network model, which aims to learn useful representations"
    record = summary_of(paper_titled(seed_papers, "Deep metric learning using Triplet network"))
    assert "triplet network" in [p.lower() for p in record["proposed"]]
