"""Count in how many texts of ../shared/corpus each word occurs: the concepts' specificity statistic.

A concept worth tagging is specific to its paper: "linear mode connectivity"
is, "successful set" is not. How rare a word is across machine-learning text
says how specific it is, so kg ships, for each word seen in at least
``MIN_DF`` of the corpus's texts, the number of texts it occurs in
(kg/data/word_df.tsv; the first line is the number of texts). Only counts
ship, not text. The texts are the 8,119 paragraphs of ``ml_paragraphs.jsonl``;
``make train`` runs this beside the name-type model.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORD = re.compile(r"[a-z][a-z0-9-]*[a-z0-9]|[a-z]")
MIN_DF = 3


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--out", type=Path, default=ROOT / "kg" / "data" / "word_df.tsv")
    args = parser.parse_args(argv)
    df: Counter[str] = Counter()
    texts = 0
    with (args.shared / "corpus" / "ml_paragraphs.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            texts += 1
            df.update(set(WORD.findall(f"{record['title']} {record['abstract']}".lower())))
    kept = sorted((word, n) for word, n in df.items() if n >= MIN_DF)
    args.out.write_text(f"{texts}\n" + "".join(f"{word}\t{n}\n" for word, n in kept), encoding="utf-8")
    print(f"{texts} texts, {len(kept)} words kept (df >= {MIN_DF}) -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
