"""Key concepts: the 3 to 8 topics a librarian would tag a paper with.

Candidates are the paper's noun phrases (see :mod:`kg.extract.phrases`), the
shorter phrases they end in ("deep graph neural networks" also speaks for
"graph neural networks"), and the broad families the lists and acronym
definitions typed as concepts. They are ranked by how often the abstract
uses them, with a bonus for the title, for multi-word phrases and property
nouns, and for phrases right after a topic verb ("we study ..."); phrases
made only of generic words ("results", "real-world datasets", "this paper")
never qualify, nor does a single word that many machine-learning texts use
("success", "constraints": :func:`word_specificity`). Ranking every phrase by
that specificity too was tried and lowered concept recall on both
development sets: the topics people tag are often common phrases
("convolutional neural networks").

The eight slots go to distinct topics: a phrase the paper already names as a
method, dataset or task is left to that entity (the resolver would merge the
two), and a phrase that only adds or drops qualifying words of a better-ranked
one ("inductive bias metric" after "inductive bias") is a variant, not a topic.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

from spacy.tokens import Doc, Span

from kg.extract import Extractor, sentence_of
from kg.extract.candidates import analyse
from kg.extract.evidence import Found
from kg.extract.layout import Tokens, text, title, title_end, tokens
from kg.extract.lexicon import word_set
from kg.extract.phrases import HYPHENS, QUALIFIERS, generic_or_qualifier, is_generic_phrase, phrases_of
from kg.extract.scientific import REQUIRES
from kg.records import EntityType, Mention, Paper, Relation
from kg.resolve import fold

MAX_CONCEPTS = 8
#: Longest concept, in words; hyphenated compounds count as one word.
MAX_WORDS = 3
TITLE_BONUS = 2.0
#: For phrases of several words: more specific than a lone common noun.
SPECIFIC_BONUS = 0.5
#: For a property noun ("scalability", "binarization"): said once, it is a topic more often than a
#: one-off phrase is (about a quarter of them against an eighth on the dev set), so it wins their ties.
PROPERTY_BONUS = 0.6
#: For a phrase outside the title that shares a word with it ("quadratic neurons" under "Quadratic Networks").
TITLE_WORD_BONUS = 0.5
#: For a phrase just after a topic verb ("we study the smoothness of ..."): the authors name it as their subject.
TOPIC_CUE_BONUS = 0.5
#: How many words before a phrase a topic verb may stand ("we focus on the ...").
TOPIC_CUE_WINDOW = 4
#: Shorter phrases are mostly fragments ("art", "end").
MIN_CHARS = 4
#: Nouns naming a property or phenomenon ("transferability", "expressiveness", "binarization"),
#: topics even when the abstract says them once.
ABSTRACT_NOUN = re.compile(r"(?:ity|ness|i[sz]ation|ism)$")
#: A single word needs at least this specificity: "success", "constraints" are in too many abstracts.
SINGLE_WORD_SPECIFICITY = 0.5


@cache
def _document_frequency() -> tuple[int, dict[str, int]]:
    """In how many of a corpus's texts each word occurs (kg/data/word_df.tsv, ``make train``)."""
    lines = resources.files("kg").joinpath("data", "word_df.tsv").read_text(encoding="utf-8").splitlines()
    counts = dict(line.split("\t") for line in lines[1:])
    return int(lines[0]), {word: int(n) for word, n in counts.items()}


def word_specificity(words: list[str]) -> float:
    """How rare the words of a phrase are in machine-learning text, from 0 (everywhere) to 1 (unseen).

    The mean inverse document frequency of the words, scaled by its largest
    value: "success" scores 0.40, "constraints" 0.46, "transferability" 1.0.
    """
    texts, df = _document_frequency()
    if not words:
        return 0.0
    top = math.log(texts + 1)
    return sum(math.log((texts + 1) / (df.get(w.lower(), 0) + 1)) for w in words) / (len(words) * top)


@dataclass
class Concept:
    """A ranked concept: its first span, its score and the expansion when it is an acronym."""

    span: Span
    score: float = 0.0
    long_form: str | None = None
    count: int = 0
    in_title: bool = False
    cued: bool = False


def _core(t: Tokens, start: int, end: int) -> int:
    """Where the phrase ``start:end`` ends without the words that only frame it.

    "homophily assumption" -> "homophily".
    """
    tails = word_set("phrase_tails")
    while end > start + 1 and t.lower[end - 1] in tails:
        end -= 1
    return end


def _suffix_starts(t: Tokens, start: int, end: int) -> list[int]:
    """Where the endings of the phrase ``start:end`` of two to MAX_WORDS words start ("graph neural networks",
    "neural networks").

    Topics are short: "deeper graph neural networks" speaks for "graph
    neural networks", which is what a reader tags. A hyphenated compound is one word.
    """
    starts = [k for k in range(start, end - 1) if not t.punct[k] and (k == start or t.text[k - 1] not in HYPHENS)]
    return starts[-(MAX_WORDS - 1) :]


def _after_topic_verb(span: Span, t: Tokens) -> bool:
    """A topic verb ("study", "address", "focus") stands a few words before the phrase, in its sentence."""
    verbs = word_set("topic_verbs")
    return any(t.lower[k] in verbs for k in range(max(span.sent.start, span.start - TOPIC_CUE_WINDOW), span.start))


def _is_fragment(t: Tokens, end: int, text: str) -> bool:
    """Too short, cut off ("hard sub-", "piecewise-E(3"), or a citation ("Hu et al"): the phrase ``text`` ending
    before token ``end``."""
    return (
        len(text) < MIN_CHARS
        or text[-1] in HYPHENS
        or text.count("(") != text.count(")")
        or t.lower[end - 1] in {"al", "al."}
    )


def _says_nothing(t: Tokens, start: int, end: int, text: str) -> bool:
    """Generic words only, counting a qualifier spelt open as well as hyphenated ("real world datasets"),
    or a lone noun that judges rather than names ("superiority")."""
    words = [t.lower[k] for k in range(start, end) if t.alpha[k]]
    return (
        is_generic_phrase(t, start, end, text)
        or ("-".join(words[:2]) in QUALIFIERS and set(words[2:]) <= generic_or_qualifier())
        or (end - start == 1 and t.lower[start] in word_set("claim_nouns"))
    )


def _named(doc: Doc, found: list[Found]) -> set[str]:
    """Folded names the paper already gives a method, dataset or task, long forms included."""
    typed = [f for f in found if f.type is not EntityType.CONCEPT]
    return {fold(doc[f.start : f.end].text) for f in typed} | {fold(f.long_form) for f in typed if f.long_form}


def _gather(doc: Doc) -> dict[str, Concept]:
    """Every candidate phrase by folded key, with how often the paper uses it.

    A phrase the paper already names as a method, dataset or task is that entity:
    as a concept it would merge into the entity and leave its slot empty, and its
    endings are fragments of the name ("Architecture Search" of "Neural Architecture Search").
    """
    end = title_end(doc)
    found = analyse(doc)
    typed = {k for f in found if f.type in {EntityType.METHOD, EntityType.DATASET} for k in range(f.start, f.end)}
    named = _named(doc, found)
    # An acronym counts for its expansion, so "GNNs" and "graph neural networks" are one concept.
    expansions = {fold(doc[f.start : f.end].text): f.long_form for f in found if f.long_form}
    t, doc_text = tokens(doc), text(doc)
    candidates: list[tuple[int, int, str]] = []  # token start, token end, text
    for phrase in phrases_of(doc):
        if set(range(phrase.start, phrase.end)) <= typed:
            continue
        core = _core(t, phrase.start, phrase.end)
        if fold(t.span_text(doc_text, phrase.start, core)) in named:
            continue
        for start in _suffix_starts(t, phrase.start, core) or [phrase.start]:
            phrase_text = t.span_text(doc_text, start, core)
            if not _says_nothing(t, start, core, phrase_text) and not _is_fragment(t, core, phrase_text):
                candidates.append((start, core, phrase_text))
    for f in found:
        if f.type is EntityType.CONCEPT and (f.long_form or "").lower() not in QUALIFIERS:  # "state-of-the-art (SOTA)"
            phrase_text = t.span_text(doc_text, f.start, f.end)
            if not _says_nothing(t, f.start, f.end, phrase_text):
                candidates.append((f.start, f.end, phrase_text))
    concepts: dict[str, Concept] = {}
    for start, stop, phrase_text in candidates:
        long_form = expansions.get(fold(phrase_text))
        if named & {fold(phrase_text), fold(long_form or "")}:
            continue
        span = doc[start:stop]
        concept = concepts.setdefault(fold(long_form or phrase_text), Concept(span, long_form=long_form))
        concept.count += 1
        concept.in_title = concept.in_title or t.idx[start] < end
        concept.cued = concept.cued or _after_topic_verb(span, t)
    return concepts


def _score(concept: Concept, title_words: set[str]) -> float:
    words = {fold(t.text) for t in concept.span if t.is_alpha}
    if len(concept.span) > 1:
        specificity = SPECIFIC_BONUS
    else:
        specificity = PROPERTY_BONUS if ABSTRACT_NOUN.search(concept.span.text.lower()) else 0.0
    return (
        concept.count
        + (TITLE_BONUS if concept.in_title else 0.0)
        + specificity
        + (TITLE_WORD_BONUS if not concept.in_title and words & title_words else 0.0)
        + (TOPIC_CUE_BONUS if concept.cued else 0.0)
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
        if single and concept.long_form is None and word_specificity([concept.span.text]) < SINGLE_WORD_SPECIFICITY:
            continue
        concept.score = _score(concept, title_words)
        ranked.append(concept)
    ranked.sort(key=lambda c: (-c.score, c.span.start))
    return _distinct(ranked)[:MAX_CONCEPTS]


def _stem(word: str) -> str:
    """A word without its plural ending, so "bias" and "biases" count as one word."""
    word = word.casefold()
    if re.search(r"(?:s|x|ch|sh)es$", word):
        return word[:-2]
    return word[:-1] if re.search(r"[^siau]s$", word) else word


def _distinct(ranked: list[Concept]) -> list[Concept]:
    """Drop variants of a better-ranked phrase, so the few slots go to different topics.

    A phrase whose words are all inside a better-ranked one adds nothing ("networks" after
    "graph networks"), and neither does one that only qualifies it ("appropriate inductive
    biases" after "inductive bias", "Hebbian learning process" after "Hebbian learning").
    """
    kept: list[Concept] = []
    seen: list[set[str]] = []
    for concept in ranked:
        words = {_stem(t.text) for t in concept.span if not t.is_punct}
        if any(words <= other or other <= words for other in seen):
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
