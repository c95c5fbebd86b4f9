"""GitHub repositories and other URLs written in an abstract.

Abstracts are copied out of PDFs and LaTeX, so links arrive damaged: trailing
sentence punctuation, ``.git``, LaTeX braces (``SVDD{https://...}``), a URL
pasted twice with no space, a space after ``https:``. Repositories are
normalised to ``owner/name``; ``*.github.io`` pages are project pages and
stay plain URLs. Links a source record gives beside the text (a Hugging
Face ``githubRepo``) become the same mentions (:func:`source_links`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from kg.extract import Extractor, sentence_of
from kg.records import EntityType, Mention, Paper, Relation

if TYPE_CHECKING:
    from spacy.tokens import Doc

URL = re.compile(r"(?:\bhttps?:\s?//|\bwww\.|(?<![\w./-])github\.com/)[^\s<>\"'{}|\\^`]+", re.IGNORECASE)
# A second scheme glued onto the first URL ("...SVDDhttps://...") starts a new one.
GLUED = re.compile(r"(?<=.)(?=https?://)", re.IGNORECASE)
TRAILING = ".,;:!?)]}>'\"*"
REPO = re.compile(r"^(?:https?://)?(?:www\.)?github\.com/([\w.-]+)/([\w.-]+)", re.IGNORECASE)
#: github.com paths that are site pages, not user or organisation names.
NOT_OWNERS = {"about", "features", "topics", "marketplace", "orgs", "sponsors", "settings", "site"}


def clean_url(raw: str) -> str:
    url = re.sub(r"^(https?):\s+//", r"\1://", raw, flags=re.IGNORECASE)
    # Brackets are counted once and kept up to date: counting them again at
    # every character stripped was quadratic on a URL ending in many ")".
    opening, closing = url.count("("), url.count(")")
    end = len(url)
    while end and url[end - 1] in TRAILING:
        # Keep a closing bracket that has its opening one inside the URL.
        if url[end - 1] == ")":
            if opening >= closing:
                break
            closing -= 1
        end -= 1
    return url[:end]


def repo_name(url: str) -> str | None:
    """``owner/name`` when ``url`` points into a GitHub repository."""
    match = REPO.match(url)
    if not match or match.group(1).lower() in NOT_OWNERS:
        return None
    name = re.sub(r"\.git$", "", match.group(2), flags=re.IGNORECASE).rstrip(".")
    return f"{match.group(1)}/{name}" if name else None


def find_links(text: str) -> Iterator[tuple[int, int, str]]:
    """``(start, end, cleaned_url)`` for every link in ``text``, duplicates kept."""
    for match in URL.finditer(text):
        pieces = GLUED.split(match.group())
        offset = match.start()
        for piece in pieces:
            url = clean_url(piece)
            if "." in url.split("//")[-1]:
                yield offset, offset + len(piece.rstrip(TRAILING)), url
            offset += len(piece)


def _link(paper: Paper, url: str, start: int, end: int, sentence: str, extractor: str) -> Mention:
    """A repository (``has_code``) when ``url`` points into one on GitHub, else a URL (``mentions``)."""
    repo = repo_name(url)
    kind, relation, text = (
        (EntityType.REPOSITORY, Relation.HAS_CODE, repo) if repo else (EntityType.URL, Relation.MENTIONS, url)
    )
    return Mention(
        paper_id=paper.id,
        text=text,
        type=kind,
        relation=relation,
        start=start,
        end=end,
        sentence=sentence,
        extractor=extractor,
    )


def extract_links(doc: Doc, paper: Paper) -> Iterator[Mention]:
    for start, end, url in find_links(doc.text):
        yield _link(paper, url, start, end, sentence_of(doc, start, end), "links")


def source_links(paper: Paper) -> list[Mention]:
    """The links the paper's source record gives beside its text (a Hugging Face ``githubRepo``).

    Their evidence is the record, not a sentence: the sentence says which
    field of which source gave the link, and the span is empty, at the end
    of the text, so a link the abstract also writes keeps the abstract's
    sentence as its evidence (the resolver keeps the earliest). They need
    no parse, so they are made for every paper, cached or not, and the
    extraction cache stays keyed by the text alone.
    """
    end = len(paper.text)
    cleaned = ((clean_url(url), url, where) for url, where in paper.source_links)
    return [
        _link(paper, clean, end, end, f"{where}: {url}", "links:source")
        for clean, url, where in cleaned
        if "." in clean.split("//")[-1]
    ]


EXTRACTOR = Extractor("links", extract_links, frozenset({"senter"}))
