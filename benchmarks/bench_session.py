"""Session benchmark: `kg.build` called again in one process, as a notebook would.

For each N, in this one process: a first build of N synthetic papers (see
``corpus.py``) into an empty folder, then twice over, 1% more papers and a
build again. The later calls find the earlier papers in the extraction cache
and, with one process, the spaCy model already loaded. Each row is one call,
with its time against the first call's (the baseline, in the same run).
Prints markdown.

    .venv/bin/python benchmarks/bench_session.py                    # N = 1,000, --jobs 1
    .venv/bin/python benchmarks/bench_session.py --sizes 10000 --jobs 2
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # a sibling script, not a package

import kg


def session(n: int, jobs: int, work: Path) -> None:
    added = max(1, n // 100)
    records = list(corpus.papers(n + 2 * added))
    work.mkdir(parents=True, exist_ok=True)
    files = [work / f"session_{n}_{part}.jsonl" for part in ("base", "more1", "more2")]
    corpus.write(files[0], iter(records[:n]))
    corpus.write(files[1], iter(records[n : n + added]))
    corpus.write(files[2], iter(records[n + added :]))
    out = work / f"session_{n}_out"
    shutil.rmtree(out, ignore_errors=True)
    options = kg.ExtractOptions(jobs=jobs, progress=False)

    print(f"### N = {n:,}, jobs = {jobs}\n")
    print("| call | papers | extracted | wall s | read | extract | resolve | export | / first call |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|", flush=True)
    first = 0.0
    for call, inputs in enumerate((files[:1], files[:2], files), start=1):
        start = time.perf_counter()
        result = kg.build(inputs, out, extraction=options, problems=kg.Problems(stream=None))
        seconds = time.perf_counter() - start
        first = first or seconds
        steps = " | ".join(f"{step:.2f}" for step in result.seconds.values())
        label = "first build" if call == 1 else f"+{added} papers"
        print(
            f"| {label} | {len(result.kg.papers):,} | {result.extracted:,} | {seconds:.2f} | {steps} "
            f"| {seconds / first:.1%} |",
            flush=True,
        )
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000], metavar="N")
    parser.add_argument("--jobs", type=int, default=1, help="extraction and export processes (default: 1)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/kg-bench"), help="corpora and outputs go here")
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores, Python {sys.version.split()[0]}\n")
    for n in args.sizes:
        session(n, args.jobs, args.work)


if __name__ == "__main__":
    main()
