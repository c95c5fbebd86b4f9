"""Noun phrases from part-of-speech tags alone, without the dependency parser.

``doc.noun_chunks`` needs the parser, which would halve kg's throughput; a
run of adjectives and nouns ending in a noun is what tasks and concepts look
like anyway ("semi-supervised node classification", "graph neural networks").
Hyphenated compounds are kept whole ("fine-tuned", "test-time"), and the
words that only qualify a phrase ("novel", "existing", "various") are
trimmed from its front.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from spacy.tokens import Doc, Span

from kg.extract.layout import Tokens, memo, tokens
from kg.extract.lexicon import word_set

#: Tags that may sit inside a noun phrase.
MODIFIER_TAGS = frozenset({"JJ", "JJR", "JJS", "NN", "NNS", "NNP", "NNPS", "HYPH", "CD", "AFX"})
NOUN_TAGS = frozenset({"NN", "NNS", "NNP", "NNPS"})
#: Tags of a finite verb: a word with one of them starts a clause ("..., and X outperforms ...").
FINITE_TAGS = frozenset({"VBZ", "VBD", "VBP", "MD"})
#: Words that qualify a phrase without being part of the topic.
QUALIFIERS = word_set("qualifiers")
#: "-ing" words that end research phrases as nouns although tagged as verbs
#: ("time series forecasting", "question answering", "federated learning").
GERUNDS = word_set("gerunds")
MAX_WORDS = 6
#: Tags that start an object or clause, so the word before them was a verb.
VERB_OBJECT_TAGS = frozenset({"DT", "PRP$", "WRB", "PDT", "TO"})


HYPHENS = frozenset({"-", "\u2010", "\u2011"})


def _is_noun(t: Tokens, i: int) -> bool:
    return t.tag[i] in NOUN_TAGS or t.lower[i] in GERUNDS


def _glued_hyphen(t: Tokens, i: int) -> bool:
    """Token ``i`` is a hyphen with no space on either side."""
    return 0 <= i < len(t) and t.text[i] in HYPHENS and not t.space[i] and i > 0 and not t.space[i - 1]


def _inside(t: Tokens, i: int) -> bool:
    if t.text[i] in HYPHENS:
        return _glued_hyphen(t, i)
    if t.tag[i] in MODIFIER_TAGS:
        # A number joins only when glued to a word ("GPT-4", "3D"), not "in 2 steps".
        return t.tag[i] != "CD" or (i > 0 and not t.space[i - 1]) or not t.space[i]
    if t.lower[i] in GERUNDS:
        return True
    # Any word glued into a hyphenated compound belongs to it ("state-of-the-art", "out-of-distribution").
    return t.alpha[i] and (_glued_hyphen(t, i - 1) or _glued_hyphen(t, i + 1))


def noun_phrases(doc: Doc) -> Iterator[Span]:
    """Maximal adjective/noun runs ending in a noun, qualifiers trimmed, at most MAX_WORDS words."""
    t = tokens(doc)
    end = len(t)
    i = 0
    while i < end:
        if not _inside(t, i):
            i += 1
            continue
        j = i
        while j < end and _inside(t, j) and not t.text[j].isspace():
            j += 1
        bounds = _trim(t, i, j)
        if bounds is not None:
            yield doc[bounds[0] : bounds[1]]
        i = max(j, i + 1)


def _word_end(t: Tokens, i: int, j: int) -> int:
    """End of the word starting at token ``i``: hyphen-glued tokens make one word."""
    k = i + 1
    while k + 1 < j and _glued_hyphen(t, k):
        k += 2
    return k


def _trim(t: Tokens, i: int, j: int) -> tuple[int, int] | None:
    while j > i and not _is_noun(t, j - 1):
        j -= 1
    # "DRESS yields a ...", "over-squashing occurs when": a verb the tagger took for a plural noun.
    if j - i >= 2 and j < len(t) and t.tag[j] in VERB_OBJECT_TAGS and t.tag[j - 1] in {"NNS", "VBZ"}:
        j -= 1
    while i < j:
        k = _word_end(t, i, j)
        # The word's tokens are glued together, so joining them gives its text ("state-of-the-art").
        qualifier = "".join(t.text[i:k]).lower() in QUALIFIERS or t.tag[i] in {"JJR", "JJS", "CD"}
        if not qualifier and not _is_punct(t, i):
            break
        i = k
    if i >= j:
        return None
    words = []
    k = i
    while k < j:
        words.append(k)
        k = _word_end(t, k, j)
    return words[max(0, len(words) - MAX_WORDS)], j


def _is_punct(t: Tokens, i: int) -> bool:
    return not any(c.isalnum() for c in t.text[i])


@cache
def generic_or_qualifier() -> frozenset[str]:
    """Words that say nothing specific on their own: generic words and qualifiers."""
    return word_set("generic") | QUALIFIERS


def is_generic_phrase(t: Tokens, start: int, end: int, text: str) -> bool:
    """A phrase (tokens ``start:end``, reading ``text``) made only of generic words and qualifiers
    says nothing specific ("real-world datasets")."""
    if text.lower() in QUALIFIERS:
        return True  # a qualifier written as one hyphenated word ("state-of-the-art")
    vague = generic_or_qualifier()
    return all(t.lower[k] in vague or not t.alpha[k] for k in range(start, end))


def phrases_of(doc: Doc) -> list[Span]:
    """:func:`noun_phrases` of ``doc``, computed once: tasks, names and concepts all read them."""
    return memo(doc, "kg.phrases", lambda: list(noun_phrases(doc)))
