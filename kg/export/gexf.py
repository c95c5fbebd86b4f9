"""GEXF 1.2, Gephi's native format, so the graph looks right the moment it opens.

Same nodes, edges and attributes as graph.graphml (see :mod:`kg.export.gephi`),
but where GEXF has a place of its own for a value it goes there instead of a
column: ``label`` on nodes and edges, ``weight`` on edges, and the colour and
size as ``viz:color``/``viz:size`` and the place on the map (:mod:`kg.layout`)
as ``viz:position``, which Gephi applies on import without any Appearance
settings or layout run. A paper with a full date (``2023-10-03``, not a
Daily Papers page's "Oct 3") starts then (``start``, the graph's
``timeformat`` being dates), so Gephi's timeline plays the papers in order;
entities, without a date of their own, are always there. A graph with no
such date stays ``static``, so Gephi offers no timeline for it.

Like graph.graphml, the file is streamed from the tables a node or edge at a
time, and a rebuild copies the parts that did not change from the previous file.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from kg import __version__
from kg.export.gephi import EDGE_ATTRIBUTES, NODE_ATTRIBUTES, TYPE_NAMES, Attributes, Syntax, write_file
from kg.export.xmltext import attr
from kg.graph import KnowledgeGraph
from kg.ingest.values import iso_date

if TYPE_CHECKING:
    from kg.export import ExportOptions

#: Attributes GEXF holds in the element itself or in viz:*, never as columns.
BUILT_IN = {"label", "weight", "size", "r", "g", "b", "x", "y"}
#: Column name -> GEXF attribute id; node columns first, edge columns continue the count.
NODE_IDS = {name: str(i) for i, name in enumerate(n for n in NODE_ATTRIBUTES if n not in BUILT_IN)}
EDGE_IDS = {
    name: str(i) for i, name in enumerate((n for n in EDGE_ATTRIBUTES if n not in BUILT_IN), start=len(NODE_IDS))
}
HEADER = (
    "<?xml version='1.0' encoding='utf-8'?>\n"
    '<gexf xmlns="http://www.gexf.net/1.2draft" xmlns:viz="http://www.gexf.net/1.2draft/viz" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">\n'
)


def _attributes(kind: str, ids: dict[str, str], types: dict[str, type]) -> str:
    declared = "".join(
        f'      <attribute id="{key}" title="{name}" type="{TYPE_NAMES[types[name]]}" />\n' for name, key in ids.items()
    )
    return f'    <attributes mode="static" class="{kind}">\n{declared}    </attributes>\n'


def _viz(data: Attributes) -> str:
    colour = f'        <viz:color r="{data["r"]}" g="{data["g"]}" b="{data["b"]}" a="1.0" />\n'
    if "size" not in data:  # an edge
        return colour
    return (
        colour
        + f'        <viz:size value="{data["size"]!r}" />\n'
        + f'        <viz:position x="{data["x"]!r}" y="{data["y"]!r}" z="0.0" />\n'
    )


def _attvalues(ids: dict[str, str], data: Attributes) -> str:
    values = "".join(
        f'          <attvalue for="{ids[name]}" value={attr(value)} />\n'
        for name, value in data.items()
        if name not in BUILT_IN
    )
    return f"        <attvalues>\n{values}        </attvalues>\n"


def _full_date(value: object) -> str | None:
    """``value`` when it is a whole ISO date, the only form a GEXF ``date`` time takes."""
    return value if isinstance(value, str) and iso_date(value) == value else None


def _node(node: str, data: Attributes) -> str:
    start = _full_date(data.get("date"))
    when = f" start={attr(start)}" if start else ""
    return (
        f"      <node id={attr(node)} label={attr(data['label'])}{when}>\n"
        f"{_viz(data)}{_attvalues(NODE_IDS, data)}      </node>\n"
    )


def _edge(source: str, target: str, key: str, data: Attributes) -> str:
    return (
        f"      <edge source={attr(source)} target={attr(target)} id={attr(key)}"
        f" label={attr(data['label'])} weight={attr(data['weight'])}>\n"
        f"{_viz(data)}{_attvalues(EDGE_IDS, data)}      </edge>\n"
    )


def write(kg: KnowledgeGraph, out_dir: Path, options: ExportOptions) -> list[Path]:
    header = (
        HEADER
        + f'  <meta lastmodifieddate="{datetime.date.today().isoformat()}">\n'
        + f"    <creator>kg {__version__}</creator>\n  </meta>\n"
        + (
            '  <graph defaultedgetype="directed" mode="dynamic" timeformat="date" name="">\n'
            if any(_full_date(p.date) for p in kg.papers)
            else '  <graph defaultedgetype="directed" mode="static" name="">\n'
        )
        + _attributes("node", NODE_IDS, NODE_ATTRIBUTES)
        + _attributes("edge", EDGE_IDS, EDGE_ATTRIBUTES)
        + "    <nodes>\n"
    )
    syntax = Syntax(header, "    </edges>\n  </graph>\n</gexf>\n", "    </nodes>\n    <edges>\n", _node, _edge)
    return write_file(kg, out_dir / "graph.gexf", options, syntax)
