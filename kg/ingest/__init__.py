"""Reading input files into :class:`~kg.records.Paper` records.

One module per format; this module only finds files, dispatches on the
format and merges the same paper read from several files (:mod:`kg.ingest.text`
decodes them). A reader is a function ``read(lines, path, problems)`` over the
file's decoded lines, yielding ``(line_number, fields)`` pairs; turning fields
into papers and reporting unusable records happens here so every format
behaves the same.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from kg import registry
from kg.ingest.text import open_lines
from kg.problems import Problems
from kg.progress import progress_bar
from kg.records import Paper, Source

Reader = Callable[[Iterator[str], Path, Problems], Iterator[tuple[int, dict[str, Any]]]]

#: File suffix -> "module:function". Imported lazily.
READERS: dict[str, str] = {
    ".txt": "kg.ingest.daily_papers:read",
    ".jsonl": "kg.ingest.jsonl:read",
    ".ndjson": "kg.ingest.jsonl:read",
    ".json": "kg.ingest.json_array:read",
    ".csv": "kg.ingest.csv_table:read",
}

#: Record layouts other than plain ``title``/``abstract`` fields, as
#: ("module:test", "module:adapter") pairs: the first test that holds turns
#: the record into plain fields before it becomes a paper.
SHAPES: list[tuple[str, str]] = [
    ("kg.ingest.scirex:is_scirex", "kg.ingest.scirex:to_fields"),
]

ARXIV_ID = re.compile(r"(?<![\w.])(\d{4}\.\d{4,5}|[a-z\-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?(?![\w])")


def get_reader(suffix: str) -> Reader | None:
    target = READERS.get(suffix.lower())
    if target is None:
        return None
    return registry.load(target)


def expand(inputs: Iterable[Path], problems: Problems) -> list[Path]:
    """Files named on the command line, with directories read recursively."""
    files: list[Path] = []
    for path in inputs:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in READERS)
            if not found:
                problems.add(path, None, "no supported files in directory", ", ".join(sorted(READERS)))
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            problems.add(path, None, "file not found")
    return files


def normalise_title(title: str) -> str:
    text = unicodedata.normalize("NFKC", title).casefold()
    return " ".join(re.findall(r"\w+", text))


def find_arxiv_id(fields: dict[str, Any]) -> str | None:
    for key in ("arxiv_id", "url", "id"):
        value = fields.get(key)
        if value:
            match = ARXIV_ID.search(str(value))
            if match:
                return match.group(1)
    return None


def paper_key(title: str, arxiv_id: str | None) -> str:
    """The identity of a paper: its arXiv id, else a hash of its normalised title."""
    if arxiv_id:
        return f"arxiv:{arxiv_id}"
    digest = hashlib.sha1(normalise_title(title).encode("utf-8")).hexdigest()[:16]
    return f"paper:{digest}"


def _text(value: Any) -> str:
    """``value`` with every run of whitespace as one space, and none at either end."""
    if value is None:
        return ""
    text = str(value)
    # Most records are clean already: printable means no whitespace but the
    # ASCII space, so only doubled or outer spaces would change. Checking is a
    # third of the cost of splitting and joining 10,000 abstracts.
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return " ".join(text.split())


def _authors(value: Any, parsed: Any = None) -> list[str]:
    """Author names; an arXiv metadata record's ``authors_parsed`` (``[last, first, suffix]``) wins.

    The arXiv dump's ``authors`` string is TeX ("C. Bal\\'azs") joined by
    commas and "and", which splitting on commas gets wrong; its parsed list
    has plain Unicode names.
    """
    if isinstance(parsed, list) and parsed and all(isinstance(name, list) for name in parsed):
        names = (" ".join(str(part) for part in (*name[1:2], *name[:1], *name[2:3]) if part) for name in parsed)
        return [_text(name) for name in names if _text(name)]
    if isinstance(value, list):
        return [_text(a) for a in value if _text(a)]
    if isinstance(value, str):
        sep = ";" if ";" in value else ","
        return [a.strip() for a in value.split(sep) if a.strip()]
    return []


def _first_version_date(versions: Any) -> str | None:
    """The day an arXiv metadata record's first version was submitted, as an ISO date.

    The dump has no ``date``; ``versions`` starts with
    ``{"version": "v1", "created": "Mon, 2 Apr 2007 19:18:42 GMT"}``.
    """
    if not (isinstance(versions, list) and versions and isinstance(versions[0], dict)):
        return None
    try:
        return parsedate_to_datetime(str(versions[0].get("created"))).date().isoformat()
    except ValueError:
        return None


def _plain(fields: dict[str, Any]) -> dict[str, Any]:
    for test, adapter in SHAPES:
        if registry.load(test)(fields):
            return registry.load(adapter)(fields)
    return fields


def to_paper(fields: dict[str, Any], source: Source, problems: Problems) -> Paper | None:
    fields = _plain(fields)
    title, abstract = _text(fields.get("title")), _text(fields.get("abstract"))
    if not title:
        problems.add(source.path, source.line, "record without title")
        return None
    if not abstract:
        problems.add(source.path, source.line, "record without abstract", title[:60])
        return None
    arxiv_id = find_arxiv_id(fields)
    return Paper(
        id=paper_key(title, arxiv_id),
        title=title,
        abstract=abstract,
        arxiv_id=arxiv_id,
        url=_text(fields.get("url")) or None,
        date=_text(fields.get("date")) or _first_version_date(fields.get("versions")),
        authors=_authors(fields.get("authors"), fields.get("authors_parsed")),
        sources=[source],
    )


def merge(papers: Iterable[Paper]) -> list[Paper]:
    """One paper per identity, keeping every source and the first non-empty fields.

    A paper is known by its arXiv id and by its normalised title, so a record
    with an arXiv id and one without still collapse into one paper, which then
    takes the arXiv-based id whichever record came first.
    """
    merged: list[Paper] = []
    index: dict[str, Paper] = {}
    for paper in papers:
        keys = [paper.id, "title:" + normalise_title(paper.title)]
        kept = next((index[k] for k in keys if k in index), None)
        if kept is None:
            merged.append(paper)
            index.update(dict.fromkeys(keys, paper))
            continue
        kept.sources.extend(paper.sources)
        if len(paper.abstract) > len(kept.abstract):
            kept.abstract = paper.abstract
        if kept.arxiv_id is None and paper.arxiv_id is not None:
            kept.arxiv_id, kept.id = paper.arxiv_id, paper.id
        for attr in ("url", "date"):
            if getattr(kept, attr) is None:
                setattr(kept, attr, getattr(paper, attr))
        if not kept.authors:
            kept.authors = paper.authors
        index.update(dict.fromkeys([*keys, kept.id], kept))
    return merged


def read_file(path: Path, problems: Problems, on_bytes: Callable[[int], object] | None = None) -> Iterator[Paper]:
    reader = get_reader(path.suffix)
    if reader is None:
        problems.add(path, None, "unknown format", f"expected one of {', '.join(sorted(READERS))}")
        return
    lines = open_lines(path, problems, on_bytes)
    if lines is None:
        return
    before = len(problems)
    count = 0
    for line, fields in reader(lines, path, problems):
        paper = to_paper(fields, Source(str(path), line), problems)
        if paper is not None:
            count += 1
            yield paper
    if count == 0 and len(problems) == before:
        problems.add(path, None, "no papers found")


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:  # reported when the file is read
        return 0


def read_inputs(inputs: Iterable[Path], problems: Problems, progress: bool = False) -> list[Paper]:
    """Every usable paper in ``inputs``, deduplicated, in input order.

    With ``progress``, a bar on a terminal counts the bytes read. Reading
    went at 50 to 65 MB/s on the benchmark corpus, so the arXiv metadata dump
    (several gigabytes) takes minutes before extraction starts.
    """
    files = expand(inputs, problems)
    papers: list[Paper] = []
    with progress_bar(sum(map(_size, files)), "reading", progress, unit="B") as bar:
        for path in files:
            papers.extend(read_file(path, problems, bar.update))
    return merge(papers)
