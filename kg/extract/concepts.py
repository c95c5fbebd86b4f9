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
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from kg.extract import Extractor, sentence_of
from kg.extract.candidates import analyse, title_end
from kg.extract.lexicon import word_set
from kg.extract.phrases import is_generic_phrase, is_hyphen, noun_phrases
from kg.extract.scientific import REQUIRES
from kg.records import EntityType, Mention, Paper, Relation
from kg.resolve import fold

MAX_CONCEPTS = 8
TITLE_BONUS = 2.0
MULTIWORD_BONUS = 0.5
#: Nouns naming a property or phenomenon ("transferability", "expressiveness", "binarization"),
#: topics even when the abstract says them once.
ABSTRACT_NOUN = re.compile(r"(?:ity|ness|i[sz]ation|ism)$")


@dataclass
class _Candidate:
    span: Span
    score: float = 0.0


def _core(span: Span) -> Span:
    """The phrase without the words that only frame it ("homophily assumption" -> "homophily")."""
    tails = word_set("phrase_tails")
    end = span.end
    while end > span.start + 1 and span.doc[end - 1].lower_ in tails:
        end -= 1
    return span.doc[span.start : end]


def _suffixes(span: Span) -> Iterator[Span]:
    """The phrase and the shorter phrases ending in its head, down to two words."""
    for k in range(span.start, span.end - 1):
        if not span.doc[k].is_punct and (k == span.start or not is_hyphen(span.doc[k - 1])):
            yield span.doc[k : span.end]


def rank_concepts(doc: Doc) -> list[tuple[Span, float]]:
    """Concept spans (first occurrence) with scores, best first."""
    end = title_end(doc)
    found = analyse(doc)
    typed = {k for f in found if f.type in {EntityType.METHOD, EntityType.DATASET} for k in range(f.start, f.end)}
    # An acronym counts for its expansion, so "GNNs" and "graph neural networks" are one concept.
    expansions = {fold(doc[f.start : f.end].text): fold(f.long_form) for f in found if f.long_form}
    candidates: dict[str, _Candidate] = {}
    counts: Counter[str] = Counter()
    for phrase in noun_phrases(doc):
        if set(range(phrase.start, phrase.end)) <= typed:
            continue
        core = _core(phrase)
        for span in list(_suffixes(core)) or [core]:
            if is_generic_phrase(span) or len(span.text) < 4:
                continue
            key = expansions.get(fold(span.text), fold(span.text))
            counts[key] += 1
            candidate = candidates.setdefault(key, _Candidate(span))
            if span.start_char < end:
                candidate.score += TITLE_BONUS
    for f in found:
        if f.type is EntityType.CONCEPT:
            span = doc[f.start : f.end]
            key = fold(f.long_form or span.text)
            counts[key] += 1
            candidates.setdefault(key, _Candidate(span))
    ranked = []
    for key, candidate in candidates.items():
        words = len(candidate.span)
        if words == 1 and counts[key] < 2 and not ABSTRACT_NOUN.search(candidate.span.text.lower()):
            continue  # a single word is a topic when the paper repeats it or it names a property
        score = counts[key] + candidate.score + (MULTIWORD_BONUS if words > 1 else 0.0)
        ranked.append((candidate.span, score))
    ranked.sort(key=lambda pair: (-pair[1], pair[0].start))
    return _distinct(ranked)[:MAX_CONCEPTS]


def _distinct(ranked: list[tuple[Span, float]]) -> list[tuple[Span, float]]:
    """Drop a phrase whose words are all inside a better-ranked one ("networks" after "graph networks")."""
    kept: list[tuple[Span, float]] = []
    seen: list[set[str]] = []
    for span, score in ranked:
        words = {fold(t.text) for t in span if not t.is_punct}
        if any(words <= other for other in seen):
            continue
        kept.append((span, score))
        seen.append(words)
    return kept


def extract_concepts(doc: Doc, paper: Paper) -> Iterator[Mention]:
    ranked = rank_concepts(doc)
    top = ranked[0][1] if ranked else 1.0
    for span, score in ranked:
        yield Mention(
            paper_id=paper.id,
            text=span.text,
            type=EntityType.CONCEPT,
            relation=Relation.ABOUT,
            start=span.start_char,
            end=span.end_char,
            sentence=sentence_of(doc, span.start_char, span.end_char),
            extractor="concepts",
            confidence=round(score / top, 3),
        )


EXTRACTOR = Extractor("concepts", extract_concepts, REQUIRES)
