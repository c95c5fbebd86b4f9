"""Score kg's relations and results against benchmarks/relations_gold.jsonl (docs/relations.md).

    PYTHONPATH=. python benchmarks/eval_relations.py [--gold FILE] [--seeds ../shared/seeds] [--verbose]

``--gold benchmarks/relations_heldout.jsonl`` scores the held-out set, which no rule
was tuned on, and ``--gold benchmarks/relations_test.jsonl`` a second one drawn after
the held-out set had been looked at (docs/relations.md says how both were chosen).

The gold is keyed by title; the abstracts are read from the seed pages at run
time. A relation matches when its type and both ends match, a result when its
metric, value and dataset match. Names match as in ../shared/eval/score.py:
folded case, punctuation, spacing and a final plural, "Long Form (ACR)" as
either part. Metrics match without the words that only qualify them ("test
error rate" = "error").
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "benchmarks" / "relations_gold.jsonl"
SEEDS = ROOT.parent / "shared" / "seeds"
#: Words that qualify a metric without changing what it measures.
QUALIFIERS = {"test", "validation", "val", "rate", "score", "average", "mean"}


def forms(label: str) -> set[str]:
    from kg.resolve import fold

    match = re.fullmatch(r"(.+?)\s*\((.+)\)", label)
    parts = [label, *(match.groups() if match else ())]
    return {fold(p) for p in parts if fold(p)}


def same(a: str, b: str) -> bool:
    return bool(forms(a) & forms(b))


def metric_key(metric: str) -> str:
    from kg.resolve import fold

    words = [w for w in re.findall(r"[\w@-]+", metric.lower()) if w not in QUALIFIERS]
    return fold(" ".join(words))


def result_matches(pred: dict, gold: dict) -> bool:
    return (
        abs(float(pred["value"]) - float(gold["value"])) < 1e-6
        and metric_key(pred["metric"]) == metric_key(gold["metric"])
        and same(pred["dataset"], gold["dataset"])
    )


def relation_matches(pred: list[str], gold: list[str]) -> bool:
    return pred[1] == gold[1] and same(pred[0], gold[0]) and same(pred[2], gold[2])


def greedy(preds: list, golds: list, match) -> int:
    """Matched pairs, each gold item used once."""
    used: set[int] = set()
    hits = 0
    for p in preds:
        k = next((i for i, g in enumerate(golds) if i not in used and match(p, g)), None)
        if k is not None:
            used.add(k)
            hits += 1
    return hits


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def predictions(seeds: Path, titles: set[str]) -> dict[str, dict]:
    from kg.extract.summary import paper_summaries
    from kg.ingest import read_inputs
    from kg.pipeline import ExtractOptions, extract_mentions
    from kg.problems import Problems

    papers = [p for p in read_inputs([seeds], Problems(stream=None), progress=False) if p.title in titles]
    lines = paper_summaries(extract_mentions(papers, ExtractOptions(jobs=1, progress=False)))
    return {(record := json.loads(line))["title"]: record for line in lines}


def score(gold: list[dict], pred: dict[str, dict], verbose: bool = False) -> dict[str, tuple[int, int, int]]:
    """(true positives, predicted, gold) per relation type and for results."""
    counts: dict[str, list[int]] = {}
    for g in gold:
        p = pred.get(g["title"], {"relations": [], "results": []})
        for kind in sorted({r[1] for r in g["relations"]} | {r[1] for r in p["relations"]}):
            gs = [r for r in g["relations"] if r[1] == kind]
            ps = [r for r in p["relations"] if r[1] == kind]
            c = counts.setdefault(kind, [0, 0, 0])
            c[0] += greedy(ps, gs, relation_matches)
            c[1] += len(ps)
            c[2] += len(gs)
            if verbose:
                for r in ps:
                    if not any(relation_matches(r, x) for x in gs):
                        print(f"  FP {g['title'][:40]}: {r}")
                for r in gs:
                    if not any(relation_matches(x, r) for x in ps):
                        print(f"  FN {g['title'][:40]}: {r}")
        c = counts.setdefault("results", [0, 0, 0])
        c[0] += greedy(p["results"], g["results"], result_matches)
        c[1] += len(p["results"])
        c[2] += len(g["results"])
        if verbose:
            for r in p["results"]:
                if not any(result_matches(r, x) for x in g["results"]):
                    print(f"  FP {g['title'][:40]}: {r['metric']} {r['value']} {r['dataset']} ({r['method']})")
            for r in g["results"]:
                if not any(result_matches(x, r) for x in p["results"]):
                    print(f"  FN {g['title'][:40]}: {r['metric']} {r['value']} {r['dataset']} ({r['method']})")
    return {k: (v[0], v[1], v[2]) for k, v in counts.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, default=SEEDS)
    parser.add_argument("--gold", type=Path, default=GOLD, help="gold JSON Lines (default: %(default)s)")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    gold = [json.loads(line) for line in args.gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    pred = predictions(args.seeds, {g["title"] for g in gold})
    if missing := [g["title"] for g in gold if g["title"] not in pred]:
        print(f"eval_relations: {len(missing)} gold papers not found in {args.seeds}", file=sys.stderr)
    counts = score(gold, pred, args.verbose)
    print(f"{'':14} {'P':>5} {'R':>5} {'F1':>5}   tp/pred/gold")
    totals = Counter()
    for kind, (tp, n_pred, n_gold) in sorted(counts.items()):
        p, r, f = prf(tp, n_pred, n_gold)
        print(f"{kind:14} {p:5.2f} {r:5.2f} {f:5.2f}   {tp}/{n_pred}/{n_gold}")
        if kind != "results":
            totals.update({"tp": tp, "pred": n_pred, "gold": n_gold})
    p, r, f = prf(totals["tp"], totals["pred"], totals["gold"])
    print(f"{'all relations':14} {p:5.2f} {r:5.2f} {f:5.2f}   {totals['tp']}/{totals['pred']}/{totals['gold']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
