"""How right the task hierarchy kg infers from names is, against Papers with Code's own.

    PYTHONPATH=. python benchmarks/bench_hierarchy.py [../shared/corpus/pwc/tasks.csv]

Every task name of the file goes through :func:`kg.hierarchy.parents_by_name`
as if kg had met them all; an inferred parent is right when the file gives
that task that parent. Precision is over all inferred parents (a task the file
gives no parent counts as wrong), recall over the tasks the file gives one.
The file is read at run time and never copied into the repository.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from kg.hierarchy import parents_by_name, words

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "pwc" / "tasks.csv"


def main() -> int:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    gold = {r["task"]: r["parent"] for r in rows if r["parent"]}
    inferred = parents_by_name(r["task"] for r in rows)
    right = sum(words(gold.get(task, "")) == words(parent) for task, parent in inferred.items())
    with_gold = sum(task in gold for task in inferred)
    print(f"tasks: {len(rows)}, with a parent in the file: {len(gold)}")
    print(f"inferred parents: {len(inferred)} ({with_gold} for tasks the file gives a parent)")
    print(f"precision: {right / len(inferred):.2f} of all inferred, {right / with_gold:.2f} where the file has one")
    print(f"recall: {right / len(gold):.2f} ({right} of {len(gold)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
