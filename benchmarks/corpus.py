"""A synthetic corpus of N distinct paper abstracts, recombined from real text.

Sentences come from the seed Daily Papers pages (which carry the repositories,
datasets and acronyms kg extracts) and from the ML paragraphs corpus (a large,
realistic vocabulary); titles join the head of one real title to the tail of
another. Every title and every abstract is distinct, so neither the reader's
deduplication nor the extraction cache can make a benchmark trivially fast.
The generator is seeded and sequential: the first N papers of a corpus of
N + k are the corpus of N, which is how a benchmark "adds 1% new papers".

    python benchmarks/corpus.py 10000 corpus.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
PARAGRAPHS = SHARED / "corpus" / "ml_paragraphs.jsonl"

SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
TITLE_SPLIT = re.compile(r":\s+|\s+(?:for|via|with|in|of|from|towards|through)\s+", re.IGNORECASE)


def _seed_papers() -> list[tuple[str, str]]:
    from kg.ingest import read_inputs
    from kg.problems import Problems

    return [(p.title, p.abstract) for p in read_inputs([SEEDS], Problems(stream=None))]


def _paragraphs() -> list[tuple[str, str]]:
    with PARAGRAPHS.open(encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines]
    return [(re.sub(r"\s*\(part \d+\)$", "", r["title"]), r["abstract"]) for r in records]


def _sentences(texts: list[str]) -> list[str]:
    return sorted({s.strip() for text in texts for s in SENTENCE_END.split(text) if len(s.split()) >= 5})


def _title_parts(titles: list[str]) -> tuple[list[str], list[str]]:
    heads, tails = set(), set()
    for title in titles:
        parts = TITLE_SPLIT.split(title, maxsplit=1)
        if len(parts) == 2:
            heads.add(parts[0].strip())
            tails.add(parts[1].strip())
    return sorted(heads), sorted(tails)


def papers(n: int, seed: int = 0) -> Iterator[dict[str, str]]:
    """``n`` distinct records with ``id``, ``title`` and ``abstract``, always the same for one seed."""
    seeds, paragraphs = _seed_papers(), _paragraphs()
    seed_sentences = _sentences([a for _, a in seeds])
    other_sentences = _sentences([a for _, a in paragraphs])
    heads, tails = _title_parts([t for t, _ in seeds + paragraphs])
    rng = random.Random(seed)
    titles: set[str] = set()
    for i in range(n):
        title = f"{rng.choice(heads)}: {rng.choice(tails)}"
        while title in titles:
            title = f"{rng.choice(heads)}: {rng.choice(tails)}"
        titles.add(title)
        k = rng.randint(3, 5)
        abstract = rng.sample(seed_sentences, k) + rng.sample(other_sentences, rng.randint(3, 5))
        rng.shuffle(abstract)
        yield {"id": f"synthetic-{seed}-{i}", "title": title, "abstract": " ".join(abstract)}


def write(path: Path, records: Iterator[dict[str, str]]) -> int:
    count = 0
    with path.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of papers")
    parser.add_argument("out", type=Path, help="JSON Lines file to write")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(f"wrote {write(args.out, papers(args.n, args.seed))} papers to {args.out}")


if __name__ == "__main__":
    main()
