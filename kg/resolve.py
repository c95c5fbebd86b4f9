"""Entity resolution: many mentions, one entity per real-world thing.

Mentions are grouped by a folded key (case, Unicode, hyphens and spaces, a
final plural), acronyms are tied to the long forms that abstracts define for
them, and each group becomes one :class:`Entity` with a preferred label, its
aliases, a type chosen by the weight of evidence and an id that depends only
on the input, never on processing order.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import lru_cache

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


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """The key two spellings of one name share ("Graph-Neural Networks" ~ "graph neural network")."""
    text = unicodedata.normalize("NFKC", text).casefold()
    words = re.findall(r"\w+", text)
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


def _choose_type(counts: Counter[EntityType]) -> EntityType:
    return max(TYPE_PRIORITY, key=lambda t: (counts[t], -TYPE_PRIORITY.index(t)))


def _most_common(pool: Counter[str]) -> str:
    return max(sorted(pool), key=lambda s: (pool[s], any(c.isupper() for c in s)))


def _choose_label(members: list[Mention]) -> str:
    """ "Long Form (ACR)" when an acronym is defined, else the most frequent spelling.

    Both parts stay in the label because readers search for either.
    """
    long_forms = Counter(m.long_form for m in members if m.long_form)
    if not long_forms:
        return _most_common(Counter(m.text for m in members))
    long = _most_common(long_forms)
    shorts = Counter(m.text for m in members if m.long_form and fold(m.text) != fold(m.long_form))
    return f"{long} ({_most_common(shorts)})" if shorts else long


def _slug(key: str, kind: EntityType) -> str:
    return f"{kind.value.lower()}:{key}"


def resolve(mentions: list[Mention]) -> tuple[list[Entity], list[Link]]:
    acronyms = _acronym_map(mentions)
    groups: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        key = _group_key(m)
        groups[acronyms.get(key, key)].append(m)

    entities: list[Entity] = []
    entity_of_group: dict[str, Entity] = {}
    for key in sorted(groups):
        members = groups[key]
        kind = _choose_type(Counter(m.type for m in members))
        label = _choose_label(members)
        # Every other spelling seen, acronym and long form included; never the label itself.
        aliases = sorted(({m.text for m in members} | {m.long_form for m in members if m.long_form}) - {label})
        entity = Entity(id=_slug(key, kind), type=kind, label=label, aliases=aliases)
        entities.append(entity)
        entity_of_group[key] = entity

    best: dict[tuple[str, str, Relation], Link] = {}
    for key, members in groups.items():
        entity = entity_of_group[key]
        for m in sorted(members, key=lambda m: (m.paper_id, m.start, -m.confidence)):
            # A mention typed otherwise than its entity takes the entity's relation.
            relation = m.relation if m.type is entity.type else DEFAULT_RELATION[entity.type]
            pair = (m.paper_id, entity.id, relation)
            if pair not in best:
                best[pair] = Link(
                    paper_id=m.paper_id,
                    entity_id=entity.id,
                    relation=relation,
                    sentence=m.sentence,
                    start=m.start,
                    end=m.end,
                    extractor=m.extractor,
                    confidence=m.confidence,
                    surface=m.text,
                )
    # A paper that proposes a method trivially uses it too; keep the stronger claim.
    links = [
        link
        for pair, link in best.items()
        if not (pair[2] is Relation.USES and (pair[0], pair[1], Relation.PROPOSES) in best)
    ]
    links.sort(key=lambda link: (link.paper_id, link.entity_id, link.relation.value))
    return entities, links
