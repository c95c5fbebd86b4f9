"""The link table: resolution's links as columns give the records, and the indexes, the records would give."""

from __future__ import annotations

from collections import Counter

from kg.graph import KnowledgeGraph
from kg.link_table import LinkTable
from kg.records import Link


def test_rows_are_the_records_they_were_made_from(seed_kg: KnowledgeGraph) -> None:
    links = seed_kg.links
    table = LinkTable.of(links)
    assert len(table) == len(links) > 1000
    assert list(table) == links
    assert table.rows(5, 9) == links[5:9]
    assert sorted(table.extractors) == sorted({link.extractor for link in links})


def test_each_paper_has_its_run_of_links(seed_kg: KnowledgeGraph) -> None:
    by_paper: dict[str, list[Link]] = {p.id: [] for p in seed_kg.papers}
    for link in seed_kg.links:
        by_paper[link.paper_id].append(link)
    assert [seed_kg.links_of(p.id) for p in seed_kg.papers] == list(by_paper.values())


def test_indexes_from_the_columns_are_those_of_the_records(seed_kg: KnowledgeGraph) -> None:
    links = seed_kg.links
    assert seed_kg.degree == Counter(link.paper_id for link in links) + Counter(link.entity_id for link in links)
    expected: dict[str, list[str]] = {e.id: [] for e in seed_kg.entities}
    for link in links:
        expected[link.entity_id].append(link.paper_id)
    assert seed_kg.papers_by_entity == expected
    assert list(seed_kg.papers_by_entity) == list(expected)


def test_a_graph_made_from_records_reads_as_the_built_one(seed_kg: KnowledgeGraph) -> None:
    """A caller's KnowledgeGraph of Link records holds them as a table, and gives them back unchanged."""
    some = seed_kg.links[:50]
    again = KnowledgeGraph(seed_kg.papers, seed_kg.entities, some)
    assert isinstance(again.link_table, LinkTable)
    assert again.links == some
    in_input_order = sorted(some, key=lambda link: again.paper_index[link.paper_id])  # stable: link order within
    assert [link for p in seed_kg.papers for link in again.links_of(p.id)] == in_input_order
