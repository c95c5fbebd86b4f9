"""A record's text made safe for every later step: printable, and bounded in length.

JSON may escape a lone surrogate (``"\\ud800"``), which no UTF-8 encoder
accepts: the cache and spaCy failed on it long after reading, and took the
whole build down. Control characters are noise in an abstract and, in a
title, restyle a terminal. And spaCy's time and memory grow with a text's
length (a 900 KB abstract took 100 s and 4.7 GB; over 1,000,000 characters
it refuses), so one huge record must not decide what a build costs.
"""

from __future__ import annotations

import re
from collections import Counter

#: Characters of title and abstract together that a paper keeps by default;
#: a long abstract has 3,000, spaCy stops at 1,000,000.
MAX_TEXT = 100_000

_SURROGATE = re.compile("[\ud800-\udfff]")
#: C0 and C1 controls but the whitespace ones (tab, newlines, form feed, NEL), which become spaces.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")
#: The end of a sentence and the space after it.
_SENTENCE_END = re.compile(r"[.!?][\"')\]]?\s")


def printable(text: str, fixes: Counter[str]) -> str:
    """``text`` with lone surrogates as U+FFFD and control characters removed, counted in ``fixes``."""
    text, count = _SURROGATE.subn("\ufffd", text)
    if count:
        fixes["lone surrogates replaced by U+FFFD"] += count
    text, count = _CONTROL.subn("", text)
    if count:
        fixes["control characters removed"] += count
    return text


def truncate(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters: after the last sentence in its second half, else at a space."""
    if len(text) <= limit:
        return text
    half = limit // 2
    # One character past the limit: a sentence may end just before it.
    ends = [m.end() for m in _SENTENCE_END.finditer(text, half, limit + 1)]
    if ends:
        return text[: ends[-1]].rstrip()
    space = text.rfind(" ", half, limit + 1)
    return text[: space if space > 0 else limit].rstrip()
