"""The knowledge graph as a networkx ``MultiDiGraph`` and the build result.

:class:`KnowledgeGraph` holds the three tables every exporter starts from
(papers, entities, links); the networkx graph is derived from them only when
an exporter asks for it, because at scale the tables are enough for most
outputs and the graph costs memory.
"""

from __future__ import annotations

import hashlib
import marshal
from collections import Counter
from collections.abc import Callable, Container, Iterable
from dataclasses import dataclass, field, fields
from enum import Enum
from functools import cached_property
from itertools import pairwise
from operator import attrgetter
from typing import TYPE_CHECKING, Any, get_type_hints

import numpy as np

from kg.link_table import LinkTable
from kg.records import Entity, EntityLink, Link, Paper, Result

if TYPE_CHECKING:
    import networkx as nx

    from kg.layout import Layout


@dataclass
class KnowledgeGraph:
    papers: list[Paper]
    entities: list[Entity]
    #: The paper -> entity links in link order (paper, entity, relation); records given are made into the table.
    link_table: LinkTable
    #: Which spaCy model and kg version produced the links (provenance).
    model: str = ""
    #: Entity -> entity edges (usedFor, evaluatedOn, ..., broader), one per pair with all its evidence.
    relations: list[EntityLink] = field(default_factory=list)
    #: Reported scores, their method and dataset resolved (see :mod:`kg.relate`).
    results: list[Result] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not isinstance(self.link_table, LinkTable):
            self.link_table = LinkTable.of(self.link_table)

    @cached_property
    def links(self) -> list[Link]:
        """Every link as a record, made on the first call; exporters read :meth:`links_of` instead."""
        return list(self.link_table)

    @cached_property
    def entity_by_id(self) -> dict[str, Entity]:
        return {e.id: e for e in self.entities}

    @cached_property
    def paper_by_id(self) -> dict[str, Paper]:
        return {p.id: p for p in self.papers}

    @cached_property
    def paper_index(self) -> dict[str, int]:
        """Each paper's position in :attr:`papers`."""
        return {p.id: i for i, p in enumerate(self.papers)}

    @cached_property
    def link_runs(self) -> tuple[np.ndarray, np.ndarray]:
        """Per paper of :attr:`papers`, the first of its rows in the link table and the row after its last."""
        return self.link_table.runs([p.id for p in self.papers])

    def link_rows(self, paper_id: str) -> tuple[int, int]:
        """Where the links of paper ``paper_id`` are in the link table: rows ``start:stop``."""
        firsts, stops = self.link_runs
        at = self.paper_index[paper_id]
        return int(firsts[at]), int(stops[at])

    def links_of(self, paper_id: str) -> list[Link]:
        """The links of paper ``paper_id`` in link order (none for a paper without links), made as records now."""
        return self.link_table.rows(*self.link_rows(paper_id))

    @cached_property
    def degree(self) -> Counter[str]:
        """Links per node id, papers and entities alike (0 for a node without links)."""
        table = self.link_table
        counts: Counter[str] = Counter()
        for ids, codes in ((table.paper_ids, table.paper), (table.entity_ids, table.entity)):
            tally = np.bincount(codes, minlength=len(ids)).tolist()
            counts.update({node: n for node, n in zip(ids, tally, strict=True) if n})
        return counts

    @cached_property
    def papers_by_entity(self) -> dict[str, list[str]]:
        """Every entity's papers, once per link (an empty list for an entity with none), in link order."""
        table = self.link_table
        order = np.argsort(table.entity, kind="stable")  # a stable sort: each entity's links stay in link order
        papers = table.paper[order].tolist()
        bounds = np.searchsorted(table.entity[order], np.arange(len(table.entity_ids) + 1)).tolist()
        grouped: dict[str, list[str]] = {e.id: [] for e in self.entities}
        ids = table.paper_ids
        for entity, (a, b) in zip(table.entity_ids, pairwise(bounds), strict=True):
            grouped[entity] = [ids[p] for p in papers[a:b]]
        return grouped

    @cached_property
    def paper_count(self) -> Counter[str]:
        """Distinct papers per entity id (a paper may link one entity under two relations)."""
        return Counter({entity: len(set(papers)) for entity, papers in self.papers_by_entity.items()})

    @cached_property
    def paper_keys(self) -> dict[str, str]:
        """Per paper id, a digest of all its export segments may show: see :mod:`kg.export.segments`.

        The paper record, its links, and each linked entity's type (its IRI
        is minted from its type and id; a repository's from its name, which
        its id holds in lower case). Not the entity's label or aliases:
        those change for reasons outside the paper (an acronym vote tipping
        elsewhere in the corpus, a new spelling), and only the mentions
        tables print them beside each link (:attr:`mention_keys`).
        """
        return self.keys_of(self.papers)

    def keys_of(self, papers: Iterable[Paper]) -> dict[str, str]:
        """:attr:`paper_keys` of ``papers`` only, so that parts of it can be worked out side by side.

        They cost more than every other index together: each paper's links
        are read field by field (in C, by ``attrgetter``) and its evidence
        sentences are hashed once per link.
        """
        types = {e.id: e.type.value for e in self.entities}
        keys: dict[str, str] = {}
        for paper in papers:
            shown = self.links_of(paper.id)
            keys[paper.id] = _digest(
                _PAPER_VALUES(paper),
                [(source.path, source.line) for source in paper.sources],
                list(map(_LINK_SHOWN, shown)),
                [types[link.entity_id] for link in shown],
            )
        return keys

    @cached_property
    def mention_keys(self) -> dict[str, str]:
        """Per paper id, a digest of its rows in the mentions tables: its paper key and its entities' labels.

        When a popular entity's label changes, the papers that link it are
        rendered again in these tables only; the other exports reuse them.
        """
        table, keys = self.link_table, self.paper_keys
        by_id = {e.id: e.label for e in self.entities}
        labels = [by_id[entity] for entity in table.entity_ids]
        return {
            p.id: _digest(keys[p.id], [labels[g] for g in table.entity[slice(*self.link_rows(p.id))].tolist()])
            for p in self.papers
        }

    @cached_property
    def entity_keys(self) -> dict[str, str]:
        """Per entity id, a digest of its record, its degree and its number of papers."""
        return {e.id: _digest(_ENTITY_VALUES(e), self.degree[e.id], self.paper_count[e.id]) for e in self.entities}

    def build_indexes(self, skip: Container[str] = ()) -> None:
        """Compute every index above but ``skip`` now, e.g. once before forking workers that all read them."""
        for name in INDEXES:
            if name not in skip:
                getattr(self, name)

    @cached_property
    def layout(self) -> Layout:
        """Positions and clusters of every node, for the HTML map and the Gephi files (:mod:`kg.layout`)."""
        from kg.layout import compute

        return compute(self)

    @cached_property
    def graph(self) -> nx.MultiDiGraph:
        return to_networkx(self)


#: The cached properties of :class:`KnowledgeGraph` that exporters read (not the networkx graph).
INDEXES = (
    "entity_by_id",
    "paper_by_id",
    "paper_index",
    "link_runs",
    "papers_by_entity",
    "degree",
    "paper_count",
    "paper_keys",
    "mention_keys",
    "entity_keys",
)
#: The indexes that need the paper keys, which :func:`kg.export.export_all` works out in its workers.
PAPER_KEYED = {"paper_keys", "mention_keys"}


def _values(record: type, leave_out: Container[str] = ()) -> Callable[[Any], tuple[Any, ...]]:
    """A getter of the fields of ``record`` but ``leave_out``, enums by value: plain data for :func:`_digest`.

    Made from the dataclass's fields, so a field added later is in every key.
    """
    hints = get_type_hints(record)
    return attrgetter(
        *(
            f"{f.name}._value_" if isinstance(hints[f.name], type) and issubclass(hints[f.name], Enum) else f.name
            for f in fields(record)
            if f.name not in leave_out
        )
    )


#: A paper's fields but its sources (records, which ``keys_of`` gives as pairs).
_PAPER_VALUES = _values(Paper, {"sources"})
#: A link's fields but its paper (the paper the key is for).
_LINK_SHOWN = _values(Link, {"paper_id"})
_ENTITY_VALUES = _values(Entity)


def _digest(*values: object) -> str:
    """A digest of plain data: strings, numbers, None, and lists and tuples of them.

    marshal encodes it in C and copies text as it is; JSON, used before,
    escaped the text and called back into Python for every record, and
    paper keys cost 1.5x as much. Version 0 encodes values alone: later
    versions mark strings Python interned and point back to objects met
    before, so equal data from two builds could encode differently. A value
    marshal cannot encode (a record, an enum) raises ValueError.
    """
    return hashlib.blake2b(marshal.dumps(values, 0), digest_size=16).hexdigest()


def link_id(link: Link) -> str:
    """The id of a link's edge in every export.

    Unique because a paper has at most one link per entity and relation, and
    stable across builds (unlike a running number), so adding papers does not
    renumber the edges of the papers already there.
    """
    return f"{link.paper_id}|{link.relation.value}|{link.entity_id}"


def paper_attributes(paper: Paper) -> dict[str, str]:
    """A paper's descriptive fields as flat strings, empty rather than None.

    GraphML, GEXF, the CSV tables and the HTML details all show these, and
    their formats take only scalars, so lists are joined with "; ".
    """
    return {
        "title": paper.title,
        "abstract": paper.abstract,
        "date": paper.date or "",
        "arxiv_id": paper.arxiv_id or "",
        "url": paper.url or "",
        "authors": "; ".join(paper.authors),
        "source": "; ".join(f"{s.path}:{s.line}" for s in paper.sources),
    }


def to_networkx(kg: KnowledgeGraph) -> nx.MultiDiGraph:
    """Typed nodes (``type``, ``label``) and typed edges (``relation``, ``evidence``).

    Paper -> entity edges carry one evidence sentence; entity -> entity edges
    (usedFor, evaluatedOn, benchmarkFor, basedOn, comparedTo, broader) carry
    ``count`` (papers that state it) and ``evidence``, a list of (paper id,
    sentence). Results are not edges: see :attr:`KnowledgeGraph.results`.

    Edge keys are :func:`link_id`, unique across the whole graph, so parallel
    edges stay apart.
    """
    import networkx as nx

    graph = nx.MultiDiGraph()
    for p in kg.papers:
        graph.add_node(p.id, type="Paper", label=p.title, **paper_attributes(p))
    for e in kg.entities:
        graph.add_node(e.id, type=e.type.value, label=e.label, aliases="; ".join(e.aliases))
    for link in kg.link_table:
        graph.add_edge(
            link.paper_id,
            link.entity_id,
            key=link_id(link),
            relation=link.relation.value,
            label=link.relation.value,
            evidence=link.sentence,
            surface=link.surface,
            start=link.start,
            end=link.end,
            extractor=link.extractor,
            confidence=float(link.confidence),
        )
    for edge in kg.relations:
        graph.add_edge(
            edge.head,
            edge.tail,
            key=relation_id(edge),
            relation=edge.type.value,
            label=edge.type.value,
            count=edge.count,
            confidence=float(edge.confidence),
            evidence=[(e.paper_id, e.sentence) for e in edge.evidence if e.paper_id],
            extractor="; ".join(sorted({e.extractor for e in edge.evidence})),
        )
    return graph


def relation_id(edge: EntityLink) -> str:
    """The id of an entity -> entity edge, unique as :func:`link_id` is (one edge per pair and type)."""
    return f"{edge.head}|{edge.type.value}|{edge.tail}"
