"""Curated lists of well-known names (kg/data/*.txt) and the matchers built from them.

The lists only give a head start on famous names; unknown names are found from
context by :mod:`kg.extract.context`. Lowercase entries match any case
("transformer" finds "Transformer"); entries with a capital match exactly, so
"SAM" is not found in "same" and "Adam" is not found in "adam". Plural forms
of every entry are added, as abstracts write "GCNs" and "vision transformers".

Matchers are built once per vocabulary (once per process) and cached.

A user's lexicon (:mod:`kg.lexicons`) joins the lists in each process that
extracts, through :func:`use_lexicon`: its names are matched by the same
rules, its type wins over the lists' for the same name, and its metrics are
never names of a method or dataset (:func:`is_metric`, and ``not_names``).
Its aliases are one entity with its name through the resolver
(:meth:`kg.lexicons.Lexicon.groups`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from spacy.matcher import PhraseMatcher

from kg.lexicons import NO_LEXICON, Lexicon

if TYPE_CHECKING:
    from spacy.tokenizer import Tokenizer
    from spacy.tokens import Doc, Span
    from spacy.vocab import Vocab

#: List file -> what a match of it is.
LISTS = {
    "methods": "Method",
    "datasets": "Dataset",
    "tasks": "Task",
    "families": "Family",
}


@cache
def entries(name: str) -> tuple[str, ...]:
    """The names in ``kg/data/<name>.txt``, comments and blank lines dropped."""
    text = resources.files("kg").joinpath("data", f"{name}.txt").read_text(encoding="utf-8")
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return tuple(line for line in lines if line)


@cache
def word_set(name: str) -> frozenset[str]:
    """A list as a set of exact strings, for membership tests on single tokens.

    The user's metrics join ``not_names``: a metric is not the name of a method or dataset.
    """
    words = frozenset(entries(name))
    return words | _lexicon_forms("Metric") if name == "not_names" else words


#: The user's lexicon this process extracts with (see :func:`use_lexicon`).
_lexicon = NO_LEXICON


def use_lexicon(lexicon: Lexicon) -> None:
    """Extract with ``lexicon`` in this process from now on (each Runner calls it before it parses).

    Matchers stay cached per vocabulary and lexicon, so a process that
    switches back builds none again, and none inside a memory zone.
    """
    global _lexicon
    if lexicon.digest != _lexicon.digest:
        _lexicon = lexicon
        for cached in (word_set, _kinds):
            cached.cache_clear()


def _lexicon_forms(kind: str) -> frozenset[str]:
    return frozenset(form for e in _lexicon.entries if e.kind == kind for form in (e.name, *e.aliases))


def plural(name: str) -> str:
    if name.endswith(("ss", "x", "sh", "ch")):
        return name + "es"
    if name.endswith("s"):
        return name
    if name.endswith("y") and not name.endswith(("ay", "ey", "oy")):
        return name[:-1] + "ies"
    return name + "s"


@dataclass(frozen=True)
class Matchers:
    any_case: PhraseMatcher
    exact: PhraseMatcher

    def spans(self, doc: Doc) -> Iterator[Span]:
        """Every list match in ``doc`` labelled with its kind (overlaps kept)."""
        for matcher in (self.any_case, self.exact):
            yield from matcher(doc, as_spans=True)


#: The tokenizer of each loaded pipeline, by its vocabulary (see :func:`use_tokenizer`).
_TOKENIZERS: dict[Vocab, Tokenizer] = {}


def use_tokenizer(tokenizer: Tokenizer) -> None:
    """Tokenize the lists with ``tokenizer`` for docs of its vocabulary.

    Patterns must be split as the docs they match are, which a pipeline's own
    tokenizer does by definition. Without one, a blank English tokenizer is
    built, and building it (4,000 special cases) costs ~0.3 s in every
    process, a tenth of an extraction worker's start.
    """
    _TOKENIZERS[tokenizer.vocab] = tokenizer


def _tokenizer(vocab: Vocab) -> Tokenizer:
    import spacy

    tokenizer = _TOKENIZERS.get(vocab)
    return tokenizer if tokenizer is not None else spacy.blank("en", vocab=vocab).tokenizer


def matchers(vocab: Vocab) -> Matchers:
    """Phrase matchers over every list and the user's lexicon, built once per vocabulary and lexicon."""
    return _matchers(vocab, _lexicon.digest)


@cache
def _matchers(vocab: Vocab, digest: str) -> Matchers:
    """``digest`` only keys the cache: it names the lexicon in use, which is read from ``_lexicon``."""
    from kg.resolve import fold

    tokenizer = _tokenizer(vocab)
    any_case = PhraseMatcher(vocab, attr="LOWER")
    exact = PhraseMatcher(vocab, attr="ORTH")
    # The user's type wins for a name the package lists too, which keeps matching as the package's
    # entry does ("residual network" still in any case); a metric is not matched at all.
    theirs = {fold(form): e.kind for e in _lexicon.entries for form in (e.name, *e.aliases)}
    listed: dict[str, list[str]] = {kind: [] for kind in LISTS.values()}
    for name, kind in LISTS.items():
        for entry in entries(name):
            listed.get(theirs.get(fold(entry), kind), []).append(entry)
    for e in _lexicon.entries:
        listed.get(e.kind, []).extend((e.name, *e.aliases))
    for kind, names_of_kind in listed.items():
        lower = [e for e in names_of_kind if e == e.lower()]
        cased = [e for e in names_of_kind if e != e.lower()]
        for matcher, names in ((any_case, lower), (exact, cased)):
            forms = sorted({form for n in names for form in (n, plural(n)) if form[-1].isalpha()} | set(names))
            matcher.add(kind, list(tokenizer.pipe(forms)))
    return Matchers(any_case, exact)


@cache
def _kinds() -> dict[str, str]:
    from kg.resolve import fold

    table: dict[str, str] = {}
    for name, kind in LISTS.items():
        for entry in entries(name):
            table.setdefault(fold(entry), kind)
    for e in _lexicon.entries:
        table.update(dict.fromkeys((fold(form) for form in (e.name, *e.aliases)), e.kind))
    return table


def kind_of(text: str) -> str | None:
    """The kind of a listed name in any spelling ("GCNs" -> "Method"), or None; never "Metric"."""
    from kg.resolve import fold

    kind = _kinds().get(fold(text))
    return None if kind == "Metric" else kind


def is_metric(text: str) -> bool:
    """Whether the user's lexicon names ``text`` (in any spelling) as a metric: never a method or dataset."""
    from kg.resolve import fold

    return _kinds().get(fold(text)) == "Metric"
