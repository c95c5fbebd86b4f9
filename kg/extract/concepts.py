"""Key concepts: the 3 to 8 topics a librarian would tag a paper with.

Candidates are the paper's noun phrases (see :mod:`kg.extract.phrases`), the
shorter phrases they end in ("deep graph neural networks" also speaks for
"graph neural networks"), and the broad families the lists and acronym
definitions typed as concepts. They are ranked by how often the abstract
uses them, with a bonus for the title and for multi-word phrases; phrases
made only of generic words ("results", "real-world datasets", "this paper")
never qualify.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from kg.extract import Extractor, sentence_of
from kg.extract.candidates import analyse
from kg.extract.layout import title, title_end
from kg.extract.lexicon import word_set
from kg.extract.phrases import QUALIFIERS, is_generic_phrase, is_hyphen, phrases_of
from kg.extract.scientific import REQUIRES
from kg.records import EntityType, Mention, Paper, Relation
from kg.resolve import fold

MAX_CONCEPTS = 8
#: Longest concept, in words; hyphenated compounds count as one word.
MAX_WORDS = 3
TITLE_BONUS = 2.0
#: For phrases of several words and property nouns: more specific than a lone common noun.
SPECIFIC_BONUS = 0.5
#: For a phrase outside the title that shares a word with it ("quadratic neurons" under "Quadratic Networks").
TITLE_WORD_BONUS = 0.5
#: Shorter phrases are mostly fragments ("art", "end").
MIN_CHARS = 4
#: Nouns naming a property or phenomenon ("transferability", "expressiveness", "binarization"),
#: topics even when the abstract says them once.
ABSTRACT_NOUN = re.compile(r"(?:ity|ness|i[sz]ation|ism)$")


@dataclass
class Concept:
    """A ranked concept: its first span, its score and the expansion when it is an acronym."""

    span: Span
    score: float = 0.0
    long_form: str | None = None
    count: int = 0
    in_title: bool = False


def _core(span: Span) -> Span:
    """The phrase without the words that only frame it ("homophily assumption" -> "homophily")."""
    tails = word_set("phrase_tails")
    end = span.end
    while end > span.start + 1 and span.doc[end - 1].lower_ in tails:
        end -= 1
    return span.doc[span.start : end]


def _suffixes(span: Span) -> Iterator[Span]:
    """The endings of a phrase of two to MAX_WORDS words ("graph neural networks", "neural networks").

    Topics are short: "deeper graph neural networks" speaks for "graph
    neural networks", which is what a reader tags. A hyphenated compound is one word.
    """
    starts = [
        k
        for k in range(span.start, span.end - 1)
        if not span.doc[k].is_punct and (k == span.start or not is_hyphen(span.doc[k - 1]))
    ]
    for k in starts[-(MAX_WORDS - 1) :]:
        yield span.doc[k : span.end]


def _gather(doc: Doc) -> dict[str, Concept]:
    """Every candidate phrase by folded key, with how often the paper uses it."""
    end = title_end(doc)
    found = analyse(doc)
    typed = {k for f in found if f.type in {EntityType.METHOD, EntityType.DATASET} for k in range(f.start, f.end)}
    # An acronym counts for its expansion, so "GNNs" and "graph neural networks" are one concept.
    expansions = {fold(doc[f.start : f.end].text): f.long_form for f in found if f.long_form}
    spans = [
        span
        for phrase in phrases_of(doc)
        if not set(range(phrase.start, phrase.end)) <= typed
        for span in list(_suffixes(_core(phrase))) or [_core(phrase)]
        if not is_generic_phrase(span) and len(span.text) >= MIN_CHARS
    ]
    spans += [
        doc[f.start : f.end]
        for f in found
        if f.type is EntityType.CONCEPT
        and not is_generic_phrase(doc[f.start : f.end])
        and (f.long_form or "").lower() not in QUALIFIERS  # "state-of-the-art (SOTA)"
    ]
    concepts: dict[str, Concept] = {}
    for span in spans:
        long_form = expansions.get(fold(span.text))
        concept = concepts.setdefault(fold(long_form or span.text), Concept(span, long_form=long_form))
        concept.count += 1
        concept.in_title = concept.in_title or span.start_char < end
    return concepts


def _score(concept: Concept, title_words: set[str]) -> float:
    words = {fold(t.text) for t in concept.span if t.is_alpha}
    specific = len(concept.span) > 1 or bool(ABSTRACT_NOUN.search(concept.span.text.lower()))
    return (
        concept.count
        + (TITLE_BONUS if concept.in_title else 0.0)
        + (SPECIFIC_BONUS if specific else 0.0)
        + (TITLE_WORD_BONUS if not concept.in_title and words & title_words else 0.0)
    )


def rank_concepts(doc: Doc) -> list[Concept]:
    """The best concepts of a paper, best first, at most MAX_CONCEPTS.

    A single word qualifies when the paper repeats it or it names a property;
    a phrase sharing a word with the title ranks above one that does not.
    """
    generic = word_set("generic")
    title_words = {fold(t.text) for t in title(doc) if t.is_alpha and not t.is_stop} - {fold(w) for w in generic}
    ranked = []
    for concept in _gather(doc).values():
        single = len(concept.span) == 1
        if single and concept.count < 2 and not ABSTRACT_NOUN.search(concept.span.text.lower()):
            continue
        concept.score = _score(concept, title_words)
        ranked.append(concept)
    ranked.sort(key=lambda c: (-c.score, c.span.start))
    return _distinct(ranked)[:MAX_CONCEPTS]


def _distinct(ranked: list[Concept]) -> list[Concept]:
    """Drop a phrase whose words are all inside a better-ranked one ("networks" after "graph networks")."""
    kept: list[Concept] = []
    seen: list[set[str]] = []
    for concept in ranked:
        words = {fold(t.text) for t in concept.span if not t.is_punct}
        if any(words <= other for other in seen):
            continue
        kept.append(concept)
        seen.append(words)
    return kept


def extract_concepts(doc: Doc, paper: Paper) -> Iterator[Mention]:
    ranked = rank_concepts(doc)
    top = ranked[0].score if ranked else 1.0
    for concept in ranked:
        span = concept.span
        yield Mention(
            paper_id=paper.id,
            text=span.text,
            type=EntityType.CONCEPT,
            relation=Relation.ABOUT,
            start=span.start_char,
            end=span.end_char,
            sentence=sentence_of(doc, span.start_char, span.end_char),
            extractor="concepts",
            confidence=round(concept.score / top, 3),
            long_form=concept.long_form if concept.long_form != span.text else None,
        )


EXTRACTOR = Extractor("concepts", extract_concepts, REQUIRES)
