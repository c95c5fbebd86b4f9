"""The arXiv API's Atom feeds (``export.arxiv.org/api/query``), saved as ``.xml`` or ``.atom``.

Each ``entry`` is a paper: ``id`` is its abstract page (the arXiv id with a
version), ``published`` the day version 1 appeared, ``arxiv:primary_category``
and ``category`` its categories, ``arxiv:doi`` (or a ``link`` titled
``doi``) its journal DOI. An entry whose ``id`` is under ``/api/errors`` is
the API reporting a bad query, and is reported as such.

The feed is parsed with expat, a line at a time, and entries come out as
they close. A document type declaration is refused: a feed never has one,
and entity declarations in it are how XML is made to expand without bound
("billion laughs") or to read local files. Expat reads no external entity
unless asked to, and kg never asks.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, TreeBuilder
from xml.parsers import expat

from kg.ingest.values import find_doi, iso_date
from kg.problems import Problems

ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"
_ERRORS = "arxiv.org/api/errors"


class _Refused(Exception):
    """The document declares a document type, which kg does not read."""


class _Entries:
    """Expat handlers that build each ``entry`` as an Element and collect it with its first line."""

    def __init__(self, parser: expat.XMLParserType) -> None:
        self.parser = parser
        self.done: list[tuple[int, Element]] = []
        self._builder: TreeBuilder | None = None
        self._line = 0
        self._depth = 0

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        tag = _clark(tag)
        if self._builder is None and tag == ATOM + "entry":
            self._builder, self._line, self._depth = TreeBuilder(), self.parser.CurrentLineNumber, 0
        if self._builder is not None:
            self._depth += 1
            self._builder.start(tag, {_clark(k): v for k, v in attributes.items()})

    def end(self, tag: str) -> None:
        if self._builder is None:
            return
        self._builder.end(_clark(tag))
        self._depth -= 1
        if self._depth == 0:
            self.done.append((self._line, self._builder.close()))
            self._builder = None

    def data(self, text: str) -> None:
        if self._builder is not None:
            self._builder.data(text)


def _clark(name: str) -> str:
    """Expat's "namespace}local" as ElementTree's "{namespace}local"."""
    return "{" + name if "}" in name else name


def _refuse(*_: object) -> None:
    raise _Refused


def _parser() -> tuple[expat.XMLParserType, _Entries]:
    parser = expat.ParserCreate(namespace_separator="}")
    entries = _Entries(parser)
    parser.StartElementHandler = entries.start
    parser.EndElementHandler = entries.end
    parser.CharacterDataHandler = entries.data
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    return parser, entries


def _text(entry: Element, path: str) -> str | None:
    found = entry.find(path)
    return found.text if found is not None else None


def to_fields(entry: Element) -> dict[str, Any]:
    """The plain fields of one ``entry``."""
    links = entry.findall(ATOM + "link")
    page = next((link.get("href") for link in links if link.get("rel") == "alternate"), None)
    doi_link = next((link.get("href") for link in links if link.get("title") == "doi"), None)
    primary = entry.find(ARXIV + "primary_category")
    categories = [c.get("term") for c in entry.findall(ATOM + "category") if c.get("term")]
    return {
        "id": _text(entry, ATOM + "id"),
        "title": _text(entry, ATOM + "title"),
        "abstract": _text(entry, ATOM + "summary"),
        "url": page or _text(entry, ATOM + "id"),
        "date": iso_date(_text(entry, ATOM + "published")),
        "authors": [name.text for name in entry.findall(f"{ATOM}author/{ATOM}name") if name.text],
        "doi": find_doi(_text(entry, ARXIV + "doi") or doi_link),
        "categories": categories,
        "primary_category": primary.get("term") if primary is not None else None,
    }


def read(lines: Iterable[str], path: Path, problems: Problems) -> Iterator[tuple[int, dict[str, Any]]]:
    parser, entries = _parser()
    try:
        for line in lines:
            parser.Parse(line, False)
            yield from _fields(entries, path, problems)
        parser.Parse("", True)
        yield from _fields(entries, path, problems)
    except _Refused:
        problems.add(path, parser.CurrentLineNumber, "XML with a document type declaration", "not read, for safety")
    except expat.ExpatError as err:
        problems.add(path, err.lineno, "malformed XML", expat.ErrorString(err.code))


def _fields(entries: _Entries, path: Path, problems: Problems) -> Iterator[tuple[int, dict[str, Any]]]:
    done, entries.done = entries.done, []
    for line, entry in done:
        fields = to_fields(entry)
        if _ERRORS in str(fields["id"]):
            problems.add(path, line, "arXiv API error", " ".join(str(fields["abstract"] or "").split()))
        else:
            yield line, fields
