"""The typed names of each sentence, and the paper's own method: what relations and results tie together.

Both read :func:`kg.extract.candidates.analyse`, so a relation's ends and a
result's method and dataset are exactly the spans the mentions are made of,
and the resolver maps them to the same entities. The title is a sentence of
its own (the blank line after it is a hard boundary).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from spacy.tokens import Doc

from kg.extract.candidates import analyse
from kg.extract.layout import memo, text, title_end
from kg.records import EntityType

#: Types a relation or result may link; concepts, repositories and URLs never do.
LINKED = frozenset({EntityType.METHOD, EntityType.DATASET, EntityType.TASK})
#: "our method", "our model", "the proposed approach", "we": the paper speaking of its own method.
OWN = re.compile(
    r"\b(?:(?:[Oo]ur|[Tt]he proposed) (?:[\w-]+ ){0,2}?"
    r"(?:method|model|approach|framework|algorithm|network|architecture|system|technique)s?|[Ww]e)\b"
)


#: What follows a name in the name of its variant: "SLTT-K", "LightHGNN^+", "RevCol-XL", "GHN 2".
VARIANT_NAME = re.compile(r"^(?:[-+^_ ]|\d)")


@dataclass(frozen=True, slots=True)
class Name:
    """A typed name at characters ``start:end`` of the paper's text."""

    text: str
    type: EntityType
    start: int
    end: int
    proposed: bool


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str
    start: int
    names: tuple[Name, ...]

    def between(self, a: Name, b: Name) -> str:
        """The words between two names of this sentence, ``a`` first."""
        return self.text[a.end - self.start : b.start - self.start]

    def before(self, name: Name) -> str:
        return self.text[: name.start - self.start]

    def after(self, name: Name) -> str:
        return self.text[name.end - self.start :]


def sentences(doc: Doc) -> list[Sentence]:
    """Every sentence of ``doc`` with the methods, datasets and tasks named in it, computed once per doc."""
    return memo(doc, "kg.named", lambda: _sentences(doc))


def _sentences(doc: Doc) -> list[Sentence]:
    names = [
        Name(span.text, f.type, span.start_char, span.end_char, f.proposed)
        for f in analyse(doc)
        if f.type in LINKED
        for span in [doc[f.start : f.end]]
    ]
    whole, cut = text(doc), title_end(doc)
    bounds = sorted({0, cut, *(s.start_char for s in doc.sents)} | {len(whole)})
    out = []
    k = 0
    for start, end in pairwise(bounds):
        inside = []
        while k < len(names) and names[k].start < end:
            inside.append(names[k])
            k += 1
        chunk = whole[start:end]
        lead = len(chunk) - len(chunk.lstrip())
        out.append(Sentence(chunk.strip(), start + lead, tuple(inside)))
    return out


#: Capitals inside a word, or a digit: "ProxylessNAS", "UncAD", "GPT-2", "HyperNetworks". Title Case never makes these.
NAME_SHAPED = re.compile(r"\w[A-Z]|\d")


def title_name_holds(doc: Doc, name: Name) -> bool:
    """Whether a title's ``name`` is a name: shaped as one (:data:`NAME_SHAPED`), or said again in the abstract.

    Title Case capitalises every word, so there "Efficient Architecture Search" or "Walk Pooling"
    look like names whatever they are. A title names its method and task in the fewest words;
    where such words have no capitals of their own and the abstract never says them again, they
    were a description ("Efficient Architecture Search by Network Transformation", a title
    "... with Walk Pooling" over an abstract about "WalkPool", "... for Image Analysis" over one
    about segmentation and classification). "ProxylessNAS: ..." is a name even if the abstract
    only says "our method".
    """
    return NAME_SHAPED.search(name.text) is not None or said_again(doc, name)


def said_again(doc: Doc, name: Name) -> bool:
    """Whether a title's ``name`` recurs in the abstract (a method in its own capitals, singular or plural).

    Tasks and datasets are matched in any case ("Fully Test-Time Adaptation" is "fully test-time
    adaptation" in the abstract); a method keeps its capitals, which are what make it a name:
    "efficient architecture search" in the abstract is an activity, not "Efficient Architecture Search".
    """
    stem = name.text[:-1] if name.text.endswith("s") and len(name.text) > 3 else name.text
    pattern = rf"(?<![\w-]){re.escape(stem)}s?(?![\w-])"
    flags = 0 if name.type is EntityType.METHOD else re.IGNORECASE
    return re.search(pattern, text(doc)[title_end(doc) :], flags) is not None


def _variant(name: str, of: str) -> bool:
    """Whether ``name`` is a variant's name built on ``of`` ("sltt-k" of "sltt", "lighthgnn^+" of "lighthgnn")."""
    return name != of and name.startswith(of) and VARIANT_NAME.match(name[len(of) :]) is not None


def own_method(doc: Doc) -> Name | None:
    """The paper's own method, when one name is clearly it: the title's, or the only one proposed.

    A title's phrase that is no name (:func:`title_name_holds`) is no method of the paper.
    """

    def compute() -> Name | None:
        cut = title_end(doc)
        proposed = [
            n
            for s in sentences(doc)
            for n in s.names
            if n.proposed and n.type is EntityType.METHOD and (n.end > cut or title_name_holds(doc, n))
        ]
        in_title = [n for n in proposed if n.end <= cut]
        if in_title:
            return in_title[0]
        # One method under several names: "Spatial Learning Through Time (SLTT)" is one, its acronym in
        # brackets after it; "a variant of SLTT, called SLTT-K" is built on it, its name SLTT's and more.
        whole = text(doc)
        acronyms = {b.text.lower() for a, b in pairwise(proposed) if re.fullmatch(r"\s*\(\s*", whole[a.end : b.start])}
        distinct = {n.text.lower() for n in proposed} - acronyms
        main = {t for t in distinct if not any(_variant(t, o) for o in distinct | acronyms)}
        return next(n for n in proposed if n.text.lower() in main) if len(main) == 1 else None

    return memo(doc, "kg.own_method", compute)
