"""graph.html: an interactive view that works offline, from a double-click.

pyvis builds the vis-network nodes, edges and options; the page comes from
our own template (kg/templates/graph.html) because pyvis's templates fetch
vis-network, Bootstrap or tom-select from a CDN in every mode. The template
inlines the vis-network build that pyvis ships, so the file needs no network.

Everything user-supplied (titles, abstracts, aliases, evidence) reaches the
page only as JSON inside a ``<script type="application/json">`` element,
written with Jinja's ``tojson`` which escapes ``<``, ``>``, ``&`` and ``'``;
the script puts it into the page with ``textContent``, never as HTML, so a
title like ``<img src=x onerror=...>`` or ``</script>`` stays text.

Large graphs are cut to ``--html-max-nodes``: the most connected entities
with their papers; the page says how much was left out.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.atomic import atomic_path
from kg.export.style import EDGE_COLOURS, NODE_STYLES, PAPER, node_size
from kg.graph import KnowledgeGraph
from kg.records import EntityType

if TYPE_CHECKING:
    import networkx as nx
    from pyvis.network import Network

    from kg.export import ExportOptions

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
#: Paper titles are cut to this many characters on the canvas; the details show them whole.
LABEL_CHARS = 32
#: Characters of the abstract shown in the details panel.
ABSTRACT_CHARS = 600
#: Papers listed in an entity's details; the rest are counted.
PAPERS_LISTED = 40
#: Above this many nodes vis-network's "improved layout" (a Kamada-Kawai pass) takes longer
#: than the force layout itself, so it is switched off.
IMPROVED_LAYOUT_MAX = 300
#: Among entities of equal degree, which types the cut keeps first: the specific ones people
#: filter by ("evaluates on nuScenes and has code") before the many one-paper concepts.
CUT_ORDER = [
    EntityType.DATASET.value,
    EntityType.METHOD.value,
    EntityType.TASK.value,
    EntityType.REPOSITORY.value,
    EntityType.CONCEPT.value,
    EntityType.URL.value,
]


@dataclass(frozen=True)
class Selection:
    """The nodes drawn, and per node type how many the graph holds in all."""

    nodes: set[str]
    totals: Counter[str]

    def shown(self, graph: nx.MultiDiGraph) -> Counter[str]:
        return Counter(graph.nodes[n]["type"] for n in self.nodes)


def select(graph: nx.MultiDiGraph, max_nodes: int) -> Selection:
    """The most connected entities and their papers, at most ``max_nodes`` nodes.

    Entities are taken by falling degree (ties by :data:`CUT_ORDER`, then id,
    so the cut is stable) together with every paper linked to them; an entity
    whose papers would overflow the budget is passed over for smaller ones
    that still fit.
    """
    totals = Counter(data["type"] for _, data in graph.nodes(data=True))
    if graph.number_of_nodes() <= max_nodes:
        return Selection(set(graph.nodes), totals)
    undirected = graph.to_undirected(as_view=True)
    entities = sorted(
        (n for n, data in graph.nodes(data=True) if data["type"] != PAPER),
        key=lambda n: (-graph.degree(n), CUT_ORDER.index(graph.nodes[n]["type"]), n),
    )
    kept: set[str] = set()
    for entity in entities:
        if len(kept) >= max_nodes:
            break
        new = {entity, *undirected.neighbors(entity)} - kept
        if len(kept) + len(new) <= max_nodes:
            kept |= new
    return Selection(kept, totals)


def summary(selection: Selection, graph: nx.MultiDiGraph) -> str:
    """One sentence on what the page shows and, when cut, what it leaves out."""
    shown = selection.shown(graph)
    total = sum(selection.totals.values())
    drawn = len(selection.nodes)
    if drawn == total:
        return f"{total:,} nodes: {_counts(shown)}."
    left = selection.totals - shown
    left_papers = left[PAPER]
    left_entities = left.total() - left_papers
    return (
        f"Showing {drawn:,} of {total:,} nodes: the most connected entities and all their papers. "
        f"Left out: {left_entities:,} entities and {left_papers:,} papers (per type on the right). "
        "Raise --html-max-nodes, or open graph.gexf in Gephi, for the whole graph."
    )


def _counts(counts: Counter[str]) -> str:
    return ", ".join(f"{counts[t]:,} {t}" for t in NODE_STYLES if counts[t])


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _safe_url(url: str | None) -> str:
    """Only web links become clickable; a ``javascript:`` URL in the input stays inert."""
    return url if url and url.startswith(("https://", "http://")) else ""


def _paper_details(kg: KnowledgeGraph, paper_id: str) -> dict[str, Any]:
    paper = kg.paper_by_id[paper_id]
    return {
        "title": paper.title,
        "date": paper.date or "",
        "source": "; ".join(f"{Path(s.path).name}:{s.line}" for s in paper.sources),
        "url": _safe_url(paper.url),
        "abstract": _short(paper.abstract, ABSTRACT_CHARS),
    }


def _entity_details(kg: KnowledgeGraph, graph: nx.MultiDiGraph, entity_id: str) -> dict[str, Any]:
    papers = sorted(set(graph.predecessors(entity_id)))
    entity = kg.entity_by_id[entity_id]
    return {
        "title": entity.label,
        "aliases": entity.aliases,
        "papers": [[p, kg.paper_by_id[p].title] for p in papers[:PAPERS_LISTED]],
        "paperCount": len(papers),
    }


def vis_options(node_count: int) -> dict[str, Any]:
    """vis-network options: a force layout that stabilises once and then stops.

    The page switches physics off when stabilisation ends, so nothing jiggles
    afterwards; iterations shrink as the graph grows to keep opening fast.
    """
    return {
        "autoResize": True,
        "layout": {"randomSeed": 7, "improvedLayout": node_count <= IMPROVED_LAYOUT_MAX},
        "nodes": {
            "borderWidth": 1,
            "font": {"size": 14, "face": "system-ui, sans-serif", "strokeWidth": 3, "strokeColor": "#ffffff"},
            "scaling": {
                "min": 10,
                "max": 56,
                # Big nodes get big labels that stay legible when the whole graph is in view;
                # small ones show theirs only when zoomed in, and none grows past maxVisible.
                "label": {"enabled": True, "min": 10, "max": 64, "drawThreshold": 7, "maxVisible": 22},
            },
        },
        "edges": {
            "width": 0.7,
            "selectionWidth": 2.5,
            "smooth": False,
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.35}},
        },
        "physics": {
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "gravitationalConstant": -45,
                "centralGravity": 0.015,
                "springLength": 60,
                "springConstant": 0.08,
                "damping": 0.6,
                "avoidOverlap": 0.3,
            },
            "minVelocity": 1.0,
            "maxVelocity": 60,
            "stabilization": {
                "enabled": True,
                "iterations": 600 if node_count <= 500 else 300,
                "updateInterval": 20,
                "fit": True,
            },
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": node_count > 800,
            "hideEdgesOnZoom": node_count > 800,
        },
    }


def build_network(kg: KnowledgeGraph, selection: Selection) -> Network:
    """The pyvis network of the selected nodes, with details for the side panel."""
    from pyvis.network import Network

    graph = kg.graph
    net = Network(directed=True)
    for node in sorted(selection.nodes, key=lambda n: (graph.nodes[n]["type"] != PAPER, n)):
        data = graph.nodes[node]
        style = NODE_STYLES[data["type"]]
        is_paper = data["type"] == PAPER
        details = _paper_details(kg, node) if is_paper else _entity_details(kg, graph, node)
        net.add_node(
            node,
            label=_short(data["label"], LABEL_CHARS) if is_paper else data["label"],
            shape=style.shape,
            color={"background": style.colour, "border": "#333333", "highlight": {"background": style.colour}},
            # The square-root size Gephi gets too, so hubs do not dwarf everything else.
            value=node_size(graph.degree(node)),
            kind=data["type"],
            details=details,
            # Entities are what people look for; paper titles stay small so they do not bury them.
            **({"scaling": {"label": {"max": 16}}} if is_paper else {}),
        )
    for source, target, key, data in graph.edges(keys=True, data=True):
        if source in selection.nodes and target in selection.nodes:
            colour = EDGE_COLOURS[data["relation"]]
            net.add_edge(
                source,
                target,
                id=key,
                color={"color": colour, "highlight": colour, "hover": colour, "opacity": 0.6},
                relation=data["relation"],
                evidence=data["evidence"],
            )
    net.options = vis_options(len(selection.nodes))
    return net


def render(kg: KnowledgeGraph, max_nodes: int) -> str:
    """The whole page as one string."""
    import jinja2
    import pyvis
    from markupsafe import Markup

    selection = select(kg.graph, max_nodes)
    net = build_network(kg, selection)
    # The build pyvis 0.3.2 ships (its newest release); pyvis's own page would fetch it from a CDN.
    vis_dir = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, undefined=jinja2.StrictUndefined
    )
    shown = selection.shown(kg.graph)
    payload = {
        "nodes": net.nodes,
        "edges": net.edges,
        "options": net.options,
        "summary": summary(selection, kg.graph),
        "legend": [
            {"type": t, "colour": s.colour, "shown": shown[t], "total": selection.totals[t]}
            for t, s in NODE_STYLES.items()
            if selection.totals[t]
        ],
        "relations": EDGE_COLOURS,
    }
    return env.get_template("graph.html").render(
        payload=payload,
        vis_js=Markup((vis_dir / "vis-network.min.js").read_text(encoding="utf-8")),
        vis_css=Markup((vis_dir / "vis-network.css").read_text(encoding="utf-8")),
    )


def write(kg: KnowledgeGraph, out_dir: Path, options: ExportOptions) -> list[Path]:
    dest = out_dir / "graph.html"
    with atomic_path(dest) as tmp:
        tmp.write_text(render(kg, options.html_max_nodes), encoding="utf-8")
    return [dest]
