"""graph.html: a map of the papers that opens offline, from a double-click, and draws at once.

Positions and clusters come from the build (:mod:`kg.layout`), so the page
needs no physics: vis-network draws the nodes where they are and the page
places the labels itself, largest first, leaving out any label that would
overlap one already placed (kg/templates/graph.js). The template inlines
the vis-network build that pyvis ships, so the file needs no network.

What carries information comes first: papers and the entities that link at
least two of them. Entities of one paper are in the page but hidden until
asked for (a toggle, or a paper's details). When even that is more than
``--html-max-nodes``, the page opens on the *overview*: one node per cluster,
and a click on a cluster draws its papers and entities in their place.
The overview leaves the entities of one paper and the evidence sentences
out of the page (both are in the tables): at 30,000 papers the page would be
several hundred megabytes.

Relations between entities (usedFor, evaluatedOn, ..., ``broader`` between
tasks) are edges of their own, dashed and coloured by type, each type a
toggle in the legend. An entity's details list them from its side ("Used
for", "Evaluated on", "Narrower tasks", ...), and a dataset's details hold
its leaderboard: its results by metric, best first, each with its method,
paper and sentence (:func:`kg.relate.leaderboard`).

Everything user-supplied (titles, abstracts, aliases, evidence) reaches the
page only as JSON inside a ``<script type="application/json">`` element,
written with Jinja's ``tojson`` which escapes ``<``, ``>``, ``&`` and ``'``;
the script puts it into the page with ``textContent``, never as HTML, so a
title like ``<img src=x onerror=...>`` or ``</script>`` stays text.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import combinations, groupby, islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.atomic import atomic_path
from kg.export.style import EDGE_COLOURS, NODE_STYLES, PAPER, RELATION_COLOURS, cluster_colour
from kg.graph import KnowledgeGraph, link_id, relation_id
from kg.iri import Iris
from kg.layout import Layout, core_entities
from kg.records import Entity, EntityLink, Paper, RelationType, Result
from kg.relate import LOWER_IS_BETTER, leaderboard

if TYPE_CHECKING:
    from kg.export import ExportOptions

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
#: Characters of the abstract shown in the details panel.
ABSTRACT_CHARS = 600
#: Papers listed in an entity's details; the rest are counted.
PAPERS_LISTED = 40
#: Entities that name a cluster on the map; the list beside it shows all of them.
MAP_TERMS = 2
#: Evidence sentences of one relation kept in the page; the rest are in relations.csv.
EVIDENCE_LISTED = 10
#: How an entity's details name a relation: from its head's side, and from its tail's.
RELATION_HEADINGS: dict[RelationType, tuple[str, str]] = {
    RelationType.USED_FOR: ("Used for", "Methods used for it"),
    RelationType.EVALUATED_ON: ("Evaluated on", "Methods evaluated on it"),
    RelationType.BENCHMARK_FOR: ("Benchmark for", "Benchmarks"),
    RelationType.BASED_ON: ("Based on", "Methods based on it"),
    RelationType.COMPARED_TO: ("Compared to", "Compared to it"),
    RelationType.BROADER: ("Broader tasks", "Narrower tasks"),
}
#: A trailing acronym in parentheses, left out of a cluster's name to keep it short.
_ACRONYM = re.compile(r"\s*\([^()]*\)$")


@dataclass(frozen=True)
class Selection:
    """What the page holds, and whether it opens on the overview of clusters."""

    nodes: list[str]
    overview: bool
    #: Per node type, how many the graph holds and how many the page holds.
    totals: Counter[str]
    shown: Counter[str]


def node_type(kg: KnowledgeGraph, node: str) -> str:
    """The key into :data:`NODE_STYLES`: "Paper", or the type of the entity."""
    return PAPER if node in kg.paper_by_id else kg.entity_by_id[node].type.value


def select(kg: KnowledgeGraph, max_nodes: int) -> Selection:
    """Every node, or, when papers and shared entities alone exceed ``max_nodes``, those only, in overview."""
    totals = Counter({PAPER: len(kg.papers)}) + Counter(e.type.value for e in kg.entities)
    core = core_entities(kg)
    overview = len(kg.papers) + len(core) > max_nodes
    nodes = [p.id for p in kg.papers] + [e.id for e in kg.entities if not overview or e.id in core]
    shown = totals if not overview else Counter(node_type(kg, n) for n in nodes)
    return Selection(nodes, overview, totals, shown)


def summary(kg: KnowledgeGraph, selection: Selection) -> str:
    """One sentence on what the page shows first and what is one click away."""
    core = len(core_entities(kg))
    single = len(kg.entities) - core
    text = f"{len(kg.papers):,} papers and {core:,} entities that link two or more of them"
    if selection.overview:
        return (
            f"{text}, in {len(kg.layout.clusters):,} clusters: click a cluster to draw it. "
            f"The {single:,} entities of one paper and the evidence sentences are in graph.gexf and "
            "the tables (more than --html-max-nodes nodes)."
        )
    return f"{text}; {single:,} entities of one paper are hidden (tick them on the right)."


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


def _entity_details(kg: KnowledgeGraph, entity: Entity, board: list[dict[str, Any]]) -> dict[str, Any]:
    papers = sorted(set(kg.papers_by_entity[entity.id]))
    return {
        "title": entity.label,
        "aliases": entity.aliases,
        "papers": [[p, kg.paper_by_id[p].title] for p in papers[:PAPERS_LISTED]],
        "paperCount": len(papers),
        **({"leaderboard": board} if board else {}),
    }


def _result(kg: KnowledgeGraph, rank: int, result: Result) -> dict[str, Any]:
    method = kg.entity_by_id.get(result.method_id)
    return {
        "rank": rank,
        "value": result.value,
        "unit": result.unit,
        "gain": result.kind != "absolute",
        "method": result.method_id,
        "methodLabel": method.label if method is not None else "",
        "paper": result.paper_id,
        "title": kg.paper_by_id[result.paper_id].title,
        "sentence": result.sentence,
    }


def leaderboards(kg: KnowledgeGraph) -> dict[str, list[dict[str, Any]]]:
    """Per dataset id, its results by metric, best first: the tables' results.csv in the page's terms."""
    boards: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for (dataset, _), group in groupby(leaderboard(kg.results), key=lambda r: (r[1].dataset_id, r[1].metric.lower())):
        ranked = list(group)
        metric = ranked[0][1].metric
        boards[dataset].append(
            {
                "metric": metric,
                "lowerIsBetter": bool(LOWER_IS_BETTER.search(metric)),
                "results": [_result(kg, rank, r) for rank, r in ranked],
            }
        )
    return boards


def _relation_edge(edge: EntityLink, overview: bool) -> dict[str, Any]:
    stated = [[e.paper_id, e.sentence] for e in edge.evidence if e.paper_id]
    return {
        "id": relation_id(edge),
        "from": edge.head,
        "to": edge.tail,
        "relation": edge.type.value,
        "papers": edge.count,
        # As with the links, the overview leaves the sentences to the tables.
        **({} if overview else {"evidence": stated[:EVIDENCE_LISTED]}),
    }


def _node(
    kg: KnowledgeGraph,
    iris: Iris,
    layout: Layout,
    node: str,
    core: set[str],
    boards: dict[str, list[dict[str, Any]]],
) -> dict[str, Any]:
    x, y = layout.positions[node]
    paper = kg.paper_by_id.get(node)
    common = {"id": node, "x": x, "y": y, "cluster": layout.cluster_of[node]}
    if paper is not None:
        return {
            **common,
            "iri": iris.paper(paper),
            "kind": PAPER,
            "label": paper.title,
            "papers": 1,
            "details": _paper_details(paper),
        }
    entity = kg.entity_by_id[node]
    return {
        **common,
        "iri": iris.entity(entity),
        "kind": entity.type.value,
        "label": entity.label,
        "papers": kg.paper_count[node],
        "single": node not in core,
        "details": _entity_details(kg, entity, boards.get(node, [])),
    }


def cluster_name(terms: list[str]) -> str:
    return " · ".join(_ACRONYM.sub("", term) or term for term in terms) or "Other papers"


def cluster_links(kg: KnowledgeGraph, layout: Layout) -> list[list[int]]:
    """``[a, b, n]``: clusters ``a`` and ``b`` share ``n`` entities; the overview's edges."""
    shared: Counter[tuple[int, int]] = Counter()
    for entity in core_entities(kg):
        clusters = sorted({layout.cluster_of[p] for p in kg.papers_by_entity[entity]})
        shared.update(combinations(clusters, 2))
    return [[a, b, n] for (a, b), n in sorted(shared.items())]


def payload(kg: KnowledgeGraph, max_nodes: int, iris: Iris) -> dict[str, Any]:
    """Everything the page shows, as JSON-ready data; a node's ``iri`` is the one the RDF export gives it.

    ``nodes`` and ``edges``, which grow with the graph, are iterators, made as
    the page is written (see :func:`json_chunks`): made whole, they and their
    JSON text were most of a build's peak memory (27 MB per 1,000 papers).
    """
    layout = kg.layout
    selection = select(kg, max_nodes)
    core = core_entities(kg)
    drawn = set(selection.nodes)
    boards = leaderboards(kg)
    kinds = Counter(edge.type for edge in kg.relations)
    return {
        "summary": summary(kg, selection),
        "overview": selection.overview,
        "maxNodes": max_nodes,
        "types": [
            {"type": t, "shape": s.shape, "shown": selection.shown[t], "total": selection.totals[t]}
            for t, s in NODE_STYLES.items()
            if selection.totals[t]
        ],
        "relations": EDGE_COLOURS,
        "entityRelations": [
            {"type": t.value, "colour": RELATION_COLOURS[t.value], "out": out, "in": into, "count": kinds[t]}
            for t, (out, into) in RELATION_HEADINGS.items()
            if kinds[t]
        ],
        "clusters": [
            {
                "id": c.id,
                "name": cluster_name(c.terms),
                "short": cluster_name(c.terms[:MAP_TERMS]),
                "terms": c.terms,
                "papers": c.papers,
                "x": c.x,
                "y": c.y,
                "colour": cluster_colour(c.id),
            }
            for c in layout.clusters
        ],
        "clusterLinks": cluster_links(kg, layout) if selection.overview else [],
        "nodes": (_node(kg, iris, layout, node, core, boards) for node in selection.nodes),
        "edges": (
            {
                "id": link_id(link),
                "from": link.paper_id,
                "to": link.entity_id,
                "relation": link.relation.value,
                **({} if selection.overview else {"evidence": link.sentence}),
            }
            for link in kg.link_table
            if link.entity_id in drawn
        ),
        "relationEdges": [
            _relation_edge(edge, selection.overview)
            for edge in kg.relations
            if edge.head in drawn and edge.tail in drawn
        ],
    }


#: Items of a list the page holds turned into JSON at a time, then written and forgotten.
_ITEMS = 1024
#: The JSON encoder of Jinja's ``tojson``, made once rather than once per item.
_JSON = json.JSONEncoder(sort_keys=True)


def _html_safe(text: str) -> str:
    """``text`` with the characters that could end the script element escaped, as ``tojson`` does."""
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").replace("'", "\\u0027")


def json_chunks(data: dict[str, Any]) -> Iterator[str]:
    """The text Jinja's ``tojson`` gives for ``data``, in pieces, an iterator value as the list of its items.

    ``tojson`` is ``json.dumps(data, sort_keys=True)`` with ``<``, ``>``, ``&``
    and ``'`` escaped; a list in that text is its items' texts joined by
    ``", "``, so a list made an item at a time reads the same.
    """
    yield "{"
    for i, key in enumerate(sorted(data)):
        value = data[key]
        yield f"{', ' if i else ''}{json.dumps(key)}: "
        if not isinstance(value, Iterator):
            yield _html_safe(_JSON.encode(value))
            continue
        yield "["
        first = True
        while batch := list(islice(value, _ITEMS)):
            text = _html_safe(", ".join(map(_JSON.encode, batch)))
            yield text if first else ", " + text
            first = False
        yield "]"
    yield "}"


#: Where the page's template holds the payload; the JSON is written in its place.
_PAYLOAD = "\x00kg-payload\x00"


def page_chunks(kg: KnowledgeGraph, max_nodes: int, iris: Iris) -> Iterator[str]:
    """The whole page, in pieces: the template around the payload, and the payload's JSON (:func:`json_chunks`)."""
    import jinja2
    import pyvis
    from markupsafe import Markup

    # The build pyvis 0.3.2 ships (its newest release); pyvis's own page would fetch it from a CDN.
    vis_dir = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, undefined=jinja2.StrictUndefined
    )
    page = env.get_template("graph.html").render(
        payload=Markup(_PAYLOAD),
        vis_js=Markup((vis_dir / "vis-network.min.js").read_text(encoding="utf-8")),
        vis_css=Markup((vis_dir / "vis-network.css").read_text(encoding="utf-8")),
    )
    head, tail = page.split(_PAYLOAD)
    yield head
    yield from json_chunks(payload(kg, max_nodes, iris))
    yield tail


def render(kg: KnowledgeGraph, max_nodes: int, iris: Iris) -> str:
    """The whole page as one string (a build writes it in pieces instead: :func:`write`)."""
    return "".join(page_chunks(kg, max_nodes, iris))


def write(kg: KnowledgeGraph, out_dir: Path, options: ExportOptions) -> list[Path]:
    dest = out_dir / "graph.html"
    with atomic_path(dest) as tmp, tmp.open("w", encoding="utf-8") as out:
        out.writelines(page_chunks(kg, options.html_max_nodes, options.iris))
    return [dest]
