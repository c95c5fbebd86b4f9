"""Build benchmark: `kg build` against a stock spaCy pipeline, at growing sizes.

For each N it writes a synthetic corpus (see ``corpus.py``) and times, as
separate processes, a stock ``en_core_web_sm`` ``nlp.pipe`` over the same
texts (every component, one process: what a user would write first), then
``kg build`` with every export for ``--jobs 1``, ``--jobs 2`` and the Dask
engine (cache off), a first build that fills the cache, and a rebuild after
adding 1% new papers. Peak memory is the largest sum over the process and
all its children (workers included) of their proportional set size (PSS:
pages forked workers share are counted once), sampled twice a second. Prints
markdown.

    .venv/bin/python benchmarks/bench_build.py              # N = 1,000 and 10,000
    .venv/bin/python benchmarks/bench_build.py --sizes 200  # a quick look
    .venv/bin/python benchmarks/bench_build.py --large      # adds N = 100,000 (kg --jobs 2 runs)
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # a sibling script, not a package

#: Reading PSS walks the page tables of the process read and slows it: at 20 samples a
#: second a 1,000-paper `--jobs 1` build took 22 s instead of 13 s here.
SAMPLE_SECONDS = 0.5
MB = 1024 * 1024


@dataclass
class Run:
    label: str
    papers: int
    seconds: float
    #: Peak of the summed memory of the process tree (see :func:`memory`).
    peak_memory: int
    load: float
    out_bytes: int = 0

    @property
    def rate(self) -> float:
        return self.papers / self.seconds


def memory(process: psutil.Process) -> int:
    """Bytes of memory ``process`` accounts for: its PSS where Linux tells it, else its RSS.

    Forked export workers share the parent's pages until they write them.
    RSS counts a shared page in every process that maps it, so a sum of RSS
    over the tree would count the graph once per worker; PSS divides each
    page among the processes sharing it, so the sum is the memory used.
    """
    try:
        with open(f"/proc/{process.pid}/smaps_rollup", encoding="ascii") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return process.memory_info().rss


def measure(label: str, papers: int, command: list[str], out: Path | None = None) -> Run:
    """Wall time and peak memory of ``command`` and every process it starts (see :func:`memory`)."""
    load = os.getloadavg()[0]
    started = time.perf_counter()
    process = psutil.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    while process.poll() is None:
        try:
            tree = [process, *process.children(recursive=True)]
            peak = max(peak, sum(memory(p) for p in tree if p.is_running()))
        except psutil.Error:
            pass  # a child ended between listing and reading it
        time.sleep(SAMPLE_SECONDS)
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"{label} failed:\n{process.stderr.read().decode()}")
    size = sum(f.stat().st_size for f in out.iterdir() if f.is_file()) if out else 0
    return Run(label, papers, seconds, peak, load, size)


def stock_pipe(corpus_file: Path) -> None:
    """The baseline, run in its own process: every component of the stock model."""
    import spacy

    from kg.nlp import default_model_name

    with corpus_file.open(encoding="utf-8") as lines:
        texts = [f"{r['title']}\n\n{r['abstract']}" for r in map(json.loads, lines)]
    nlp = spacy.load(default_model_name())
    for _ in nlp.pipe(texts, batch_size=64):
        pass


def kg_build(inputs: list[Path], out: Path, *flags: str) -> list[str]:
    return [sys.executable, "-m", "kg", "build", *map(str, inputs), "--out", str(out), "--quiet", *flags]


def plan(n: int, work: Path) -> dict[str, tuple[str, int, list[str], Path | None]]:
    """The runs for size ``n`` by key: label, papers read, command, output folder."""
    work.mkdir(parents=True, exist_ok=True)
    added = max(1, n // 100)
    records = list(corpus.papers(n + added))
    base, extra = work / f"corpus_{n}.jsonl", work / f"added_{n}.jsonl"
    corpus.write(base, iter(records[:n]))
    corpus.write(extra, iter(records[n:]))
    out = {name: work / f"out_{n}_{name}" for name in ("j1", "j2", "dask", "cached")}
    for folder in out.values():
        # Left by an earlier run, the cache would make the build that fills it a rebuild.
        shutil.rmtree(folder, ignore_errors=True)
    return {
        "stock": ("stock en_core_web_sm nlp.pipe", n, [sys.executable, __file__, "--stock", str(base)], None),
        "j1": ("kg build --jobs 1", n, kg_build([base], out["j1"], "--jobs", "1", "--no-cache"), out["j1"]),
        "j2": ("kg build --jobs 2", n, kg_build([base], out["j2"], "--jobs", "2", "--no-cache"), out["j2"]),
        "dask": (
            "kg build --engine dask --jobs 2",
            n,
            kg_build([base], out["dask"], "--engine", "dask", "--jobs", "2", "--no-cache"),
            out["dask"],
        ),
        "cached": (
            "kg build --jobs 2, cache filled",
            n,
            kg_build([base], out["cached"], "--jobs", "2"),
            out["cached"],
        ),
        "rebuild": (
            f"rebuild after +1% ({added} papers)",
            n + added,
            kg_build([base, extra], out["cached"], "--jobs", "2"),
            out["cached"],
        ),
    }


#: Every run of a size, in the order they run.
RUN_KEYS = ("stock", "j1", "j2", "dask", "cached", "rebuild")


def row(run: Run) -> str:
    outputs = f"{run.out_bytes / MB:.1f}" if run.out_bytes else "-"
    cells = [
        run.label,
        f"{run.seconds:.1f}",
        f"{run.rate:.1f}",
        f"{run.peak_memory / MB:.0f}",
        outputs,
        f"{run.load:.1f}",
    ]
    return f"| {' | '.join(cells)} |"


#: Ratio lines: (numerator run, denominator run, text, compared attribute); shown when both ran.
RATIOS = [
    ("j1", "stock", "`--jobs 1` / stock throughput: **{:.2f}x** (target >= 2)", "rate"),
    ("j2", "j1", "`--jobs 2` / `--jobs 1` throughput: **{:.2f}x** (target >= 1.6)", "rate"),
    ("rebuild", "cached", "rebuild after +1% / full build with cache: **{:.1%}** (target < 10%)", "seconds"),
]


def summary(runs: dict[str, Run], out: Path) -> str:
    lines = [""]
    for top, bottom, text, measure_name in RATIOS:
        if top in runs and bottom in runs:
            lines.append("- " + text.format(getattr(runs[top], measure_name) / getattr(runs[bottom], measure_name)))
    if out.is_dir():
        sizes = ", ".join(f"{f.name} {f.stat().st_size / MB:.1f} MB" for f in sorted(out.iterdir()) if f.is_file())
        lines.append(f"- outputs of `--jobs 1`: {sizes}")
    return "\n".join([*lines, ""])


def bench(n: int, work: Path, skip: set[str]) -> dict[str, Run]:
    """Print the table for size ``n`` a row at a time, so a long run shows progress."""
    print(f"### N = {n:,}\n")
    print("| run | wall s | papers/s | peak memory MB | outputs MB | load avg at start |")
    print("|---|---:|---:|---:|---:|---:|", flush=True)
    runs = {}
    for key, (label, papers, command, out) in plan(n, work).items():
        if key not in skip:
            runs[key] = measure(label, papers, command, out)
            print(row(runs[key]), flush=True)
    print(summary(runs, work / f"out_{n}_j1"), flush=True)
    return runs


def growth(by_size: dict[int, dict[str, Run]]) -> str:
    """How time and peak memory grow with N, as the cost of each 1,000 papers added since the size before.

    Start-up costs (interpreter, model, worker processes) cancel out, so under
    linear growth the two "added" columns stay flat from size to size.
    """
    lines = [
        "### Growth\n",
        "| run | N | wall s | peak memory MB | added s per 1,000 papers | added MB per 1,000 papers |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for key in RUN_KEYS:
        before: Run | None = None
        for runs in by_size.values():
            if key not in runs:
                continue
            run = runs[key]
            cells = [run.label, f"{run.papers:,}", f"{run.seconds:.1f}", f"{run.peak_memory / MB:.0f}", "-", "-"]
            if before is not None:
                per = 1000 / (run.papers - before.papers)
                cells[4] = f"{(run.seconds - before.seconds) * per:.2f}"
                cells[5] = f"{(run.peak_memory - before.peak_memory) / MB * per:.1f}"
            lines.append(f"| {' | '.join(cells)} |")
            before = run
    return "\n".join([*lines, ""])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000], metavar="N")
    parser.add_argument("--large", action="store_true", help="also N = 100,000 (about 40 minutes on 2 cores)")
    parser.add_argument(
        "--large-skip",
        nargs="*",
        default=["stock", "j1", "dask"],
        choices=RUN_KEYS,
        help="runs left out at N = 100,000 (default: stock j1 dask, whose throughput the smaller sizes "
        "measure and which would add hours)",
    )
    parser.add_argument("--work", type=Path, default=Path("/tmp/kg-bench"), help="corpora and outputs go here")
    parser.add_argument(
        "--skip",
        nargs="+",
        default=[],
        choices=RUN_KEYS,
        help="runs to leave out (e.g. the stock baseline, whose throughput does not depend on N)",
    )
    parser.add_argument("--stock", type=Path, help=argparse.SUPPRESS)  # the baseline's own process
    args = parser.parse_args()
    if args.stock:
        stock_pipe(args.stock)
        return
    print(f"{os.cpu_count()} cores, Python {sys.version.split()[0]}\n")
    by_size = {n: bench(n, args.work, set(args.skip)) for n in args.sizes}
    if args.large:
        by_size[100_000] = bench(100_000, args.work, set(args.skip) | set(args.large_skip))
    if len(by_size) > 1:
        print(growth(by_size), flush=True)


if __name__ == "__main__":
    main()
