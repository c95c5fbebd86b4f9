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

``--stages`` measures instead what a build costs after extraction, stage by
stage: the cache is filled once per N (not measured), and each run builds
into a fresh folder holding a copy of that cache, so every paper is read
from it and every export is written afresh. Each stage (read, extract, that
is decoding the cache, resolve, export) gets its seconds and the peak summed
PSS sampled while it ran, also per 1,000 papers; the runs are every export
with ``--jobs 1`` and ``--jobs 2``, then each format alone with ``--jobs 1``
(and, when asked for, builds that extract every paper, for the spaCy
processes' share). These are the figures :mod:`kg.memory_guard` plans with.

    .venv/bin/python benchmarks/bench_build.py              # N = 1,000 and 10,000
    .venv/bin/python benchmarks/bench_build.py --sizes 200  # a quick look
    .venv/bin/python benchmarks/bench_build.py --large      # adds N = 100,000 (kg --jobs 2 runs)
    .venv/bin/python benchmarks/bench_build.py --stages --sizes 10000 100000
    .venv/bin/python benchmarks/bench_build.py --stages --sizes 300000 --replicate 100000
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from itertools import pairwise
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


def sampled(label: str, command: list[str]) -> tuple[list[tuple[float, int]], float, str]:
    """Run ``command``: its memory samples (epoch seconds, summed memory of the tree), wall seconds and stdout."""
    started = time.perf_counter()
    process = psutil.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    samples = []
    while process.poll() is None:
        try:
            tree = [process, *process.children(recursive=True)]
            samples.append((time.time(), sum(memory(p) for p in tree if p.is_running())))
        except psutil.Error:
            pass  # a child ended between listing and reading it
        time.sleep(SAMPLE_SECONDS)
    seconds = time.perf_counter() - started
    stdout, stderr = process.communicate()
    if process.returncode != 0:
        raise SystemExit(f"{label} failed:\n{stderr.decode()}")
    return samples, seconds, stdout.decode()


def measure(label: str, papers: int, command: list[str], out: Path | None = None) -> Run:
    """Wall time and peak memory of ``command`` and every process it starts (see :func:`memory`)."""
    load = os.getloadavg()[0]
    samples, seconds, _ = sampled(label, command)
    size = sum(f.stat().st_size for f in out.iterdir() if f.is_file()) if out else 0
    return Run(label, papers, seconds, max((pss for _, pss in samples), default=0), load, size)


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


#: The ``--stages`` runs: label -> (jobs, formats, RDF serialisation, whether the cache is used).
#: The two without it measure what the spaCy processes add to extraction's peak.
STAGE_RUNS: dict[str, tuple[int, str, str, bool]] = {
    "every export, --jobs 1": (1, "all", "ttl", True),
    "every export, --jobs 2": (2, "all", "ttl", True),
    "rdf (ttl)": (1, "rdf", "ttl", True),
    "rdf (nt)": (1, "rdf", "nt", True),
    "rdf (jsonld)": (1, "rdf", "jsonld", True),
    "graphml": (1, "graphml", "ttl", True),
    "gexf": (1, "gexf", "ttl", True),
    "html": (1, "html", "ttl", True),
    "tables": (1, "tables", "ttl", True),
    "parquet": (1, "parquet", "ttl", True),
    "extracting, --jobs 1": (1, "tables", "ttl", False),
    "extracting, --jobs 2": (2, "tables", "ttl", False),
}
#: The runs ``--stages`` makes unless told: every one with the cache.
CACHED_RUNS = [label for label, (*_, cached) in STAGE_RUNS.items() if cached]


def staged_build(corpus_file: Path, out: Path, jobs: int, formats: str, rdf_format: str, cache: bool) -> None:
    """In its own process: ``kg.build`` as ``kg build`` runs it; prints when it started and its stages' seconds."""
    import kg
    from kg.export import ExportOptions
    from kg.pipeline import ExtractOptions

    started = time.time()
    result = kg.build(
        corpus_file,
        out,
        formats=None if formats == "all" else formats,
        extraction=ExtractOptions(jobs=jobs, progress=False),
        export=ExportOptions(rdf_format=rdf_format),
        cache=cache,
        problems=kg.Problems(stream=None),
        once=True,
    )
    chars = sum(len(paper.text) for paper in result.kg.papers)
    papers = len(result.kg.papers)
    print(
        json.dumps(
            {
                "started": started,
                "seconds": result.seconds,
                "extracted": result.extracted,
                "chars": chars,
                "papers": papers,
            }
        )
    )


def corpus_of(n: int, work: Path) -> Path:
    """The corpus of ``n`` papers (written if missing; the generator always gives the same)."""
    corpus_file = work / f"corpus_{n}.jsonl"
    work.mkdir(parents=True, exist_ok=True)
    if not corpus_file.is_file():
        corpus.write(corpus_file, corpus.papers(n))
    return corpus_file


def filled_cache(corpus_file: Path, n: int, work: Path) -> Path:
    """The extraction cache of a build of ``corpus_file``, which holds all its papers (built if missing)."""
    cache = work / f"fill_{n}" / ".kg-cache" / "extract.sqlite"
    if not cache.is_file():
        subprocess.run(kg_build([corpus_file], cache.parents[1], "--jobs", "2", "--formats", "tables"), check=True)
    return cache


def replicated(n: int, template: int, work: Path) -> Path:
    """A corpus of ``n`` papers made of copies of the ``template``-paper corpus, and a cache that holds every copy.

    The template corpus comes first; then copy ``r`` of each of its papers has
    the last characters of its title replaced by the digits of ``r`` (the
    length unchanged, so every mention's offsets still hold) and its
    template's stored mentions: what extracting it would give, a name cut
    short at the end of a title aside. Extracting a million papers would
    otherwise take two days on two cores. Copies whose new title another copy
    has are merged by the reader, so a run says how many papers it read.
    """
    import sqlite3

    from kg.cache import text_key
    from kg.ingest import read_inputs
    from kg.problems import Problems

    corpus_file, cache = work / f"corpus_{n}.jsonl", work / f"fill_{n}" / ".kg-cache" / "extract.sqlite"
    if cache.is_file():
        return corpus_file
    source = corpus_of(template, work)
    source_cache = filled_cache(source, template, work)
    with source.open(encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines]

    quiet = Problems(stream=None)
    templates = read_inputs([source], quiet)
    key_of = {paper.abstract: text_key(paper) for paper in templates}
    # Records the reader merged with another (the same title) are not copied: their text is not in the cache.
    alone = sorted(paper.sources[0].line - 1 for paper in templates if len(paper.sources) == 1)

    def copies() -> Iterator[dict[str, str]]:
        yield from records
        for i in range(n - template):
            record, copy = records[alone[i % len(alone)]], str(i // len(alone) + 1)
            yield {**record, "id": f"{record['id']}-{copy}", "title": record["title"][: -len(copy)] + copy}

    corpus.write(corpus_file, copies())
    cache.parent.mkdir(parents=True, exist_ok=True)
    making = cache.with_suffix(".making")  # renamed once whole, so an interrupted run starts again
    shutil.copy(source_cache, making)  # the same scope, and the templates' rows
    with closing(sqlite3.connect(making)) as db, db:
        stored = dict(db.execute("SELECT key, mentions FROM mentions"))
        rows = ((text_key(p), stored[key_of[p.abstract]]) for p in read_inputs([corpus_file], quiet))
        db.executemany("INSERT OR REPLACE INTO mentions VALUES (?, ?)", rows)
    making.rename(cache)
    return corpus_file


#: A stage's seconds and peak summed memory (bytes; None when no sample fell inside it), by run and stage.
StageCosts = dict[tuple[str, str], tuple[float, int | None]]


def bench_stages(n: int, work: Path, labels: list[str], template: int | None) -> StageCosts:
    """Print, a row per run and stage, what a build of ``n`` cached papers costs in each stage.

    Above ``template`` papers, the corpus is made of copies of that one (see :func:`replicated`).
    """
    corpus_file = replicated(n, template, work) if template and n > template else corpus_of(n, work)
    print(f"### Stages, N = {n:,}\n")
    print("| run | stage | s | s per 1,000 papers | peak MB | peak MB per 1,000 papers | load avg at start |")
    print("|---|---|---:|---:|---:|---:|---:|", flush=True)
    costs: StageCosts = {}
    for label in labels:
        jobs, formats, rdf_format, cached = STAGE_RUNS[label]
        out = work / f"stages_{n}"
        shutil.rmtree(out, ignore_errors=True)
        if cached:
            (out / ".kg-cache").mkdir(parents=True)
            shutil.copy(filled_cache(corpus_file, n, work), out / ".kg-cache" / "extract.sqlite")
        load = os.getloadavg()[0]
        child = [sys.executable, __file__, "--staged", str(corpus_file), str(out), str(jobs), formats, rdf_format]
        samples, _, stdout = sampled(label, [*child, "cache" if cached else "no-cache"])
        report = json.loads(stdout.splitlines()[-1])
        if cached and report["extracted"]:
            raise SystemExit(f"{label}: {report['extracted']} papers were not in the cache")
        start = report["started"]
        for stage, seconds in report["seconds"].items():
            peak = max((pss for at, pss in samples if start <= at <= start + seconds), default=None)
            costs[label, stage] = seconds, peak
            per = 1000 / n
            cells = [label, stage, f"{seconds:.1f}", f"{seconds * per:.2f}", *_megabytes(peak, per), f"{load:.1f}"]
            print(f"| {' | '.join(cells)} |", flush=True)
            start += seconds
    papers = report["papers"]
    print(
        f"\n{papers:,} papers read, {report['chars'] / papers:.0f} characters of title and abstract each\n", flush=True
    )
    return costs


def _megabytes(peak: int | None, per: float) -> list[str]:
    return ["-", "-"] if peak is None else [f"{peak / MB:.0f}", f"{peak / MB * per:.1f}"]


def stage_growth(by_size: dict[int, StageCosts]) -> str:
    """What each 1,000 papers added from one size to the next cost, per run and stage (fixed costs cancel out)."""
    lines = [
        "### Stages: added per 1,000 papers\n",
        "| run | stage | from N | to N | added s per 1,000 papers | added peak MB per 1,000 papers |",
        "|---|---|---:|---:|---:|---:|",
    ]
    sizes = list(by_size)
    for small, large in pairwise(sizes):
        per = 1000 / (large - small)
        for key, (seconds, peak) in by_size[large].items():
            if key not in by_size[small]:
                continue
            seconds_before, peak_before = by_size[small][key]
            added = "-" if peak is None or peak_before is None else f"{(peak - peak_before) / MB * per:.1f}"
            cells = [*key, f"{small:,}", f"{large:,}", f"{(seconds - seconds_before) * per:.2f}", added]
            lines.append(f"| {' | '.join(cells)} |")
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
    parser.add_argument(
        "--stages", action="store_true", help="per-stage time and memory of builds with extraction cached"
    )
    parser.add_argument(
        "--stage-runs",
        nargs="+",
        default=CACHED_RUNS,
        choices=list(STAGE_RUNS),
        metavar="RUN",
        help=f"the --stages runs to make, from {', '.join(map(repr, STAGE_RUNS))} (default: those with the cache)",
    )
    parser.add_argument(
        "--replicate",
        type=int,
        metavar="N",
        help="with --stages, make sizes above N from copies of the N-paper corpus and its cache, "
        "instead of extracting them",
    )
    parser.add_argument("--stock", type=Path, help=argparse.SUPPRESS)  # the baseline's own process
    parser.add_argument("--staged", nargs=6, help=argparse.SUPPRESS)  # a --stages build's own process
    args = parser.parse_args()
    if args.stock:
        stock_pipe(args.stock)
        return
    if args.staged:
        corpus_file, out, jobs, formats, rdf_format, cache = args.staged
        staged_build(Path(corpus_file), Path(out), int(jobs), formats, rdf_format, cache == "cache")
        return
    if args.stages:
        costs = {n: bench_stages(n, args.work, args.stage_runs, args.replicate) for n in args.sizes}
        if len(costs) > 1:
            print(stage_growth(costs), flush=True)
        return
    print(f"{os.cpu_count()} cores, Python {sys.version.split()[0]}\n")
    by_size = {n: bench(n, args.work, set(args.skip)) for n in args.sizes}
    if args.large:
        by_size[100_000] = bench(100_000, args.work, set(args.skip) | set(args.large_skip))
    if len(by_size) > 1:
        print(growth(by_size), flush=True)


if __name__ == "__main__":
    main()
