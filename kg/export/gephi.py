"""The graph as Gephi wants it, shared by the GraphML and GEXF writers.

Gephi reads a handful of attribute names itself (``label`` on nodes and
edges, ``weight`` on edges, ``size`` and ``r``/``g``/``b`` on nodes) and keeps
the rest as data columns of the type the file declares. So every node and
edge gets those attributes, every attribute holds one scalar type everywhere
(empty string or zero for "unknown", never None). Edge ids are the graph's
edge keys, unique across the whole graph (see :func:`kg.graph.to_networkx`),
so parallel edges survive the import.

The character offsets of a link's evidence are renamed ``char_start`` and
``char_end``: GEXF reserves ``start``/``end`` for time intervals, and networkx
would turn the whole file into a dynamic graph.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.export.style import EDGE_COLOURS, NODE_STYLES, node_size, rgb
from kg.graph import KnowledgeGraph

if TYPE_CHECKING:
    import networkx as nx


def gephi_graph(kg: KnowledgeGraph) -> nx.MultiDiGraph:
    """A copy of ``kg.graph`` with Gephi's attributes on every node and edge."""
    graph = kg.graph.copy()
    for node, degree in graph.degree():
        data = graph.nodes[node]
        colour = NODE_STYLES[data["type"]].colour
        data["label"] = data["label"] or str(node)
        data["degree"] = int(degree)
        data["size"] = node_size(degree)
        data["color"] = colour
        data["r"], data["g"], data["b"] = rgb(colour)
    for _, _, data in graph.edges(data=True):
        colour = EDGE_COLOURS[data["relation"]]
        data["weight"] = float(data["confidence"])
        data["color"] = colour
        data["r"], data["g"], data["b"] = rgb(colour)
        data["char_start"] = int(data.pop("start"))
        data["char_end"] = int(data.pop("end"))
    return graph
