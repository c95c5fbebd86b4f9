"""GraphML for Gephi, yEd, igraph and other graph tools.

GraphML declares one type per attribute key and has no null value, so the
graph written is :func:`kg.export.gephi.gephi_graph`: scalar attributes of a
fixed type, ``label``/``weight``/``size``/``r``/``g``/``b`` where Gephi looks
for them, and the graph's edge keys as edge ids, unique across the file
(networkx's default keys repeat 0, 1, ... per node pair and Gephi would drop
the duplicates).
GraphML cannot say how a node is drawn beyond those attributes; graph.gexf
carries the same graph with Gephi's own viz colour and size.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from kg.atomic import atomic_path
from kg.export.gephi import gephi_graph
from kg.graph import KnowledgeGraph

if TYPE_CHECKING:
    from kg.export import ExportOptions


def write(kg: KnowledgeGraph, out_dir: Path, options: ExportOptions) -> list[Path]:
    import networkx as nx

    dest = out_dir / "graph.graphml"
    with atomic_path(dest) as tmp:
        nx.write_graphml(gephi_graph(kg), tmp)
    return [dest]
