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
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from email.utils import parsedate_to_datetime
from functools import cache
from pathlib import Path
from typing import Any

from kg import registry
from kg.ingest.clean import MAX_TEXT, printable, truncate
from kg.ingest.stream import as_regular_file, is_stream, sniff, stream_name
from kg.ingest.text import open_lines
from kg.ingest.values import arxiv_id_of_doi, find_doi
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
    ".xml": "kg.ingest.arxiv_atom:read",
    ".atom": "kg.ingest.arxiv_atom:read",
}

#: Record layouts other than plain ``title``/``abstract`` fields, as
#: ("module:test", "module:adapter") pairs: the first test that holds turns
#: the record into plain fields before it becomes a paper.
SHAPES: list[tuple[str, str]] = [
    ("kg.ingest.scirex:is_scirex", "kg.ingest.scirex:to_fields"),
    ("kg.ingest.daily_papers_api:is_daily_paper", "kg.ingest.daily_papers_api:to_fields"),
    ("kg.ingest.openalex:is_openalex", "kg.ingest.openalex:to_fields"),
    ("kg.ingest.semantic_scholar:is_semantic_scholar", "kg.ingest.semantic_scholar:to_fields"),
]

#: Where API pages keep their records: OpenAlex ``{"meta": ..., "results": [...]}``,
#: Semantic Scholar ``{"total": ..., "data": [...]}``.
PAGE_KEYS = ("results", "data")

#: A new-style (2101.12345) or old-style (hep-th/9901001, math.AG/0601001) arXiv id.
#: Every repetition is bounded (archive names have at most 8 letters): an
#: unbounded ``[a-z\-]+`` backtracked over the rest of the field from each
#: start, 22 s on 40,000 characters of "a-a-a-".
ARXIV_ID = re.compile(r"(?<![\w.])(\d{4}\.\d{4,5}|[a-z\-]{1,16}(?:\.[A-Z]{2})?/\d{7})(?:v\d{1,4})?(?!\w)")


def get_reader(suffix: str) -> Reader | None:
    target = READERS.get(suffix.lower())
    if target is None:
        return None
    return registry.load(target)


def expand(inputs: Iterable[Path], problems: Problems, out: Path | None = None) -> list[Path]:
    """Files named on the command line, with directories read recursively.

    A directory's walk leaves out the build's output folder ``out`` and any
    extraction cache: a build into a folder inside its input would otherwise
    read its own ``papers.csv`` back as input the next time. ``-``, FIFOs and
    devices are kept as they are (see :func:`kg.ingest.stream.regular`).
    """
    files: list[Path] = []
    root = _resolved(out)
    for path in inputs:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in READERS)
            kept = [p for p in found if not _is_output(p.relative_to(path), path, root)]
            if not kept:
                kind = "the output folder in it is not read" if found else ", ".join(sorted(READERS))
                problems.add(path, None, "no supported files in directory", kind)
            files.extend(kept)
        elif path.is_file() or is_stream(path):
            files.append(path)
        else:
            problems.add(path, None, "file not found")
    return files


def _resolved(out: Path | None) -> Path | None:
    """``out`` resolved once for a whole walk; None when there is none or it cannot be (a symlink loop)."""
    try:
        return out.resolve() if out is not None else None
    except OSError:
        return None


def _is_output(relative: Path, folder: Path, out: Path | None) -> bool:
    """Whether ``folder / relative`` is kg's own: in an extraction cache or in the output folder ``out``
    (resolved already)."""
    from kg.cache import FOLDER  # sqlite3 comes with kg.cache: not at start-up, for one name

    if FOLDER in relative.parts:
        return True
    if out is None:
        return False
    try:
        return (folder / relative).resolve().is_relative_to(out)
    except OSError:  # a symlink loop: not kg's
        return False


def normalise_title(title: str) -> str:
    """The title's words, case-folded; "" for a title of punctuation only."""
    text = unicodedata.normalize("NFKC", title).casefold()
    return " ".join(re.findall(r"\w+", text))


def find_arxiv_id(fields: dict[str, Any], doi: str | None = None) -> str | None:
    """The arXiv id in a record's ``arxiv_id``, ``url`` or ``id``, else in arXiv's own DOI."""
    for key in ("arxiv_id", "url", "id"):
        value = fields.get(key)
        if value:
            match = ARXIV_ID.search(str(value))
            if match:
                return match.group(1)
    found = arxiv_id_of_doi(doi)
    match = ARXIV_ID.fullmatch(found) if found else None
    return match.group(1) if match else None


def records_in(value: dict[str, Any]) -> list[Any]:
    """The records a JSON object holds: the object itself when it is one, else its list under a
    page key (:data:`PAGE_KEYS`) or a list of objects under any key (``{"papers": [...]}``); else itself.
    """
    if is_record(value):
        return [value]
    lists = [value[key] for key in PAGE_KEYS if isinstance(value.get(key), list)]
    lists += [v for v in value.values() if isinstance(v, list) and v and all(isinstance(r, dict) for r in v)]
    return lists[0] if lists else [value]


def is_record(fields: dict[str, Any]) -> bool:
    """Whether ``fields`` is one paper: it has a title, or a known record layout (:data:`SHAPES`)."""
    return "title" in fields or any(test(fields) for test, _ in _shapes())


def paper_key(title: str, arxiv_id: str | None, abstract: str = "") -> str:
    """The identity of a paper: its arXiv id, else a hash of its normalised title.

    A title of punctuation only ("???") normalises to nothing, and all such
    titles would be one paper: its abstract then joins the key.
    """
    if arxiv_id:
        return f"arxiv:{arxiv_id}"
    words = normalise_title(title)
    key = words or f"{title}\n{abstract}"
    digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]
    return f"paper:{digest}"


def _text(value: Any, fixes: Counter[str]) -> str:
    """``value`` with every run of whitespace as one space, none at either end, and nothing unprintable.

    What :func:`~kg.ingest.clean.printable` changes is counted in ``fixes``.
    """
    if value is None:
        return ""
    text = str(value)
    # Most records are clean already: printable means no whitespace but the
    # ASCII space, so only doubled or outer spaces would change. Checking is a
    # third of the cost of splitting and joining 10,000 abstracts.
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    text = " ".join(text.split())
    # Format characters (a soft hyphen) are not printable either, but rarer than a line break.
    return text if text.isprintable() else printable(text, fixes)


def _authors(value: Any, fixes: Counter[str], parsed: Any = None) -> list[str]:
    """Author names; an arXiv metadata record's ``authors_parsed`` (``[last, first, suffix]``) wins.

    The arXiv dump's ``authors`` string is TeX ("C. Bal\\'azs") joined by
    commas and "and", which splitting on commas gets wrong; its parsed list
    has plain Unicode names.
    """
    if isinstance(parsed, list) and parsed and all(isinstance(name, list) for name in parsed):
        names = [" ".join(str(part) for part in (*name[1:2], *name[:1], *name[2:3]) if part) for name in parsed]
    elif isinstance(value, list):
        names = value
    elif isinstance(value, str):
        names = value.split(";" if ";" in value else ",")
    else:
        return []
    return [name for name in (_text(n, fixes) for n in names) if name]


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


@cache
def _shapes() -> list[tuple[Callable[[dict[str, Any]], Any], Callable[[dict[str, Any]], dict[str, Any]]]]:
    """:data:`SHAPES` imported once: looked up by name for every record, they cost 4 us a record."""
    return [(registry.load(test), registry.load(adapter)) for test, adapter in SHAPES]


def _plain(fields: dict[str, Any]) -> dict[str, Any]:
    for test, adapter in _shapes():
        if test(fields):
            return adapter(fields)
    return fields


def to_paper(fields: dict[str, Any], source: Source, problems: Problems, max_text: int = MAX_TEXT) -> Paper | None:
    """The paper in ``fields``, cleaned (see :mod:`kg.ingest.clean`) and cut to ``max_text`` characters.

    Title and abstract together keep at most ``max_text`` characters (the
    title at most half of them); the other fields keep as many each.
    """
    fields = _plain(fields)
    fixes: Counter[str] = Counter()
    title, abstract = _text(fields.get("title"), fixes), _text(fields.get("abstract"), fixes)
    url, date = _text(fields.get("url"), fixes), _text(fields.get("date"), fixes)
    authors = _authors(fields.get("authors"), fixes, fields.get("authors_parsed"))
    # Every field is cleaned before the report, so what was cleaned in any of them is said.
    doi_text, primary = _text(fields.get("doi"), fixes), _text(fields.get("primary_category"), fixes)
    categories = _bounded(_categories(fields.get("categories"), fixes), max_text)
    links = _source_links(fields.get("source_links"), fixes, max_text)
    if fixes:
        detail = ", ".join(f"{n} {what}" for what, n in fixes.items())
        problems.add(source.path, source.line, "unprintable characters", detail, action="cleaned")
    if not title:
        problems.add(source.path, source.line, "record without title")
        return None
    if len(title) + 2 + len(abstract) > max_text:
        long = len(title) + 2 + len(abstract)
        title = truncate(title, max_text // 2)
        abstract = truncate(abstract, max_text - len(title) - 2)
        detail = f"{long:,} characters, cut to {len(title) + 2 + len(abstract):,} at a sentence end; see --max-text"
        problems.add(source.path, source.line, f"text longer than {max_text:,} characters", detail, "truncated")
    if not abstract:
        problems.add(source.path, source.line, "record without abstract", title[:60])
        return None
    doi = find_doi(doi_text[:max_text])
    arxiv_id = find_arxiv_id(fields, doi)
    return Paper(
        id=paper_key(title, arxiv_id, abstract),
        title=title,
        abstract=abstract,
        arxiv_id=arxiv_id,
        url=truncate(url, max_text) or None,
        date=truncate(date, max_text) or _first_version_date(fields.get("versions")),
        authors=_bounded(authors, max_text),
        sources=[source],
        doi=doi,
        categories=categories,
        primary_category=truncate(primary, max_text) or None,
        source_links=links,
    )


def _categories(value: Any, fixes: Counter[str]) -> list[str]:
    """Category names from a list, or from a string of them (the arXiv dump's ``"cs.CV cs.LG"``)."""
    items = value.split() if isinstance(value, str) else value if isinstance(value, list) else []
    return list(dict.fromkeys(name for name in (_text(item, fixes) for item in items) if name))


def _source_links(value: Any, fixes: Counter[str], limit: int) -> list[tuple[str, str]]:
    """The ``(url, where)`` pairs an adapter gave (see :attr:`kg.records.Paper.source_links`)."""
    pairs = value if isinstance(value, list) else []
    links = [
        (_text(pair[0], fixes)[:limit], _text(pair[1], fixes)[:limit])
        for pair in pairs
        if isinstance(pair, list | tuple) and len(pair) == 2
    ]
    return list(dict.fromkeys(link for link in links if link[0]))


def _bounded(names: list[str], limit: int) -> list[str]:
    """The first of ``names`` that together hold at most ``limit`` characters."""
    total = 0
    for i, name in enumerate(names):
        total += len(name)
        if total > limit:
            return names[:i]
    return names


def merge(papers: Iterable[Paper], problems: Problems | None = None) -> list[Paper]:
    """One paper per identity, keeping every source and the first non-empty fields.

    A paper is known by its arXiv id, its DOI and its normalised title (when
    it has words), so a record with an arXiv id and one without still
    collapse into one paper, which then takes the arXiv-based id whichever
    record came first. Categories and source links of every record are
    kept. Of two abstracts the longer is kept; when the shorter is not just
    a shorter copy of it (two papers with one title), ``problems`` hears so.
    """
    merged: list[Paper] = []
    index: dict[str, Paper] = {}
    for paper in papers:
        words = normalise_title(paper.title)
        keys = [paper.id, *(["title:" + words] if words else []), *_doi_key(paper)]
        kept = next((index[k] for k in keys if k in index), None)
        if kept is None:
            merged.append(paper)
            index.update(dict.fromkeys(keys, paper))
            continue
        longer, shorter = (paper, kept) if len(paper.abstract) > len(kept.abstract) else (kept, paper)
        if problems is not None and not _same_text(shorter.abstract, longer.abstract):
            where = shorter.sources[0]
            other = f"{longer.sources[0].path}:{longer.sources[0].line}"
            problems.add(where.path, where.line, "another abstract of the same paper", f"kept {other}", "dropped")
        kept.sources.extend(paper.sources)
        kept.abstract = longer.abstract
        if kept.arxiv_id is None and paper.arxiv_id is not None:
            kept.arxiv_id, kept.id = paper.arxiv_id, paper.id
        for attr in ("url", "date", "doi", "primary_category"):
            if getattr(kept, attr) is None:
                setattr(kept, attr, getattr(paper, attr))
        if not kept.authors:
            kept.authors = paper.authors
        kept.categories = list(dict.fromkeys([*kept.categories, *paper.categories]))
        kept.source_links = list(dict.fromkeys([*kept.source_links, *paper.source_links]))
        index.update(dict.fromkeys([*keys, *_doi_key(kept), kept.id], kept))
    return merged


def _doi_key(paper: Paper) -> list[str]:
    return [f"doi:{paper.doi}"] if paper.doi else []


def _same_text(shorter: str, longer: str) -> bool:
    """Whether ``shorter`` is ``longer`` or its start, but for case, spacing and punctuation."""
    return normalise_title(longer).startswith(normalise_title(shorter))


def read_file(
    path: Path, problems: Problems, on_bytes: Callable[[int], object] | None = None, max_text: int = MAX_TEXT
) -> Iterator[Paper]:
    """The papers in ``path``; standard input (``-``), a FIFO or a device is first copied to a temporary file."""
    name = Path(stream_name(path))
    reader = get_reader(path.suffix)
    if reader is None and not is_stream(path):
        problems.add(name, None, "unknown format", f"expected one of {', '.join(sorted(READERS))}")
        return
    with as_regular_file(path, problems) as readable:
        if readable is None:
            return
        lines = open_lines(readable, problems, on_bytes, name)
        if lines is None:
            return
        reader = reader or registry.load(READERS[sniff(readable)])
        before = len(problems)
        count = 0
        for line, fields in reader(lines, name, problems):
            paper = to_paper(fields, Source(str(name), line), problems, max_text)
            if paper is not None:
                count += 1
                yield paper
        if count == 0 and len(problems) == before:
            problems.add(name, None, "no papers found")


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:  # reported when the file is read
        return 0


def read_inputs(
    inputs: Iterable[Path],
    problems: Problems,
    progress: bool = False,
    *,
    max_text: int = MAX_TEXT,
    out: Path | None = None,
) -> list[Paper]:
    """Every usable paper in ``inputs``, deduplicated, in input order.

    With ``progress``, a bar on a terminal counts the bytes read. Reading
    went at 50 to 65 MB/s on the benchmark corpus, so the arXiv metadata dump
    (several gigabytes) takes minutes before extraction starts. A paper's
    text is cut to ``max_text`` characters; ``out`` is left out of the
    folders read (see :func:`expand`).
    """
    files = expand(inputs, problems, out)
    papers: list[Paper] = []
    with progress_bar(sum(map(_size, files)), "reading", progress, unit="B") as bar:
        for path in files:
            papers.extend(read_file(path, problems, bar.update, max_text))
    return merge(papers, problems)
