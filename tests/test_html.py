"""graph.html without a browser: self-contained, escaped, laid out, and an overview past the budget.

The page is checked as a parser sees it (no external script or stylesheet,
no user text outside the JSON payload) and the payload is checked against
graph.graphml of the same build, so the view and the files cannot drift apart.
The page is drawn from the KnowledgeGraph tables; the checks read GraphML
through networkx, an independent route to the same graph.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest

from kg.export import ExportOptions, get_exporter, html
from kg.export.html import EVIDENCE_LISTED, PAPERS_LISTED, render, select, summary
from kg.export.style import PAPER
from kg.graph import KnowledgeGraph, relation_id
from kg.layout import OTHER, core_entities
from kg.records import Entity, EntityType, Link, Paper, Relation, Source

HOSTILE_TITLE = "<img src=x onerror=window.kgPwned=1>"
HOSTILE_ABSTRACT = "We break pages. </script><script>window.kgPwned=2</script> See https://github.com/evil/repo."
HOSTILE_ALIAS = "</script><b>bold</b>"


class PageParser(HTMLParser):
    """Collects the tags of a page and the text of its scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._in_script: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = dict(attrs)
            self.scripts.append((self._in_script, ""))

    def handle_data(self, data: str) -> None:
        if self._in_script is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = None


def parse(page: str) -> PageParser:
    parser = PageParser()
    parser.feed(page)
    parser.close()
    return parser


def payload(page: str) -> dict:
    parser = parse(page)
    (data,) = [text for attrs, text in parser.scripts if attrs.get("id") == "kg-data"]
    return json.loads(data)


def hostile_kg() -> KnowledgeGraph:
    """Two papers whose text tries to break out of the page, and one shared entity."""
    papers = [
        Paper(
            id="paper:a",
            title=HOSTILE_TITLE,
            abstract=HOSTILE_ABSTRACT,
            url="javascript:window.kgPwned=3",
            sources=[Source("/data/evil.jsonl", 1)],
        ),
        Paper(id="paper:b", title="A harmless paper", abstract="Plain text.", url="https://arxiv.org/abs/2401.00001"),
    ]
    entity = Entity(id="method:x", type=EntityType.METHOD, label="X-Net", aliases=[HOSTILE_ALIAS])
    links = [Link(p.id, entity.id, Relation.USES, HOSTILE_ABSTRACT, 0, 5, "test", 1.0, "X-Net") for p in papers]
    return KnowledgeGraph(papers, [entity], links)


@pytest.fixture(scope="module")
def seed_page(seed_build: Path) -> str:
    return (seed_build / "graph.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed_graph(seed_build: Path) -> nx.MultiDiGraph:
    return nx.read_graphml(seed_build / "graph.graphml", force_multigraph=True)


def test_page_loads_nothing_from_outside(seed_page: str) -> None:
    parser = parse(seed_page)
    assert not [t for t, _ in parser.tags if t in ("link", "iframe", "img", "object", "embed")]
    assert all("src" not in attrs for attrs, _ in parser.scripts)
    for _, attrs in parser.tags:
        for name in ("src", "href", "action"):
            assert not (attrs.get(name) or "").startswith(("http:", "https:", "//")), attrs
    # Three scripts: the data, vis-network, ours. A stray "</script" in any of them would split it.
    assert len(parser.scripts) == 3
    assert len(parser.scripts[1][1]) > 400_000, "vis-network is inlined"
    csp = [a for t, a in parser.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert csp and "default-src 'none'" in (csp[0]["content"] or "")


def test_payload_matches_graphml_of_the_same_build(
    seed_page: str, seed_graph: nx.MultiDiGraph, seed_kg: KnowledgeGraph
) -> None:
    data = payload(seed_page)
    assert data["overview"] is False, "the seed build fits the default --html-max-nodes"
    assert {n["id"] for n in data["nodes"]} == set(seed_graph.nodes), "every node, one-paper entities hidden"
    drawn_edges = data["edges"] + data["relationEdges"]
    assert sorted(e["id"] for e in drawn_edges) == sorted(k for *_, k in seed_graph.edges(keys=True))
    types = Counter(d["type"] for _, d in seed_graph.nodes(data=True))
    assert {item["type"]: item["total"] for item in data["types"]} == dict(types)
    for node in data["nodes"]:
        attributes = seed_graph.nodes[node["id"]]
        assert node["kind"] == attributes["type"]
        assert (node["x"], node["y"], node["cluster"]) == (attributes["x"], attributes["y"], attributes["cluster"])
        if node["kind"] != PAPER:
            assert node["details"]["title"] not in node["details"]["aliases"], "the name is not its own alias"
            papers = sorted({p for p in seed_graph.predecessors(node["id"]) if p in seed_kg.paper_by_id})
            assert node["papers"] == node["details"]["paperCount"] == len(papers)
            assert node["single"] == (len(papers) == 1)
            assert [p for p, _ in node["details"]["papers"]] == papers[:PAPERS_LISTED]
    edges = {(u, v, k): d for u, v, k, d in seed_graph.edges(keys=True, data=True)}
    for edge in data["edges"]:
        expected = edges[edge["from"], edge["to"], edge["id"]]
        assert (edge["relation"], edge["evidence"]) == (expected["relation"], expected["evidence"])
    for edge in data["relationEdges"]:
        expected = edges[edge["from"], edge["to"], edge["id"]]
        assert (edge["relation"], edge["papers"]) == (expected["relation"], expected["papers"])
        assert expected.get("evidence", "") in {s for _, s in edge["evidence"]} | {""}
    paper = next(n for n in data["nodes"] if n["kind"] == PAPER)
    assert paper["details"]["title"] == seed_graph.nodes[paper["id"]]["title"]
    assert data["summary"] == summary(seed_kg, select(seed_kg, ExportOptions().html_max_nodes))


def test_clusters_are_listed_largest_first_with_names_and_colours(seed_page: str, seed_kg: KnowledgeGraph) -> None:
    clusters = payload(seed_page)["clusters"]
    assert [c["id"] for c in clusters] == [c.id for c in seed_kg.layout.clusters]
    named = [c for c in clusters if c["id"] != OTHER]
    assert [c["papers"] for c in named] == sorted((c["papers"] for c in named), reverse=True)
    assert sum(c["papers"] for c in clusters) == len(seed_kg.papers)
    assert all(c["name"] and c["terms"] for c in named)
    assert len({c["colour"] for c in named[:20]}) == min(len(named), 20)


def test_the_page_draws_without_physics(seed_page: str) -> None:
    """Positions come with the nodes; the page never starts vis-network's physics."""
    script = parse(seed_page).scripts[2][1]
    assert "physics: { enabled: false }" in script
    assert "stabiliz" not in script


@pytest.mark.parametrize("max_nodes", [10, 600, 1500])
def test_past_max_nodes_the_page_opens_on_the_overview(seed_kg: KnowledgeGraph, max_nodes: int) -> None:
    """Papers and shared entities over the budget: clusters first, the one-paper entities left out."""
    core = core_entities(seed_kg)
    data = payload(render(seed_kg, max_nodes, ExportOptions().iris))
    overview = len(seed_kg.papers) + len(core) > max_nodes
    assert data["overview"] is overview
    expected = {p.id for p in seed_kg.papers} | (core if overview else {e.id for e in seed_kg.entities})
    assert {n["id"] for n in data["nodes"]} == expected
    if overview:
        assert data["clusterLinks"] and data["summary"].startswith(f"{len(seed_kg.papers)} papers")
        assert "click a cluster" in data["summary"]
        assert all(a < b and n > 0 for a, b, n in data["clusterLinks"])
        assert all("evidence" not in edge for edge in data["edges"]), "in mentions.csv, not in a page this big"
    else:
        assert data["clusterLinks"] == []


def test_html_does_not_build_the_networkx_graph(seed_kg: KnowledgeGraph, tmp_path: Path) -> None:
    """At scale the whole networkx graph costs more than the page; the tables are enough."""
    for max_nodes in (40, ExportOptions().html_max_nodes):  # overview, whole map
        kg = KnowledgeGraph(seed_kg.papers, seed_kg.entities, seed_kg.links)
        get_exporter("html")(kg, tmp_path, ExportOptions(html_max_nodes=max_nodes))
        assert "graph" not in kg.__dict__, max_nodes
        assert payload((tmp_path / "graph.html").read_text(encoding="utf-8"))["nodes"]


@pytest.mark.parametrize(("graph", "max_nodes"), [("seed", 10), ("seed", 1500), ("hostile", 100)])
def test_the_page_written_in_pieces_holds_what_tojson_gives_for_the_whole_payload(
    seed_kg: KnowledgeGraph, graph: str, max_nodes: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The nodes and edges are made and written a batch at a time, and the bytes are Jinja's for the whole."""
    from jinja2.utils import htmlsafe_json_dumps

    kg = seed_kg if graph == "seed" else hostile_kg()
    iris = ExportOptions().iris
    whole = {k: list(v) if isinstance(v, Iterator) else v for k, v in html.payload(kg, max_nodes, iris).items()}
    assert len(whole["nodes"]) > 1 and whole["edges"]
    monkeypatch.setattr(html, "_ITEMS", 1)  # every item a batch of its own: each join between batches is tried
    assert "".join(html.json_chunks(html.payload(kg, max_nodes, iris))) == htmlsafe_json_dumps(whole, sort_keys=True)


def test_hostile_text_is_escaped_and_round_trips() -> None:
    page = render(hostile_kg(), 100, ExportOptions().iris)
    for raw in (HOSTILE_TITLE, "</script><script>", "<b>bold</b>"):
        assert raw not in page
    data = payload(page)
    details = {n["id"]: n["details"] for n in data["nodes"]}
    assert details["paper:a"]["title"] == HOSTILE_TITLE
    assert details["paper:a"]["abstract"] == HOSTILE_ABSTRACT
    assert details["paper:a"]["url"] == "", "a javascript: URL never becomes a link"
    assert details["paper:b"]["url"] == "https://arxiv.org/abs/2401.00001"
    assert details["method:x"]["aliases"] == [HOSTILE_ALIAS]
    assert details["method:x"]["papers"] == [["paper:a", HOSTILE_TITLE], ["paper:b", "A harmless paper"]]


def test_exporter_writes_graph_html_atomically(tmp_path: Path) -> None:
    written = get_exporter("html")(hostile_kg(), tmp_path, ExportOptions(html_max_nodes=2))
    assert written == [tmp_path / "graph.html"]
    assert [p.name for p in tmp_path.iterdir()] == ["graph.html"]
    data = payload(written[0].read_text(encoding="utf-8"))
    assert data["overview"] is True and len(data["nodes"]) == 3
    assert all(math.isfinite(n["x"]) and math.isfinite(n["y"]) for n in data["nodes"]), "one cluster is a map too"


@pytest.mark.parametrize(("value", "message"), [("0", "must be at least 1"), ("many", "'many' is not a whole number")])
def test_html_max_nodes_must_be_a_positive_count(
    seeds_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str, message: str
) -> None:
    from kg.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(["build", str(seeds_dir), "--out", str(tmp_path), "--html-max-nodes", value])
    assert exit_info.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == f"kg build: error: argument --html-max-nodes: {message}"
    assert not list(tmp_path.iterdir())


def test_a_dataset_holds_its_leaderboard_best_first(seed_page: str, seed_kg: KnowledgeGraph) -> None:
    """ImageNet's details list the seed results on it by metric, as results.csv ranks them."""
    nodes = {n["id"]: n for n in payload(seed_page)["nodes"]}
    board = nodes["dataset:imagenet"]["details"]["leaderboard"]
    on_imagenet = [r for r in seed_kg.results if r.dataset_id == "dataset:imagenet"]
    assert sum(len(m["results"]) for m in board) == len(on_imagenet) >= 3
    assert len({m["metric"].lower() for m in board}) == len(board), "one table per metric"
    for metric in board:
        absolute = [r for r in metric["results"] if not r["gain"]]
        assert [r["rank"] for r in absolute] == list(range(1, len(absolute) + 1))
        values = [r["value"] for r in absolute]
        assert values == sorted(values, reverse=not metric["lowerIsBetter"])
        assert all(r["rank"] == 0 for r in metric["results"][len(absolute) :]), "gains follow the scores"
        for r in metric["results"]:
            assert r["title"] == seed_kg.paper_by_id[r["paper"]].title
            assert str(r["value"]).rstrip("0").rstrip(".") in r["sentence"]
            assert r["methodLabel"] == (seed_kg.entity_by_id[r["method"]].label if r["method"] else "")
    top1 = next(m for m in board if m["metric"] == "top-1 accuracy")
    assert (top1["results"][0]["methodLabel"], top1["results"][0]["value"]) == ("NASNet", 82.7)
    error = next(m for m in board if "error" in m["metric"])
    assert error["lowerIsBetter"]
    # Only datasets have leaderboards, and only those with results.
    with_board = {n for n, node in nodes.items() if "leaderboard" in node["details"]}
    assert with_board == {r.dataset_id for r in seed_kg.results}


def test_relations_reach_the_page_with_headings_for_both_ends(seed_page: str, seed_kg: KnowledgeGraph) -> None:
    data = payload(seed_page)
    kinds = Counter(edge.type.value for edge in seed_kg.relations)
    assert {r["type"]: r["count"] for r in data["entityRelations"]} == kinds
    assert {r["type"] for r in data["entityRelations"]} >= {"usedFor", "evaluatedOn", "broader"}
    assert all(r["out"] and r["in"] and r["colour"].startswith("#") for r in data["entityRelations"])
    assert len(data["relationEdges"]) == len(seed_kg.relations)
    by_id = {relation_id(edge): edge for edge in seed_kg.relations}
    for edge in data["relationEdges"]:
        stated = by_id[edge["id"]].evidence
        assert edge["evidence"] == [[e.paper_id, e.sentence] for e in stated if e.paper_id][:EVIDENCE_LISTED]
