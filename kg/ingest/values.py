"""Values as scholarly APIs write them, made plain: dates, DOIs, markup in titles.

The API readers (:mod:`kg.ingest.daily_papers_api`, :mod:`kg.ingest.openalex`,
:mod:`kg.ingest.semantic_scholar`, :mod:`kg.ingest.arxiv_atom`) all meet the
same values written in different ways: a date as a timestamp or a day, a
DOI with or without ``https://doi.org/``, a title with ``<i>`` tags or
``&amp;``. Making them plain in one place lets a paper read from two APIs
merge on its DOI and export one date.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

#: A DOI: "10.", a registrant code, "/", a suffix without spaces.
_DOI = re.compile(r"10\.\d{4,9}/\S+")
#: arXiv's own DOIs hold the arXiv id: 10.48550/arXiv.2310.01234.
_ARXIV_DOI = "10.48550/arxiv."
#: An HTML or JATS tag (<i>, </sub>, <jats:p>, <br/>). Each match stops at the next
#: "<" or ">", so text like "a < b" is left alone and matching stays linear.
_TAG = re.compile(r"</?[A-Za-z][\w:.-]*(?:\s[^<>]*)?/?>")


def iso_date(value: Any) -> str | None:
    """The calendar day of ``value`` ("2023-10-03", "2023-10-03T17:59:57.000Z") as YYYY-MM-DD, else None.

    Only a real day passes: "2023-02-30" and a year alone are no full date.
    """
    text = str(value or "")[:10]
    try:
        return dt.date.fromisoformat(text).isoformat() if len(text) == 10 else None
    except ValueError:
        return None


def find_doi(value: Any) -> str | None:
    """The DOI in ``value`` (bare, ``doi:``, or a doi.org URL), in lower case as DOIs are case-insensitive."""
    match = _DOI.search(str(value or ""))
    return match.group().rstrip(".,;").lower() if match else None


def arxiv_id_of_doi(value: str | None) -> str | None:
    """The arXiv id in one of arXiv's DOIs, which OpenAlex and Semantic Scholar give for preprints."""
    if value and value.startswith(_ARXIV_DOI):
        return value[len(_ARXIV_DOI) :] or None
    return None


def plain_text(value: Any) -> str:
    """``value`` without HTML or JATS tags and with entities decoded ("<i>In vivo</i> &amp; more")."""
    if value is None:
        return ""
    return html.unescape(_TAG.sub("", str(value)))


def names(items: Any, *path: str) -> list[str]:
    """The strings at ``path`` in each object of the list ``items`` (``authors`` -> ``name``), skipping others."""
    found: list[str] = []
    for item in items if isinstance(items, list) else []:
        for key in path:
            item = item.get(key) if isinstance(item, dict) else None
        if isinstance(item, str) and item.strip():
            found.append(item)
    return found


def unique(values: list[str]) -> list[str]:
    """``values`` without repeats, in order."""
    return list(dict.fromkeys(values))
