"""Text of Hugging Face "Daily Papers" listing pages as saved from a browser.

After a few header lines ("new", "Subscribe", "Daily Papers", a date such as
"Mar 12") the page lists each paper as a title line followed by an abstract
line. Pages differ: some separate lines with blank lines, some do not, and one
glues "Subscribe" to the first title. Titles and abstracts are told apart by
shape (an abstract is several sentences of prose, a title one phrase), with
the alternation as a prior, so a lost abstract costs one record, not every
record after it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from kg.problems import Problems

HEADER_LINES = {
    "new",
    "subscribe",
    "daily papers",
    "byak and the research community",
    "get trending papers in your email inbox!",
    "get trending papers in your email inbox once a day!",
}
MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"
DATE_LINE = re.compile(rf"^{MONTH}\.? \d{{1,2}}(?:,? \d{{4}})?$", re.IGNORECASE)
GLUED_PREFIX = re.compile(r"^Subscribe(?=\S)")
# A full stop between sentences; "?" and ":" are left out because titles use them.
SENTENCE_BREAK = re.compile(r"[a-z0-9)\]%]\.[\"')\]]?\s+[(\"']?[A-Z]")


def looks_like_abstract(line: str) -> bool:
    """Prose of more than one sentence, or too long to be a title."""
    return len(line.split()) > 40 or (line.endswith(".") and bool(SENTENCE_BREAK.search(line)))


def _content_lines(lines: Iterable[str]) -> Iterator[tuple[int, str, str | None]]:
    """Non-header lines with their numbers and the date heading in force."""
    date: str | None = None
    in_header = True
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        if in_header:
            if line.lower() in HEADER_LINES:
                continue
            if DATE_LINE.match(line):
                date = line
                continue
            glued = GLUED_PREFIX.match(line)
            if glued:
                line = line[glued.end() :]
            in_header = False
        elif DATE_LINE.match(line):
            date = line
            continue
        yield number, line, date


def read(lines: Iterable[str], path: Path, problems: Problems) -> Iterator[tuple[int, dict[str, Any]]]:
    content = list(_content_lines(lines))
    i = 0
    while i < len(content):
        number, line, date = content[i]
        following = content[i + 1][1] if i + 1 < len(content) else None
        after = content[i + 2][1] if i + 2 < len(content) else None
        if looks_like_abstract(line):
            problems.add(path, number, "abstract without title", line[:60])
            i += 1
        elif following is None or (
            not looks_like_abstract(following) and (after is None or looks_like_abstract(after))
        ):
            problems.add(path, number, "record without abstract", line[:60])
            i += 1
        else:
            yield number, {"title": line, "abstract": following, "date": date}
            i += 2
