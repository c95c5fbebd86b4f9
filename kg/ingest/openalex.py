"""OpenAlex works (``api.openalex.org/works``): one work, a list, JSON Lines, or a page of results.

OpenAlex does not give abstracts as text but as ``abstract_inverted_index``,
each word with the positions it takes; the text is the words put back in
order. Titles may hold HTML (``<i>``, ``<sub>``). An arXiv preprint is
known by arXiv's DOI (10.48550/arXiv.ID) or an arxiv.org location. The
work's topics (its concepts, in records made before topics existed) are its
categories, the primary topic first.
"""

from __future__ import annotations

from typing import Any

from kg.ingest.values import find_doi, iso_date, names, plain_text, unique

_WORK = "https://openalex.org/W"


def is_openalex(fields: dict[str, Any]) -> bool:
    return str(fields.get("id", "")).startswith(_WORK) or "abstract_inverted_index" in fields


def abstract_text(index: Any) -> str:
    """The abstract an inverted index holds: every word at each of its positions, in position order.

    Sorting the (position, word) pairs costs what the index holds, whatever
    the positions are; a list as long as the largest position would let one
    record with position 10**12 take all memory.
    """
    if not isinstance(index, dict):
        return ""
    placed = [
        (position, word)
        for word, positions in index.items()
        if isinstance(positions, list)
        for position in positions
        if isinstance(position, int)
    ]
    return " ".join(word for _, word in sorted(placed))


def _arxiv_page(work: dict[str, Any]) -> str | None:
    """An arxiv.org landing page among the work's locations (arXiv's DOI is read as any record's is)."""
    locations = work.get("locations") if isinstance(work.get("locations"), list) else []
    for location in [work.get("primary_location"), *locations]:
        url = location.get("landing_page_url") if isinstance(location, dict) else None
        if isinstance(url, str) and "arxiv.org/abs/" in url:
            return url
    return None


def to_fields(work: dict[str, Any]) -> dict[str, Any]:
    ids = work.get("ids") if isinstance(work.get("ids"), dict) else {}
    work_doi = find_doi(work.get("doi") or ids.get("doi"))
    topics = names(work.get("topics"), "display_name") or names(work.get("concepts"), "display_name")
    primary = work.get("primary_topic")
    primary_name = primary.get("display_name") if isinstance(primary, dict) else None
    location = work.get("primary_location") if isinstance(work.get("primary_location"), dict) else {}
    return {
        "id": work.get("id"),
        "title": plain_text(work.get("title") or work.get("display_name")),
        "abstract": plain_text(abstract_text(work.get("abstract_inverted_index"))),
        "arxiv_id": _arxiv_page(work),
        "doi": work_doi,
        "url": location.get("landing_page_url") or work.get("doi"),
        "date": iso_date(work.get("publication_date")) or work.get("publication_year"),
        "authors": names(work.get("authorships"), "author", "display_name"),
        "categories": unique([primary_name, *topics] if isinstance(primary_name, str) else topics),
        "primary_category": primary_name if isinstance(primary_name, str) else None,
    }
