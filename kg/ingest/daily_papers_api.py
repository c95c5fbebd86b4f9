"""Records of the Hugging Face Daily Papers API (``/api/daily_papers``, ``/api/papers/ID``).

The listing is a JSON list of objects with the paper under ``paper`` and the
day it was listed beside it; ``/api/papers/ID`` gives the paper object
alone. The paper's ``id`` is its arXiv id and ``publishedAt`` its arXiv
date. ``githubRepo`` and ``projectPage`` are links the authors gave on
Hugging Face, often not in the abstract: they become the paper's
``source_links``, so the repository is a ``has_code`` link whose evidence
names this API. ``ai_keywords`` are machine-written and are not kept.
"""

from __future__ import annotations

from typing import Any

from kg.ingest.values import iso_date, names, plain_text

#: Keys only a Hugging Face paper object has (a listing entry holds one under ``paper``).
_PAPER_KEYS = ("upvotes", "discussionId", "submittedOnDailyAt", "ai_keywords", "githubRepo")
WHERE = "the Hugging Face Daily Papers API"


def _paper(fields: dict[str, Any]) -> dict[str, Any] | None:
    inner = fields.get("paper")
    if isinstance(inner, dict) and ("title" in inner or "id" in inner):
        return inner
    if "title" in fields and any(key in fields for key in _PAPER_KEYS):
        return fields
    return None


def is_daily_paper(fields: dict[str, Any]) -> bool:
    return _paper(fields) is not None


def to_fields(fields: dict[str, Any]) -> dict[str, Any]:
    paper = _paper(fields) or {}
    links = [(str(paper[key]), f"{key} of {WHERE}") for key in ("githubRepo", "projectPage") if paper.get(key)]
    return {
        "title": plain_text(paper.get("title") or fields.get("title")),
        "abstract": plain_text(paper.get("summary") or fields.get("summary")),
        "arxiv_id": paper.get("id"),
        "date": iso_date(paper.get("publishedAt")) or iso_date(fields.get("publishedAt")),
        "authors": names(paper.get("authors"), "name"),
        "source_links": links,
    }
