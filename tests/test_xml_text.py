"""GraphML and GEXF are written by hand, so hostile text must still give valid XML.

Titles, abstracts and evidence come from the web: quotes, ampersands, markup,
carriage returns and control characters XML 1.0 forbids. Every reader must
parse the files and get the text back, minus only the forbidden characters.
"""

from __future__ import annotations

from pathlib import Path

import igraph
import networkx as nx
import pytest

from kg.export import ExportOptions, get_exporter
from kg.graph import KnowledgeGraph
from kg.records import Entity, EntityType, Link, Paper, Relation

HOSTILE = "A \x01title\x0b with \"quotes\" & 'apos' </data><tag> \r\n\tend \ud800\uffff 😀"
#: What a reader gets back: everything but the characters XML 1.0 cannot hold.
CLEAN = "A title with \"quotes\" & 'apos' </data><tag> \r\n\tend  😀"
PAPER_ID = 'paper:"a"&<b>'
RELATIONS = (Relation.PROPOSES, Relation.USES)
EDGE_IDS = sorted(f"{PAPER_ID}|{relation}|method:x" for relation in RELATIONS)


def hostile_kg() -> KnowledgeGraph:
    paper = Paper(id=PAPER_ID, title=HOSTILE, abstract=HOSTILE, authors=["Ann\x02", "Bo"])
    entity = Entity(id="method:x", type=EntityType.METHOD, label=HOSTILE, aliases=[HOSTILE])
    # Two links between the same nodes: parallel edges must keep distinct ids.
    links = [Link(PAPER_ID, entity.id, relation, HOSTILE, 0, 5, "test", 0.5, HOSTILE) for relation in RELATIONS]
    return KnowledgeGraph([paper], [entity], links)


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("hostile")
    for name in ("graphml", "gexf"):
        get_exporter(name)(hostile_kg(), out, ExportOptions())
    return out


def test_graphml_round_trips_hostile_text(written: Path) -> None:
    graph = nx.read_graphml(written / "graph.graphml", force_multigraph=True)
    paper = graph.nodes[PAPER_ID]
    assert (paper["title"], paper["abstract"], paper["label"]) == (CLEAN, CLEAN, CLEAN)
    assert paper["authors"] == "Ann; Bo"
    assert graph.nodes["method:x"]["aliases"] == CLEAN
    edges = list(graph.edges(keys=True, data=True))
    assert sorted(key for _, _, key, _ in edges) == EDGE_IDS
    assert all(data["evidence"] == CLEAN and data["surface"] == CLEAN for *_, data in edges)
    assert graph.nodes[PAPER_ID]["degree"] == 2
    ig_graph = igraph.Graph.Read_GraphML(str(written / "graph.graphml"))
    assert (ig_graph.vcount(), ig_graph.ecount()) == (2, 2)


def test_gexf_round_trips_hostile_text(written: Path) -> None:
    graph = nx.read_gexf(written / "graph.gexf")
    assert graph.nodes[PAPER_ID]["label"] == CLEAN
    assert graph.nodes[PAPER_ID]["abstract"] == CLEAN
    assert graph.nodes["method:x"]["aliases"] == CLEAN
    edges = list(graph.edges(keys=True, data=True))
    assert sorted(key for _, _, key, _ in edges) == EDGE_IDS
    assert all(data["evidence"] == CLEAN and data["weight"] == 0.5 for *_, data in edges)
