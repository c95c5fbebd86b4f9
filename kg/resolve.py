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

Resolution runs over the mention table (:mod:`kg.engines.table`), a row per
mention, as operations on its columns: each distinct spelling or long form is
looked at once in Python, and what holds per mention (its group, the
evidence a link keeps) is worked out on arrays of codes, so no Python object
is made per mention. The entities it returns are objects; the links are a
table too (:class:`~kg.link_table.LinkTable`), made into records only where asked.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import pairwise

import numpy as np

from kg.engines.table import KIND_CODE, KINDS, RELATION_CODE, RELATION_ORDER, MentionTable, Strings, to_table
from kg.heap import collector_paused
from kg.link_table import LinkTable, used
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
#: Per type, its index in TYPE_PRIORITY's order, and its default relation.
_PRIORITY = np.array([KIND_CODE[kind] for kind in TYPE_PRIORITY])
_DEFAULT = np.array([RELATION_CODE[DEFAULT_RELATION[kind]] for kind in KINDS])
#: Relation is a StrEnum, so members order as their values do: links sort by these ranks.
_RELATION_RANK = np.array([sorted(RELATION_ORDER).index(relation) for relation in RELATION_ORDER])


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


def _in_singular(text: str) -> str:
    words = text.split(" ")
    return " ".join([*words[:-1], _singular_word(words)]) if words[-1][-1:].isalpha() else text


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


def _identifier_key(kind: EntityType, text: str) -> str:
    return "repo:" + text.lower() if kind is EntityType.REPOSITORY else "url:" + text.rstrip("/")


def _same_sense(a: str, b: str) -> bool:
    """Whether two long forms of one acronym spell one name ("graph convolution(al) network(s)").

    Words are compared by their first five letters, so inflections agree, and
    half the words must be shared: "Fourier Image Transformer" and "Flexible
    Irregular Time series" are two names.
    """
    stems_a, stems_b = ({w[:5] for w in _WORD.findall(s.casefold()) if w not in _GLUE} for s in (a, b))
    return len(stems_a & stems_b) * 2 >= len(stems_a | stems_b)


@dataclass
class _Strings:
    """A string column as the resolver reads it: its codes as int64, so that sums of codes cannot overflow."""

    codes: np.ndarray
    values: list[str]

    @classmethod
    def of(cls, strings: Strings) -> _Strings:
        return cls(strings.codes.astype(np.int64), strings.values)

    @cached_property
    def rank(self) -> np.ndarray:
        """Each value's place in string order."""
        rank = np.empty(len(self.values), np.int64)
        rank[sorted(range(len(self.values)), key=self.values.__getitem__)] = np.arange(len(self.values))
        return rank

    @cached_property
    def capital(self) -> np.ndarray:
        """Whether each value has a capital letter."""
        return np.array([any(map(str.isupper, value)) for value in self.values], bool)

    @cached_property
    def singular(self) -> np.ndarray:
        """Each value's code with its last word in the singular ("Transformers" -> "Transformer"),
        when that string is a value too; else -1."""
        code = {value: k for k, value in enumerate(self.values)}
        return np.array([code.get(_in_singular(value), -1) for value in self.values], np.int64)

    @cached_property
    def in_singular(self) -> np.ndarray:
        """Whether each value's last word is singular already."""
        return self.singular == np.arange(len(self.values))


@dataclass
class _Mentions:
    """The columns of the mention table that resolution reads, as int64 arrays."""

    table: MentionTable
    paper: _Strings
    text: _Strings
    long_form: _Strings
    #: Indexes into KINDS and RELATION_ORDER.
    kind: np.ndarray
    relation: np.ndarray
    start: np.ndarray
    confidence: np.ndarray

    @classmethod
    def of(cls, table: MentionTable) -> _Mentions:
        return cls(
            table,
            _Strings.of(table.paper_id),
            _Strings.of(table.text),
            _Strings.of(table.long_form),
            table.type.astype(np.int64),
            table.relation.astype(np.int64),
            table.start,
            table.confidence,
        )


def _run_starts(*keys: np.ndarray) -> np.ndarray:
    """Where a run of equal keys starts, in arrays sorted by ``keys``: the first row of each group."""
    change = np.zeros(len(keys[0]), bool)
    change[:1] = True
    for key in keys:
        change[1:] |= key[1:] != key[:-1]
    return change


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


def _definitions(m: _Mentions) -> _Definitions:
    """Read per distinct spelling and per (paper, acronym, long form) a paper defines, not per mention."""
    texts, longs, papers = m.text.values, m.long_form.values, m.paper.values
    # Repositories and URLs are looked at too, harmlessly: no name folds as they do.
    spellings: dict[str, set[str]] = defaultdict(set)
    for text in (texts[code] for code in np.unique(m.text.codes).tolist()):
        if is_acronym(text):
            spellings[fold(text)].add(_case_key(text))
    proposing = m.text.codes[m.relation == RELATION_CODE[Relation.PROPOSES]]
    proposed = {texts[code] for code in np.unique(proposing).tolist()}
    rows = np.flatnonzero(m.long_form.codes >= 0)
    # The first spelling of a long form in input order stands for it when senses are compared.
    surfaces: dict[str, str] = {}
    codes, first = np.unique(m.long_form.codes[rows], return_index=True)
    for code in codes[np.argsort(first)].tolist():
        surfaces.setdefault(fold(longs[code]), longs[code])
    defined: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    by_spelling: dict[str, set[tuple[str, str]]] = defaultdict(set)
    if rows.size:
        triples = np.stack([m.paper.codes[rows], m.text.codes[rows], m.long_form.codes[rows]], axis=1)
        found, counts = np.unique(triples, axis=0, return_counts=True)
        for (paper, text, long_code), count in zip(found.tolist(), counts.tolist(), strict=True):
            long = fold(longs[long_code])
            defined[papers[paper], fold(texts[text])][long] += count
            by_spelling[_case_key(texts[text])].add((papers[paper], long))
    # Long forms of one short form, most often defined first, join the first earlier one they spell.
    defining: Counter[str] = Counter(long for counts in defined.values() for long in counts)
    longs_of: dict[str, set[str]] = defaultdict(set)
    for (_, short), counted in defined.items():
        longs_of[short].update(counted)
    senses: dict[str, str] = {}
    for short in sorted(longs_of):
        heads: list[str] = []
        for long in sorted(longs_of[short], key=lambda s: (-defining[s], s)):
            if long not in senses:
                same = (h for h in heads if _same_sense(surfaces[h], surfaces[long]))
                senses[long] = next(same, long)
            if senses[long] not in heads:
                heads.append(senses[long])
    own = {key: senses[max(sorted(counted), key=counted.__getitem__)] for key, counted in defined.items()}
    bare: dict[str, str] = {}
    for spelled, pairs in by_spelling.items():
        votes = Counter(sense for _, sense in {(paper, senses[long]) for paper, long in pairs})
        ranked = sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))
        if len(ranked) == 1 or ranked[0][1] > ranked[1][1]:
            bare[spelled] = ranked[0][0]
    usual: dict[str, str] = {}
    for folded, spelled_as in spellings.items():
        found_senses = {bare[s] for s in spelled_as if s in bare}
        if len(found_senses) == 1:
            usual[folded] = found_senses.pop()
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


def _keys(m: _Mentions, definitions: _Definitions, names: Mapping[str, str]) -> tuple[np.ndarray, list[str]]:
    """Each mention's group key, as an index into the distinct keys returned beside.

    A spelling recurs in many papers, so its key is worked out once per
    distinct spelling; only a name some paper defines is looked up per paper.
    The rules go from the weakest to the strongest, each overriding the one
    before where it applies. ``names`` (a user's lexicon) ties a spelling to
    a name before and after the abstracts' acronyms do, so the user's word is
    the last.
    """
    ids: dict[str, int] = {}

    def key_of(key: str) -> int:
        return ids.setdefault(key, len(ids))

    texts = m.text.values
    keys = np.array([key_of(_text_key(text, definitions)) for text in texts], np.int64)[m.text.codes]
    if definitions.own:  # each paper's uses go with its own definition
        shorts = {short: i for i, short in enumerate(sorted({short for _, short in definitions.own}))}
        papers = {paper: i for i, paper in enumerate(m.paper.values)}
        own = {
            papers[paper] * len(shorts) + shorts[short]: key_of(sense)
            for (paper, short), sense in definitions.own.items()
        }
        pairs = np.fromiter(own, np.int64, len(own))
        senses = np.fromiter(own.values(), np.int64, len(own))
        order = np.argsort(pairs)
        pairs, senses = pairs[order], senses[order]
        short = np.array([shorts.get(fold(text), -1) for text in texts], np.int64)[m.text.codes]
        rows = np.flatnonzero(short >= 0)
        wanted = m.paper.codes[rows] * len(shorts) + short[rows]
        at = np.searchsorted(pairs, wanted).clip(max=len(pairs) - 1)
        found = pairs[at] == wanted
        keys[rows[found]] = senses[at[found]]
    defined = m.long_form.codes >= 0  # a long form and its acronym are always one entity
    senses = [definitions.senses.get(fold(long)) for long in m.long_form.values]  # None: a long form no row holds
    longs = np.array([-1 if sense is None else key_of(sense) for sense in senses], np.int64)
    keys[defined] = longs[m.long_form.codes[defined]]
    if names:
        named = np.array(
            [-1 if (name := names.get(fold(text))) is None else key_of(names.get(name, name)) for text in texts],
            np.int64,
        )[m.text.codes]
        keys = np.where(named >= 0, named, keys)
        keys = np.array([key_of(names.get(key, key)) for key in list(ids)], np.int64)[keys]
    for kind in IDENTIFIER_TYPES:
        rows = np.flatnonzero(m.kind == KIND_CODE[kind])
        codes, inverse = np.unique(m.text.codes[rows], return_inverse=True)
        identifiers = [key_of(_identifier_key(kind, texts[code])) for code in codes.tolist()]
        keys[rows] = np.array(identifiers, np.int64)[inverse]
    return keys, list(ids)


def _groups(keys: np.ndarray, names: list[str]) -> tuple[np.ndarray, list[str]]:
    """Each mention's group, numbered in the order of the group keys, and those keys in order."""
    used = sorted(np.unique(keys).tolist(), key=names.__getitem__)
    number = np.full(len(names), -1, np.int64)
    number[used] = np.arange(len(used))
    return number[keys], [names[i] for i in used]


def _types(m: _Mentions, group: np.ndarray, count: int) -> np.ndarray:
    """Each group's type (an index into KINDS): the most frequent; on a tie the more specific (TYPE_PRIORITY)."""
    tally = np.bincount(group * len(KINDS) + m.kind, minlength=count * len(KINDS)).reshape(count, len(KINDS))
    return _PRIORITY[np.argmax(tally[:, _PRIORITY], axis=1)]  # argmax takes the first of equal counts


def _most_common(
    group: np.ndarray, codes: np.ndarray, strings: _Strings, count: int, singular_first: bool = True
) -> np.ndarray:
    """Per group, the most frequent of its rows' ``codes``; -1 for a group without rows.

    On a tie, a string with a capital wins ("BERT" over "bert"), then the first in order.
    A name reads as one thing: with ``singular_first`` the winner's singular ("Transformer" for
    "Transformers") takes its place when any row of the group is spelled so; a name never
    written in the singular keeps its plural.
    """
    chosen = np.full(count, -1, np.int64)
    if not len(group):
        return chosen
    pairs, tally = np.unique(group * len(strings.values) + codes, return_counts=True)
    owner, code = np.divmod(pairs, len(strings.values))
    order = np.lexsort((strings.rank[code], ~strings.capital[code], -tally, owner))
    first = order[_run_starts(owner[order])]
    chosen[owner[first]] = code[first]
    if singular_first:
        single = strings.singular[code[first]]
        spelled = (single >= 0) & np.isin(owner[first] * len(strings.values) + single, pairs)
        chosen[owner[first][spelled]] = single[spelled]
    return chosen


def _labels(m: _Mentions, group: np.ndarray, count: int) -> list[str]:
    """ "Long Form (ACR)" when an acronym is defined, else the most frequent spelling.

    Both parts stay in the label because readers search for either. A LaTeX accent is shown
    as the letter it makes ("Poincaré ResNet"); the LaTeX spelling stays among the aliases.
    """
    texts, longs = m.text, m.long_form
    spelling = _most_common(group, texts.codes, texts, count)
    defined = np.flatnonzero(longs.codes >= 0)
    long = _most_common(group[defined], longs.codes[defined], longs, count)
    # The acronym as the papers that spell the long form so first write it, which is where they define
    # it: "convolutional neural networks (CNNs)" keeps its plural however often a paper later says "CNN".
    folds: dict[str, int] = {}
    text_fold = np.array([folds.setdefault(fold(text), len(folds)) for text in texts.values], np.int64)
    long_fold = np.array([folds.setdefault(fold(text), len(folds)) for text in longs.values], np.int64)
    of_long = longs.codes[defined]
    rows = defined[(of_long == long[group[defined]]) & (text_fold[texts.codes[defined]] != long_fold[of_long])]
    rows = rows[np.lexsort((m.start[rows], m.paper.codes[rows], group[rows]))]  # a stable sort: equals keep input order
    first = rows[_run_starts(group[rows], m.paper.codes[rows])]
    # The acronym agrees with its long form: "Multi-Layer Perceptron (MLP)", "convolutional neural networks (CNNs)".
    short = _most_common(group[first], texts.codes[first], texts, count, singular_first=False)
    single = np.full(count, -1, np.int64)
    single[short >= 0] = texts.singular[short[short >= 0]]
    spelled = np.isin(np.arange(count) * len(texts.values) + single, group * len(texts.values) + texts.codes)
    singular_long = np.zeros(count, bool)
    singular_long[long >= 0] = longs.in_singular[long[long >= 0]]
    short = np.where((single >= 0) & spelled & singular_long, single, short)
    return [
        _accented(
            texts.values[s] if lf < 0 else longs.values[lf] if a < 0 else f"{longs.values[lf]} ({texts.values[a]})"
        )
        for s, lf, a in zip(spelling.tolist(), long.tolist(), short.tolist(), strict=True)
    ]


def _aliases(m: _Mentions, group: np.ndarray, labels: list[str]) -> list[list[str]]:
    """Every other spelling of each group, acronym and long form included, in order; never the label itself."""
    spelled = sorted(set(m.text.values) | set(m.long_form.values))
    place = {name: i for i, name in enumerate(spelled)}
    of_text = np.array([place[text] for text in m.text.values], np.int64)
    of_long = np.array([place[text] for text in m.long_form.values], np.int64)
    defined = m.long_form.codes >= 0
    pairs = np.unique(
        np.concatenate(
            [
                group * len(spelled) + of_text[m.text.codes],
                group[defined] * len(spelled) + of_long[m.long_form.codes[defined]],
            ]
        )
    )
    owner, name = np.divmod(pairs, len(spelled))
    bounds = pairwise(np.searchsorted(owner, np.arange(len(labels) + 1)).tolist())
    names = name.tolist()
    return [
        [spelled[i] for i in names[a:b] if spelled[i] != label] for (a, b), label in zip(bounds, labels, strict=True)
    ]


def _links(m: _Mentions, group: np.ndarray, kinds: np.ndarray, ids: list[str]) -> LinkTable:
    """The links of every entity, sorted by paper, entity and relation.

    Each (paper, entity, relation) keeps one mention as evidence: the
    earliest in the paper, the most confident of those at one offset, and
    the first in input order of equals. A mention typed otherwise than its
    entity takes the entity's relation. The table keeps only the strings its rows use.
    """

    own = kinds[group]
    relation = np.where(m.kind == own, m.relation, _DEFAULT[own])
    paper = m.paper.codes
    rows = np.lexsort((-m.confidence, m.start, relation, paper, group))  # a stable sort: equals keep input order
    rows = rows[_run_starts(group[rows], paper[rows], relation[rows])]
    # A paper that proposes a method trivially uses it too; keep the stronger claim.
    pair = group[rows] * len(m.paper.values) + paper[rows]
    proposing = pair[relation[rows] == RELATION_CODE[Relation.PROPOSES]]
    rows = rows[~((relation[rows] == RELATION_CODE[Relation.USES]) & np.isin(pair, proposing))]
    entity_rank = np.empty(len(ids), np.int64)
    entity_rank[sorted(range(len(ids)), key=ids.__getitem__)] = np.arange(len(ids))
    rows = rows[np.lexsort((_RELATION_RANK[relation[rows]], entity_rank[group[rows]], m.paper.rank[paper[rows]]))]
    table = m.table
    sentence, sentences = used(table.sentence.codes[rows], table.sentence.values)
    extractor, extractors = used(table.extractor.codes[rows], table.extractor.values)
    surface, surfaces = used(m.text.codes[rows], m.text.values)
    return LinkTable(
        paper=paper[rows].astype(np.int32),
        entity=group[rows].astype(np.int32),
        relation=relation[rows].astype(np.int8),
        sentence=sentence,
        start=m.start[rows],
        end=table.end[rows],
        extractor=extractor,
        confidence=m.confidence[rows],
        surface=surface,
        paper_ids=m.paper.values,
        entity_ids=ids,
        sentences=sentences,
        extractors=extractors,
        surfaces=surfaces,
    )


class Spans:
    """The entity of every mention by (paper id, start offset, type of the mention), as :func:`resolve` found it.

    Relations and results look their ends up here ("sharpDARTS" the method
    and "sharpDARTS search" the concept start together). Mentions at one
    offset of one paper and type that went to two entities give it to the
    entity whose key sorts last. The keys are held as one sorted array of
    numbers rather than a dict of tuples: a build has a key per mention and
    looks up a few per paper.
    """

    def __init__(self) -> None:
        self._papers: dict[str, int] = {}
        self._last_start = -1
        self._keys = np.empty(0, np.int64)
        self._groups = np.empty(0, np.int64)
        self._ids: list[str] = []

    def _key(self, paper: int | np.ndarray, start: int | np.ndarray, kind: int | np.ndarray) -> int | np.ndarray:
        return (paper * (self._last_start + 1) + start) * len(KINDS) + kind

    def _fill(self, m: _Mentions, group: np.ndarray, ids: list[str]) -> None:
        rows = np.lexsort((-group, m.kind, m.start, m.paper.codes))
        rows = rows[_run_starts(m.paper.codes[rows], m.start[rows], m.kind[rows])]
        self._papers = {paper: i for i, paper in enumerate(m.paper.values)}
        self._last_start = int(m.start.max())
        self._keys = self._key(m.paper.codes[rows], m.start[rows], m.kind[rows])  # sorted, as the rows are
        self._groups, self._ids = group[rows], ids

    def get(self, key: tuple[str, int, EntityType], default: str | None = None) -> str | None:
        paper, start, kind = key
        code = self._papers.get(paper)
        if code is None or not 0 <= start <= self._last_start:
            return default
        wanted = self._key(code, start, KIND_CODE[kind])
        at = int(np.searchsorted(self._keys, wanted))
        return self._ids[self._groups[at]] if at < len(self._keys) and self._keys[at] == wanted else default


def resolve(
    mentions: Sequence[Mention] | MentionTable,
    names: Mapping[str, str] | None = None,
    spans: Spans | None = None,
) -> tuple[list[Entity], list[Link]]:
    """:func:`resolved`, the links as records."""
    entities, links = resolved(mentions, names, spans)
    return entities, list(links)


def resolved(
    mentions: Sequence[Mention] | MentionTable,
    names: Mapping[str, str] | None = None,
    spans: Spans | None = None,
) -> tuple[list[Entity], LinkTable]:
    """Entities and links of ``mentions``, links sorted by paper, entity and relation.

    ``mentions`` are Mention records or the mention table, a row per mention in input order.
    ``names`` maps folded spellings to the folded name they are one entity
    with (a user's lexicon aliases, :meth:`kg.lexicons.Lexicon.groups`). ``spans``, when given, is
    filled with the entity of every mention (see :class:`Spans`).

    Resolution makes an entity per group, which the collector would walk
    again and again while nothing is freed.
    """
    with collector_paused():
        m = _Mentions.of(mentions if isinstance(mentions, MentionTable) else to_table(mentions))
        if not len(m.start):
            return [], LinkTable.of([])
        keys, names_of_keys = _keys(m, _definitions(m), names or {})
        group, group_keys = _groups(keys, names_of_keys)
        kinds = _types(m, group, len(group_keys))
        ids = [f"{KINDS[k].value.lower()}:{key}" for k, key in zip(kinds.tolist(), group_keys, strict=True)]
        labels = _labels(m, group, len(ids))
        entities = [
            Entity(id=i, type=KINDS[k], label=label, aliases=aliases)
            for i, k, label, aliases in zip(ids, kinds.tolist(), labels, _aliases(m, group, labels), strict=True)
        ]
        if spans is not None:
            spans._fill(m, group, ids)
        return entities, _links(m, group, kinds, ids)
