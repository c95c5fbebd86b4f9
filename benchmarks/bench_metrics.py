"""How many of the metric names Papers with Code leaderboards used kg's metric patterns recognise.

    PYTHONPATH=. python benchmarks/bench_metrics.py [../shared/corpus/pwc/metrics.txt]

A name counts when :data:`kg.extract.results.METRIC` matches it whole, and
is partly covered when it contains a match ("Top-1 Accuracy (%)"). The
file (2,509 names) is read at run time and never copied into the repository.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from kg.extract.results import METRIC

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "pwc" / "metrics.txt"


def main() -> int:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    names = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    whole = re.compile(METRIC)
    known = [n for n in names if whole.fullmatch(n)]
    partly = [n for n in names if whole.search(n)]
    print(f"metric names: {len(names)}; recognised whole: {len(known)} ({len(known) / len(names):.0%})")
    print(f"containing a recognised metric: {len(partly)} ({len(partly) / len(names):.0%})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
