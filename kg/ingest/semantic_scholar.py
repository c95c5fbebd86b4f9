"""Semantic Scholar Graph API papers (``/graph/v1/paper/...``): one, a list, JSON Lines, or a search page.

A paper is known by ``paperId``; ``externalIds`` hold its arXiv id and DOI
when it has them (each key only when asked for in ``fields=``, so any may be
missing), and ``abstract`` is often null (publishers' licences). Its
categories are ``fieldsOfStudy`` and the categories of ``s2FieldsOfStudy``,
none of them primary.
A paper without ``publicationDate`` keeps its ``year``, which is no full
date.
"""

from __future__ import annotations

from typing import Any

from kg.ingest.values import find_doi, iso_date, names, plain_text, unique


def is_semantic_scholar(fields: dict[str, Any]) -> bool:
    return "paperId" in fields


def to_fields(paper: dict[str, Any]) -> dict[str, Any]:
    external = paper.get("externalIds") if isinstance(paper.get("externalIds"), dict) else {}
    studies = paper.get("fieldsOfStudy")
    fields_of_study = [f for f in studies if isinstance(f, str)] if isinstance(studies, list) else []
    categories = unique([*fields_of_study, *names(paper.get("s2FieldsOfStudy"), "category")])
    return {
        "id": paper.get("paperId"),
        "title": plain_text(paper.get("title")),
        "abstract": plain_text(paper.get("abstract")),
        "arxiv_id": external.get("ArXiv"),
        "doi": find_doi(external.get("DOI")),
        "url": paper.get("url"),
        "date": iso_date(paper.get("publicationDate")) or paper.get("year"),
        "authors": names(paper.get("authors"), "name"),
        "categories": categories,
    }
