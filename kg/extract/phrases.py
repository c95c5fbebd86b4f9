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

from spacy.tokens import Doc, Span, Token

from kg.extract.layout import memo
from kg.extract.lexicon import word_set

#: Tags that may sit inside a noun phrase.
MODIFIER_TAGS = frozenset({"JJ", "JJR", "JJS", "NN", "NNS", "NNP", "NNPS", "HYPH", "CD", "AFX"})
NOUN_TAGS = frozenset({"NN", "NNS", "NNP", "NNPS"})
#: Words that qualify a phrase without being part of the topic.
QUALIFIERS = word_set("qualifiers")
#: "-ing" words that end research phrases as nouns although tagged as verbs
#: ("time series forecasting", "question answering", "federated learning").
GERUNDS = word_set("gerunds")
MAX_WORDS = 6
#: Tags that start an object or clause, so the word before them was a verb.
VERB_OBJECT_TAGS = frozenset({"DT", "PRP$", "WRB", "PDT"})


def is_hyphen(token: Token) -> bool:
    return token.text in {"-", "\u2010", "\u2011"}


def _is_noun(token: Token) -> bool:
    return token.tag_ in NOUN_TAGS or token.lower_ in GERUNDS


def _inside(doc: Doc, i: int) -> bool:
    token = doc[i]
    if is_hyphen(token):
        return i > 0 and not doc[i - 1].whitespace_ and not token.whitespace_
    if token.tag_ in MODIFIER_TAGS:
        # A number joins only when glued to a word ("GPT-4", "3D"), not "in 2 steps".
        return token.tag_ != "CD" or (i > 0 and not doc[i - 1].whitespace_) or not token.whitespace_
    if token.lower_ in GERUNDS:
        return True
    glued_before = i > 0 and is_hyphen(doc[i - 1]) and not doc[i - 1].whitespace_
    glued_after = i + 1 < len(doc) and is_hyphen(doc[i + 1]) and not token.whitespace_
    # Any word glued into a hyphenated compound belongs to it ("state-of-the-art", "out-of-distribution").
    return token.is_alpha and (glued_before or glued_after)


def noun_phrases(doc: Doc) -> Iterator[Span]:
    """Maximal adjective/noun runs ending in a noun, qualifiers trimmed, at most MAX_WORDS words."""
    end = len(doc)
    i = 0
    while i < end:
        if not _inside(doc, i):
            i += 1
            continue
        j = i
        while j < end and _inside(doc, j) and doc[j].text != "\n\n" and not doc[j].is_space:
            j += 1
        phrase = _trim(doc, i, j)
        if phrase is not None:
            yield phrase
        i = max(j, i + 1)


def _word_end(doc: Doc, i: int, j: int) -> int:
    """End of the word starting at token ``i``: hyphen-glued tokens make one word."""
    k = i + 1
    while k + 1 < j and is_hyphen(doc[k]) and not doc[k - 1].whitespace_ and not doc[k].whitespace_:
        k += 2
    return k


def _trim(doc: Doc, i: int, j: int) -> Span | None:
    while j > i and not _is_noun(doc[j - 1]):
        j -= 1
    # "DRESS yields a ...", "over-squashing occurs when": a verb the tagger took for a plural noun.
    if j - i >= 2 and j < len(doc) and doc[j].tag_ in VERB_OBJECT_TAGS and doc[j - 1].tag_ in {"NNS", "VBZ"}:
        j -= 1
    while i < j:
        k = _word_end(doc, i, j)
        qualifier = doc[i:k].text.lower() in QUALIFIERS or doc[i].tag_ in {"JJR", "JJS", "CD"}
        if not qualifier and not doc[i].is_punct:
            break
        i = k
    if i >= j:
        return None
    words = []
    k = i
    while k < j:
        words.append(k)
        k = _word_end(doc, k, j)
    return doc[words[max(0, len(words) - MAX_WORDS)] : j]


def is_generic_phrase(span: Span) -> bool:
    """A phrase made only of generic words and qualifiers says nothing specific ("real-world datasets")."""
    generic = word_set("generic")
    return all(t.lower_ in generic or t.lower_ in QUALIFIERS or not t.is_alpha for t in span)


def phrases_of(doc: Doc) -> list[Span]:
    """:func:`noun_phrases` of ``doc``, computed once: tasks, names and concepts all read them."""
    return memo(doc, "kg.phrases", lambda: list(noun_phrases(doc)))
