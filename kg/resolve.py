"""Entity resolution: many mentions, one entity per real-world thing.

Mentions are grouped by a folded key (case, Unicode, hyphens and spaces, a
final plural), acronyms are tied to the long forms that abstracts define for
them, and each group becomes one :class:`Entity` with a preferred label, its
aliases, a type chosen by the weight of evidence and an id that depends only
on the input, never on processing order.

Resolution runs over every mention of a build (~150,000 for 10,000 papers) in
each rebuild, so work is done once per distinct spelling or group rather than
per mention wherever the result allows it.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from functools import lru_cache
from operator import attrgetter
from sys import intern

from kg.heap import collector_paused
from kg.records import DEFAULT_RELATION, Entity, EntityType, Link, Mention, Relation

#: Repositories and URLs are identifiers already; they never merge with words.
IDENTIFIER_TYPES = {EntityType.REPOSITORY, EntityType.URL}
#: When the evidence is tied, the more specific reading wins.
TYPE_PRIORITY = [
    EntityType.DATASET,
    EntityType.METHOD,
    EntityType.TASK,
    EntityType.CONCEPT,
    EntityType.REPOSITORY,
    EntityType.URL,
]

_WORD = re.compile(r"\w+")
_TYPE = attrgetter("type")
_TEXT = attrgetter("text")
#: Relation is a StrEnum, so members order as their values do.
_LINK_ORDER = attrgetter("paper_id", "entity_id", "relation")


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """The key two spellings of one name share ("Graph-Neural Networks" ~ "graph neural network")."""
    text = unicodedata.normalize("NFKC", text).casefold()
    words = _WORD.findall(text)
    if words and len(words[-1]) > 3 and words[-1].endswith("s") and not words[-1].endswith(("ss", "us", "is")):
        words[-1] = words[-1][:-1]
    return "".join(words)


def _group_key(mention: Mention) -> str:
    if mention.type is EntityType.REPOSITORY:
        return "repo:" + mention.text.lower()
    if mention.type is EntityType.URL:
        return "url:" + mention.text.rstrip("/")
    return fold(mention.text)


def _acronym_map(mentions: Iterable[Mention]) -> dict[str, str]:
    """Folded acronym -> folded long form, from definitions seen anywhere in the corpus.

    An acronym defined with different long forms in different papers keeps the
    long form used most often, so one odd expansion cannot split an entity.
    """
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for m in mentions:
        if m.long_form and m.type not in IDENTIFIER_TYPES:
            votes[fold(m.text)][fold(m.long_form)] += 1
    return {acr: max(sorted(c), key=c.__getitem__) for acr, c in votes.items()}


def _grouped(
    mentions: Iterable[Mention], acronyms: dict[str, str], names: Mapping[str, str]
) -> dict[str, list[Mention]]:
    """Mentions by group key, each group in input order (the first of equal mentions makes the link).

    A spelling recurs in many papers, so its key is worked out once per type
    and reused. ``names`` (a user's lexicon) ties a spelling to a name before
    and after the abstracts' acronyms do, so the user's word is the last.
    """
    keys: dict[EntityType, dict[str, str]] = {kind: {} for kind in EntityType}
    groups: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        known = keys[m.type]
        key = known.get(m.text)
        if key is None:
            key = _group_key(m)
            key = names.get(key) or acronyms.get(key, key)
            key = known[m.text] = names.get(key, key)
        groups[key].append(m)
    return groups


def _choose_type(members: list[Mention]) -> EntityType:
    kinds = set(map(_TYPE, members))
    if len(kinds) == 1:  # one reading only: nothing to weigh
        return kinds.pop()
    counts = Counter(map(_TYPE, members))
    return max(TYPE_PRIORITY, key=lambda t: (counts[t], -TYPE_PRIORITY.index(t)))


def _has_upper(text: str) -> bool:
    return any(map(str.isupper, text))


def _most_common(pool: Counter[str]) -> str:
    """The most frequent string; on a tie one with a capital ("BERT" over "bert"), then the first in order."""
    if len(pool) == 1:
        return next(iter(pool))
    top = max(pool.values())
    tied = sorted(s for s, n in pool.items() if n == top)
    return next((s for s in tied if _has_upper(s)), tied[0])


def _choose_label(members: list[Mention], texts: set[str]) -> str:
    """ "Long Form (ACR)" when an acronym is defined, else the most frequent spelling.

    Both parts stay in the label because readers search for either.
    ``texts`` holds the distinct surface forms of ``members``; with only one
    there is nothing to count.
    """
    defined = [m for m in members if m.long_form]
    if not defined:
        return next(iter(texts)) if len(texts) == 1 else _most_common(Counter(map(_TEXT, members)))
    long = _most_common(Counter(m.long_form for m in defined))
    shorts = Counter(m.text for m in defined if fold(m.text) != fold(m.long_form))
    return f"{long} ({_most_common(shorts)})" if shorts else long


def _slug(key: str, kind: EntityType) -> str:
    return f"{kind.value.lower()}:{key}"


def _entity(key: str, members: list[Mention]) -> Entity:
    names = set(map(_TEXT, members))
    label = _choose_label(members, names)
    # Every other spelling seen, acronym and long form included; never the label itself.
    names.update(m.long_form for m in members if m.long_form)
    names.discard(label)
    kind = _choose_type(members)
    return Entity(id=_slug(key, kind), type=kind, label=label, aliases=sorted(names))


def _evidence(entity: Entity, members: list[Mention]) -> dict[tuple[str, Relation], Mention]:
    """The mention each (paper, relation) link of ``entity`` keeps as evidence.

    That is the earliest in the paper, the most confident of those at one
    offset, and the first in input order of equals; one pass keeps it without
    sorting the group.
    """
    default = DEFAULT_RELATION[entity.type]
    best: dict[tuple[str, Relation], Mention] = {}
    for m in members:
        # A mention typed otherwise than its entity takes the entity's relation.
        pair = (m.paper_id, m.relation if m.type is entity.type else default)
        held = best.get(pair)
        if held is None or m.start < held.start or (m.start == held.start and m.confidence > held.confidence):
            best[pair] = m
    return best


def _links(entity: Entity, members: list[Mention]) -> list[Link]:
    """The entity's links, their repeated strings interned.

    Links live to the end of a build, and mentions decoded from the cache or
    received from a worker each bring their own copy of the extractor's name
    and of the surface form, which repeat across papers. One string each
    keeps 15 of the 85 MB a 10,000-paper graph holds, and the pages forked
    exporters would copy.
    """
    best = _evidence(entity, members)
    return [
        Link(
            paper_id=paper_id,
            entity_id=entity.id,
            relation=relation,
            sentence=m.sentence,
            start=m.start,
            end=m.end,
            extractor=intern(m.extractor),
            confidence=m.confidence,
            surface=intern(m.text),
        )
        for (paper_id, relation), m in best.items()
        # A paper that proposes a method trivially uses it too; keep the stronger claim.
        if not (relation is Relation.USES and (paper_id, Relation.PROPOSES) in best)
    ]


def resolve(
    mentions: list[Mention],
    names: Mapping[str, str] | None = None,
    spans: dict[tuple[str, int, EntityType], str] | None = None,
) -> tuple[list[Entity], list[Link]]:
    """Entities and links of ``mentions``, links sorted by paper, entity and relation.

    ``names`` maps folded spellings to the folded name they are one entity
    with (:meth:`kg.lexicons.Lexicon.groups`). ``spans``, when given, is
    filled with the entity of every mention by (paper id, start offset, type
    of the mention), which is how relations and results find the entities at
    their ends ("sharpDARTS" the method and "sharpDARTS search" the concept start together).

    Resolving 10,000 papers makes ~500,000 objects and frees almost none
    before it returns; with the collector running, its collections walked
    them all (and all the mentions) for a third of the time.
    """
    with collector_paused():
        groups = _grouped(mentions, _acronym_map(mentions), names or {})
        entities: list[Entity] = []
        links: list[Link] = []
        for key in sorted(groups):
            entity = _entity(key, groups[key])
            entities.append(entity)
            if spans is not None:
                spans.update(((m.paper_id, m.start, m.type), entity.id) for m in groups[key])
            links.extend(_links(entity, groups[key]))
        links.sort(key=_LINK_ORDER)
    return entities, links
