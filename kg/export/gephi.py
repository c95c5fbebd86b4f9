"""The graph as Gephi wants it, shared by the GraphML and GEXF writers.

Gephi reads a handful of attribute names itself (``label`` on nodes and
edges, ``weight`` on edges, ``size`` and ``r``/``g``/``b`` on nodes) and keeps
the rest as data columns of the type the file declares. So every node and
edge gets those attributes, every attribute holds one scalar type everywhere
(empty string or zero for "unknown", never None). Edge ids
(:func:`kg.graph.link_id`) are unique across the whole graph, so parallel
edges survive the import.

The character offsets of a link's evidence are renamed ``char_start`` and
``char_end``: GEXF reserves ``start``/``end`` for time intervals, and readers
would treat the whole file as a dynamic graph.

Nodes and edges come straight from the tables, one at a time, so a writer can
stream them to disk: at 10,000 papers a networkx graph of the same content
(and the element tree its writers build) took over a gigabyte.
"""

from __future__ import annotations

from collections.abc import Iterator

from kg.export.style import EDGE_COLOURS, NODE_STYLES, PAPER, node_size, rgb
from kg.export.xmltext import Value
from kg.graph import KnowledgeGraph, link_id, paper_attributes

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
}

#: Every edge attribute and its type, in the order GraphML declares them.
EDGE_ATTRIBUTES: dict[str, type] = {
    "relation": str,
    "label": str,
    "evidence": str,
    "surface": str,
    "extractor": str,
    "confidence": float,
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


def nodes(kg: KnowledgeGraph) -> Iterator[tuple[str, Attributes]]:
    """``(id, attributes)`` for every paper, then every entity."""
    degree = kg.degree
    for p in kg.papers:
        yield (
            p.id,
            {
                "type": PAPER,
                "label": p.title or p.id,
                **paper_attributes(p),
                **_style(PAPER, degree[p.id]),
            },
        )
    for e in kg.entities:
        yield (
            e.id,
            {
                "type": e.type.value,
                "label": e.label or e.id,
                "aliases": "; ".join(e.aliases),
                **_style(e.type.value, degree[e.id]),
            },
        )


def edges(kg: KnowledgeGraph) -> Iterator[tuple[str, str, str, Attributes]]:
    """``(source, target, id, attributes)`` for every link, papers pointing at entities."""
    channels = {relation: rgb(colour) for relation, colour in EDGE_COLOURS.items()}
    for link in kg.links:
        colour = EDGE_COLOURS[link.relation.value]
        r, g, b = channels[link.relation.value]
        yield (
            link.paper_id,
            link.entity_id,
            link_id(link),
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
            },
        )
