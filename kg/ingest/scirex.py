"""SciREX documents (allenai/SciREX) as paper records: title and abstract from the tokens.

A SciREX document has no ``title`` or ``abstract``: it is the whole paper as
``words`` with ``sentences`` and ``sections`` as token spans. The title and
abstract open it, so both can be cut out and the tokens joined back into
ordinary text. kg's second development set is annotated on these abstracts (keyed by ``doc_id``),
so ``kg eval`` reads the corpus file as it is distributed.
"""

from __future__ import annotations

import re
from typing import Any

_NO_SPACE_BEFORE = re.compile(r" ([,.;:!?%)\]}\u2019\u201d]|'s\b|n't\b)")
_NO_SPACE_AFTER = re.compile(r"([(\[{\u2018\u201c]) ")
_HYPHEN = re.compile(r"(?<=\w) - (?=\w)")
_SLASH = re.compile(r"(?<=\w) / (?=\w)")


def is_scirex(fields: dict[str, Any]) -> bool:
    return isinstance(fields.get("words"), list) and isinstance(fields.get("sections"), list) and "doc_id" in fields


def detokenize(tokens: list[str]) -> str:
    """Tokens joined as a writer would have typed them: "non - uniform ( CNN )" -> "non-uniform (CNN)"."""
    text = " ".join(str(t) for t in tokens)
    text = _HYPHEN.sub("-", text)
    text = _SLASH.sub("/", text)
    text = _NO_SPACE_BEFORE.sub(r"\1", text)
    return _NO_SPACE_AFTER.sub(r"\1", text)


#: A title is shorter than this; a ``section : Abstract`` further on is not the one after the title.
_TITLE_TOKENS = 60


def _marker(words: list[str], start: int, end: int) -> int | None:
    """Where ``section : Abstract`` starts in ``words[start:end]``, if it does."""
    for i in range(start, end - 2):
        if words[i] == "section" and words[i + 1] == ":" and words[i + 2].lower() == "abstract":
            return i
    return None


def to_fields(doc: dict[str, Any]) -> dict[str, Any]:
    """``{"id", "title", "abstract"}`` of a SciREX document (empty strings when its layout is unexpected).

    Two layouts occur: ``document : TITLE ABSTRACT`` in the first section, the
    title being its first sentence (two when it ends at a colon); or the title
    alone, then a ``section : Abstract`` holding the abstract.
    """
    words, sections, sentences = doc["words"], doc["sections"], doc.get("sentences") or []
    empty = {"id": str(doc["doc_id"]), "title": "", "abstract": ""}
    if not sections or not sentences:
        return empty
    first_end = sections[0][1]
    last = sections[1][1] if len(sections) > 1 else first_end
    marker = _marker(words, 0, min(last, _TITLE_TOKENS))
    if marker is not None:
        title = words[0:marker]
        end = next((e for s, e in sections if s <= marker < e), last)
        abstract = words[marker + 3 : end]
    else:
        inside = [s for s in sentences if s[1] <= first_end]
        if not inside:
            return empty
        title_end = inside[0][1]
        if words[title_end - 1] == ":" and len(inside) > 1:
            title_end = inside[1][1]
        title, abstract = words[0:title_end], words[title_end:first_end]
    if title[:2] == ["document", ":"]:
        title = title[2:]
    return {"id": str(doc["doc_id"]), "title": detokenize(title), "abstract": detokenize(abstract)}
