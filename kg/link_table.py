"""The links of a build as columns: a row per paper -> entity link, sorted by paper, entity and relation.

Resolution makes it (:func:`kg.resolve.resolved`), and the exporters read it
a paper at a time as :class:`~kg.records.Link` records made for the moment
(:meth:`LinkTable.rows`), so a build keeps no Python object per link. Kept
as records, 1.5 million links of 100,000 benchmark papers took about 160 MB
in the process that resolved them, and about as much again in each forked
export worker that read them: reading an object writes its reference
count, which copies its page. Each distinct string (a sentence, a surface
form, an id) is one object, which every row holding it shares.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from kg.engines.table import RELATION_CODE, RELATION_ORDER
from kg.records import Link

#: Links made into records at a time when the whole table is read as records.
_BATCH = 1 << 13


@dataclass
class LinkTable:
    """Links as columns: strings as codes into the distinct values beside them, numbers as arrays.

    Rows are in link order (paper id, entity id, relation), so the links of
    one paper are one run of rows.
    """

    paper: np.ndarray
    entity: np.ndarray
    #: Indexes into :data:`~kg.engines.table.RELATION_ORDER`.
    relation: np.ndarray
    sentence: np.ndarray
    start: np.ndarray
    end: np.ndarray
    extractor: np.ndarray
    confidence: np.ndarray
    surface: np.ndarray
    paper_ids: list[str]
    entity_ids: list[str]
    sentences: list[str]
    extractors: list[str]
    surfaces: list[str]

    def __len__(self) -> int:
        return len(self.paper)

    def rows(self, start: int = 0, stop: int | None = None) -> list[Link]:
        """Rows ``start:stop`` as records, made now and owned by the caller."""
        columns = (
            self.paper,
            self.entity,
            self.relation,
            self.sentence,
            self.start,
            self.end,
            self.extractor,
            self.confidence,
            self.surface,
        )
        papers, entities, sentences = self.paper_ids, self.entity_ids, self.sentences
        extractors, surfaces = self.extractors, self.surfaces
        return [
            Link(papers[p], entities[g], RELATION_ORDER[r], sentences[s], a, b, extractors[e], c, surfaces[t])
            for p, g, r, s, a, b, e, c, t in zip(*(column[start:stop].tolist() for column in columns), strict=True)
        ]

    def __iter__(self) -> Iterator[Link]:
        for at in range(0, len(self), _BATCH):
            yield from self.rows(at, at + _BATCH)

    def runs(self, paper_ids: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Per paper of ``paper_ids``, the first of its rows and the row after its last (equal when it has none)."""
        codes = {paper: i for i, paper in enumerate(self.paper_ids)}
        firsts = np.zeros(len(self.paper_ids) + 1, np.int64)  # the last: a paper the table does not hold
        counts = np.zeros(len(self.paper_ids) + 1, np.int64)
        present, first, count = np.unique(self.paper, return_index=True, return_counts=True)
        firsts[present], counts[present] = first, count
        wanted = np.array([codes.get(paper, len(self.paper_ids)) for paper in paper_ids], np.int64)
        return firsts[wanted], firsts[wanted] + counts[wanted]

    @classmethod
    def of(cls, links: Sequence[Link]) -> LinkTable:
        """The table of ``links``, given in link order (what :func:`kg.resolve.resolve` returns)."""
        columns: dict[str, list[int]] = {}
        values: dict[str, dict[str, int]] = {}
        for name in ("paper_id", "entity_id", "sentence", "extractor", "surface"):
            index = values[name] = {}
            columns[name] = [index.setdefault(getattr(link, name), len(index)) for link in links]
        return cls(
            paper=np.array(columns["paper_id"], np.int32),
            entity=np.array(columns["entity_id"], np.int32),
            relation=np.array([RELATION_CODE[link.relation] for link in links], np.int8),
            sentence=np.array(columns["sentence"], np.int32),
            start=np.array([link.start for link in links], np.int64),
            end=np.array([link.end for link in links], np.int64),
            extractor=np.array(columns["extractor"], np.int32),
            confidence=np.array([link.confidence for link in links], np.float64),
            surface=np.array(columns["surface"], np.int32),
            paper_ids=list(values["paper_id"]),
            entity_ids=list(values["entity_id"]),
            sentences=list(values["sentence"]),
            extractors=list(values["extractor"]),
            surfaces=list(values["surface"]),
        )


def used(codes: np.ndarray, values: list[str]) -> tuple[np.ndarray, list[str]]:
    """``codes`` renumbered over only the values they use, and those values: what rows do not use is let go."""
    kept, renumbered = np.unique(codes, return_inverse=True)
    return renumbered.astype(np.int32), [values[code] for code in kept.tolist()]
