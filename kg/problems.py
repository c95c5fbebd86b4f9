"""User-facing problems with the input, collected instead of raised.

Bad input must never stop the run or print a traceback: each reader reports
what it could not use as one line naming the file and line, and the command
prints a closing count grouped by reason. A record that is kept but changed
(cut to the length limit, unprintable characters cleaned) is reported the
same way, with what was done to it in place of "skipped".
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from typing import TextIO

from kg.progress import print_line

#: What could break a problem line in two or restyle the terminal: control
#: characters (ANSI escapes start with one), line and paragraph separators,
#: bidirectional overrides, and the surrogates a file name with undecodable
#: bytes holds.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def escape(text: str) -> str:
    """``text`` with every character in :data:`_UNSAFE` written as a Python escape (``\\n``, ``\\x1b``)."""
    return _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


@dataclass(frozen=True, slots=True)
class Problem:
    path: str
    line: int | None
    reason: str
    detail: str = ""
    #: What became of the record or file: "skipped", or how it was changed and kept.
    action: str = "skipped"

    def __str__(self) -> str:
        path = escape(self.path)
        where = f"{path}:{self.line}" if self.line else path
        detail = f" ({escape(self.detail)})" if self.detail else ""
        return f"{where}: {self.action}: {self.reason}{detail}"


@dataclass
class Problems:
    """Collects problems and echoes each one as soon as it is found."""

    stream: TextIO | None = field(default_factory=lambda: sys.stderr)
    items: list[Problem] = field(default_factory=list)

    def add(self, path: object, line: int | None, reason: str, detail: str = "", action: str = "skipped") -> None:
        problem = Problem(str(path), line, reason, detail, action)
        self.items.append(problem)
        if self.stream is not None:
            print_line(f"kg: {problem}", self.stream)

    def summary(self) -> str:
        """``skipped 2: 1 empty file, 1 malformed JSON``, then the same for records kept but changed."""
        by_action: dict[str, Counter[str]] = {"skipped": Counter()}
        for p in self.items:
            by_action.setdefault(p.action, Counter())[p.reason] += 1
        parts = [] if by_action["skipped"] else ["nothing skipped"]
        for action, counts in by_action.items():
            if counts:
                reasons = ", ".join(f"{n} {reason}" for reason, n in sorted(counts.items()))
                parts.append(f"{action} {counts.total()}: {reasons}")
        return "; ".join(parts)

    def __len__(self) -> int:
        return len(self.items)
