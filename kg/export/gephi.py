"""The graph as Gephi wants it, shared by the GraphML and GEXF writers.

Gephi reads a handful of attribute names itself (``label`` on nodes and
edges, ``weight`` on edges, ``size``, ``r``/``g``/``b`` and ``x``/``y`` on
nodes) and keeps the rest as data columns of the type the file declares. So
every node and edge gets those attributes, and every attribute holds one
scalar type everywhere; a value the record does not have (a paper without
a date, an entity without aliases) is left out, not written empty. Nodes
arrive where the HTML map draws them (:mod:`kg.layout`), with their
``cluster`` for Appearance -> Partition, and with their ``iri``, the one
the RDF export gives them (and the tables' ``iri`` column). Edge ids
(:func:`kg.graph.link_id`) are unique across the whole graph, so parallel
edges survive the import.

Entity -> entity relations (usedFor, evaluatedOn, benchmarkFor, basedOn,
comparedTo, and ``broader`` between tasks) are edges too, after the paper
links, with ids from :func:`kg.graph.relation_id`: ``relation`` names the
type, ``papers`` counts the papers that state it and ``weight`` is that
count (at least 1: a task under another by its name alone, which no paper
states, would otherwise weigh nothing in Gephi's weighted layouts), and
``evidence`` is its most confident sentence (all of them are in
relations.csv). A node's ``degree`` counts its links to papers only.

The character offsets of a link's evidence are renamed ``char_start`` and
``char_end``: GEXF reserves ``start``/``end`` for time intervals, and readers
would treat the whole file as a dynamic graph.

Nodes and edges come straight from the tables, one at a time, so a writer can
stream them to disk: at 10,000 papers a networkx graph of the same content
(and the element tree its writers build) took over a gigabyte. Each paper's
node, each entity's node and each paper's edges is a segment a rebuild can
copy from the previous file (:mod:`kg.export.segments`), and so is each relation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kg.export.segments import segmented
from kg.export.style import EDGE_COLOURS, NODE_STYLES, PAPER, RELATION_COLOURS, node_size, rgb
from kg.export.xmltext import Value
from kg.graph import KnowledgeGraph, _digest, link_id, paper_attributes, relation_id
from kg.iri import Iris
from kg.records import Entity, EntityLink, Link, Paper

if TYPE_CHECKING:
    from kg.export import ExportOptions

#: Every node attribute and its type, in the order GraphML declares them.
NODE_ATTRIBUTES: dict[str, type] = {
    "type": str,
    "label": str,
    "title": str,
    "abstract": str,
    "date": str,
    "arxiv_id": str,
    "url": str,
    "authors": str,
    "source": str,
    "degree": int,
    "size": float,
    "color": str,
    "r": int,
    "g": int,
    "b": int,
    "aliases": str,
    "cluster": int,
    "x": float,
    "y": float,
    "iri": str,
}

#: Every edge attribute and its type, in the order GraphML declares them.
EDGE_ATTRIBUTES: dict[str, type] = {
    "relation": str,
    "label": str,
    "evidence": str,
    "surface": str,
    "extractor": str,
    "confidence": float,
    "papers": int,
    "weight": float,
    "color": str,
    "r": int,
    "g": int,
    "b": int,
    "char_start": int,
    "char_end": int,
}

Attributes = dict[str, Value]
#: Python type -> the type name GraphML's ``attr.type`` and GEXF's ``type`` both use.
TYPE_NAMES = {str: "string", int: "long", float: "double"}


def _style(node_type: str, degree: int) -> Attributes:
    colour = NODE_STYLES[node_type].colour
    r, g, b = rgb(colour)
    return {"degree": degree, "size": node_size(degree), "color": colour, "r": r, "g": g, "b": b}


def _place(kg: KnowledgeGraph, node: str) -> Attributes:
    x, y = kg.layout.positions[node]
    return {"cluster": kg.layout.cluster_of[node], "x": x, "y": y}


def _present(attributes: Attributes) -> Attributes:
    """``attributes`` without the empty strings of values a record does not have."""
    return {name: value for name, value in attributes.items() if value != ""}


def paper_node(kg: KnowledgeGraph, iris: Iris, paper: Paper) -> Attributes:
    return _present(
        {
            "type": PAPER,
            "label": paper.title or paper.id,
            **paper_attributes(paper),
            **_style(PAPER, kg.degree[paper.id]),
            **_place(kg, paper.id),
            "iri": iris.paper(paper),
        }
    )


def entity_node(kg: KnowledgeGraph, iris: Iris, entity: Entity) -> Attributes:
    return _present(
        {
            "type": entity.type.value,
            "label": entity.label or entity.id,
            "aliases": "; ".join(entity.aliases),
            **_style(entity.type.value, kg.degree[entity.id]),
            **_place(kg, entity.id),
            "iri": iris.entity(entity),
        }
    )


def link_edge(link: Link) -> Attributes:
    colour = EDGE_COLOURS[link.relation.value]
    r, g, b = rgb(colour)
    return _present(
        {
            "relation": link.relation.value,
            "label": link.relation.value,
            "evidence": link.sentence,
            "surface": link.surface,
            "extractor": link.extractor,
            "confidence": float(link.confidence),
            "weight": float(link.confidence),
            "color": colour,
            "r": r,
            "g": g,
            "b": b,
            "char_start": int(link.start),
            "char_end": int(link.end),
        }
    )


def relation_edge(edge: EntityLink) -> Attributes:
    colour = RELATION_COLOURS[edge.type.value]
    r, g, b = rgb(colour)
    stated = [e for e in edge.evidence if e.sentence]
    return _present(
        {
            "relation": edge.type.value,
            "label": edge.type.value,
            "evidence": max(stated, key=lambda e: e.confidence).sentence if stated else "",
            "extractor": "; ".join(sorted({e.extractor for e in edge.evidence})),
            "confidence": float(edge.confidence),
            "papers": edge.count,
            "weight": float(max(edge.count, 1)),
            "color": colour,
            "r": r,
            "g": g,
            "b": b,
        }
    )


@dataclass(frozen=True)
class Syntax:
    """What a Gephi format writes around and for each element."""

    #: Everything before the first node, and after the last edge.
    header: str
    footer: str
    #: Between the last node and the first edge.
    between: str
    #: ``node(id, attributes)`` and ``edge(source, target, id, attributes)``: the XML of one element.
    node: Callable[[str, Attributes], str]
    edge: Callable[[str, str, str, Attributes], str]


def write_file(kg: KnowledgeGraph, dest: Path, options: ExportOptions, syntax: Syntax) -> list[Path]:
    """Every paper node, every entity node, every paper's edges, then every relation, as ``dest``.

    Each paper's node, each entity's node, each paper's edges and each
    relation is one segment, so a rebuild renders only what changed
    (:mod:`kg.export.segments`). A node's key holds its place on the map
    too: new papers move the layout. A relation's key is a digest of what
    it renders, worked out from the edge alone (no entity label shows).
    A node's ``iri`` (the RDF export's) depends on the base IRI, part of the context.
    """
    layout = kg.layout
    iris = options.iris

    def place(node: str) -> str:
        return f"{layout.positions[node]} {layout.cluster_of[node]}"

    def paper_xml(paper: Paper) -> bytes:
        return syntax.node(paper.id, paper_node(kg, iris, paper)).encode()

    def entity_xml(entity: Entity) -> bytes:
        return syntax.node(entity.id, entity_node(kg, iris, entity)).encode()

    def edges_xml(paper_id: str) -> bytes:
        return "".join(
            syntax.edge(link.paper_id, link.entity_id, link_id(link), link_edge(link)) for link in kg.links_of(paper_id)
        ).encode()

    def relation_xml(edge: EntityLink, data: Attributes) -> bytes:
        return syntax.edge(edge.head, edge.tail, relation_id(edge), data).encode()

    with segmented(dest, f"{dest.suffix};base={iris.base}", options.cache_dir) as out:
        out.write(syntax.header.encode())
        for paper in kg.papers:
            out.segment(f"node {kg.paper_keys[paper.id]} {place(paper.id)}", paper_xml, paper)
        for entity in kg.entities:
            out.segment(f"node {kg.entity_keys[entity.id]} {place(entity.id)}", entity_xml, entity)
        out.write(syntax.between.encode())
        for paper in kg.papers:
            out.segment(f"edges {kg.paper_keys[paper.id]}", edges_xml, paper.id)
        for edge in kg.relations:
            data = relation_edge(edge)
            out.segment(f"relation {_digest(relation_id(edge), list(data.items()))}", relation_xml, edge, data)
        out.write(syntax.footer.encode())
    return [dest]
