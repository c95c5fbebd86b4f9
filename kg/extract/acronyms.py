"""Acronym definitions written in an abstract: "Long Form (ACR)" and "ACR (Long Form)".

The matching follows Schwartz & Hearst (2003), as scispacy's abbreviation
detector does: the short form's letters are found in order in the words
before the parenthesis, the first one where a word starts. Where several
runs of words hold them, the one whose word starts and capitals carry most
of the letters wins ("Proximal Policy Optimization" for PPO, "eXtreme
Gradient Boosting" for XGBoost). It works on plain text so it is tested
without a pipeline, and it is cheap enough to run on every abstract. The
definitions let the resolver merge "DARTS" with "Differentiable
Architecture Search" across the whole corpus.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

#: "(ACR)" or "(ACR; ...)" / "(ACR, ...)": a parenthesis whose first item may be a short form.
PAREN = re.compile(r"\(([^()]{1,80})\)")
#: Words of the text before a parenthesis, with their offsets.
WORD = re.compile(r"[^\s()]+")
#: Characters allowed in a short form besides letters and digits.
SHORT_EXTRA = set("-./&+'")


@dataclass(frozen=True, slots=True)
class Acronym:
    """One definition: ``short`` stands for ``long``; offsets are into the analysed text."""

    short: str
    long: str
    short_start: int
    short_end: int
    long_start: int
    long_end: int


def is_short_form(text: str) -> bool:
    """A plausible acronym: one word of 2-10 characters with letters, a third of them capitals."""
    if not 2 <= len(text) <= 10 or not text[0].isalnum() or " " in text:
        return False
    if not all(c.isalnum() or c in SHORT_EXTRA for c in text):
        return False
    return (
        any(c.isalpha() for c in text)
        and sum(c.isupper() for c in text) >= max(1, len(text) // 3)
        and not text.isdigit()
    )


def _anchored(text: str, i: int) -> bool:
    """Whether a letter at ``text[i]`` is one an author would abbreviate: a word's first, or a capital.

    Word starts follow spaces, hyphens, slashes and digits ("2D", "Low-Rank");
    a capital inside a word is the author marking the letter they took
    ("eXtreme Gradient Boosting" for XGBoost, "oPtimization" for SPIN).
    """
    return i == 0 or not text[i - 1].isalpha() or text[i].isupper()


def match_long_form(short: str, words: list[str]) -> int | None:
    """How many of the last ``words`` form the long form of ``short``, or None.

    Schwartz & Hearst's condition: the short form's letters appear in order in
    the words, the first one where a word starts (or on a capital, see
    :func:`_anchored`). Where they take the shortest such run, which answers
    "Policy Optimization" for PPO, this picks the alignment that puts the
    most of the acronym's letters on anchors, and the shortest run of those.
    At least half the letters that count (the capitals of a mixed-case
    acronym, all letters otherwise) must be anchored, which rejects "graph
    signal processing (GCN)". A digit may be skipped, as digits may be
    spelled out ("2D" for "two-dimensional"), and so may a plural "s" after a
    capital ("Pyramid Residual Module (PRMs)").
    """
    chars = [c for c in short if c.isalnum()]
    first = next(i for i, c in enumerate(chars) if c.isalpha())
    capitals = sum(c.isupper() for c in chars)
    counted = [c.isupper() if capitals >= 2 else c.isalpha() for c in chars]
    letters = [c.lower() for c in chars]
    optional = [c.isdigit() for c in chars]
    optional[-1] |= len(chars) > 1 and chars[-1] == "s" and chars[-2].isupper()
    text = " ".join(words)
    lower = text.lower()
    n = len(text)
    # Right to left over the letters after the first: best[p] is the most anchored letters among
    # those matched so far when they all lie at or after position p, or -1 if they cannot.
    impossible = -1
    best = [0] * (n + 1)
    for j in range(len(letters) - 1, first, -1):
        c, gain = letters[j], counted[j]
        row = [impossible] * (n + 1)
        for p in range(n - 1, -1, -1):
            score = row[p + 1]
            if lower[p] == c and best[p + 1] != impossible:
                score = max(score, best[p + 1] + (gain and _anchored(text, p)))
            row[p] = score
        if optional[j]:
            row = [max(a, b) for a, b in zip(row, best, strict=True)]
        best = row
    c = letters[first]
    start, top = None, impossible
    for p in range(n - 1, -1, -1):  # from the right: of equal scores, the shortest run wins
        if lower[p] == c and _anchored(text, p) and best[p + 1] != impossible:
            score = best[p + 1] + counted[first]
            if score > top:
                start, top = p, score
    if start is None or top * 2 < sum(counted[first:]):
        return None
    return text.count(" ", start) + 1


def _clean_long(words: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Drop leading function words a greedy match can pull in ("the", "a", "of")."""
    while words and words[0][2].lower() in {"the", "a", "an", "of", "and", "or", "with", "to", "our", "we", "by"}:
        words = words[1:]
    return words


def _long_before(text: str, paren_start: int, short: str) -> tuple[int, int] | None:
    window = min(len(short) + 5, 2 * len(short))
    before = text[max(0, paren_start - 400) : paren_start]
    base = max(0, paren_start - 400)
    # The long form stays inside its clause: stop at sentence or clause punctuation.
    clause = re.split(r"[.;:!?]\s|,\s|\n|[()]", before)[-1]
    offset = base + len(before) - len(clause)
    words = [(offset + m.start(), offset + m.end(), m.group()) for m in WORD.finditer(clause)][-window:]
    if not words:
        return None
    n = match_long_form(short, [w[2] for w in words])
    if n is None or n < 1:
        return None
    chosen = _clean_long(words[-n:])
    if not chosen:
        return None
    # Quotes and dashes around the words are not part of the name: "the “exponential linear unit” (ELU)".
    start, end = chosen[0][0], chosen[-1][1]
    while start < end and not text[start].isalnum():
        start += 1
    while start < end and not text[end - 1].isalnum():
        end -= 1
    # A long form no longer than its short form is not its expansion ("a deeper DPN (DPN-131)").
    if start >= end or sum(map(str.isalnum, text[start:end])) <= sum(map(str.isalnum, short)):
        return None
    return start, end


def find_acronyms(text: str) -> Iterator[Acronym]:
    """Every acronym definition in ``text``, in order of appearance."""
    for paren in PAREN.finditer(text):
        inside = re.split(r"[;,]\s", paren.group(1))[0].strip()
        start = paren.start(1)
        if is_short_form(inside):
            span = _long_before(text, paren.start(), inside)
            if span is not None:
                yield Acronym(inside, text[span[0] : span[1]], start, start + len(inside), *span)
            continue
        # "ACR (Long Form)": the word before the parenthesis is the short form.
        before = WORD.findall(text[max(0, paren.start() - 20) : paren.start()])
        words = inside.split()
        if before and is_short_form(before[-1]) and 2 <= len(words) <= 8:
            short = before[-1]
            # The whole parenthesis must be the expansion.
            if match_long_form(short, words) == len(words):
                short_start = text.rfind(short, 0, paren.start())
                yield Acronym(short, inside, short_start, short_start + len(short), start, start + len(inside))
