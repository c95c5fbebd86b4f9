"""Acronym definitions written in an abstract: "Long Form (ACR)" and "ACR (Long Form)".

The matching follows Schwartz & Hearst (2003), as scispacy's abbreviation
detector does: the short form's characters are found right to left in the
words before the parenthesis, the first one at the start of a word, and the
long form is the shortest run of words that holds them all. It works on plain
text so it is tested without a pipeline, and it is cheap enough to run on
every abstract. The definitions let the resolver merge "DARTS" with
"Differentiable Architecture Search" across the whole corpus.
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


def match_long_form(short: str, words: list[str]) -> int | None:
    """How many of the last ``words`` form the long form of ``short``, or None.

    Characters of ``short`` are found from right to left in the words, and the
    first character must begin a word, which rules out "to (T)"-like accidents.
    Digits may be spelled out ("2D" for "two-dimensional"), so a digit that is
    not found is skipped.
    """
    letters = [c.lower() for c in short if c.isalnum()]
    first = next(i for i, c in enumerate(letters) if c.isalpha())
    text = " ".join(words).lower()
    s, t = len(letters) - 1, len(text) - 1
    while s >= first:
        c, found = letters[s], t
        while found >= 0 and (text[found] != c or (s == first and found > 0 and text[found - 1].isalpha())):
            found -= 1
        if found < 0 and not c.isdigit():
            return None
        if found >= 0:
            t = found - 1
        s -= 1
    used = text[t + 1 :]
    count = used.count(" ") + 1
    return count if count <= len(words) else None


def initials_agree(short: str, long: str) -> bool:
    """Whether at least half the acronym's letters start words of the long form.

    Character matching alone accepts "graph signal processing (GCN)"; real
    expansions put most acronym letters at word starts ("Low-Rank Adaptation"
    for LoRA, where capitals are the letters that count in a mixed-case acronym).
    """
    capitals = [c.lower() for c in short if c.isupper()]
    letters = capitals if len(capitals) >= 2 else [c.lower() for c in short if c.isalpha()]
    initials = [w[0].lower() for w in re.split(r"[\s/-]+", long) if w]
    hits = 0
    for c in letters:
        if c in initials:
            initials.remove(c)
            hits += 1
    return hits * 2 >= len(letters)


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
    if not chosen or (len(chosen) == 1 and chosen[0][2].lower() == short.lower()):
        return None
    if not initials_agree(short, " ".join(w[2] for w in chosen)):
        return None
    return chosen[0][0], chosen[-1][1]


def find_acronyms(text: str) -> Iterator[Acronym]:
    """Every acronym definition in ``text``, in order of appearance."""
    for paren in PAREN.finditer(text):
        inside = re.split(r"[;,]\s", paren.group(1))[0].strip()
        start = paren.start(1)
        if is_short_form(inside):
            span = _long_before(text, paren.start(), inside)
            if span is not None:
                yield Acronym(inside, text[span[0] : span[1]].rstrip("-"), start, start + len(inside), *span)
            continue
        # "ACR (Long Form)": the word before the parenthesis is the short form.
        before = WORD.findall(text[max(0, paren.start() - 20) : paren.start()])
        words = inside.split()
        if before and is_short_form(before[-1]) and 2 <= len(words) <= 8:
            short = before[-1]
            # The whole parenthesis must be the expansion, starting with the acronym's first letter.
            if match_long_form(short, words) is not None and words[0][0].lower() == short[0].lower():
                short_start = text.rfind(short, 0, paren.start())
                yield Acronym(short, inside, short_start, short_start + len(short), start, start + len(inside))
