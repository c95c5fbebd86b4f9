"""Score what stock spaCy gives against a gold file: the baseline row of the README's quality tables.

What a user could stitch together without kg: the stock English model's
named entities (every non-numeric label) as methods and as datasets, since
its labels cannot tell the two apart, and its first eight noun chunks as
concepts. It finds no tasks and no proposed methods. Scored by
:mod:`kg.evaluate`, as ``kg eval`` scores kg.

    .venv/bin/python benchmarks/stock_spacy_eval.py --gold ../shared/eval/dev_gold.jsonl ../shared/eval/dev_input.jsonl
    .venv/bin/python benchmarks/stock_spacy_eval.py --gold tests/data/scirex_dev_gold.jsonl \\
        ../shared/corpus/scirex_train.jsonl
"""

from __future__ import annotations

import argparse
from pathlib import Path

from kg.evaluate import add_titles, format_table, read_gold, score
from kg.ingest import read_inputs
from kg.nlp import default_model_name
from kg.problems import Problems

NUMERIC = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"})
CONCEPTS = 8


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--gold", type=Path, required=True)
    parser.add_argument("inputs", type=Path, nargs="+")
    args = parser.parse_args()
    import spacy

    gold = read_gold(args.gold)
    add_titles(gold, args.inputs)
    wanted = {g["title"] for g in gold}
    papers = [p for p in read_inputs(args.inputs, Problems(stream=None)) if p.title in wanted]
    nlp = spacy.load(default_model_name())
    predictions = []
    for paper, doc in zip(papers, nlp.pipe(p.text for p in papers), strict=True):
        names = list(dict.fromkeys(e.text for e in doc.ents if e.label_ not in NUMERIC))
        chunks = list(dict.fromkeys(c.text for c in doc.noun_chunks))[:CONCEPTS]
        predictions.append({"title": paper.title, "methods": names, "datasets": names, "concepts": chunks})
    print(format_table(score(gold, predictions)))


if __name__ == "__main__":
    main()
