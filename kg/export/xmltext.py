"""Text and attribute values for XML written by hand (GraphML, GEXF).

The graph files are streamed line by line instead of built as an element
tree, so escaping is ours to get right. Abstracts scraped from the web can
hold characters XML 1.0 forbids outright (control characters, lone
surrogates); no escape makes them legal, so they are dropped, otherwise one
stray byte would make Gephi reject the whole file. Carriage returns and tabs
are written as character references so parsers do not normalise them away.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape, quoteattr

#: Everything outside XML 1.0's ``Char`` production.
_ILLEGAL = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_TEXT_ENTITIES = {"\r": "&#13;"}

Value = str | int | float


def legal(text: str) -> str:
    """``text`` without the characters no XML 1.0 document may contain."""
    return _ILLEGAL.sub("", text)


def text(value: Value) -> str:
    """``value`` as element content."""
    return escape(legal(value), _TEXT_ENTITIES) if isinstance(value, str) else repr(value)


def attr(value: Value) -> str:
    """``value`` as a quoted attribute value, quotes included."""
    return quoteattr(legal(value)) if isinstance(value, str) else f'"{value!r}"'
