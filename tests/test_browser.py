"""graph.html in a real browser: headless Chromium, offline, driven over DevTools.

Checks what only a browser can: the page runs without a console error or a
single network request, draws the seed build's map at once (within 2 s of
loading, physics off), with at least 30 labels at the default zoom and none
over another (their boxes read from the page), a cluster list that focuses a
cluster, search by alias, the focused node kept in the URL, a dataset's
leaderboard and the relations between entities, drawn and toggled. Screenshots
of the seed and demo builds are kept in tests/artifacts/ (docs/ holds copies
for the README).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from chromium import Page, chromium, chromium_binary
from test_html import HOSTILE_ALIAS, HOSTILE_TITLE, hostile_kg

from kg.export import ExportOptions, get_exporter
from kg.graph import KnowledgeGraph
from kg.layout import OTHER, core_entities

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
BINARY = chromium_binary()
#: The issue's bar: a person sees the map within 2 s of opening it.
READY_MS = 2000

pytestmark = pytest.mark.skipif(
    BINARY is None, reason="Chromium is not installed (Debian: apt-get install chromium); .ci/run installs it"
)


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Page]:
    assert BINARY is not None
    with chromium(BINARY, tmp_path_factory.mktemp("chromium-profile")) as page:
        yield page


@pytest.fixture
def seed_page(page: Page, seed_build: Path) -> Page:
    """The seed page, freshly opened: nothing focused, revealed or filtered by an earlier test."""
    page.open(seed_build / "graph.html")
    return page


@pytest.fixture(scope="module")
def demo_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`kg build examples/`: what `make demo` writes."""
    from kg.cli import main

    out = tmp_path_factory.mktemp("demo_build")
    assert main(["build", str(ROOT / "examples"), "--out", str(out), "--jobs", "1", "--quiet"]) == 0
    return out


def type_into_search(page: Page, text: str) -> int:
    """Type into the search box as a user would; returns the number of results listed."""
    page.evaluate(
        "(() => { const box = document.getElementById('kg-search');"
        f" box.value = {text!r}; box.dispatchEvent(new Event('input')); }})()"
    )
    return page.evaluate("document.querySelectorAll('#kg-results li').length")


def overlapping(boxes: list[dict]) -> list[tuple[str, str]]:
    return [
        (a["text"], b["text"])
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a["left"] < b["left"] + b["width"]
        and b["left"] < a["left"] + a["width"]
        and a["top"] < b["top"] + b["height"]
        and b["top"] < a["top"] + a["height"]
    ]


def test_seed_page_runs_offline_without_errors(seed_page: Page) -> None:
    assert seed_page.errors == []
    assert [url for url in seed_page.requests if not url.startswith("file:")] == []


def test_seed_map_is_ready_at_once_and_stays_still(seed_page: Page, seed_kg: KnowledgeGraph) -> None:
    ready = int(seed_page.evaluate("document.body.dataset.ready"))
    assert 0 < ready <= READY_MS
    # Papers and the entities they share are drawn; the one-paper entities wait for the toggle.
    assert int(seed_page.evaluate("document.body.dataset.drawnNodes")) == len(seed_kg.papers) + len(
        core_entities(seed_kg)
    )
    assert seed_page.evaluate("kgGraph.network.physics.physicsEnabled") is False
    before = seed_page.evaluate("JSON.stringify(kgGraph.network.getPositions())")
    time.sleep(0.5)
    assert seed_page.evaluate("JSON.stringify(kgGraph.network.getPositions())") == before
    drawn = seed_page.evaluate("kgGraph.network.getPositions()")
    assert drawn == {
        node: {"x": pytest.approx(x, abs=1), "y": pytest.approx(y, abs=1)}  # vis truncates
        for node, (x, y) in seed_kg.layout.positions.items()
        if node in drawn
    }, "drawn where the build laid them out"


@pytest.mark.parametrize("build", ["seed", "demo"])
def test_labels_are_many_and_never_overlap_and_screenshot_kept(
    page: Page, seed_build: Path, demo_build: Path, build: str
) -> None:
    folder = {"seed": seed_build, "demo": demo_build}[build]
    page.open(folder / "graph.html")
    assert page.errors == []
    boxes = page.evaluate("kgGraph.labels()")
    # The demo's 56 papers share only 56 entities, crowded into small clusters: fewer fit unzoomed.
    assert len(boxes) >= {"seed": 30, "demo": 20}[build], [b["text"] for b in boxes]
    assert overlapping(boxes) == []
    width, height = page.evaluate(
        "[kgGraph.network.canvas.frame.clientWidth, kgGraph.network.canvas.frame.clientHeight]"
    )
    assert all(b["left"] >= 0 and b["top"] >= 0 and b["left"] + b["width"] <= width for b in boxes)
    assert all(b["top"] + b["height"] <= height for b in boxes)
    # Cluster names come first: every named cluster that fits is labelled on the map.
    names = page.evaluate("kgGraph.payload.clusters.filter(c => c.id >= 0).map(c => c.short)")
    assert set(names[:3]) <= {b["text"] for b in boxes}
    shot = page.screenshot(ARTIFACTS / f"graph-{build}.png")
    assert shot.stat().st_size > 50_000


def test_cluster_list_focuses_a_cluster(seed_page: Page, seed_kg: KnowledgeGraph) -> None:
    clusters = seed_kg.layout.clusters
    buttons = seed_page.evaluate("[...document.querySelectorAll('#kg-clusters button')].map(b => b.textContent)")
    assert len(buttons) == len(clusters)
    second = clusters[1]
    assert second.id != OTHER
    scale = seed_page.evaluate("kgGraph.network.getScale()")
    seed_page.evaluate("document.querySelectorAll('#kg-clusters button')[1].click()")
    time.sleep(0.7)  # the zoom is animated
    assert seed_page.evaluate("kgGraph.network.getScale()") > scale, "zoomed in on the cluster"
    assert seed_page.evaluate("document.querySelector('#kg-details h3').textContent").startswith(second.terms[0][:8])
    assert seed_page.evaluate("location.hash") == f"#cluster={second.id}"


def test_search_by_alias_focuses_the_entity_and_the_url_keeps_it(
    page: Page, seed_build: Path, seed_kg: KnowledgeGraph
) -> None:
    page.open(seed_build / "graph.html")
    core = core_entities(seed_kg)
    entity = max(
        (e for e in seed_kg.entities if e.aliases and e.id in core and len(e.aliases[0]) > 3),
        key=lambda e: (seed_kg.paper_count[e.id], e.id),
    )
    assert type_into_search(page, entity.aliases[0]) >= 1
    listed = page.evaluate("[...document.querySelectorAll('#kg-results li')].map(li => li.textContent)")
    assert any(entity.label in text for text in listed)
    index = next(i for i, text in enumerate(listed) if entity.label in text)
    page.evaluate(f"document.querySelectorAll('#kg-results li')[{index}].click()")
    assert page.evaluate("kgGraph.network.getSelectedNodes()") == [entity.id]
    details = page.evaluate("document.getElementById('kg-details').textContent")
    assert entity.label in details and entity.aliases[0] in details
    papers = page.evaluate("[...document.querySelectorAll('#kg-details .kg-papers li')].map(li => li.textContent)")
    assert set(papers) == {seed_kg.paper_by_id[p].title for p in seed_kg.papers_by_entity[entity.id]}
    hash_ = page.evaluate("location.hash")
    assert hash_.startswith("#node=")
    # A shared link opens on the same node.
    page.open(seed_build / "graph.html")
    page.evaluate(f"location.hash = {hash_!r}")
    time.sleep(0.2)
    assert page.evaluate("kgGraph.network.getSelectedNodes()") == [entity.id]


def test_one_paper_entities_are_one_click_away(seed_page: Page, seed_kg: KnowledgeGraph) -> None:
    single = [e for e in seed_kg.entities if e.id not in core_entities(seed_kg)]
    hidden = "kgGraph.nodes.get({filter: n => n.hidden}).length"
    assert seed_page.evaluate(hidden) == len(single)
    # From a paper's details: its one-paper entity is listed, and a click draws and focuses it.
    entity = single[0]
    paper = seed_kg.papers_by_entity[entity.id][0]
    seed_page.evaluate(f"kgGraph.focusNode({paper!r})")
    buttons = "[...document.querySelectorAll('#kg-details li button')]"
    assert entity.label in seed_page.evaluate(f"{buttons}.map(b => b.textContent)")
    seed_page.evaluate(f"{buttons}.find(b => b.textContent === {entity.label!r}).click()")
    assert seed_page.evaluate(f"kgGraph.nodes.get({entity.id!r}).hidden") is False
    # The toggle draws them all.
    seed_page.evaluate("document.getElementById('kg-single').click()")
    assert seed_page.evaluate(hidden) == 0
    seed_page.evaluate("document.getElementById('kg-single').click()")


def test_type_filter_hides_a_type(seed_page: Page, seed_kg: KnowledgeGraph) -> None:
    papers = "kgGraph.nodes.get({filter: n => n.hidden && n.id.startsWith('paper:')}).length"
    assert seed_page.evaluate(papers) == 0
    untick = (
        "(() => { const box = [...document.querySelectorAll('#kg-legend label')]"
        ".find(l => l.textContent.endsWith('Paper')).querySelector('input'); box.click(); })()"
    )
    seed_page.evaluate(untick)
    assert seed_page.evaluate(papers) == seed_page.evaluate(
        "kgGraph.payload.nodes.filter(n => n.kind === 'Paper').length"
    )
    seed_page.evaluate(untick)
    assert seed_page.evaluate(papers) == 0


def test_past_max_nodes_the_overview_draws_clusters_that_expand(
    page: Page, seed_kg: KnowledgeGraph, tmp_path: Path
) -> None:
    (path,) = get_exporter("html")(seed_kg, tmp_path, ExportOptions(html_max_nodes=200))
    page.open(path)
    assert page.errors == []
    clusters = seed_kg.layout.clusters
    assert int(page.evaluate("document.body.dataset.drawnNodes")) == len(clusters)
    boxes = page.evaluate("kgGraph.labels()")
    assert len(boxes) >= len(clusters) - 2 and overlapping(boxes) == []
    page.evaluate(f"void kgGraph.network.emit('click', {{nodes: ['cluster:{clusters[0].id}'], edges: []}})")
    drawn = page.evaluate("kgGraph.nodes.getIds()")
    assert f"cluster:{clusters[0].id}" not in drawn
    papers = {p.id for p in seed_kg.papers if seed_kg.layout.cluster_of[p.id] == clusters[0].id}
    assert papers <= set(drawn)
    assert page.errors == []


def test_hostile_titles_stay_text(page: Page, tmp_path: Path) -> None:
    (path,) = get_exporter("html")(hostile_kg(), tmp_path, ExportOptions())
    page.open(path)
    assert type_into_search(page, "onerror") == 1
    page.evaluate("document.querySelector('#kg-results li').click()")
    assert page.evaluate("document.querySelector('#kg-details h3').textContent") == HOSTILE_TITLE
    page.evaluate("document.querySelector('#kg-details li button').click()")  # the paper's link to X-Net
    assert page.evaluate("kgGraph.network.getSelectedNodes()") == ["method:x"]
    details = page.evaluate("document.getElementById('kg-details').textContent")
    assert HOSTILE_ALIAS in details and HOSTILE_TITLE in details
    assert page.evaluate("typeof window.kgPwned") == "undefined"
    assert page.evaluate("document.querySelectorAll('img, b').length") == 0
    assert page.evaluate("document.querySelectorAll('#kg-details a').length") == 0, "javascript: URL not linked"
    assert page.errors == []


def test_a_tiny_budget_still_opens_on_the_overview(page: Page, tmp_path: Path) -> None:
    # Two papers and their entity are more than two nodes: one cluster (of papers that are too few to name).
    (path,) = get_exporter("html")(hostile_kg(), tmp_path, ExportOptions(html_max_nodes=2))
    page.open(path)
    assert page.evaluate("document.body.dataset.drawnNodes") == "1"
    assert "click a cluster to draw it" in page.evaluate("document.getElementById('kg-summary').textContent")
    assert [b["text"] for b in page.evaluate("kgGraph.labels()")] == ["Other papers"]
    assert page.errors == []


def test_a_dataset_panel_shows_its_leaderboard_and_a_score_its_sentence(
    seed_page: Page, seed_kg: KnowledgeGraph
) -> None:
    """ImageNet's details: one table per metric, best first, with method, score, paper and sentence."""
    seed_page.evaluate("kgGraph.focusNode('dataset:imagenet')")
    captions = seed_page.evaluate("[...document.querySelectorAll('.kg-board caption')].map(c => c.textContent)")
    metrics = {r.metric for r in seed_kg.results if r.dataset_id == "dataset:imagenet"}
    assert sorted(c.rsplit(" (", 1)[0] for c in captions) == sorted(metrics)
    assert "top-1 accuracy (higher is better)" in captions and "top-1 error rate (lower is better)" in captions
    first = "document.querySelector('.kg-board').rows[1]"  # the first metric's table: header row, then the best
    assert seed_page.evaluate(f"{first}.cells[0].textContent") == "1"
    assert seed_page.evaluate(f"{first}.cells[1].textContent").startswith("NASNet" + "Learning Transferable")
    assert seed_page.evaluate(f"{first}.cells[2].textContent") == "82.7%"
    nasnet = next(r for r in seed_kg.results if r.value == 82.7)
    assert seed_page.evaluate(f"{first}.title") == nasnet.sentence, "the sentence on hover"
    sentence = f"{first}.nextElementSibling"
    assert seed_page.evaluate(f"{sentence}.hidden") is True
    seed_page.evaluate(f"{first}.querySelector('.kg-score').click()")
    assert seed_page.evaluate(f"{sentence}.hidden") is False
    assert seed_page.evaluate(f"{sentence}.textContent") == nasnet.sentence
    # The method's name leads to the method, whose details say what it was evaluated on.
    seed_page.evaluate(f"{first}.cells[1].querySelector('button').click()")
    assert seed_page.evaluate("kgGraph.network.getSelectedNodes()") == ["method:nasnet"]
    details = seed_page.evaluate("document.getElementById('kg-details').innerText")
    evaluated = sorted(
        seed_kg.entity_by_id[e.tail].label
        for e in seed_kg.relations
        if e.head == "method:nasnet" and e.type.value == "evaluatedOn"
    )
    assert f"Evaluated on ({len(evaluated)})" in details and "ImageNet" in evaluated
    assert all(label in details for label in evaluated)
    assert seed_page.errors == []
    # The README's picture of a leaderboard: ImageNet's, its best score's sentence open.
    seed_page.evaluate("kgGraph.focusNode('dataset:imagenet')")
    seed_page.evaluate(f"{first}.querySelector('.kg-score').click()")
    seed_page.evaluate("document.getElementById('kg-details').scrollIntoView()")
    time.sleep(0.5)  # the zoom is animated
    assert seed_page.screenshot(ARTIFACTS / "graph-leaderboard.png").stat().st_size > 50_000


def test_relations_are_drawn_dashed_and_toggled_in_the_legend(seed_page: Page, seed_kg: KnowledgeGraph) -> None:
    drawn = "kgGraph.edges.get({filter: e => Boolean(e.dashes) && !e.hidden}).length"
    assert seed_page.evaluate(drawn) == len(seed_kg.relations)
    broader = sum(e.type.value == "broader" for e in seed_kg.relations)
    box = "document.querySelector('#kg-relation-legend input[data-relation=\"broader\"]')"
    seed_page.evaluate(f"{box}.click()")
    assert seed_page.evaluate(drawn) == len(seed_kg.relations) - broader
    seed_page.evaluate(f"{box}.click()")
    assert seed_page.evaluate(drawn) == len(seed_kg.relations)
    # A task's details: what is under it, from its side.
    child = next(e for e in seed_kg.relations if e.type.value == "broader")
    seed_page.evaluate(f"kgGraph.focusNode({child.tail!r})")
    details = seed_page.evaluate("document.getElementById('kg-details').innerText")
    assert "Narrower tasks" in details and seed_kg.entity_by_id[child.head].label in details
    assert seed_page.errors == []
