"""Where a paper's title ends and its abstract begins, worked out once per ``Doc``.

``Paper.text`` is the title, a blank line and the abstract. Several
extractors ask where the title ends; ``Doc.text`` rebuilds the whole string
on every access, so the answers are kept on the doc (:func:`memo`) rather
than recomputed per extractor and per token.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import TypeVar

from spacy.tokens import Doc, Span

T = TypeVar("T")


def memo(doc: Doc, key: str, compute: Callable[[], T]) -> T:
    """``compute()`` once per doc, kept in ``doc.user_data[key]``."""
    if key not in doc.user_data:
        doc.user_data[key] = compute()
    return doc.user_data[key]


def text(doc: Doc) -> str:
    return memo(doc, "kg.text", lambda: doc.text)


def title_end(doc: Doc) -> int:
    """Character offset where the title ends."""

    def compute() -> int:
        end = text(doc).find("\n\n")
        return len(text(doc)) if end < 0 else end

    return memo(doc, "kg.title_end", compute)


def title(doc: Doc) -> Span:
    """The title's tokens."""

    def compute() -> Span:
        end = next((t.i for t in doc if t.idx >= title_end(doc)), len(doc))
        return doc[:end]

    return memo(doc, "kg.title", compute)


def body_start(doc: Doc) -> int:
    """Index of the abstract's first token."""
    return memo(doc, "kg.body", lambda: next((t.i for t in doc[title(doc).end :] if not t.is_space), len(doc)))


@dataclass(frozen=True, slots=True)
class Tokens:
    """The token attributes extractors scan, read from the doc in one pass.

    Scanning plain lists is several times faster than creating a spaCy
    ``Token`` object for every position in every rule.
    """

    text: list[str]
    lower: list[str]
    tag: list[str]
    #: Whether whitespace follows the token.
    space: list[bool]
    alpha: list[bool]
    punct: list[bool]
    #: Character offset of the token in the doc's text.
    idx: list[int]

    def __len__(self) -> int:
        return len(self.text)

    def span_text(self, doc_text: str, start: int, end: int) -> str:
        """The text of tokens ``start:end`` (``Span.text``, without making the tokens)."""
        return doc_text[self.idx[start] : self.idx[end - 1] + len(self.text[end - 1])]


def tokens(doc: Doc) -> Tokens:
    def compute() -> Tokens:
        table = [(t.text, t.lower_, t.tag_, bool(t.whitespace_), t.is_alpha, t.is_punct, t.idx) for t in doc]
        columns = list(zip(*table, strict=True)) if table else [()] * len(fields(Tokens))
        return Tokens(*(list(c) for c in columns))

    return memo(doc, "kg.tokens", compute)
