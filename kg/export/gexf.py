"""GEXF 1.2, Gephi's native format, so the graph looks right the moment it opens.

Same graph and attributes as graph.graphml (see :mod:`kg.export.gephi`), plus
GEXF's ``viz:color`` and ``viz:size`` on every node and ``viz:color`` on every
edge, which Gephi applies on import without any Appearance settings. No
positions are written: Gephi's own layouts (ForceAtlas 2) do better than a
fixed one.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from kg.atomic import atomic_path
from kg.export.gephi import gephi_graph
from kg.graph import KnowledgeGraph

if TYPE_CHECKING:
    from kg.export import ExportOptions


def _viz(data: dict) -> dict:
    """Move the colour channels into GEXF's viz element (they would be duplicate columns)."""
    colour = {"r": data.pop("r"), "g": data.pop("g"), "b": data.pop("b"), "a": 1.0}
    return {"color": colour, "size": data.pop("size")} if "size" in data else {"color": colour}


def write(kg: KnowledgeGraph, out_dir: Path, options: ExportOptions) -> list[Path]:
    import networkx as nx

    dest = out_dir / "graph.gexf"
    graph = gephi_graph(kg)
    for _, data in graph.nodes(data=True):
        data["viz"] = _viz(data)
    for _, _, key, data in graph.edges(keys=True, data=True):
        data["viz"] = _viz(data)
        # networkx numbers GEXF edges itself unless told; the keys are unique already.
        data["id"] = key
    with atomic_path(dest) as tmp:
        nx.write_gexf(graph, tmp, version="1.2draft")
    return [dest]
