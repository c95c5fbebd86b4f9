"""GraphML for Gephi, yEd, igraph and other graph tools.

GraphML declares one type per attribute key and has no null value, so the
nodes and edges written are those of :mod:`kg.export.gephi`: scalar
attributes of a fixed type, ``label``/``weight``/``size``/``r``/``g``/``b``
where Gephi looks for them, and edge ids unique across the file (Gephi drops
edges whose ids repeat).
GraphML cannot say how a node is drawn beyond those attributes; graph.gexf
carries the same graph with Gephi's own viz colour and size.

The file is streamed from the tables, a node or edge at a time, so writing it
costs no more memory at 100,000 papers than at 100.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from kg.atomic import atomic_text
from kg.export.gephi import EDGE_ATTRIBUTES, NODE_ATTRIBUTES, TYPE_NAMES, Attributes, edges, nodes
from kg.export.xmltext import attr, text
from kg.graph import KnowledgeGraph

if TYPE_CHECKING:
    from kg.export import ExportOptions

#: Node keys are d0, d1, ..., edge keys continue the count.
NODE_KEYS = {name: f"d{i}" for i, name in enumerate(NODE_ATTRIBUTES)}
EDGE_KEYS = {name: f"d{i}" for i, name in enumerate(EDGE_ATTRIBUTES, start=len(NODE_KEYS))}
HEADER = (
    "<?xml version='1.0' encoding='utf-8'?>\n"
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
    'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
)


def _keys(out: TextIO, kind: str, keys: dict[str, str], types: dict[str, type]) -> None:
    for name, key in keys.items():
        out.write(f'  <key id="{key}" for="{kind}" attr.name="{name}" attr.type="{TYPE_NAMES[types[name]]}" />\n')


def _data(keys: dict[str, str], data: Attributes) -> str:
    return "".join(f'      <data key="{keys[name]}">{text(value)}</data>\n' for name, value in data.items())


def stream(kg: KnowledgeGraph, out: TextIO) -> None:
    """Write the whole GraphML document to ``out``."""
    out.write(HEADER)
    _keys(out, "node", NODE_KEYS, NODE_ATTRIBUTES)
    _keys(out, "edge", EDGE_KEYS, EDGE_ATTRIBUTES)
    out.write('  <graph edgedefault="directed">\n')
    for node, data in nodes(kg):
        out.write(f"    <node id={attr(node)}>\n{_data(NODE_KEYS, data)}    </node>\n")
    for source, target, key, data in edges(kg):
        out.write(
            f"    <edge source={attr(source)} target={attr(target)} id={attr(key)}>\n"
            f"{_data(EDGE_KEYS, data)}    </edge>\n"
        )
    out.write("  </graph>\n</graphml>\n")


def write(kg: KnowledgeGraph, out_dir: Path, options: ExportOptions) -> list[Path]:
    dest = out_dir / "graph.graphml"
    with atomic_text(dest) as out:
        stream(kg, out)
    return [dest]
