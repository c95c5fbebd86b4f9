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
_ILLEGAL_CHARS = "\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff"
_ILLEGAL = re.compile(f"[{_ILLEGAL_CHARS}]")
#: Most values need no escaping at all; one search finds those that do.
_TEXT_SPECIAL = re.compile(f"[&<>\r{_ILLEGAL_CHARS}]")
_ATTR_SPECIAL = re.compile(f'[&<>"\n\r\t{_ILLEGAL_CHARS}]')
_TEXT_ENTITIES = {"\r": "&#13;"}

Value = str | int | float


def legal(text: str) -> str:
    """``text`` without the characters no XML 1.0 document may contain."""
    return _ILLEGAL.sub("", text)


def text(value: Value) -> str:
    """``value`` as element content."""
    if not isinstance(value, str):
        return repr(value)
    return escape(legal(value), _TEXT_ENTITIES) if _TEXT_SPECIAL.search(value) else value


def attr(value: Value) -> str:
    """``value`` as a quoted attribute value, quotes included."""
    if not isinstance(value, str):
        return f'"{value!r}"'
    return quoteattr(legal(value)) if _ATTR_SPECIAL.search(value) else f'"{value}"'
