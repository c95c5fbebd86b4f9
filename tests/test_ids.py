"""One id per thing: every export names a paper or an entity by the IRI the RDF export gives it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

import kg
from kg.export import ExportOptions, export_all
from kg.graph import KnowledgeGraph
from kg.rdf_vocab import ENTITY_CLASSES, KG, OA
from kg.records import EntityType

#: Every subject the RDF types, with one rdf:type and its label (a paper's title, an entity's prefLabel).
SUBJECTS = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?s ?type ?label WHERE {
  { ?s a ?type ; dcterms:title ?label } UNION { ?s a ?type ; skos:prefLabel ?label }
}
"""
DATA = re.compile(r'<script id="kg-data" type="application/json">(.*?)</script>', re.S)
OTHER_BASE = "https://example.org/kg/"


def iri_by_id(out: Path) -> dict[str, str]:
    """Node id -> IRI, as papers.parquet and entities.parquet give them."""
    tables = [pd.read_parquet(out / f"{name}.parquet") for name in ("papers", "entities")]
    return {row.id: row.iri for table in tables for row in table.itertuples()}


def graph_iris(path: Path) -> dict[str, str]:
    graph = nx.read_gexf(path) if path.suffix == ".gexf" else nx.read_graphml(path, force_multigraph=True)
    return {node: data["iri"] for node, data in graph.nodes(data=True)}


def html_iris(path: Path) -> dict[str, str]:
    match = DATA.search(path.read_text(encoding="utf-8"))
    assert match is not None
    return {node["id"]: node["iri"] for node in json.loads(match[1])["nodes"]}


def test_table_iris_are_the_rdf_subjects_with_their_type_and_label(seed_build: Path) -> None:
    papers = pd.read_parquet(seed_build / "papers.parquet")
    entities = pd.read_parquet(seed_build / "entities.parquet")
    typed = kg.query(seed_build, SUBJECTS).rename(columns={"s": "iri", "label": "rdf_label"})
    types = typed.groupby("iri")["type"].agg(frozenset)
    labels = typed.groupby("iri")["rdf_label"].agg(set)
    for table, label, expected_types in (
        (papers, "title", papers["iri"].map(lambda _: frozenset({KG + "Paper"}))),
        (entities, "label", entities["type"].map(lambda t: frozenset(ENTITY_CLASSES[EntityType(t)]))),
    ):
        assert table["iri"].is_unique and table["iri"].isin(types.index).all(), "every IRI is a subject of graph.ttl"
        assert (table["iri"].map(types) == expected_types).all()
        assert (table["iri"].map(labels) == table[label].map(lambda text: {text})).all()


def test_every_table_row_names_its_papers_and_entities_by_the_same_iri(seed_build: Path) -> None:
    iris = iri_by_id(seed_build)
    mentions = pd.read_parquet(seed_build / "mentions.parquet")
    assert len(mentions)
    assert (mentions["paper_iri"] == mentions["paper_id"].map(iris)).all()
    assert (mentions["entity_iri"] == mentions["entity_id"].map(iris)).all()
    annotations = kg.query(seed_build, f"SELECT ?m ?body WHERE {{ ?m a <{OA}Annotation> ; <{OA}hasBody> ?body }}")
    joined = mentions.merge(annotations, left_on="iri", right_on="m", validate="many_to_one")
    assert len(joined) == len(mentions) and (joined["body"] == joined["entity_iri"]).all()
    results = pd.read_parquet(seed_build / "results.parquet")
    relations = pd.read_parquet(seed_build / "relations.parquet")
    assert len(results) and len(relations)
    for table, pairs in (
        (results, [("dataset_id", "dataset_iri"), ("method_id", "method_iri"), ("paper_id", "paper_iri")]),
        (relations, [("head_id", "head_iri"), ("tail_id", "tail_iri"), ("paper_id", "paper_iri")]),
    ):
        for id_column, iri_column in pairs:
            # An empty id (a result without a method, a relation from a lexicon alone) has an empty IRI.
            assert (table[iri_column] == table[id_column].map({**iris, "": ""})).all(), iri_column
    # The CSV tables hold the same IRIs.
    csv = pd.read_csv(seed_build / "mentions.csv", keep_default_na=False)
    assert csv[["iri", "paper_iri", "entity_iri"]].equals(mentions[["iri", "paper_iri", "entity_iri"]])


@pytest.mark.parametrize("name", ["graph.graphml", "graph.gexf", "graph.html"])
def test_graph_files_carry_the_tables_iri_on_every_node(seed_build: Path, name: str) -> None:
    found = html_iris(seed_build / name) if name.endswith(".html") else graph_iris(seed_build / name)
    iris = iri_by_id(seed_build)
    assert found and found == {node: iris[node] for node in found}
    if not name.endswith(".html"):  # the page may leave out entities of one paper; the Gephi files hold all
        assert found.keys() == iris.keys()


def test_base_iri_moves_the_minted_iris_of_every_export_alike(seed_kg: KnowledgeGraph, tmp_path: Path) -> None:
    names = ["rdf", "parquet", "graphml", "gexf", "html"]
    export_all(seed_kg, tmp_path / "default", ExportOptions(), names)
    export_all(seed_kg, tmp_path / "other", ExportOptions(base_iri=OTHER_BASE), names)
    before, after = iri_by_id(tmp_path / "default"), iri_by_id(tmp_path / "other")
    assert before.keys() == after.keys()
    minted = 0
    for node, iri in before.items():
        if iri.startswith(ExportOptions().base_iri):
            minted += 1
            assert after[node] == OTHER_BASE + iri.removeprefix(ExportOptions().base_iri)
        else:  # an arXiv page or a GitHub repository stays what it is
            assert after[node] == iri
    assert minted > len(before) // 2
    subjects = set(kg.query(tmp_path / "other", SUBJECTS)["s"])
    assert set(after.values()) <= subjects and not set(before.values()) & subjects - set(after.values())
    out = tmp_path / "other"
    assert graph_iris(out / "graph.graphml") == after == graph_iris(out / "graph.gexf")
    assert html_iris(out / "graph.html").items() <= after.items()
