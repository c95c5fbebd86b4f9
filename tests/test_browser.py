"""graph.html in a real browser: headless Chromium, offline, driven over DevTools.

Checks what only a browser can: the page runs without a console error or a
single network request, vis-network lays out every node and then stops, the
canvas is coloured, search and the type filter work, and hostile titles stay
text. The seed page's screenshot is kept in tests/artifacts/graph.png.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest
from chromium import Page, chromium, chromium_binary
from test_html import HOSTILE_ALIAS, HOSTILE_TITLE, hostile_kg

from kg.export import ExportOptions, get_exporter
from kg.export.html import PAPERS_LISTED, select
from kg.export.style import NODE_STYLES, PAPER, rgb
from kg.graph import KnowledgeGraph

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
BINARY = chromium_binary()

pytestmark = pytest.mark.skipif(
    BINARY is None, reason="Chromium is not installed (Debian: apt-get install chromium); .ci/run installs it"
)


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Page]:
    assert BINARY is not None
    with chromium(BINARY, tmp_path_factory.mktemp("chromium-profile")) as page:
        yield page


@pytest.fixture(scope="module")
def seed_graph(seed_build: Path) -> nx.MultiDiGraph:
    return nx.read_graphml(seed_build / "graph.graphml", force_multigraph=True)


@pytest.fixture(scope="module")
def seed_page(page: Page, seed_build: Path) -> Page:
    page.open(seed_build / "graph.html")
    return page


def type_into_search(page: Page, text: str) -> int:
    """Type into the search box as a user would; returns the number of results listed."""
    page.evaluate(
        "(() => { const box = document.getElementById('kg-search');"
        f" box.value = {text!r}; box.dispatchEvent(new Event('input')); }})()"
    )
    return page.evaluate("document.querySelectorAll('#kg-results li').length")


def test_seed_page_runs_offline_without_errors(seed_page: Page, seed_build: Path) -> None:
    assert seed_page.errors == []
    assert [url for url in seed_page.requests if not url.startswith("file:")] == []


def test_every_selected_node_is_laid_out_and_physics_stops(seed_page: Page, seed_kg: KnowledgeGraph) -> None:
    expected = len(select(seed_kg, ExportOptions().html_max_nodes).nodes)
    assert int(seed_page.evaluate("document.body.dataset.drawnNodes")) == expected
    assert seed_page.evaluate("kgGraph.network.physics.physicsEnabled") is False
    before = seed_page.evaluate("JSON.stringify(kgGraph.network.getPositions())")
    time.sleep(0.5)
    assert seed_page.evaluate("JSON.stringify(kgGraph.network.getPositions())") == before


def test_canvas_is_coloured_by_type_and_screenshot_kept(seed_page: Page) -> None:
    # Count canvas pixels in the paper colour: proof the graph is drawn, and in colour.
    r, g, b = rgb(NODE_STYLES[PAPER].colour)
    painted = seed_page.evaluate(
        "(() => { const c = document.querySelector('#kg-network canvas');"
        " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;"
        f" for (let i = 0; i < d.length; i += 4) if (d[i] === {r} && d[i+1] === {g} && d[i+2] === {b}) n++;"
        " return n; })()"
    )
    assert painted > 1000
    shot = seed_page.screenshot(ARTIFACTS / "graph.png")
    assert shot.stat().st_size > 50_000


def test_search_finds_and_focuses_a_node(seed_page: Page, seed_graph: nx.MultiDiGraph, seed_kg: KnowledgeGraph) -> None:
    drawn = select(seed_kg, ExportOptions().html_max_nodes).nodes
    hub = max((n for n in drawn if seed_graph.nodes[n]["type"] != PAPER), key=seed_graph.degree)
    label = seed_graph.nodes[hub]["label"]
    assert type_into_search(seed_page, label) >= 1
    seed_page.evaluate("document.querySelector('#kg-results li').click()")
    assert seed_page.evaluate("kgGraph.network.getSelectedNodes()") == [hub]
    assert seed_page.evaluate("document.querySelector('#kg-details h3').textContent") == label
    listed = seed_page.evaluate("[...document.querySelectorAll('#kg-details li')].map(li => li.textContent)")
    titles = {seed_graph.nodes[p]["label"] for p in seed_graph.predecessors(hub)}
    assert len(listed) == min(len(titles), PAPERS_LISTED)
    assert set(listed) <= titles


def test_type_filter_hides_a_type(seed_page: Page, seed_build: Path) -> None:
    hidden = "kgGraph.nodes.get({filter: n => n.hidden}).length"
    assert seed_page.evaluate(hidden) == 0
    untick = (
        "(() => { const box = [...document.querySelectorAll('#kg-legend label')]"
        ".find(l => l.textContent === 'Paper').querySelector('input'); box.click(); })()"
    )
    seed_page.evaluate(untick)
    papers = seed_page.evaluate("kgGraph.nodes.get({filter: n => n.kind === 'Paper'}).length")
    assert seed_page.evaluate(hidden) == papers > 0
    seed_page.evaluate(untick)
    assert seed_page.evaluate(hidden) == 0


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


def test_a_page_cut_to_nothing_still_opens_and_says_so(page: Page, tmp_path: Path) -> None:
    # Every entity of the hostile graph has two papers, so a budget of two nodes keeps none.
    (path,) = get_exporter("html")(hostile_kg(), tmp_path, ExportOptions(html_max_nodes=2))
    page.open(path)
    assert page.evaluate("document.body.dataset.drawnNodes") == "0"
    summary = page.evaluate("document.getElementById('kg-summary').textContent")
    assert summary.startswith("Showing 0 of 3 nodes") and "Left out: 1 entities and 2 papers" in summary
    assert page.errors == []
