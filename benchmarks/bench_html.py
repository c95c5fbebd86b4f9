"""The map benchmark: build-time layout cost and graph.html's time to a still drawing, at growing sizes.

For each N it builds the graph of a synthetic corpus (see ``corpus.py``; the
extraction cache in ``--work`` makes a second run fast), then times the
layout (:func:`kg.layout.compute`: communities, cluster and leaf layouts)
and the page's rendering, writes graph.html and opens it in headless
Chromium (tests/chromium.py), reading ``document.body.dataset.ready``: the
milliseconds from loading the file to a still, labelled drawing. Prints
markdown.

    .venv/bin/python benchmarks/bench_html.py                       # N = 300, 3,000 and 30,000
    .venv/bin/python benchmarks/bench_html.py --sizes 300 --jobs 2  # a quick look
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from kg.api import build
from kg.export import ExportOptions
from kg.export.html import render
from kg.graph import KnowledgeGraph
from kg.layout import compute, core_entities
from kg.pipeline import ExtractOptions

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
import corpus  # a sibling script, not a package
from chromium import chromium, chromium_binary  # the browser tests' driver


def graph_of(n: int, work: Path, jobs: int) -> KnowledgeGraph:
    source = work / f"corpus-{n}.jsonl"
    if not source.exists():
        corpus.write(source, corpus.papers(n))
    return build(source, work / f"out-{n}", formats=[], extraction=ExtractOptions(jobs=jobs, progress=False)).kg


def measure(n: int, work: Path, jobs: int, binary: str) -> str:
    kg = graph_of(n, work, jobs)
    start = time.perf_counter()
    layout = compute(kg)
    layout_seconds = time.perf_counter() - start
    kg.layout = layout  # the cached property, as the exporters would find it
    start = time.perf_counter()
    page = render(kg, ExportOptions().html_max_nodes, ExportOptions().iris)
    render_seconds = time.perf_counter() - start
    dest = work / f"out-{n}" / "graph.html"
    dest.write_text(page, encoding="utf-8")
    with tempfile.TemporaryDirectory() as profile, chromium(binary, Path(profile)) as browser:
        browser.open(dest)
        ready = int(browser.evaluate("document.body.dataset.ready"))
        drawn = int(browser.evaluate("document.body.dataset.drawnNodes"))
        labels = len(browser.evaluate("kgGraph.labels()"))
        overview = browser.evaluate("kgGraph.payload.overview")
    nodes = len(kg.papers) + len(kg.entities)
    return (
        f"| {len(kg.papers):,} | {nodes:,} | {len(kg.papers) + len(core_entities(kg)):,} | {len(layout.clusters)} "
        f"| {layout_seconds:.1f} | {render_seconds:.1f} | {len(page) / 1e6:.1f} "
        f"| {'overview' if overview else 'map'}: {drawn:,} | {labels} | {ready:,} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[300, 3_000, 30_000], metavar="N")
    parser.add_argument("--jobs", type=int, default=1, help="extraction processes (default: 1)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/kg-bench-html"), help="corpora and outputs go here")
    args = parser.parse_args()
    binary = chromium_binary()
    if binary is None:
        sys.exit("bench_html: needs Chromium (Debian: apt-get install chromium)")
    args.work.mkdir(parents=True, exist_ok=True)
    print(
        f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, --html-max-nodes {ExportOptions().html_max_nodes}\n"
    )
    print(
        "| papers | nodes | papers + shared entities | clusters | layout (s) | page (s) | page (MB) "
        "| drawn first | labels | ready (ms) |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|")
    for n in args.sizes:
        print(measure(n, args.work, args.jobs, binary), flush=True)


if __name__ == "__main__":
    main()
