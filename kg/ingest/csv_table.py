"""CSV with a header row naming at least ``title`` and ``abstract``.

Header names are matched case-insensitively; a quoted abstract may span
several lines, so the line reported is the one the record starts on.

Only the delimiter (comma, semicolon or tab) is guessed from the file's
start. Quoting follows RFC 4180 as spreadsheets write it: the sniffer's guess
of it is wrong whenever no quote is doubled in its sample, and a title such
as ``"Understanding X": a study`` further down was then misread.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from itertools import chain
from pathlib import Path
from typing import Any

from kg.problems import Problems

REQUIRED = ("title", "abstract")
#: Characters the delimiter is guessed from.
SAMPLE = 4096


def _sample(lines: Iterator[str]) -> list[str]:
    head: list[str] = []
    size = 0
    for line in lines:
        head.append(line)
        size += len(line)
        if size >= SAMPLE:
            break
    return head


def read(lines: Iterator[str], path: Path, problems: Problems) -> Iterator[tuple[int, dict[str, Any]]]:
    head = _sample(lines)
    try:
        delimiter = csv.Sniffer().sniff("".join(head)[:SAMPLE], delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(chain(head, lines), delimiter=delimiter)
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
