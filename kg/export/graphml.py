"""GraphML for Gephi and other graph tools.

GraphML keys have one type each and no null value, so every attribute is a
scalar of a fixed type with an empty string or zero standing for "unknown";
edge ids come from the graph's unique edge keys (networkx would otherwise
repeat 0, 1, ... per node pair and Gephi would drop the duplicates).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from kg.atomic import atomic_path
from kg.graph import KnowledgeGraph

if TYPE_CHECKING:
    from kg.export import ExportOptions


def write(kg: KnowledgeGraph, out_dir: Path, options: ExportOptions) -> list[Path]:
    import networkx as nx

    dest = out_dir / "graph.graphml"
    graph = kg.graph.copy()
    for node, degree in graph.degree():
        graph.nodes[node]["degree"] = int(degree)
    for _, _, key, data in graph.edges(keys=True, data=True):
        data["id"] = key
    with atomic_path(dest) as tmp:
        nx.write_graphml(graph, tmp, edge_id_from_attribute="id")
    return [dest]
