"""graph.graphml and graph.gexf as Gephi needs them, re-read by two readers each.

Gephi types a column by its declaration and drops edges whose ids repeat, so
the tests read the raw XML for declared types and ids, and re-read the files
with networkx and igraph (GraphML) to be sure other tools agree on counts.
Nodes carry the positions of the build's layout, and no attribute is empty.
Entity -> entity relations arrive as typed edges of their own, one per
relation of the build, with its count of papers and an evidence sentence.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import igraph
import networkx as nx
import pytest

from kg.export.style import EDGE_COLOURS, NODE_STYLES, RELATION_COLOURS, node_size, rgb
from kg.graph import KnowledgeGraph, relation_id
from kg.records import RelationType
from kg.relate import SIGNATURE

GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"
GEXF = "{http://www.gexf.net/1.2draft}"
VIZ = "{http://www.gexf.net/1.2draft/viz}"
#: GraphML attr.type -> a parser that accepts exactly the values of that type.
GRAPHML_TYPES = {"string": str, "int": int, "long": int, "float": float, "double": float, "boolean": bool}


@pytest.fixture(scope="module")
def graphml_path(seed_build: Path) -> Path:
    return seed_build / "graph.graphml"


@pytest.fixture(scope="module")
def gexf_path(seed_build: Path) -> Path:
    return seed_build / "graph.gexf"


@pytest.fixture(scope="module")
def graphml_tree(graphml_path: Path) -> ET.Element:
    return ET.parse(graphml_path).getroot()


@pytest.fixture(scope="module")
def gexf_tree(gexf_path: Path) -> ET.Element:
    return ET.parse(gexf_path).getroot()


def test_graphml_keys_are_scalar_with_one_type_each(graphml_tree: ET.Element) -> None:
    keys = graphml_tree.findall(f"{GRAPHML}key")
    names = Counter((k.get("for"), k.get("attr.name")) for k in keys)
    assert all(n == 1 for n in names.values()), names
    parsers = {k.get("id"): GRAPHML_TYPES[k.get("attr.type")] for k in keys}
    for data in graphml_tree.iter(f"{GRAPHML}data"):
        parsers[data.get("key")](data.text or "")  # raises if a value does not fit its declared type
    declared = {(k.get("for"), k.get("attr.name")): k.get("attr.type") for k in keys}
    node_keys = {"label": "string", "type": "string", "degree": "long", "size": "double", "color": "string"}
    for name, kind in {**node_keys, "r": "long", "g": "long", "b": "long"}.items():
        assert declared[("node", name)] == kind, name
    for name, kind in [("label", "string"), ("weight", "double"), ("color", "string"), ("relation", "string")]:
        assert declared[("edge", name)] == kind, name


def test_graphml_every_node_and_edge_is_labelled_and_edge_ids_unique(graphml_tree: ET.Element) -> None:
    label_key = {(k.get("for"), k.get("attr.name")): k.get("id") for k in graphml_tree.findall(f"{GRAPHML}key")}
    graph = graphml_tree.find(f"{GRAPHML}graph")
    nodes = graph.findall(f"{GRAPHML}node")
    edges = graph.findall(f"{GRAPHML}edge")
    assert nodes and edges
    for element, kind in [*((n, "node") for n in nodes), *((e, "edge") for e in edges)]:
        labels = [d.text for d in element.findall(f"{GRAPHML}data") if d.get("key") == label_key[(kind, "label")]]
        assert labels and labels[0], f"{kind} {element.get('id')} has no label"
    ids = [e.get("id") for e in edges]
    assert None not in ids
    assert len(set(ids)) == len(ids)


def test_graphml_reads_the_same_in_networkx_and_igraph(graphml_path: Path) -> None:
    nx_graph = nx.read_graphml(graphml_path, force_multigraph=True)
    ig_graph = igraph.Graph.Read_GraphML(str(graphml_path))
    assert ig_graph.is_directed()
    assert (ig_graph.vcount(), ig_graph.ecount()) == (nx_graph.number_of_nodes(), nx_graph.number_of_edges())
    # A node's degree counts its links to papers; relations between entities are edges besides.
    links = ig_graph.subgraph_edges(ig_graph.es.select(relation_in=list(EDGE_COLOURS)), delete_vertices=False)
    assert ig_graph.vs["degree"] == links.degree()
    assert Counter(ig_graph.vs["type"]) == Counter(d["type"] for _, d in nx_graph.nodes(data=True))
    assert sorted(ig_graph.es["relation"]) == sorted(d["relation"] for *_, d in nx_graph.edges(data=True))
    for _, data in nx_graph.nodes(data=True):
        style = NODE_STYLES[data["type"]]
        assert (data["color"], data["r"], data["g"], data["b"]) == (style.colour, *rgb(style.colour))
        assert data["size"] == node_size(data["degree"])
    for *_, data in nx_graph.edges(data=True):
        assert isinstance(data["weight"], float)
        if data["relation"] in EDGE_COLOURS:
            assert data["color"] == EDGE_COLOURS[data["relation"]]
            assert 0 <= data["char_start"] < data["char_end"]
        else:
            assert data["color"] == RELATION_COLOURS[data["relation"]]


def test_relations_between_entities_are_typed_edges_in_both_files(
    graphml_path: Path, gexf_path: Path, seed_kg: KnowledgeGraph
) -> None:
    expected = {relation_id(edge): edge for edge in seed_kg.relations}
    kinds = Counter(edge.type for edge in seed_kg.relations)
    assert {RelationType.EVALUATED_ON, RelationType.USED_FOR, RelationType.BROADER} <= set(kinds), kinds
    graphml = nx.read_graphml(graphml_path, force_multigraph=True)
    ig_graph = igraph.Graph.Read_GraphML(str(graphml_path))
    assert Counter(ig_graph.es["relation"]) == Counter(
        {**Counter(link.relation.value for link in seed_kg.links), **{k.value: n for k, n in kinds.items()}}
    )
    gexf = nx.read_gexf(gexf_path)
    found = {}
    for head, tail, key, data in graphml.edges(keys=True, data=True):
        if data["relation"] in RELATION_COLOURS:
            found[key] = (head, tail, data)
    assert found.keys() == expected.keys()
    for key, (head, tail, data) in found.items():
        edge = expected[key]
        assert (head, tail, data["relation"], data["label"]) == (edge.head, edge.tail, edge.type.value, edge.type.value)
        types = (seed_kg.entity_by_id[head].type, seed_kg.entity_by_id[tail].type)
        assert types == SIGNATURE[edge.type]
        assert data["papers"] == edge.count
        assert data["weight"] == max(edge.count, 1)
        assert data["confidence"] == edge.confidence
        sentences = {e.sentence for e in edge.evidence if e.sentence}
        if sentences:
            assert data["evidence"] in sentences
        else:  # a task under another by its name: no sentence, and none written empty
            assert "evidence" not in data and edge.type is RelationType.BROADER
        assert gexf.edges[head, tail]["weight"] == data["weight"]
        assert gexf.edges[head, tail]["relation"] == data["relation"]
    # Papers with Code's leaderboards in miniature: ImageNet is what many seed methods are evaluated on.
    on_imagenet = [d for h, t, d in found.values() if t == "dataset:imagenet" and d["relation"] == "evaluatedOn"]
    assert len(on_imagenet) >= 3


def test_gexf_is_static_with_typed_attributes_and_unique_edge_ids(gexf_tree: ET.Element) -> None:
    graph = gexf_tree.find(f"{GEXF}graph")
    # The seed pages date papers "Oct 3": no full date, so no timeline (see test_feeds for one with dates).
    assert graph.get("mode") == "static", "start/end attributes would make Gephi treat the graph as dynamic"
    for attributes in graph.findall(f"{GEXF}attributes"):
        titles = [a.get("title") for a in attributes.findall(f"{GEXF}attribute")]
        assert len(titles) == len(set(titles))
        assert not {"start", "end", "r", "g", "b", "size"} & set(titles)
    edges = graph.findall(f"{GEXF}edges/{GEXF}edge")
    ids = [e.get("id") for e in edges]
    assert len(set(ids)) == len(ids)
    assert all(e.get("label") and float(e.get("weight")) > 0 for e in edges)
    for node in graph.findall(f"{GEXF}nodes/{GEXF}node"):
        assert node.get("label")
        colour = node.find(f"{VIZ}color")
        assert colour is not None and node.find(f"{VIZ}size") is not None
        assert 0 <= int(colour.get("r")) <= 255


def test_gexf_and_graphml_hold_the_same_graph(
    gexf_path: Path, graphml_path: Path, gexf_tree: ET.Element, graphml_tree: ET.Element
) -> None:
    gexf_ids = {e.get("id") for e in gexf_tree.iter(f"{GEXF}edge")}
    assert gexf_ids == {e.get("id") for e in graphml_tree.iter(f"{GRAPHML}edge")}, "one edge, one id, both files"
    gexf = nx.read_gexf(gexf_path)
    graphml = nx.read_graphml(graphml_path, force_multigraph=True)
    assert set(gexf.nodes) == set(graphml.nodes)
    assert gexf.number_of_edges() == graphml.number_of_edges()
    for node, data in gexf.nodes(data=True):
        style = NODE_STYLES[data["type"]]
        assert data["label"] == graphml.nodes[node]["label"]
        assert data["degree"] == graphml.nodes[node]["degree"]
        assert data["viz"]["size"] == graphml.nodes[node]["size"]
        assert (data["viz"]["color"]["r"], data["viz"]["color"]["g"], data["viz"]["color"]["b"]) == rgb(style.colour)


def test_nodes_arrive_laid_out_where_the_html_map_draws_them(
    gexf_tree: ET.Element, graphml_path: Path, seed_kg: KnowledgeGraph
) -> None:
    positions = seed_kg.layout.positions
    gexf = {
        node.get("id"): (float(node.find(f"{VIZ}position").get("x")), float(node.find(f"{VIZ}position").get("y")))
        for node in gexf_tree.iter(f"{GEXF}node")
    }
    assert gexf == positions
    graphml = nx.read_graphml(graphml_path, force_multigraph=True)
    assert {n: (d["x"], d["y"]) for n, d in graphml.nodes(data=True)} == positions
    assert {n: d["cluster"] for n, d in graphml.nodes(data=True)} == seed_kg.layout.cluster_of
    # A map, not a dot: the nodes spread over the plane.
    xs = sorted(x for x, _ in positions.values())
    assert xs[len(xs) * 9 // 10] - xs[len(xs) // 10] > 100


def test_missing_values_are_left_out_not_written_empty(graphml_tree: ET.Element, gexf_tree: ET.Element) -> None:
    assert [d for d in graphml_tree.iter(f"{GRAPHML}data") if not d.text] == []
    assert [v for v in gexf_tree.iter(f"{GEXF}attvalue") if v.get("value") == ""] == []
    # Yet the seed pages have papers without an arXiv id and entities without aliases: those values are absent.
    keys = {k.get("attr.name"): k.get("id") for k in graphml_tree.findall(f"{GRAPHML}key") if k.get("for") == "node"}
    nodes = graphml_tree.iter(f"{GRAPHML}node")
    held = Counter(d.get("key") for node in nodes for d in node.findall(f"{GRAPHML}data"))
    total = sum(1 for _ in graphml_tree.iter(f"{GRAPHML}node"))
    assert held[keys["label"]] == held[keys["x"]] == total
    assert held[keys["aliases"]] < total
