"""Entity resolution: many mentions, one entity per real-world thing.

Mentions are grouped by a folded key (case, Unicode, hyphens and spaces, and
the last word made singular by English plural rules), acronyms are tied to
the long forms that abstracts define for them, and each group becomes one
:class:`Entity` with a preferred label, its aliases, a type chosen by the
weight of evidence and an id that depends only on the input, never on
processing order.

Two different things must never merge, so acronyms are resolved by sense:

- A long form and its acronym are always one entity, keyed by the long form.
- An acronym defined with different long forms ("FIT" for two unrelated
  expansions) is as many entities; long forms that only spell one name
  differently ("graph convolution(al) network(s)") are one sense.
- A paper's own uses of an acronym go with its own definition. A paper that
  uses one without defining it gets the sense most papers define it with,
  the usual reading a writer leaves undefined; on a tie there is no usual
  reading, and the bare uses stay an entity of their own rather than join a
  guess.
- Case variants are one name ("BERT", "Bert"), except acronyms spelled with
  different capitals ("FiT", "FIT"): these are names their authors chose,
  kept apart unless definitions give them one sense. A capital "S" is part of
  a name ("FITS"), not a plural.

Resolution runs over every mention of a build (~150,000 for 10,000 papers) in
each rebuild, so work is done once per distinct spelling or group rather than
per mention wherever the result allows it.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter
from sys import intern

from kg.heap import collector_paused
from kg.plurals import singular
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
_ACRONYM = re.compile(r"\S*[^\W\d_][A-Z]\S*")
#: The last part of a word in camel case: "Movies" in "WikiMovies".
_CAMEL_TAIL = re.compile(r"(?<=[a-z])[A-Z][a-z]+\Z")
#: Words that do not tell two long forms apart ("Mixture of Experts" ~ "Mixture-of-Expert").
_GLUE = frozenset({"of", "the", "a", "an", "for", "and", "in", "on", "with", "to", "from", "by"})
_TYPE = attrgetter("type")
_TEXT = attrgetter("text")
#: Relation is a StrEnum, so members order as their values do.
_LINK_ORDER = attrgetter("paper_id", "entity_id", "relation")


def _singular_word(words: list[str]) -> str:
    """The last of ``words`` made singular, its capitals kept: "GCNs" -> "GCN", "Processes" -> "Process".

    A lower-case "s" after a capital is an acronym's plural, and a word in
    capitals ending in "S" is a name ("FITS"), not a plural, unless the whole
    phrase is in capitals ("GRAPH NEURAL NETWORKS"). In a name written in
    camel case only the last part is an English word ("WikiMovies").
    """
    word = words[-1]
    if len(word) <= 2:
        return word
    if word[-1] == "s" and word[-2].isupper():
        return word[:-1]
    if word[-1] == "S" and (len(words) == 1 or not all(map(str.isupper, words))):
        return word
    camel = _CAMEL_TAIL.search(word)
    head, tail = (word[: camel.start()], camel.group()) if camel else ("", word)
    lower = tail.lower()
    single = singular(lower)
    if lower.startswith(single):  # an ending dropped, as mostly
        return head + tail[: len(single)]
    kept = next((i for i, (a, b) in enumerate(zip(lower, single, strict=False)) if a != b), len(single))
    return head + tail[:kept] + single[kept:]


def _case_key(text: str) -> str:
    """How a name is spelled, but for the case of its first letter (sentences capitalise it: "dasNet")."""
    spelled = _spelled(text)
    return spelled[:1].lower() + spelled[1:]


#: LaTeX accent commands as arXiv abstracts keep them ("Poincar\\'e", 'G\\"{o}del'), and the combining
#: character each stands for.
_LATEX_ACCENTS = {"'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303", "=": "\u0304"}
_LATEX_ACCENT = re.compile(r"\\([`'^\"~=])\{?([A-Za-z])\}?")


def _accented(text: str) -> str:
    """``text`` with LaTeX accents as the letters they make: "Poincar\\'e" -> "Poincaré"."""
    if "\\" not in text:
        return text
    return _LATEX_ACCENT.sub(lambda m: unicodedata.normalize("NFC", m[2] + _LATEX_ACCENTS[m[1]]), text)


def _spelled(text: str) -> str:
    """The words of ``text`` run together, the last made singular, capitals kept ("FiT" and "FIT" differ)."""
    words = _WORD.findall(unicodedata.normalize("NFKC", _accented(text)))
    if words and words[-1][-1] in "sS":
        words[-1] = _singular_word(words)
    return "".join(words)


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """The key two spellings of one name share ("Graph-Neural Networks" ~ "graph neural network")."""
    return _spelled(text).casefold()


def is_acronym(text: str) -> bool:
    """One word with a capital right after a letter: "FiT", "FIT", "GCNs", "XGBoost", not "Out-Of-Domain"."""
    return _ACRONYM.fullmatch(text) is not None


def _group_key(mention: Mention) -> str:
    if mention.type is EntityType.REPOSITORY:
        return "repo:" + mention.text.lower()
    return "url:" + mention.text.rstrip("/")


def _same_sense(a: str, b: str) -> bool:
    """Whether two long forms of one acronym spell one name ("graph convolution(al) network(s)").

    Words are compared by their first five letters, so inflections agree, and
    half the words must be shared: "Fourier Image Transformer" and "Flexible
    Irregular Time series" are two names.
    """
    stems_a, stems_b = ({w[:5] for w in _WORD.findall(s.casefold()) if w not in _GLUE} for s in (a, b))
    return len(stems_a & stems_b) * 2 >= len(stems_a | stems_b)


@dataclass(frozen=True, slots=True)
class _Definitions:
    """What the acronym definitions of a whole corpus say; built by :func:`_definitions`."""

    #: Folded long form -> key of its sense; variant long forms of one acronym share one key.
    senses: dict[str, str]
    #: (paper, folded short form) -> key of the sense that paper defines it with.
    own: dict[tuple[str, str], str]
    #: Spelled short form -> key of the sense most papers define it with (absent on a tie).
    bare: dict[str, str]
    #: Folded name -> the one sense its defined spellings share ("Bert" and "LORA" take BERT's and LoRA's).
    usual: dict[str, str]
    #: Folded names spelled with different capitals, one of them coined by a paper ("FiT" beside "FIT").
    coined: set[str]


def _definitions(mentions: list[Mention]) -> _Definitions:
    # Repositories and URLs are looked at too, harmlessly: no name folds as they do.
    spellings: dict[str, set[str]] = defaultdict(set)
    for text in {m.text for m in mentions}:
        if is_acronym(text):
            spellings[fold(text)].add(_case_key(text))
    proposed = {m.text for m in mentions if m.relation is Relation.PROPOSES}
    surfaces: dict[str, str] = {}
    defined: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    by_spelling: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for m in [m for m in mentions if m.long_form]:
        long = fold(m.long_form)
        surfaces.setdefault(long, m.long_form)
        defined[m.paper_id, fold(m.text)][long] += 1
        by_spelling[_case_key(m.text)].add((m.paper_id, long))
    # Long forms of one short form, most often defined first, join the first earlier one they spell.
    papers: Counter[str] = Counter(long for counts in defined.values() for long in counts)
    longs: dict[str, set[str]] = defaultdict(set)
    for (_, short), counts in defined.items():
        longs[short].update(counts)
    senses: dict[str, str] = {}
    for short in sorted(longs):
        heads: list[str] = []
        for long in sorted(longs[short], key=lambda s: (-papers[s], s)):
            if long not in senses:
                same = (h for h in heads if _same_sense(surfaces[h], surfaces[long]))
                senses[long] = next(same, long)
            if senses[long] not in heads:
                heads.append(senses[long])
    own = {key: senses[max(sorted(counts), key=counts.__getitem__)] for key, counts in defined.items()}
    bare: dict[str, str] = {}
    for spelled, pairs in by_spelling.items():
        votes = Counter(sense for _, sense in {(paper, senses[long]) for paper, long in pairs})
        ranked = sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))
        if len(ranked) == 1 or ranked[0][1] > ranked[1][1]:
            bare[spelled] = ranked[0][0]
    usual: dict[str, str] = {}
    for folded, spelled in spellings.items():
        found = {bare[s] for s in spelled if s in bare}
        if len(found) == 1:
            usual[folded] = found.pop()
    coined = {folded for folded in map(fold, proposed) if len(spellings.get(folded, ())) > 1}
    return _Definitions(senses, own, bare, usual, coined)


def _text_key(text: str, definitions: _Definitions) -> str:
    """The group of a name used without a definition in its paper (see the module docstring)."""
    folded = fold(text)
    if folded in definitions.senses:  # a long form
        return definitions.senses[folded]
    spelled = _case_key(text) if is_acronym(text) else None
    if spelled in definitions.bare:
        return definitions.bare[spelled]
    if folded in definitions.coined:  # a coined name is spelled exactly: "FIT" is not "FiT"
        return spelled or folded
    return definitions.usual.get(folded, folded)


def _grouped(mentions: list[Mention], names: Mapping[str, str]) -> dict[str, list[Mention]]:
    """Mentions by group key, each group in input order (the first of equal mentions makes the link).

    A spelling recurs in many papers, so its key is worked out once and
    reused; only a name some paper defines is looked up per paper. ``names``
    (a user's lexicon) ties a spelling to a name before and after the
    abstracts' acronyms do, so the user's word is the last.
    """
    definitions = _definitions(mentions)
    shorts = {short for _, short in definitions.own}
    known: dict[str, tuple[str, str | None]] = {}
    groups: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        if m.type in IDENTIFIER_TYPES:
            key = _group_key(m)
        elif names and (named := names.get(fold(m.text))) is not None:
            key = names.get(named, named)
        elif m.long_form:  # a long form and its acronym are always one entity
            key = definitions.senses[fold(m.long_form)]
        else:
            found = known.get(m.text)
            if found is None:
                folded = fold(m.text)
                found = known[m.text] = (_text_key(m.text, definitions), folded if folded in shorts else None)
            key, short = found
            if short is not None:  # each paper's uses go with its own definition
                key = definitions.own.get((m.paper_id, short), key)
        if m.type not in IDENTIFIER_TYPES:
            key = names.get(key, key)
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
    # The acronym as the papers that spell the long form so first write it, which is where they define
    # it: "convolutional neural networks (CNNs)" keeps its plural however often a paper later says "CNN".
    first: dict[str, Mention] = {}
    for m in defined:
        short = m.long_form == long and fold(m.text) != fold(long)
        if short and (m.paper_id not in first or m.start < first[m.paper_id].start):
            first[m.paper_id] = m
    shorts = Counter(m.text for m in first.values())
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
    with (a user's lexicon aliases, :meth:`kg.lexicons.Lexicon.groups`). ``spans``, when given, is
    filled with the entity of every mention by (paper id, start offset, type
    of the mention), which is how relations and results find the entities at
    their ends ("sharpDARTS" the method and "sharpDARTS search" the concept start together).

    Resolving 10,000 papers makes ~500,000 objects and frees almost none
    before it returns; with the collector running, its collections walked
    them all (and all the mentions) for a third of the time.
    """
    with collector_paused():
        groups = _grouped(mentions, names or {})
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
