"""Where every node sits, and which cluster it belongs to: one map for the HTML page and Gephi.

Computed once per build from the graph tables, so the page draws at once
with physics off and Gephi opens with the same picture. Three steps, each a
library layout:

1. Communities of the *core* (papers and the entities that link at least
   two of them): igraph's Louvain.
2. Each community laid out on its own, in a disc of its size (igraph's
   Fruchterman-Reingold, in C), and the discs arranged by networkx's
   ForceAtlas2 over the graph of communities, which knows their sizes. One
   force layout of the whole core draws a ball in which clusters overlap;
   networkx's ForceAtlas2 of the whole graph is pure Python and grows with
   the square of the nodes (README, "Views").
3. The entities of one paper (most of them), which carry no structure: a
   few steps of Fruchterman-Reingold in a small box around their paper,
   the core held still. They take their paper's cluster.

Every step is seeded (igraph's generator is set for the call and put back),
so the same tables give the same map every time, and an incremental rebuild
writes what a fresh one writes.

A cluster is named by its most *specific* entities: those that many of its
papers link and few papers elsewhere do (tf-idf with the cluster as the
document). Clusters of fewer than :data:`MIN_CLUSTER_PAPERS` papers (papers
that share nothing with the rest) are pooled into one unnamed cluster.
"""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from kg.records import EntityType

if TYPE_CHECKING:
    from types import ModuleType

    import igraph

    from kg.graph import KnowledgeGraph

#: Seed of both random number generators: one map per graph.
SEED = 7
#: Iterations of the force layout; igraph's default (500) settles a few thousand nodes.
ITERATIONS = 500
#: Above this many nodes the force layout repels only nearby nodes (igraph's grid): the exact
#: layout grows with the square of the nodes (43 s for 15,000 nodes at 50 iterations, 0.6 s with the grid).
GRID_FROM = 1000
#: Iterations, and the largest step, of the entities of one paper around their paper.
LEAF_ITERATIONS = 10
LEAF_TEMPERATURE = 0.3
#: Width of the map, per square root of its nodes, when the leaves are placed.
LEAF_ROOM = 1.0
#: How far (in those units) an entity of one paper may stray from its paper.
LEAF_BOX = 2.0
#: Iterations of the clusters' layout (:func:`_arranged`).
CLUSTER_ITERATIONS = 300
#: Room between two clusters' discs, as a multiple of their radii.
GAP = 1.15
#: Most rounds of pushing overlapping clusters apart (:func:`_separated`).
SEPARATION_ROUNDS = 200
#: Smaller communities are pooled into :data:`OTHER`.
MIN_CLUSTER_PAPERS = 3
#: The cluster id of the pooled small communities.
OTHER = -1
#: Entities that name a cluster, at most.
NAME_TERMS = 3
#: Types that do not name a topic: a repository or a web page belongs to one project.
UNNAMING = {EntityType.REPOSITORY, EntityType.URL}
#: Coordinates are rounded to this many decimals, so files do not carry float noise.
DECIMALS = 1
#: Units (as Gephi and vis-network draw them) per unit of the layout, where a cluster of n nodes
#: is a disc of radius sqrt(n): nodes about 30 units apart, whatever the size of the map.
UNIT = 30.0


@dataclass(frozen=True, slots=True)
class Cluster:
    """A community of papers and the entities they share."""

    id: int
    #: Its most specific entities' labels, most specific first (empty for :data:`OTHER`).
    terms: list[str]
    papers: int
    #: Where its papers are on average.
    x: float
    y: float


@dataclass(frozen=True)
class Layout:
    """Positions and clusters of every node of a graph."""

    positions: dict[str, tuple[float, float]]
    #: Node id -> cluster id.
    cluster_of: dict[str, int]
    #: Largest first; :data:`OTHER`, when there is one, last.
    clusters: list[Cluster]


def core_entities(kg: KnowledgeGraph) -> set[str]:
    """Entities linking at least two papers: what the map is drawn from."""
    return {entity for entity, count in kg.paper_count.items() if count >= 2}


def compute(kg: KnowledgeGraph) -> Layout:
    import igraph

    nodes = [p.id for p in kg.papers] + [e.id for e in kg.entities]
    index = {node: i for i, node in enumerate(nodes)}
    core = core_entities(kg)
    # The core's vertices are the papers and the shared entities, numbered as in ``nodes``.
    core_nodes = [p.id for p in kg.papers] + [e.id for e in kg.entities if e.id in core]
    core_index = {node: i for i, node in enumerate(core_nodes)}
    core_pairs = _pairs(kg, core_index)
    all_pairs = _pairs(kg, index)
    try:
        igraph.set_random_number_generator(random.Random(SEED))
        core_graph = igraph.Graph(n=len(core_nodes), edges=core_pairs)
        membership = core_graph.community_multilevel().membership if core_nodes else []
        cluster_of = _clusters(kg, core_nodes, membership, core)
        core_coords = _grouped(igraph, core_graph, [cluster_of[node] for node in core_nodes])
        # Then the entities of one paper, each in a small box around its paper; the core stays
        # where it is. Scaled first so that igraph's grid, which compares the nodes sharing a
        # cell, finds about one node per cell: the leaves cost 1 s at 3,000 papers, not 15 s.
        room = LEAF_ROOM * math.sqrt(len(nodes)) / _extent(core_coords)
        at = {node: [x * room, y * room] for node, (x, y) in zip(core_nodes, core_coords, strict=True)}
        jitter = random.Random(SEED)
        anchor = [at.get(node) or _first_paper(kg, at, node) for node in nodes]
        fixed = [node in at for node in nodes]
        start = [
            a if f else [a[0] + jitter.uniform(-1, 1), a[1] + jitter.uniform(-1, 1)]
            for a, f in zip(anchor, fixed, strict=True)
        ]
        low = [[a[k] if f else a[k] - LEAF_BOX for a, f in zip(anchor, fixed, strict=True)] for k in (0, 1)]
        high = [[a[k] if f else a[k] + LEAF_BOX for a, f in zip(anchor, fixed, strict=True)] for k in (0, 1)]
        coords = (
            igraph.Graph(n=len(nodes), edges=all_pairs)
            .layout_fruchterman_reingold(
                seed=start,
                niter=LEAF_ITERATIONS,
                start_temp=LEAF_TEMPERATURE,
                grid=True,
                minx=low[0],
                maxx=high[0],
                miny=low[1],
                maxy=high[1],
            )
            .coords
            if nodes
            else []
        )
    finally:
        igraph.set_random_number_generator(random)  # igraph's default: Python's own generator
    positions = _scaled(nodes, coords, UNIT / room if room else UNIT)
    return Layout(positions, cluster_of, _describe(kg, positions, cluster_of, core))


def _pairs(kg: KnowledgeGraph, index: dict[str, int]) -> np.ndarray:
    """The distinct (paper, entity) pairs the links join, as numbers of ``index``, sorted, one row each; links
    to an entity ``index`` leaves out are left out.

    Worked out on the link table's columns and given to igraph as an array: a
    tuple per pair took 190 MB at 100,000 papers for the two graphs of a layout.
    """
    table = kg.link_table
    papers = np.array([index[paper] for paper in table.paper_ids], np.int64)[table.paper]
    entities = np.array([index.get(entity, -1) for entity in table.entity_ids], np.int64)[table.entity]
    kept = entities >= 0
    pairs = np.unique(papers[kept] * len(index) + entities[kept])
    return np.stack(np.divmod(pairs, len(index)), axis=1)


def _bounded(graph: igraph.Graph, weights: list[float] | None = None) -> list[list[float]]:
    """A force layout kept in a square the size of the graph, so parts that share nothing stay near."""
    half = math.sqrt(graph.vcount())
    low, high = [-half] * graph.vcount(), [half] * graph.vcount()
    return graph.layout_fruchterman_reingold(
        weights=weights, niter=ITERATIONS, grid=graph.vcount() > GRID_FROM, minx=low, maxx=high, miny=low, maxy=high
    ).coords


def _grouped(igraph: ModuleType, graph: igraph.Graph, groups: list[int]) -> list[list[float]]:
    """Each cluster laid out on its own in a disc of its size, the discs laid out as a graph of clusters.

    One force layout of the whole core draws a round ball in which clusters
    overlap; laid out apart, each cluster is a patch of its own colour.
    """
    order = sorted(set(groups))
    number = {cluster: i for i, cluster in enumerate(order)}
    members: dict[int, list[int]] = defaultdict(list)
    for vertex, cluster in enumerate(groups):
        members[cluster].append(vertex)
    radius = {cluster: math.sqrt(len(members[cluster])) for cluster in order}
    # Clusters as vertices, weighted by the links between them.
    between: Counter[tuple[int, int]] = Counter()
    for edge in graph.es:
        a, b = number[groups[edge.source]], number[groups[edge.target]]
        if a != b:
            between[min(a, b), max(a, b)] += 1
    radii = [radius[cluster] for cluster in order]
    centres = _separated(_arranged(radii, between), radii)
    coords: list[list[float]] = [[0.0, 0.0]] * len(groups)
    for cluster in order:
        vertices = members[cluster]
        local = _bounded(graph.induced_subgraph(vertices))
        mid_x = sum(c[0] for c in local) / len(local)
        mid_y = sum(c[1] for c in local) / len(local)
        reach = max(math.hypot(c[0] - mid_x, c[1] - mid_y) for c in local) or 1.0
        scale = radius[cluster] / reach
        cx, cy = centres[number[cluster]]
        for vertex, (x, y) in zip(vertices, local, strict=True):
            coords[vertex] = [cx + (x - mid_x) * scale, cy + (y - mid_y) * scale]
    return coords


def _separated(centres: list[tuple[float, float]], radii: list[float]) -> list[tuple[float, float]]:
    """The clusters' centres at the scale of their discs, pushed apart until no two discs overlap.

    ForceAtlas2's coordinates have a scale of their own. Scaling them until
    the closest pair no longer overlaps (as a first version did) lets that one
    pair set the scale of the whole map: the clusters shrank to dots in wide
    gaps. Instead the map is scaled so that a typical cluster just clears its
    nearest neighbour, and the few pairs that still overlap are pushed apart,
    each by half of what they overlap, a fixed number of rounds.
    """
    n = len(centres)
    if n < 2:
        return list(centres)
    clear = []
    for a in range(n):
        b = min((b for b in range(n) if b != a), key=lambda b: math.dist(centres[a], centres[b]))
        clear.append(GAP * (radii[a] + radii[b]) / max(math.dist(centres[a], centres[b]), 1e-6))
    scale = sorted(clear)[n // 2]
    at = [[x * scale, y * scale] for x, y in centres]
    for _ in range(SEPARATION_ROUNDS):
        moved = False
        for a in range(n):
            for b in range(a + 1, n):
                dx, dy = at[b][0] - at[a][0], at[b][1] - at[a][1]
                dist = math.hypot(dx, dy) or 1e-6
                overlap = GAP * (radii[a] + radii[b]) - dist
                if overlap > 0:
                    ux, uy = (dx / dist, dy / dist) if dist > 1e-6 else (1.0, 0.0)
                    at[a][0] -= ux * overlap / 2
                    at[a][1] -= uy * overlap / 2
                    at[b][0] += ux * overlap / 2
                    at[b][1] += uy * overlap / 2
                    moved = True
        if not moved:
            break
    return [(x, y) for x, y in at]


def _arranged(radii: list[float], between: Counter[tuple[int, int]]) -> list[tuple[float, float]]:
    """Where the clusters' discs go: networkx's ForceAtlas2, which knows their sizes, and whose
    strong gravity keeps clusters that share nothing near the others.

    Its cost grows with the square of the vertices, but these are clusters, not papers.
    """
    import networkx as nx

    if len(radii) < 2:
        return [(0.0, 0.0)] * len(radii)  # ForceAtlas2 divides by zero for a lone vertex
    graph = nx.Graph()
    graph.add_nodes_from(range(len(radii)))
    # Cosine similarity, not counts: thousands of links between two big clusters would pull
    # them onto one spot, whatever their sizes.
    strength: Counter[int] = Counter()
    for (a, b), n in between.items():
        strength[a] += n
        strength[b] += n
    graph.add_weighted_edges_from(
        (a, b, n / math.sqrt(strength[a] * strength[b])) for (a, b), n in sorted(between.items())
    )
    positions = nx.forceatlas2_layout(
        graph,
        max_iter=CLUSTER_ITERATIONS,
        node_size=dict(enumerate(radii)),
        node_mass={i: r * r for i, r in enumerate(radii)},
        weight="weight",
        strong_gravity=True,
        seed=SEED,
    )
    return [(float(positions[i][0]), float(positions[i][1])) for i in range(len(radii))]


def _first_paper(kg: KnowledgeGraph, at: dict[str, list[float]], entity: str) -> list[float]:
    papers = kg.papers_by_entity[entity]
    return at[papers[0]] if papers else [0.0, 0.0]


def _extent(coords: list[list[float]]) -> float:
    """The longer side of the box around ``coords`` (1 when it has none)."""
    if not coords:
        return 1.0
    xs, ys = [c[0] for c in coords], [c[1] for c in coords]
    return max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0


def _scaled(nodes: list[str], coords: list[list[float]], scale: float) -> dict[str, tuple[float, float]]:
    """Positions ``scale`` times ``coords``, centred on 0, rounded."""
    if not coords:
        return {}
    xs, ys = [c[0] for c in coords], [c[1] for c in coords]
    mid_x, mid_y = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    return {
        node: (round((x - mid_x) * scale, DECIMALS) + 0.0, round((y - mid_y) * scale, DECIMALS) + 0.0)
        for node, (x, y) in zip(nodes, coords, strict=True)
    }


def _clusters(kg: KnowledgeGraph, nodes: list[str], membership: list[int], core: set[str]) -> dict[str, int]:
    """Node -> cluster id: large communities numbered by falling size, small ones pooled, leaves with their paper."""
    community = dict(zip(nodes, membership, strict=True))
    sizes = Counter(community[p.id] for p in kg.papers)
    # Ties by the community's first paper, so numbering does not depend on igraph's.
    first = {}
    for paper in kg.papers:
        first.setdefault(community[paper.id], len(first))
    ranked = sorted((c for c, n in sizes.items() if n >= MIN_CLUSTER_PAPERS), key=lambda c: (-sizes[c], first[c]))
    number = {c: i for i, c in enumerate(ranked)}
    cluster_of = {p.id: number.get(community[p.id], OTHER) for p in kg.papers}
    for entity in kg.entities:
        papers = kg.papers_by_entity[entity.id]
        if entity.id in core:
            cluster_of[entity.id] = number.get(community[entity.id], OTHER)
        else:  # one paper, perhaps under several relations; an entity of none stays apart
            cluster_of[entity.id] = cluster_of[papers[0]] if papers else OTHER
    return cluster_of


def _describe(
    kg: KnowledgeGraph, positions: dict[str, tuple[float, float]], cluster_of: dict[str, int], core: set[str]
) -> list[Cluster]:
    """Each cluster's size, centre and most specific entities."""
    members: dict[int, list[str]] = defaultdict(list)
    for paper in kg.papers:
        members[cluster_of[paper.id]].append(paper.id)
    # tf: papers of the cluster linking the entity; df: papers linking it anywhere.
    tf: dict[int, Counter[str]] = defaultdict(Counter)
    naming = {e.id for e in kg.entities if e.id in core and e.type not in UNNAMING}
    for entity in naming:
        for paper in set(kg.papers_by_entity[entity]):
            tf[cluster_of[paper]][entity] += 1
    total = len(kg.papers)
    clusters = []
    for cid in sorted(members, key=lambda c: (c == OTHER, c)):
        papers = members[cid]
        scores = {
            entity: count / len(papers) * math.log(total / kg.paper_count[entity])
            for entity, count in tf[cid].items()
            if count >= 2
        }
        # An entity in every paper (a score of 0) names nothing.
        best = sorted((e for e in scores if scores[e] > 0), key=lambda e: (-scores[e], kg.entity_by_id[e].label))
        best = best[:NAME_TERMS]
        terms = [] if cid == OTHER else [kg.entity_by_id[e].label for e in best]
        x = round(sum(positions[p][0] for p in papers) / len(papers), DECIMALS)
        y = round(sum(positions[p][1] for p in papers) / len(papers), DECIMALS)
        clusters.append(Cluster(cid, terms, len(papers), x, y))
    return clusters
