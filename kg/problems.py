"""User-facing problems with the input, collected instead of raised.

Bad input must never stop the run or print a traceback: each reader reports
what it could not use as one line naming the file and line, and the command
prints a closing count grouped by reason.
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass, field
from typing import TextIO

from kg.progress import print_line


@dataclass(frozen=True, slots=True)
class Problem:
    path: str
    line: int | None
    reason: str
    detail: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        detail = f" ({self.detail})" if self.detail else ""
        return f"{where}: skipped: {self.reason}{detail}"


@dataclass
class Problems:
    """Collects problems and echoes each one as soon as it is found."""

    stream: TextIO | None = field(default_factory=lambda: sys.stderr)
    items: list[Problem] = field(default_factory=list)

    def add(self, path: object, line: int | None, reason: str, detail: str = "") -> None:
        problem = Problem(str(path), line, reason, detail)
        self.items.append(problem)
        if self.stream is not None:
            print_line(f"kg: {problem}", self.stream)

    def summary(self) -> str:
        if not self.items:
            return "nothing skipped"
        counts = Counter(p.reason for p in self.items)
        parts = ", ".join(f"{n} {reason}" for reason, n in sorted(counts.items()))
        return f"skipped {len(self.items)}: {parts}"

    def __len__(self) -> int:
        return len(self.items)
