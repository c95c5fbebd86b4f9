"""CSV with a header row naming at least ``title`` and ``abstract``.

Header names are matched case-insensitively; a quoted abstract may span
several lines, so the line reported is the one the record starts on.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kg.problems import Problems

REQUIRED = ("title", "abstract")


def read(text: str, path: Path, problems: Problems) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except (StopIteration, csv.Error):
        problems.add(path, 1, "CSV without header")
        return
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        problems.add(path, 1, "CSV without the needed columns", f"missing {', '.join(missing)}")
        return
    start = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            problems.add(path, start, "malformed CSV", str(err))
            return
        if any(cell.strip() for cell in row):
            yield start, dict(zip(header, row, strict=False))
        start = reader.line_num + 1
