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
with their papers; the page says how much was left out. Everything comes
from the KnowledgeGraph tables and the indexes every exporter shares (links
per paper, papers per entity, degrees), never from its networkx graph: only
the drawn nodes and edges are built in full.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.atomic import atomic_path
from kg.export.style import EDGE_COLOURS, NODE_STYLES, PAPER, node_size
from kg.graph import KnowledgeGraph, link_id
from kg.records import Entity, EntityType, Link, Paper

if TYPE_CHECKING:
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
_CUT_RANK = {kind: rank for rank, kind in enumerate(CUT_ORDER)}


@dataclass(frozen=True)
class Selection:
    """The nodes drawn, and per node type how many the graph holds in all and how many are drawn."""

    nodes: set[str]
    totals: Counter[str]
    shown: Counter[str]


def node_type(kg: KnowledgeGraph, node: str) -> str:
    """The key into :data:`NODE_STYLES`: "Paper", or the type of the entity."""
    return PAPER if node in kg.paper_by_id else kg.entity_by_id[node].type.value


def select(kg: KnowledgeGraph, max_nodes: int) -> Selection:
    """The most connected entities and their papers, at most ``max_nodes`` nodes.

    Entities are taken by falling degree (ties by :data:`CUT_ORDER`, then id,
    so the cut is stable) together with every paper linked to them; an entity
    whose papers would overflow the budget is passed over for smaller ones
    that still fit.
    """
    totals = Counter({PAPER: len(kg.papers)}) + Counter(e.type.value for e in kg.entities)
    if len(kg.papers) + len(kg.entities) <= max_nodes:
        return Selection({p.id for p in kg.papers} | {e.id for e in kg.entities}, totals, totals.copy())
    entities = sorted(kg.entities, key=lambda e: (-kg.degree[e.id], _CUT_RANK[e.type.value], e.id))
    kept: set[str] = set()
    for entity in entities:
        if len(kept) >= max_nodes:
            break
        new = {entity.id, *kg.papers_by_entity[entity.id]} - kept
        if len(kept) + len(new) <= max_nodes:
            kept |= new
    return Selection(kept, totals, Counter(node_type(kg, n) for n in kept))


def summary(selection: Selection) -> str:
    """One sentence on what the page shows and, when cut, what it leaves out."""
    total = sum(selection.totals.values())
    drawn = len(selection.nodes)
    if drawn == total:
        return f"{total:,} nodes: {_counts(selection.shown)}."
    left = selection.totals - selection.shown
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


def _paper_details(paper: Paper) -> dict[str, Any]:
    return {
        "title": paper.title,
        "date": paper.date or "",
        "source": "; ".join(f"{Path(s.path).name}:{s.line}" for s in paper.sources),
        "url": _safe_url(paper.url),
        "abstract": _short(paper.abstract, ABSTRACT_CHARS),
    }


def _entity_details(kg: KnowledgeGraph, entity: Entity, paper_ids: list[str]) -> dict[str, Any]:
    papers = sorted(set(paper_ids))
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


def _add_node(net: Network, kg: KnowledgeGraph, node: str) -> None:
    """One node with its details."""
    paper = kg.paper_by_id.get(node)
    if paper is not None:
        kind, label, details = PAPER, _short(paper.title, LABEL_CHARS), _paper_details(paper)
    else:
        entity = kg.entity_by_id[node]
        kind, label, details = entity.type.value, entity.label, _entity_details(kg, entity, kg.papers_by_entity[node])
    style = NODE_STYLES[kind]
    net.add_node(
        node,
        label=label,
        shape=style.shape,
        color={"background": style.colour, "border": "#333333", "highlight": {"background": style.colour}},
        # The square-root size Gephi gets too, so hubs do not dwarf everything else.
        value=node_size(kg.degree[node]),
        kind=kind,
        details=details,
        # Entities are what people look for; paper titles stay small so they do not bury them.
        **({"scaling": {"label": {"max": 16}}} if paper is not None else {}),
    )


def drawn_links(kg: KnowledgeGraph, nodes: Collection[str]) -> Iterator[Link]:
    """The links between drawn nodes: paper by paper in table order, each paper's in link order.

    Only the drawn papers' links are read, not every link of the graph.
    """
    for paper in kg.papers:
        if paper.id in nodes:
            yield from (link for link in kg.links_by_paper[paper.id] if link.entity_id in nodes)


def build_network(kg: KnowledgeGraph, selection: Selection) -> Network:
    """The pyvis network of the selected nodes, with details for the side panel."""
    from pyvis.network import Network

    net = Network(directed=True)
    for node in sorted(selection.nodes, key=lambda n: (n not in kg.paper_by_id, n)):
        _add_node(net, kg, node)
    for link in drawn_links(kg, selection.nodes):
        colour = EDGE_COLOURS[link.relation.value]
        net.add_edge(
            link.paper_id,
            link.entity_id,
            id=link_id(link),
            color={"color": colour, "highlight": colour, "hover": colour, "opacity": 0.6},
            relation=link.relation.value,
            evidence=link.sentence,
        )
    net.options = vis_options(len(selection.nodes))
    return net


def render(kg: KnowledgeGraph, max_nodes: int) -> str:
    """The whole page as one string."""
    import jinja2
    import pyvis
    from markupsafe import Markup

    selection = select(kg, max_nodes)
    net = build_network(kg, selection)
    # The build pyvis 0.3.2 ships (its newest release); pyvis's own page would fetch it from a CDN.
    vis_dir = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, undefined=jinja2.StrictUndefined
    )
    payload = {
        "nodes": net.nodes,
        "edges": net.edges,
        "options": net.options,
        "summary": summary(selection),
        "legend": [
            {"type": t, "colour": s.colour, "shown": selection.shown[t], "total": selection.totals[t]}
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
