"""Reading input: kg's readers against the standard library's parsers, in one run, on the same papers.

The corpus of :mod:`corpus` is written in every format kg reads: JSON Lines,
a JSON array, the arXiv metadata dump's layout (JSON Lines in a ``.json``
file) and CSV. For each file this prints the time ``read_inputs`` takes
against the time the standard library takes to parse the same file into a
list of records (``json.loads`` per line, ``json.load``, ``csv.DictReader``),
and the peak of memory allocated while reading against what the papers keep
at the end, both measured with tracemalloc. A reader that streams has a peak
close to what it keeps; one that holds the file's bytes, text and lines at
once peaks at several times that. The ratios, not the seconds, are what to
compare across machines.

    .venv/bin/python benchmarks/bench_read.py                  # 10,000 papers
    .venv/bin/python benchmarks/bench_read.py --sizes 1000 100000
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import corpus  # a sibling script, not a package

from kg.ingest import read_inputs
from kg.problems import Problems

MB = 2**20


def arxiv_layout(record: dict[str, str], number: int) -> dict[str, Any]:
    """A corpus record as the arXiv metadata dump lays one out."""
    return {
        "id": f"2401.{number:05d}",
        "authors": "A. Author, B. Author",
        "title": record["title"],
        "categories": "cs.LG",
        "abstract": "  " + record["abstract"] + "\n",
        "versions": [{"version": "v1", "created": "Mon, 1 Jan 2024 00:00:00 GMT"}],
        "update_date": "2024-01-02",
        "authors_parsed": [["Author", "A.", ""], ["Author", "B.", ""]],
    }


def write_formats(records: list[dict[str, str]], folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "JSON Lines": folder / "papers.jsonl",
        "JSON array": folder / "papers.json",
        "arXiv dump layout": folder / "arxiv-metadata-oai-snapshot.json",
        "CSV": folder / "papers.csv",
    }
    corpus.write(files["JSON Lines"], iter(records))
    files["JSON array"].write_text(json.dumps(records, indent=1), encoding="utf-8")
    with files["arXiv dump layout"].open("w", encoding="utf-8") as out:
        out.writelines(json.dumps(arxiv_layout(r, i)) + "\n" for i, r in enumerate(records))
    with files["CSV"].open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=["id", "title", "abstract"])
        writer.writeheader()
        writer.writerows(records)
    return files


def stdlib_parse(path: Path) -> list[Any]:
    """The file parsed into records by the standard library alone: the baseline."""
    with path.open(encoding="utf-8", newline="") as stream:
        if path.suffix == ".csv":
            return list(csv.DictReader(stream))
        first = stream.readline()
        stream.seek(0)
        if first.lstrip().startswith("["):
            return json.load(stream)
        return [json.loads(line) for line in stream]


def kg_read(path: Path) -> list[Any]:
    return read_inputs([path], Problems(stream=None))


def seconds(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def peak_and_kept(action: Callable[[], object]) -> tuple[int, int]:
    tracemalloc.start()
    try:
        result = action()
        kept, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del result
    return peak, kept


def rows(n: int, folder: Path) -> Iterator[str]:
    files = write_formats(list(corpus.papers(n)), folder / f"read_{n}")
    for label, path in files.items():
        papers = len(kg_read(path))
        kg_seconds = min(seconds(partial(kg_read, path)) for _ in range(2))
        stdlib_seconds = min(seconds(partial(stdlib_parse, path)) for _ in range(2))
        peak, kept = peak_and_kept(partial(kg_read, path))
        yield (
            f"| {n:,} | {label} | {path.stat().st_size / MB:.1f} | {papers:,} | {kg_seconds:.2f} | "
            f"{stdlib_seconds:.2f} | {kg_seconds / stdlib_seconds:.2f}x | {peak / MB:.1f} | {kept / MB:.1f} | "
            f"{peak / kept:.2f}x |"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000], help="papers per corpus (default: 10000)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/kg-bench"), help="folder for the corpus files")
    args = parser.parse_args(argv)
    print("| papers | format | file MB | read | kg s | stdlib s | kg / stdlib | peak MB | kept MB | peak / kept |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n in args.sizes:
        for line in rows(n, args.work):
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
