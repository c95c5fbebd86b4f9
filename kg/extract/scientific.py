"""The method, dataset and task extractors: each reports its type from the shared analysis.

The three read one :func:`kg.extract.candidates.analyse` result, so a span
is typed once per paper. A mention records the evidence kind in its
extractor name ("methods:acronym") and a confidence that follows it.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from spacy.tokens import Doc

from kg.extract import Extractor, sentence_of
from kg.extract.candidates import analyse
from kg.records import DEFAULT_RELATION, EntityType, Mention, Paper, Relation

#: Tags for shapes and phrases, sentences for evidence; no parser, no NER.
REQUIRES = frozenset({"tagger", "senter"})


def typed_mentions(doc: Doc, paper: Paper, kind: EntityType, name: str) -> Iterator[Mention]:
    for found in analyse(doc):
        if found.type is not kind:
            continue
        span = doc[found.start : found.end]
        relation = Relation.PROPOSES if found.proposed else DEFAULT_RELATION[kind]
        yield Mention(
            paper_id=paper.id,
            text=span.text,
            type=kind,
            relation=relation,
            start=span.start_char,
            end=span.end_char,
            sentence=sentence_of(doc, span.start_char, span.end_char),
            extractor=f"{name}:{found.rule}",
            confidence=found.confidence,
            long_form=found.long_form if found.long_form and found.long_form != span.text else None,
        )


def _extractor(kind: EntityType, name: str) -> Extractor:
    return Extractor(name, partial(typed_mentions, kind=kind, name=name), REQUIRES)


METHODS = _extractor(EntityType.METHOD, "methods")
DATASETS = _extractor(EntityType.DATASET, "datasets")
TASKS = _extractor(EntityType.TASK, "tasks")
