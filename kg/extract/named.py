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
#: "our method", "our model", "we": the paper speaking of its own method.
OWN = re.compile(
    r"\b(?:[Oo]ur (?:[\w-]+ ){0,2}?"
    r"(?:method|model|approach|framework|algorithm|network|architecture|system|technique)s?|[Ww]e)\b"
)


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


def own_method(doc: Doc) -> Name | None:
    """The paper's own method, when one name is clearly it: the title's, or the only one proposed."""

    def compute() -> Name | None:
        proposed = [n for s in sentences(doc) for n in s.names if n.proposed and n.type is EntityType.METHOD]
        in_title = [n for n in proposed if n.end <= title_end(doc)]
        if in_title:
            return in_title[0]
        distinct = {n.text.lower() for n in proposed}
        return proposed[0] if len(distinct) == 1 else None

    return memo(doc, "kg.own_method", compute)
