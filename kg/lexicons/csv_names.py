"""A lexicon as CSV: ``name,type[,alias...]`` per row, a header row optional.

The type is one of :data:`kg.lexicons.TYPES`, in any case. The name is
matched as written: with a capital letter it matches exactly ("SAM" is not
"same"), in lower case it matches any case, as the package's lists do.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from kg.lexicons import TYPES, Entry
from kg.problems import Problems

REASON = "bad lexicon row"


def read(lines: Iterator[str], path: Path, problems: Problems) -> Iterator[Entry]:
    reader = csv.reader(lines)
    next_start = 1
    while True:
        try:
            row = [cell.strip() for cell in next(reader)]
        except StopIteration:
            return
        except csv.Error as err:
            problems.add(path, reader.line_num, REASON, str(err))
            return
        start, next_start = next_start, reader.line_num + 1
        if not any(row) or (start == 1 and [c.lower() for c in row[:2]] == ["name", "type"]):
            continue
        if len(row) < 2 or not row[0]:
            problems.add(path, start, REASON, "needs name,type[,alias...]")
            continue
        kind = TYPES.get(row[1].lower())
        if kind is None:
            problems.add(path, start, REASON, f"type {row[1]!r}: choose from {', '.join(TYPES)}")
            continue
        yield Entry(row[0], kind, tuple(alias for alias in row[2:] if alias))
