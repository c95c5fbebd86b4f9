"""How nodes and edges look, shared by the HTML view and the Gephi files.

One palette for every view, so a Dataset is the same green in the browser and
in Gephi and a user who learnt the legend once can read both. Colours come
from the Tableau 10 palette, which stays distinguishable for the common forms
of colour blindness; shapes repeat the distinction for print and greyscale.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from kg.records import EntityType, Relation, RelationType

PAPER = "Paper"


@dataclass(frozen=True, slots=True)
class NodeStyle:
    colour: str
    #: A vis-network shape name.
    shape: str


#: Node type ("Paper" or an :class:`EntityType` value) -> style, in legend order.
NODE_STYLES: dict[str, NodeStyle] = {
    PAPER: NodeStyle("#4e79a7", "dot"),
    EntityType.METHOD.value: NodeStyle("#f28e2b", "diamond"),
    EntityType.DATASET.value: NodeStyle("#59a14f", "square"),
    EntityType.TASK.value: NodeStyle("#e15759", "triangle"),
    EntityType.CONCEPT.value: NodeStyle("#b07aa1", "hexagon"),
    EntityType.REPOSITORY.value: NodeStyle("#17becf", "star"),
    EntityType.URL.value: NodeStyle("#9c755f", "triangleDown"),
}

#: Relation value -> edge colour; kept lighter than the nodes so edges recede.
EDGE_COLOURS: dict[str, str] = {
    Relation.PROPOSES.value: "#d62728",
    Relation.USES.value: "#ffbe7d",
    Relation.EVALUATES_ON.value: "#8cd17d",
    Relation.ADDRESSES.value: "#ff9d9a",
    Relation.ABOUT.value: "#d4a6c8",
    Relation.HAS_CODE.value: "#86bcb6",
    Relation.MENTIONS.value: "#bab0ac",
}

#: Entity -> entity relation value -> edge colour; darker than the paper links, which they cross.
RELATION_COLOURS: dict[str, str] = {
    RelationType.USED_FOR.value: "#b07d00",
    RelationType.EVALUATED_ON.value: "#2f7f7a",
    RelationType.BENCHMARK_FOR.value: "#c2185b",
    RelationType.BASED_ON.value: "#7b4a2b",
    RelationType.COMPARED_TO.value: "#5e35b1",
    RelationType.BROADER.value: "#a3231f",
}


#: Cluster colours (Tableau 20, greys swapped for two of Tableau 20b), reused in turn past the twentieth.
CLUSTER_COLOURS = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#393b79", "#bcbd22", "#17becf",
    "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94", "#f7b6d2", "#637939", "#dbdb8d", "#9edae5",
]  # fmt: skip
#: The pooled small clusters (:data:`kg.layout.OTHER`).
OTHER_COLOUR = "#b0b0b0"


def cluster_colour(cluster: int) -> str:
    return OTHER_COLOUR if cluster < 0 else CLUSTER_COLOURS[cluster % len(CLUSTER_COLOURS)]


def rgb(colour: str) -> tuple[int, int, int]:
    """``"#4e79a7"`` -> ``(78, 121, 167)``: Gephi wants colour channels as integers."""
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def node_size(degree: int) -> float:
    """A size that grows with the square root of the degree.

    Area, not radius, should follow the degree, or hubs with hundreds of links
    would cover the whole canvas.
    """
    return round(5.0 + 4.0 * math.sqrt(degree), 2)
