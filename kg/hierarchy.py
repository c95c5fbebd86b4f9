"""The task hierarchy: ``broader`` edges between tasks, so a query can walk from a task to all under it.

Three sources, each kept as the evidence's extractor: a task's name ending
in another task's name ("few-shot object detection" is under "object
detection", ``broader:names``), a sentence that says so ("X, a kind of Y",
read by :mod:`kg.extract.relations`), and a Papers with Code lexicon's
subtasks (``broader:lexicon``). ``benchmarks/bench_hierarchy.py`` measures
the first against Papers with Code's own hierarchy.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from kg.plurals import singular
from kg.records import Entity, EntityLink, EntityType, Evidence, RelationType
from kg.relate import merged
from kg.resolve import fold

#: "Named Entity Recognition (NER)": the name without the acronym it gives.
_ACRONYM = re.compile(r"\s*\([^()]*\)$")
NAMES, LEXICON = "broader:names", "broader:lexicon"
#: How sure each source is: names are measured (README), a lexicon is the user's word.
CONFIDENCE = {NAMES: 0.8, LEXICON: 1.0}


#: Prepositions after which a task's name narrows the task before it ("Object Detection in Aerial
#: Images"). Not "for": what follows it is the task served ("Calibration for Link Prediction").
NARROWING = frozenset({"in", "on", "from", "with", "under", "over", "of", "via", "using", "across", "at"})


def words(name: str) -> tuple[str, ...]:
    """The words of a task name in one spelling: case, hyphens and a final plural folded."""
    # Hyphenated words stay one ("self-supervised" is not "supervised").
    parts = re.findall(r"[^\W_]+(?:-[^\W_]+)*", _ACRONYM.sub("", name).casefold())
    if parts:
        parts[-1] = singular(parts[-1])
    return tuple(parts)


def parents_by_name(names: Iterable[str]) -> dict[str, str]:
    """Each name's broader name among ``names``: the longest other name of two words or more its words
    end with ("few-shot object detection" under "object detection"), not after a preposition; else the
    longest one its words start with before a preposition ("object detection in aerial images").

    One word is too broad to be a parent: Papers with Code puts few tasks
    under "prediction" or "classification" (``benchmarks/bench_hierarchy.py``).
    """
    by_words: dict[tuple[str, ...], str] = {}
    for name in names:
        if w := words(name):
            by_words.setdefault(w, name)
    parents = {}
    for w, name in by_words.items():
        for k in range(1, len(w) - 1):
            parent = by_words.get(w[k:])
            # After a preposition the name's end is what the task is done to, not a task above it.
            if parent is not None and w[k - 1] not in NARROWING:
                parents[name] = parent
                break
        else:
            # "Object Detection in Aerial Images", "Question Answering over Knowledge Bases": a task
            # narrowed by what follows a preposition.
            for k in range(len(w) - 2, 1, -1):
                parent = by_words.get(w[:k])
                if parent is not None and w[k] in NARROWING:
                    parents[name] = parent
                    break
    return parents


def broader_links(entities: Iterable[Entity], lexicon_parents: Mapping[str, str] | None = None) -> list[EntityLink]:
    """``broader`` edges between the tasks of ``entities``, from their names and a lexicon's parents."""
    tasks = [e for e in entities if e.type is EntityType.TASK]
    by_key = {fold(e.label): e.id for e in tasks} | {fold(a): e.id for e in tasks for a in e.aliases}
    label_of = {e.id: e.label for e in tasks}
    ids = {label: entity for entity, label in label_of.items()}
    pairs = [(ids[child], ids[parent], NAMES) for child, parent in parents_by_name(label_of.values()).items()]
    pairs += [
        (by_key[child], by_key[parent], LEXICON)
        for child, parent in (lexicon_parents or {}).items()
        if child in by_key and parent in by_key
    ]
    # One edge per pair, the evidence of both sources: what merged() makes of any relations.
    return merged(
        EntityLink(child, RelationType.BROADER, parent, [Evidence("", "", source, CONFIDENCE[source])])
        for child, parent, source in pairs
        if child != parent
    )
