"""GraphML for Gephi, yEd, igraph and other graph tools.

GraphML declares one type per attribute key and has no null value, so the
nodes and edges written are those of :mod:`kg.export.gephi`: scalar
attributes of a fixed type, left out where a record has no value,
``label``/``weight``/``size``/``r``/``g``/``b``/``x``/``y`` where Gephi looks
for them, and edge ids unique across the file (Gephi drops
edges whose ids repeat).
GraphML cannot say how a node is drawn beyond those attributes; graph.gexf
carries the same graph with Gephi's own viz colour and size.

The file is streamed from the tables, a node or edge at a time, so writing it
costs no more memory at 100,000 papers than at 100, and a rebuild copies
the parts that did not change from the previous file.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from kg.export.gephi import EDGE_ATTRIBUTES, NODE_ATTRIBUTES, TYPE_NAMES, Attributes, Syntax, write_file
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


def _keys(kind: str, keys: dict[str, str], types: dict[str, type]) -> str:
    return "".join(
        f'  <key id="{key}" for="{kind}" attr.name="{name}" attr.type="{TYPE_NAMES[types[name]]}" />\n'
        for name, key in keys.items()
    )


def _data(keys: dict[str, str], data: Attributes) -> str:
    return "".join(f'      <data key="{keys[name]}">{text(value)}</data>\n' for name, value in data.items())


def _node(node: str, data: Attributes) -> str:
    return f"    <node id={attr(node)}>\n{_data(NODE_KEYS, data)}    </node>\n"


def _edge(source: str, target: str, key: str, data: Attributes) -> str:
    return (
        f"    <edge source={attr(source)} target={attr(target)} id={attr(key)}>\n{_data(EDGE_KEYS, data)}    </edge>\n"
    )


def write(kg: KnowledgeGraph, out_dir: Path, options: ExportOptions) -> list[Path]:
    header = (
        HEADER
        + _keys("node", NODE_KEYS, NODE_ATTRIBUTES)
        + _keys("edge", EDGE_KEYS, EDGE_ATTRIBUTES)
        + '  <graph edgedefault="directed">\n'
    )
    syntax = Syntax(header, "  </graph>\n</graphml>\n", "", _node, _edge)
    return write_file(kg, out_dir / "graph.graphml", options, syntax)
