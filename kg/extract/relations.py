"""Relations between named things, read from the words one sentence puts between them.

Method usedFor Task, Method evaluatedOn Dataset, Dataset benchmarkFor Task,
Method basedOn Method, Method comparedTo Method (docs/relations.md), and
Task broader Task where a sentence says so ("X, a kind of Y"). Each
rule looks at the text between two names of a sentence (and a few words
around them) for a cue: "X outperforms Y", "X ... on D", "D T" ("COCO
detection"), "Y-based X". A name coordinated with a matched one ("on
CIFAR-10, SVHN and ImageNet") shares its relation. "Our method" and "we"
stand for the paper's own method when one name is clearly it.

Cue patterns, not the dependency parse: kg runs spaCy without its parser
(see :mod:`kg.nlp`), and the cues that decide these relations sit between
the two names, where patterns read them directly.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from spacy.tokens import Doc

from kg.extract import Extractor
from kg.extract.named import OWN, Name, Sentence, own_method, sentences
from kg.extract.results import BASELINE, METRIC
from kg.extract.scientific import REQUIRES
from kg.records import EntityRelation, EntityType, Paper, RelationType
from kg.resolve import fold

M, D, T = EntityType.METHOD, EntityType.DATASET, EntityType.TASK
COMPARE = re.compile(
    r"\b(?:outperform\w*|out-perform\w*|surpass\w*|exceed\w*|beat\w*|than|compared (?:to|with|against)|"
    r"comparable to|on par with|competitive with|superior to|improvements? over|against|vs\.?|versus)\s+"
    r"(?:[\w-]+\s+){0,4}(?:(?:[\w-]+\s+){0,8}(?:such as|like|e\.g\.,?|including)\s+)?$",
    re.IGNORECASE,
)
BUILDS_ON = re.compile(
    r"\b(?:builds? (?:up)?on|built (?:up)?on|extends|extending|an extension of|(?:a|an|the) variants? of|"
    r"is based on|instantiation of|generali[sz]es|a generali[sz]ation of|a modification of)\s+(?:the\s+|a\s+|an\s+)?$",
    re.IGNORECASE,
)
#: "MEGA is a recent transformer-based architecture": then "-based" follows the second name.
IS_A = re.compile(r"^\s*(?:,|is|was|are)\s+(?:a|an)\s+(?:[\w-]+\s+){0,2}$")
BASED = re.compile(r"^\s?-?\s?based\b")
#: "a variant of X, called Y", "based on X, dubbed Y": Y is built on X.
NAMED = re.compile(r"^\W*(?:called|named|dubbed|termed|namely)\W*$", re.IGNORECASE)
VARIANT_BEFORE = re.compile(
    r"\b(?:variant|extension|version|instantiation) of (?:the\s+|a\s+)?$|\bbased on (?:the\s+)?$"
)
#: "we extend the structure of X and propose ... Y".
EXTEND_BEFORE = re.compile(r"\bextend\w*\s+(?:the\s+\w+\s+of\s+)?$")
EXTEND_BETWEEN = re.compile(r"^\s+and\s+(?:then\s+)?propose\b.{0,80}$")
#: "X achieves 84% on D", "evaluate X on the public D": "on" before the dataset, but not training data.
ON = re.compile(r"\bon\s+(?:the\s+|both\s+)?(?:[\w-]+\s+){0,2}$")
NOT_EVALUATION = re.compile(
    r"\b(?:trained|pre-?trained|based|relies|rely|relying|built|depends|focus\w*|fine-tuned)\s+(?:only\s+)?(?:on|in)\b"
)
TRANSFER_TO = re.compile(r"\b(?:transfer\w*|generali[sz]\w*)\s+(?:\w+\s+)?to\s+(?:the\s+)?$")
#: "On CIFAR-10, NASNet ...", "Experiments on the nuScenes dataset show that X ...".
ON_FIRST = re.compile(
    r"^(?:(?:Further|Moreover|Finally|Specifically),?\s+)?(?:On|In)\s+(?:the\s+)?$|"
    r"\b(?:experiments|results|evaluations?)\s+on\s+(?:the\s+)?(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)
FOR = re.compile(
    r"\b(?:for|to (?:solve|address|tackle|perform)|appl(?:y|ied|ies|ying)\s+(?:\w+\s+)?to)\s+"
    r"(?:the\s+|a\s+|an\s+)?(?:(?:task|problem)s? of\s+)?(?:[\w-]+\s+)?$"
)
#: Title "Task with/via/using Method"; "Method: Task" in the title.
TITLE_WITH = re.compile(r"^\s+(?:with|via|using|by|through)\s+(?:[\w-]+\s+)?$", re.IGNORECASE)
TITLE_COLON = re.compile(r"^\s*:\s*(?:[\w-]+\s+){0,3}$")
ADJACENT = re.compile(r"^\s+$")
#: "segmentation on Cityscapes", "the classification task over CIFAR-10".
TASK_ON = re.compile(r"^\s+(?:tasks?\s+)?(?:on|over)\s+(?:the\s+)?(?:[\w-]+\s+)?$")
#: "D, a benchmark for T"; "T benchmarks such as D".
BENCHMARK_FOR = re.compile(
    r"^\s*,?\s*(?:a|an|the)?\s*(?:[\w-]+\s+){0,3}(?:benchmark|dataset|corpus)s?\s+(?:for|of|on)\s+$"
)
BENCHMARK_SUCH_AS = re.compile(
    r"^\s+(?:[\w-]+\s+){0,2}benchmarks?\s*,?\s*(?:such as|like|e\.g\.,?|including)\s+(?:the\s+)?$", re.IGNORECASE
)
#: "X, a kind of Y", "X is a subtask of Y": X is under Y. Not "Y tasks such as X": "transfer
#: learning tasks such as object detection" would put detection under transfer learning.
KIND_OF = re.compile(
    r"^\s*(?:,|is|,\s*which is)\s+(?:a|an|the)\s+(?:(?:special|particular)\s+)?"
    r"(?:kind|type|form|sub-?task|sub-?problem|case|instance|variant)\s+of\s+(?:the\s+)?$"
)
#: What may stand between two members of one list ("CIFAR-10, SVHN", "Places-365, five EMNIST datasets, and iNAT-mini").
LISTED = re.compile(r"^(?:\s+\w+)?\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+)(?:the\s+|[\w-]+\s+)?$")

IS_METRIC = re.compile(METRIC)
#: Words after a name that make it a modifier of something unnamed.
MODIFIED = re.compile(
    r"^\s?-?\s?(?:based|like|style|type|competitors?|baselines?|methods|approaches|algorithms|schemes|variants"
    r"|search space)\b",
    re.IGNORECASE,
)
#: "GNN-based SEMBA": the method named right after "X-based".
BASED_DIRECTLY = re.compile(r"^\s?-?\s?based\s+$")

#: Confidence by how a relation was found: a cue between the two names, a name listed after one,
#: the paper's own method standing in for "our method".
CUE, LISTED_CONFIDENCE, OWN_CONFIDENCE = 0.9, 0.8, 0.7
#: (head, type, tail) of a relation between two names.
Relation = tuple[Name, RelationType, Name]
Rule = Callable[["Context", Name, Name], Relation | None]


def baselines(sentence: Sentence, names: list[Name]) -> frozenset[Name]:
    """The names the sentence measures against ("outperforms X", "than the strong X, Y and Z")."""
    out: set[Name] = set()
    for k, name in enumerate(names):
        listed = k > 0 and names[k - 1] in out and LISTED.match(sentence.between(names[k - 1], name))
        if listed or BASELINE.search(sentence.before(name)[-80:]):
            out.add(name)
    return frozenset(out)


@dataclass(frozen=True, slots=True)
class Context:
    sentence: Sentence
    in_title: bool
    baselines: frozenset[Name]


def _modifier(sentence: Sentence, name: Name) -> bool:
    """Whether ``name`` only qualifies the words after it ("FFT-based recurrence", "the best NAS competitor")."""
    return bool(MODIFIED.match(sentence.after(name)))


def _method_method(c: Context, a: Name, b: Name) -> Relation | None:
    s, between = c.sentence, c.sentence.between(a, b)
    # Both named: "than vision transformers" or "than early stopping" compares with a family, not a method.
    named = not a.text.islower() and not b.text.islower()
    if COMPARE.search(between) and a not in c.baselines and named:
        return a, RelationType.COMPARED_TO, b
    if BUILDS_ON.search(between) or (IS_A.match(between) and BASED.match(s.after(b))):
        return a, RelationType.BASED_ON, b
    based = BASED.match(between)
    if (based and NAMED.match(between[based.end() :])) or (BASED_DIRECTLY.match(between) and not _modifier(s, b)):
        return b, RelationType.BASED_ON, a
    if NAMED.match(between) and VARIANT_BEFORE.search(s.before(a)):
        return b, RelationType.BASED_ON, a
    if EXTEND_BEFORE.search(s.before(a)) and EXTEND_BETWEEN.match(between):
        return b, RelationType.BASED_ON, a
    return None


def _method_dataset(c: Context, a: Name, b: Name) -> Relation | None:
    between = c.sentence.between(a, b)
    evaluated = (ON.search(between) and not NOT_EVALUATION.search(between)) or TRANSFER_TO.search(between)
    return (a, RelationType.EVALUATED_ON, b) if evaluated and a not in c.baselines else None


def _dataset_method(c: Context, a: Name, b: Name) -> Relation | None:
    if ON_FIRST.search(c.sentence.before(a)) and b not in c.baselines:
        return b, RelationType.EVALUATED_ON, a
    return None


def _method_task(c: Context, a: Name, b: Name) -> Relation | None:
    between = c.sentence.between(a, b)
    if a in c.baselines:
        return None
    if FOR.search(between) or (c.in_title and TITLE_COLON.match(between)):
        return a, RelationType.USED_FOR, b
    return None


def _task_method(c: Context, a: Name, b: Name) -> Relation | None:
    return (b, RelationType.USED_FOR, a) if c.in_title and TITLE_WITH.match(c.sentence.between(a, b)) else None


def _dataset_task(c: Context, a: Name, b: Name) -> Relation | None:
    between = c.sentence.between(a, b)
    return (a, RelationType.BENCHMARK_FOR, b) if ADJACENT.match(between) or BENCHMARK_FOR.match(between) else None


def _task_dataset(c: Context, a: Name, b: Name) -> Relation | None:
    between = c.sentence.between(a, b)
    return (b, RelationType.BENCHMARK_FOR, a) if TASK_ON.match(between) or BENCHMARK_SUCH_AS.match(between) else None


def _task_task(c: Context, a: Name, b: Name) -> Relation | None:
    return (a, RelationType.BROADER, b) if KIND_OF.match(c.sentence.between(a, b)) else None


#: The rule for each ordered pair of types (first name, second name) and the types of a name
#: in between that takes the cue from the second ("X and Y on D" is followed as a list instead).
#: "X outperforms Y on D" evaluates X on D past Y.
RULES: dict[tuple[EntityType, EntityType], tuple[Rule, frozenset[EntityType]]] = {
    (M, M): (_method_method, frozenset({M})),
    (M, D): (_method_dataset, frozenset({D})),
    (D, M): (_dataset_method, frozenset({D, M})),
    (M, T): (_method_task, frozenset({M, T})),
    (T, M): (_task_method, frozenset({M, T})),
    (D, T): (_dataset_task, frozenset({D, T})),
    (T, D): (_task_dataset, frozenset({D, T})),
    (T, T): (_task_task, frozenset({T})),
}
#: Relations "our method" / "we" may stand in for the head of: what a paper says it achieves.
STAND_IN_RELATIONS = frozenset({RelationType.EVALUATED_ON, RelationType.COMPARED_TO, RelationType.USED_FOR})


def _names(doc: Doc, sentence: Sentence) -> tuple[list[Name], dict[Name, Name]]:
    """The sentence's names, with "our method" / "we" standing for the paper's own method where it is not named.

    Returns the names in order and, for each stand-in, the real name it stands for.
    """
    names = list(sentence.names)
    own = own_method(doc)
    stand_ins: dict[Name, Name] = {}
    if own is not None and not any(n.text.lower() == own.text.lower() for n in names):
        for match in OWN.finditer(sentence.text):
            at = sentence.start + match.start()
            stand_in = replace(own, start=at, end=sentence.start + match.end())
            stand_ins[stand_in] = own
            names.append(stand_in)
    return sorted(names, key=lambda n: n.start), stand_ins


def _listed_after(names: list[Name], k: int, sentence: Sentence) -> Iterator[Name]:
    """The names listed after ``names[k]`` with it ("CIFAR-10, SVHN and ImageNet")."""
    for j in range(k + 1, len(names)):
        if names[j].type is not names[k].type or not LISTED.match(sentence.between(names[j - 1], names[j])):
            return
        yield names[j]


def sentence_relations(doc: Doc, paper: Paper, sentence: Sentence, in_title: bool) -> Iterator[EntityRelation]:
    names, stand_ins = _names(doc, sentence)
    # A metric read as a method ("APbox") relates nothing.
    names = [n for n in names if not IS_METRIC.fullmatch(n.text)]
    context = Context(sentence, in_title, baselines(sentence, names))
    seen: set[tuple[int, RelationType, int]] = set()
    for i, a in enumerate(names):
        for j in range(i + 1, len(names)):
            b = names[j]
            rule = RULES.get((a.type, b.type))
            if rule is None or fold(a.text) == fold(b.text) or any(n.type in rule[1] for n in names[i + 1 : j]):
                continue
            found = rule[0](context, a, b)
            if found is None:
                continue
            head, kind, tail = found
            # A name that only qualifies the next word ("BO-based NAS approaches") is what basedOn reads, nothing else.
            if kind is not RelationType.BASED_ON and (_modifier(sentence, head) or _modifier(sentence, tail)):
                continue
            if tail in stand_ins or (head in stand_ins and kind not in STAND_IN_RELATIONS):
                continue
            listed = list(_listed_after(names, j, sentence))
            for member in [b, *listed]:
                h, t = (member, tail) if head is b else (head, member)
                confidence = CUE if member is b else LISTED_CONFIDENCE
                if h in stand_ins or t in stand_ins:
                    confidence = min(confidence, OWN_CONFIDENCE)
                h, t = stand_ins.get(h, h), stand_ins.get(t, t)
                key = (h.start, kind, t.start)
                if key in seen or fold(h.text) == fold(t.text):
                    continue
                seen.add(key)
                yield EntityRelation(
                    paper_id=paper.id,
                    head=h.text,
                    type=kind,
                    tail=t.text,
                    head_start=h.start,
                    tail_start=t.start,
                    sentence=sentence.text,
                    extractor=f"relations:{kind.value}",
                    confidence=confidence,
                )


def find_relations(doc: Doc, paper: Paper) -> Iterator[EntityRelation]:
    for k, sentence in enumerate(sentences(doc)):
        if len(sentence.names) >= 2 or (sentence.names and OWN.search(sentence.text)):
            yield from sentence_relations(doc, paper, sentence, in_title=k == 0)


EXTRACTOR = Extractor("relations", find_relations, REQUIRES)
