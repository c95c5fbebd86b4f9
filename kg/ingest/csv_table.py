"""CSV with a header row naming at least ``title`` and ``abstract``.

Header names are matched case-insensitively; a quoted abstract may span
several lines, so the line reported is the one the record starts on.

Only the delimiter (comma, semicolon or tab) is guessed from the file's
start. Quoting follows RFC 4180 as spreadsheets write it: the sniffer's guess
of it is wrong whenever no quote is doubled in its sample, and a title such
as ``"Understanding X": a study`` further down was then misread.

One stray quote opens a field that runs on through the rows after it. A
record is therefore trusted only if it parses strictly (a closing quote is
followed by a delimiter or the line's end) and, when it spans several lines,
has as many cells as the header; a record of one line may also parse
leniently (``"Understanding X": a study``). Otherwise it costs its first
line: reading starts again on the line after it.
"""

from __future__ import annotations

import csv
from collections import deque
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


class _Lines:
    """Numbered lines for :func:`csv.reader`, able to give a record's lines again."""

    def __init__(self, lines: Iterator[str]) -> None:
        self._source = enumerate(lines, start=1)
        self._again: deque[tuple[int, str]] = deque()
        #: The lines the record being read has taken so far.
        self.taken: list[tuple[int, str]] = []

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        item = self._again.popleft() if self._again else next(self._source)
        self.taken.append(item)
        return item[1]

    def again(self, skip_first: bool) -> int:
        """Give the record's lines again, all or all but the first; the number of the line read next."""
        after = self.taken[-1][0] + 1
        self._again.extendleft(reversed(self.taken[1:] if skip_first else self.taken))
        self.taken = []
        return self._again[0][0] if self._again else after


def read(lines: Iterator[str], path: Path, problems: Problems) -> Iterator[tuple[int, dict[str, Any]]]:
    head = _sample(lines)
    try:
        delimiter = csv.Sniffer().sniff("".join(head)[:SAMPLE], delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    source = _Lines(chain(head, lines))
    strict = csv.reader(source, delimiter=delimiter, strict=True)
    lenient = csv.reader(source, delimiter=delimiter)
    try:
        header = [h.strip().lower() for h in next(lenient)]
    except (StopIteration, csv.Error):
        problems.add(path, 1, "CSV without header")
        return
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        problems.add(path, 1, "CSV without the needed columns", f"missing {', '.join(missing)}")
        return
    while True:
        source.taken = []
        try:
            row = next(strict)
        except StopIteration:
            return
        except csv.Error as err:
            row = _one_line(lenient, source)
            why = str(err)
        else:
            why = f"{len(row)} cells on lines {source.taken[0][0]}-{source.taken[-1][0]}, not {len(header)}"
            if len(source.taken) > 1 and len(row) != len(header):
                row = None
        start = source.taken[0][0]
        if row is None:
            resume = source.again(skip_first=True)
            problems.add(path, start, "malformed CSV", f"{why}; read on from line {resume}")
        elif any(cell.strip() for cell in row):
            yield start, dict(zip(header, row, strict=False))


def _one_line(lenient: Iterator[list[str]], source: _Lines) -> list[str] | None:
    """The record that failed to parse strictly, parsed again leniently if it then takes one line."""
    source.again(skip_first=False)
    try:
        row = next(lenient)
    except csv.Error:
        return None
    return row if len(source.taken) == 1 else None
