"""Record types shared by every stage of the pipeline.

They are plain dataclasses so that readers, extractors, the resolver and the
exporters agree on one vocabulary without importing each other.

:class:`Mention` and :class:`Link` are made ~150,000 times per 10,000
papers (decoded from the cache, then resolved), so they are not frozen:
a frozen dataclass sets each field through ``object.__setattr__`` and was
7x as slow to make (1.0 µs against 0.14 µs for a Link). Nothing hashes
them, and nothing changes them once extraction has returned them (it swaps
a mention's sentence for an equal string shared by the mentions of that
sentence, see :func:`kg.extract.extract`).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field


class EntityType(enum.StrEnum):
    METHOD = "Method"
    DATASET = "Dataset"
    TASK = "Task"
    CONCEPT = "Concept"
    REPOSITORY = "Repository"
    URL = "URL"


class Relation(enum.StrEnum):
    PROPOSES = "proposes"
    USES = "uses"
    EVALUATES_ON = "evaluates_on"
    ADDRESSES = "addresses"
    HAS_CODE = "has_code"
    MENTIONS = "mentions"
    ABOUT = "about"


#: The relation a paper has to an entity of a type unless an extractor says
#: otherwise (a method the paper introduces is ``proposes`` instead of ``uses``).
DEFAULT_RELATION: dict[EntityType, Relation] = {
    EntityType.METHOD: Relation.USES,
    EntityType.DATASET: Relation.EVALUATES_ON,
    EntityType.TASK: Relation.ADDRESSES,
    EntityType.CONCEPT: Relation.ABOUT,
    EntityType.REPOSITORY: Relation.HAS_CODE,
    EntityType.URL: Relation.MENTIONS,
}


@dataclass(frozen=True, slots=True)
class Source:
    """Where a paper was read from: a file and the line its record starts on."""

    path: str
    line: int


@dataclass(slots=True)
class Paper:
    id: str
    title: str
    abstract: str
    arxiv_id: str | None = None
    url: str | None = None
    date: str | None = None
    authors: list[str] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    #: A DOI in lower case without its resolver ("10.48550/arxiv.2310.01234").
    doi: str | None = None
    #: Subject categories the source assigns: arXiv categories ("cs.CV"), OpenAlex topics,
    #: Semantic Scholar fields of study. ``primary_category`` is the one the source ranks first.
    categories: list[str] = field(default_factory=list)
    primary_category: str | None = None
    #: Links the source record gives beside the text, as ``(url, where)`` pairs, e.g.
    #: ``("https://github.com/o/n", "githubRepo of the Hugging Face Daily Papers API")``.
    #: Plain pairs, not records, so that a paper's fields stay plain data (see kg.graph).
    source_links: list[tuple[str, str]] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The text the extractors see: title and abstract in one document.

        The title goes first and is separated by a blank line, so "Name: ..."
        titles and the abstract share one parse and offsets stay simple.
        """
        return f"{self.title}\n\n{self.abstract}"

    @property
    def abstract_offset(self) -> int:
        return len(self.title) + 2


@dataclass(slots=True)
class Mention:
    """One piece of evidence that a paper relates to an entity.

    ``start``/``end`` are character offsets in :attr:`Paper.text`; ``sentence``
    is the sentence holding them, kept verbatim as the evidence a user reads.
    ``long_form`` is set when the abstract defines an acronym for the surface
    form, so the resolver can merge "DARTS" with its expansion corpus-wide.
    A link the source record gives rather than the text (:attr:`Paper.source_links`)
    is an empty span at the end of the text, and its sentence says where it was given.
    """

    paper_id: str
    text: str
    type: EntityType
    relation: Relation
    start: int
    end: int
    sentence: str
    extractor: str
    confidence: float = 1.0
    long_form: str | None = None


class RelationType(enum.StrEnum):
    """How one entity relates to another (see docs/relations.md); ``broader`` is between tasks."""

    USED_FOR = "usedFor"
    EVALUATED_ON = "evaluatedOn"
    BENCHMARK_FOR = "benchmarkFor"
    BASED_ON = "basedOn"
    COMPARED_TO = "comparedTo"
    BROADER = "broader"


@dataclass(slots=True)
class EntityRelation:
    """One sentence's evidence that one named thing relates to another.

    ``head_start``/``tail_start`` are character offsets in :attr:`Paper.text`
    of the two names, the same offsets their mentions have, so the resolver
    maps each end to the entity its mention became. An end the sentence calls
    "our method" is the paper's own method, at the offsets of its first mention.
    """

    paper_id: str
    head: str
    type: RelationType
    tail: str
    head_start: int
    tail_start: int
    sentence: str
    extractor: str
    confidence: float


@dataclass(slots=True)
class Result:
    """A score an abstract reports: "NASNet achieves 82.7% top-1 accuracy on ImageNet".

    ``kind`` is "gain" for a difference ("improves BLEU by 2.1") and
    "absolute" for a score. ``start``/``end`` hold the number in
    :attr:`Paper.text`; ``method_start``/``dataset_start`` the names, as in
    :class:`EntityRelation` (-1 for a method the sentence does not name).
    ``method_id``/``dataset_id`` are set by resolution.
    """

    paper_id: str
    method: str
    dataset: str
    metric: str
    value: float
    unit: str
    kind: str
    sentence: str
    start: int
    end: int
    method_start: int
    dataset_start: int
    method_id: str = ""
    dataset_id: str = ""


class Extraction(list[Mention]):
    """One paper's mentions, with the relations and results its sentences state.

    A list of mentions, so every stage that reads mentions reads it
    unchanged; relations and results ride along to the resolver.
    """

    def __init__(
        self,
        mentions: Iterable[Mention] = (),
        relations: Iterable[EntityRelation] = (),
        results: Iterable[Result] = (),
    ) -> None:
        super().__init__(mentions)
        self.relations = list(relations)
        self.results = list(results)


@dataclass(slots=True)
class Entity:
    id: str
    type: EntityType
    label: str
    #: Other spellings seen in the abstracts (acronym, long form, case variants), not ``label``.
    aliases: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Link:
    """A resolved paper -> entity edge carrying its evidence."""

    paper_id: str
    entity_id: str
    relation: Relation
    sentence: str
    start: int
    end: int
    extractor: str
    confidence: float
    surface: str


@dataclass(slots=True)
class Evidence:
    """One paper's word for an entity-entity relation."""

    paper_id: str
    sentence: str
    extractor: str
    confidence: float


@dataclass(slots=True)
class EntityLink:
    """A resolved entity -> entity edge: one per (head, type, tail), however many papers say it."""

    head: str
    type: RelationType
    tail: str
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def count(self) -> int:
        """How many papers state it (a relation inferred from names alone has none)."""
        return len({e.paper_id for e in self.evidence if e.paper_id})

    @property
    def confidence(self) -> float:
        return max((e.confidence for e in self.evidence), default=1.0)
