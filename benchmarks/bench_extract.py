"""Extraction speed: kg's extractors against a stock spaCy pipeline, in one run, on the same abstracts.

The baseline is what a user would write first: the stock English model with
every component (tok2vec, tagger, parser, attribute_ruler, lemmatizer, NER)
over ``nlp.pipe``. kg runs every registered extractor (links, methods,
datasets, tasks, concepts) through :func:`kg.pipeline.extract_mentions`,
with ``--jobs 1`` in this process and ``--jobs 2`` in worker processes.
Model loading is timed apart for the in-process runs; the ``--jobs N > 1``
rows include starting the workers and loading a model in each, as a user
pays them. Prints a markdown table.

    .venv/bin/python benchmarks/bench_extract.py               # 1,000 abstracts, jobs 1 and 2
    .venv/bin/python benchmarks/bench_extract.py -n 200 --jobs 1
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kg.records import Paper

PARAGRAPHS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "ml_paragraphs.jsonl"


@dataclass
class Timing:
    label: str
    docs: int
    load: float | None
    seconds: float

    @property
    def rate(self) -> float:
        return self.docs / self.seconds


def read_papers(path: Path, n: int) -> list[Paper]:
    papers = []
    with path.open(encoding="utf-8") as lines:
        for i, line in enumerate(lines):
            if len(papers) == n:
                break
            record = json.loads(line)
            papers.append(Paper(id=f"bench:{i}", title=record.get("title", ""), abstract=record["abstract"]))
    return papers


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def stock(papers: list[Paper], batch_size: int) -> Timing:
    import spacy

    from kg.nlp import default_model_name

    texts = [p.text for p in papers]
    nlp = None

    def load() -> None:
        nonlocal nlp
        nlp = spacy.load(default_model_name())

    load_seconds = timed(load)
    assert nlp is not None
    seconds = timed(lambda: list(nlp.pipe(texts, batch_size=batch_size)))
    name = f"{nlp.meta['lang']}_{nlp.meta['name']}"
    return Timing(f"stock {name} nlp.pipe, all components", len(papers), load_seconds, seconds)


def kg_extract(papers: list[Paper], jobs: int, batch_size: int) -> Timing:
    from kg.pipeline import ExtractOptions, extract_mentions, runner

    options = ExtractOptions(jobs=jobs, batch_size=batch_size, progress=False)
    load_seconds = timed(lambda: runner(options)) if jobs == 1 else None
    seconds = timed(lambda: list(extract_mentions(papers, options)))
    where = "in this process" if jobs == 1 else "incl. worker start-up"
    return Timing(f"kg extract --jobs {jobs} ({where})", len(papers), load_seconds, seconds)


def table(rows: list[Timing]) -> str:
    base = rows[0].rate
    lines = [
        "| run | abstracts | model load (s) | time (s) | abstracts/s | vs stock |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        load = f"{row.load:.1f}" if row.load is not None else "in time"
        lines.append(
            f"| {row.label} | {row.docs} | {load} | {row.seconds:.1f} | {row.rate:.1f} | {row.rate / base:.2f}x |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=1000, help="abstracts to process (default: 1000)")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="kg --jobs values (default: 1 2)")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--corpus", type=Path, default=PARAGRAPHS, help="JSON Lines with title and abstract")
    args = parser.parse_args()

    papers = read_papers(args.corpus, args.n)
    rows = [stock(papers, args.batch_size)]
    rows += [kg_extract(papers, jobs, args.batch_size) for jobs in args.jobs]
    print(f"{len(papers)} abstracts from {args.corpus.name}, {sum(len(p.text) for p in papers):,} characters\n")
    print(table(rows))


if __name__ == "__main__":
    main()
