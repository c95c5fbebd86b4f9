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
the two names, where patterns read them directly. Where a cue needs to know
whether the words before it are still the method's noun phrase or already
another clause, it reads the tagger's part-of-speech tags, which every kg
parse has anyway.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from itertools import pairwise

from spacy.tokens import Doc

from kg.extract import Extractor
from kg.extract.named import OWN, Name, Sentence, own_method, sentences, title_name_holds
from kg.extract.phrases import FINITE_TAGS, NOUN_TAGS
from kg.extract.results import BASELINE, METRIC
from kg.extract.scientific import REQUIRES
from kg.records import EntityRelation, EntityType, Paper, RelationType
from kg.resolve import fold

M, D, T = EntityType.METHOD, EntityType.DATASET, EntityType.TASK
COMPARE = re.compile(
    r"\b(?:outperform\w*|out-perform\w*|surpass\w*|exceed\w*|beat\w*|than|compared (?:to|with|against)|"
    r"comparable to|on par with|competitive with|superior to|improvements? over|improv(?:es|ed|ing) (?:up)?on|"
    r"against|vs\.?|versus)\s+"
    r"(?:[\w-]+\s+){0,4}(?:(?:[\w-]+\s+){0,8}(?:such as|like|e\.g\.,?|including)\s+)?$",
    re.IGNORECASE,
)
#: "Compared to Y, X ...", "Moreover, in comparison with Y, we ...": a comparison that opens the sentence.
FRONT_COMPARE = re.compile(
    r"^(?:[\w-]+,?\s+)?(?i:compared (?:to|with|against)|in comparison (?:to|with)|relative to)\s+"
    r"(?:the\s+|a\s+|an\s+)?(?:[\w-]+\s+){0,3}$"
)
#: What stands between the opening comparison and its subject: a comma, maybe "the".
FRONT_SUBJECT = re.compile(r"^\s*(?:\([^()]*\)\s*)?,\s*(?:the\s+)?$")
#: "X builds on Y", "X is built on top of the original Y", "X extends Y", "X, a lightweight variant of Y",
#: "X is based on Y": X is the new method, Y what it starts from. At most two words ("the recent",
#: "a distilled") stand between the cue and Y, so the cue is about Y and not about a phrase before it.
BUILDS_ON = re.compile(
    r"\b(?:(?:builds?|built|building) (?:up)?on(?: top of)?|on top of|extends|extending|is based on|"
    r"(?:is|are|was|were|,) based on|"
    r"(?:a|an|the) (?:[\w-]+\s+){0,3}?(?:variants?|versions?|extensions?|instantiations?|adaptations?|"
    r"modifications?|generali[sz]ations?|speciali[sz]ations?|simplifications?|refinements?) of|"
    r"generali[sz]es|speciali[sz]es)\s+(?:(?:the|a|an)\s+)?(?:[\w-]+\s+){0,2}?$",
    re.IGNORECASE,
)
#: What may stand between X and its "builds on" cue: a relative pronoun, auxiliaries, an adverb
#: ("X, which is built on", "X also extends"), the bracket X was named in ("Vertical FIT (FIT-V) is a
#: variant of"). Anything more and the cue is another noun's ("MEGA is an architecture whose parallel
#: computation, based on the FFT, ...").
CUE_SUBJECT = re.compile(
    r"^\s*\)?\s*,?\s*(?:(?:which|that)\s+)?(?:(?:is|are|was|were|has|have|been|can|could|be|also|further|thus|"
    r"therefore|then|\w+ly)\s+)*$",
    re.IGNORECASE,
)
#: "X, an improved Y", "X is a modified Y": Y changed into X.
CHANGED = re.compile(
    r"^\s*(?:,|is|was|are)\s+(?:a|an)\s+(?:[\w-]+\s+)?(?:improved|modified|enhanced|extended|simplified|"
    r"augmented|generali[sz]ed|re-?designed)\s+$",
    re.IGNORECASE,
)
#: "we build on Y", "we build upon Y's approach".
WE_BUILD = re.compile(r"^\s+(?:also\s+)?build\s+(?:up)?on\s+(?:top\s+of\s+)?(?:the\s+)?$", re.IGNORECASE)
#: "We build X upon Y", "we build X on top of Y".
BUILD_BEFORE = re.compile(r"\b(?:build|built|building)\s+(?:the\s+|a\s+|an\s+)?$", re.IGNORECASE)
UPON = re.compile(r"^\s+(?:up)?on\s+(?:top\s+of\s+)?(?:the\s+|a\s+|an\s+)?$")
#: "Based on Y, we propose X", "Building on Y, we present a new model, X".
FRONT_BASED = re.compile(
    r"^(?:[\w-]+,?\s+)?(?i:based (?:up)?on|building (?:up)?on|built (?:up)?on|on top of)\s+(?:the\s+|a\s+|an\s+)?$"
)
FRONT_BASED_THEN = re.compile(
    r"^(?:\s+[\w-]+)?\s*,\s*(?:we|this (?:paper|work))\s+(?:propose|present|introduce|develop|design|build|derive)\w*"
    r"\s+(?:(?:a|an|the)\s+)?(?:[\w-]+\s+){0,3}?(?:(?:called|named|dubbed|termed)\s+)?,?\s*$",
    re.IGNORECASE,
)
#: "MEGA is a recent transformer-based architecture": then "-based" follows the second name.
IS_A = re.compile(r"^\s*(?:,|is|was|are)\s+(?:a|an)\s+(?:[\w-]+\s+){0,2}$")
#: "X, a novel variational Y": the words between the article and Y qualify Y. Not "X is a complement to Y".
IS_A_KIND = re.compile(r"^\s*(?:,|is|was|are)\s+(?:a|an)\s+(?:(?!(?:of|to|for|with|from|on|in)\b)[\w-]+\s+){0,2}$")
BASED = re.compile(r"^\s?-?\s?based\b")
#: "of our X", "with X": the name is a preposition's object, not the subject of what follows it.
PREPOSITION_BEFORE = re.compile(
    r"\b(?:with|without|of|for|on|in|by|from|to|using|via|into|under|over|at)\s+(?:(?:the|a|an|our|its|their)\s+)?$",
    re.IGNORECASE,
)
#: What may follow a name that ends its noun phrase ("a novel variational RNN, ...", "a new CNN for T"),
#: so that the name is the phrase's head and not a word qualifying the next ("a GNN layer").
NOUN_PHRASE_END = re.compile(
    r"^\s*(?:[,;:(]|\.?\s*$|(?:with|that|which|for|to|in|inspired|trained|designed|tailored)\b)", re.IGNORECASE
)
#: "X, a Y variant": the second name with "variant" after it.
VARIANT_AFTER = re.compile(r"^\s+(?:variant|extension|derivative)\b")
#: "a variant of X, called Y", "based on X, dubbed Y": Y is built on X.
NAMED = re.compile(r"^\W*(?:called|named|dubbed|termed|namely)\W*$", re.IGNORECASE)
VARIANT_BEFORE = re.compile(
    r"\b(?:variant|extension|version|instantiation) of (?:the\s+|a\s+)?$|\bbased on (?:the\s+)?$"
)
#: "we extend the structure of X and propose ... Y".
EXTEND_BEFORE = re.compile(r"\bextend\w*\s+(?:the\s+\w+\s+of\s+)?$")
EXTEND_BETWEEN = re.compile(r"^\s+and\s+(?:then\s+)?propose\b.{0,80}$")
#: "X achieves 84% on D", "evaluate X on the public D": "on" before the dataset, but not training data.
#: "on (public) datasets such as D", "on benchmarks (e.g., D)": the examples are what it is evaluated on.
EXAMPLES = r"(?:\(?\s*(?:e\.g\.,?|such as|including|like)\s+(?:the\s+)?)?"
ON = re.compile(rf"\bon\s+(?:the\s+|both\s+)?(?:[\w-]+\s+){{0,4}}{EXAMPLES}$")
NOT_EVALUATION = re.compile(
    r"\b(?:trained|pre-?trained|based|relies|rely|relying|built|depends|focus\w*|fine-tuned)\s+(?:only\s+)?(?:on|in)\b"
)
#: "X obtains 88.2% ImageNet accuracy", "X achieves 8.9% higher GLUE score": a number, the dataset, a metric.
SCORE_BEFORE = re.compile(
    r"\b(?:achiev|obtain|reach|attain|yield|report|get|gets|score)\w*\s+(?:(?:up to|about|over|nearly)\s+)?"
    r"\d+(?:\.\d+)?\s?%?\s+(?:(?:higher|better|lower|improved)\s+)?(?:the\s+)?$",
    re.IGNORECASE,
)
SCORE_METRIC = re.compile(rf"^\s+{METRIC}")
#: "using X", "via X", "by leveraging a pre-trained X": X is what the subject of the clause works with.
INSTRUMENT = re.compile(
    r"\b(?:using|via|through|employing|leveraging|adopting)\s+(?:(?:the|a|an|our)\s+)?(?:[\w-]+\s+)?$",
    re.IGNORECASE,
)
TRANSFER_TO = re.compile(r"\b(?:transfer\w*|generali[sz]\w*)\s+(?:\w+\s+)?to\s+(?:the\s+)?$")
#: "On CIFAR-10, NASNet ...", "In particular, on the widely used D, X ...", "Experiments on the nuScenes dataset
#: show that X ...", "Further experiments on the public search benchmark D support X".
ON_FIRST = re.compile(
    r"^(?:(?:Further|Moreover|Finally|Specifically),?\s+|[\w-]+(?:\s+[\w-]+)?,\s+)?(?:On|In)\s+(?:the\s+)?"
    r"(?:(?!(?:of|to|for|with)\b)[\w-]+\s+){0,2}$|"
    rf"\b(?:experiments|results|evaluations?)\s+on\s+(?:the\s+)?(?:[\w-]+\s+){{0,4}}{EXAMPLES}$",
    re.IGNORECASE,
)
#: "D1 and X", "D1 & X", "D1, or X": what joins two members of one list, and nothing else.
JOINED = re.compile(r"^\s*,?\s*(?:&|and|or)\s+(?:the\s+)?$", re.IGNORECASE)
PARENTHESES = re.compile(r"\([^()]*\)")
#: "On D, we show a comparison to X", "To ease the experiments on D, we adopt X": after "on D", a subject
#: whose verb takes X as its object; "we show that X ..." makes X a subject again, and "we compare X"
#: evaluates X.
OTHER_SUBJECT = re.compile(
    r"\b(?:we|they)\b(?!.*\bthat\b)(?!\s+(?:\w+ly\s+|also\s+|first\s+|then\s+)?(?:compare|evaluate|test|benchmark|assess)\w*"
    r"\s+(?:the\s+|our\s+)?$)",
    re.IGNORECASE,
)
#: An opening phrase that ends "on (the) D" and its comma, then the subject ("..., our X").
ON_OPENING = re.compile(r"\bon\s+(?:the\s+)?(?:[\w-]+\s+)?$")
OPENING_END = re.compile(r"^\s*(?:(?:dataset|benchmark|test set)s?\s*)?,\s*(?:the\s+|our\s+)?$")
FOR = re.compile(
    r"\b(?:for|to (?:solve|address|tackle|perform)|appl(?:y|ied|ies|ying)\s+(?:\w+\s+)?to|"
    r"(?:approach|solution)(?:es|s)? to|(?:solves|addresses|tackles|excels? (?:at|in))\s+)\s*"
    r"(?:the\s+|a\s+|an\s+)?(?:(?:task|problem)s? of\s+)?(?:[\w-]+\s+)?$"
)
#: Tags of the words of a plain noun phrase ("the 1D structure of text data").
PHRASE_TAGS = NOUN_TAGS | {"DT", "JJ", "JJR", "JJS", "RB", "CD", "PRP$", "HYPH", "-LRB-", "-RRB-", "VBN", "VBG"}
#: Tags of the words that make an -ing word after them an adjective ("the existing models").
MODIFIER_TAGS = frozenset({"DT", "JJ", "PRP$", "IN"})
#: Verbs that state what the name is for: "X, to address the problem for T".
PURPOSE_VERBS = re.compile(r"(?:address|solve|tackle|handle|perform)(?:es|s|ing)?", re.IGNORECASE)
#: What a method reaches for a task rather than what serves it: "establishing new benchmarks for T".
RESULT_NOUNS = re.compile(r"results?|performance|benchmarks?|records?|accuracy|state-of-the-art", re.IGNORECASE)
#: What starts another clause with its own subject: "; ", ", where", "while the model", "but we". Not
#: "while keeping 76% accuracy on D" or "but also on D", whose subject is still the first name's.
CLAUSE_BREAK = re.compile(
    r";|,\s*(?:where|when)\b|\b(?:while|whereas|although|though)\s+(?!\w+ing\b)|"
    r"\bbut\s+(?:we|it|they|the|this|these|its|their)\b",
    re.IGNORECASE,
)
#: "X, a form of T", "X is a subclass of T", "X is a (challenging) dataset for T": X is no method for T.
KIND_OR_DATA = re.compile(
    r"^\s*(?:,|is|was|are)\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:(?:kind|form|type|class|sub-?class|family|case|instance|branch|part)\s+of|"
    r"(?:dataset|benchmark|corpus|collection)\s+(?:for|of))\s+(?:the\s+)?$",
    re.IGNORECASE,
)
#: Nouns that name a method by its kind ("framework", "network"), singular or plural.
METHOD_NOUNS = r"(?:method|approach|framework|model|algorithm|architecture|network|system|technique|pipeline|scheme)s?"
#: "X, a novel object detection framework", "X is a segmentation network": X is a method for T.
IS_A_FOR = re.compile(r"^\s*(?:,|is|was|are)\s+(?:a|an)\s+(?:[\w-]+\s+){0,2}$")
#: "a novel object detection framework, called X", "a segmentation network (X)".
FOR_NAMED = re.compile(rf"^\s+(?:[a-z][\w-]*\s+)?{METHOD_NOUNS}\s*(?:,?\s*(?:called|named|dubbed|termed)\s*|\(\s*)$")

#: Finite verbs that may stand between a method and "for T" without starting another clause: being,
#: being used or made for it, proposing it, and achieving something on it ("X, which is designed for T",
#: "we propose X for T", "X achieves state-of-the-art results for T"). Any other ("X provides weights
#: for T", "we take a tour to architectures used for T") makes "for T" another thing's purpose.
FOR_VERBS = re.compile(
    r"(?:is|are|was|were|be|been|being|can|could|may|used|applied|designed|tailored|suited|intended|proposed|"
    r"developed|introduced|presented|propose|present|introduce|develop|achieves?|achieved|obtains?|obtained|"
    r"reach(?:es)?|reached|attains?|performs?|performed|yields?)",
    re.IGNORECASE,
)
#: "X achieves competitive results on tasks such as T", "X sets a new state of the art in T".
ACHIEVES_ON = re.compile(
    r"\b(?:achiev\w*|obtain\w*|reach\w*|attain\w*|sets?|establish\w*|outperform\w*|surpass\w*)\b(?:[^.;:]|\.\d)*?"
    r"\b(?:on|in)\s+(?:the\s+|both\s+)?(?:[\w-]+\s+){0,3}(?:tasks?\s*,?\s*(?:such as|including|like)\s+)?$",
    re.IGNORECASE,
)
#: The noun after a task that makes the phrase a method for it ("object detection framework").
METHOD_NOUN = re.compile(rf"^\s+{METHOD_NOUNS}\b")
#: "we propose a new framework for T": a method noun right before the cue.
METHOD_BEFORE = re.compile(rf"\b{METHOD_NOUNS}\s*$")
#: Nouns after a task that keep it the task: "image classification tasks", "link prediction accuracy".
#: Any other noun makes the task a modifier of something else ("RL agents", "RL practitioners").
TASK_HEAD_NOUNS = re.compile(
    r"(?:task|problem|setting|benchmark|challenge|domain|application|result)s?|accuracy|performance"
)
#: Words that report or measure an evaluation; with a number, what makes "X ... on D" an evaluation.
EVALUATION = re.compile(
    r"\b(?:evaluat\w*|experiment\w*|test\w*|benchmark\w*|results?|perform\w*|achiev\w*|obtain\w*|"
    r"reach\w*|outperform\w*|surpass\w*|accura\w*|errors?|scores?|state[- ]of[- ]the[- ]art|SOTA|competitive|"
    r"superior|better|improv\w*|validat\w*|verif\w*|report\w*|demonstrat\w*|shows?|rank\w*|generali[sz]\w*|"
    r"leaderboards?)\b",
    re.IGNORECASE,
)
#: What ends a clause, so that an "on D" after it has its own subject.
PARALLEL_BREAK = re.compile(r"[;:]|\b(?:while|whereas|but|which|that)\b")
#: "we train X on D", "X trained with ... on D": D is training data, not an evaluation.
TRAIN_BEFORE = re.compile(r"\b(?:pre-?)?train(?:s|ed)?\s+(?:[\w-]+\s+){0,2}$", re.IGNORECASE)
TRAINED = re.compile(r"\b(?:pre-?)?trained\b", re.IGNORECASE)
#: "After pre-training on D, ...", "when trained on D, ...": an opening phrase about training.
TRAINING = re.compile(r"\b(?:pre-?)?train(?:ed|ing|s)?\b", re.IGNORECASE)
DIGIT = re.compile(r"\d")
POSSESSIVE = re.compile(r"^['\u2019]s?\b")
RESPECTIVELY = re.compile(r"\brespectively\b", re.IGNORECASE)
#: A name in a list: after "A, " or "A and (a) " (a hyphenated word's tail may precede it), or before ", B", "and B".
LIST_BEFORE = re.compile(r"(?:,|\band|\bor)\s+(?:(?:the|a|an)\s+)?[\w-]*$")
LIST_AFTER = re.compile(r"^\s*(?:,|and\b|or\b)")
#: "In particular, ", "For example, ": a sentence's opening words and their comma.
OPENER = re.compile(r"[A-Z][\w-]*(?:\s+[\w-]+){0,2},\s*(?:(?:the|a|an)\s+)?")
#: ", while ...", ", which ...": a comma that starts another clause.
CLAUSE_AFTER = re.compile(r"^\s*,\s*(?:while|whereas|which|who|but|although|though|where|when)\b", re.IGNORECASE)
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
#: Nouns after a name in lower case that make it a kind of method ("diffusion models", "self-attention layer").
KIND_NOUN = re.compile(
    r"^\s+(?:models?|family|families|architectures?|networks?|layers?|modules?|frameworks?|blocks?|mechanisms?)\b"
)
#: "a Graph Neural Network (GNN)-based approach to model dynamic signed networks, named SEMBA".
#: Also "a GNN-based model (SEMBA)": the name in brackets after the noun.
BASED_NAMED = re.compile(
    r"^\s?(?:\([^()]{1,20}\))?\s?-?\s?based\s+(?:(?:[\w-]+[\s,]+){0,8}?(?:called|named|dubbed|termed)\W*|"
    r"(?:[a-z][\w-]*\s+){0,2}[a-z][\w-]*\s*\(\s*)$",
    re.IGNORECASE,
)
#: "a GNN-based framework, SEMBA, ...": the name set off by commas after the noun. Only with the
#: closing comma or the sentence's end: in "when put into a BO-based algorithm, X outperforms ..."
#: the comma ends a clause.
BASED_APPOSED = re.compile(r"^\s?-?\s?based\s+(?:[a-z][\w-]*\s+){0,2}[a-z][\w-]*\s*,\s*$")
APPOSITION_END = re.compile(r"^\s*(?:[,;)]|\.?\s*$)")
#: "ResNet + SE", "BERT+CRF": a name joined to another by "+".
COMBINED_AFTER = re.compile(r"^\s?\+\s?[\w(]")
COMBINED_BEFORE = re.compile(r"[\w)]\s?\+\s?$")
#: "GNN-based SEMBA": the method named right after "X-based".
BASED_DIRECTLY = re.compile(r"^\s?-?\s?based\s+$")

#: "our model RevNet-L", "our model (RevNet-L)": the phrase and the name are one. Not a comma:
#: in "with our model, GAT layers ..." the comma ends a phrase.
APPOSED_AFTER = re.compile(r"^\s*\(?\s*$")
#: "RevNet-S, one of our models", "RevNet-S (our model)". Not a bare comma: in "Compared to GAT, our
#: model ..." it ends the phrase the baseline is in.
APPOSED_BEFORE = re.compile(r"^\s*(?:\(\s*|,\s*(?:one|each|both|all|any|either) of\s+)$")

#: Confidence by how a relation was found: a cue between the two names, a name listed after one,
#: the paper's own method standing in for "our method".
CUE, LISTED_CONFIDENCE, OWN_CONFIDENCE = 0.9, 0.8, 0.7
#: (head, type, tail) of a relation between two names.
Relation = tuple[Name, RelationType, Name]
Rule = Callable[["Context", Name, Name], Relation | None]


def baselines(sentence: Sentence, names: list[Name]) -> frozenset[Name]:
    """The names the sentence measures against ("outperforms X", "than the strong X, Y and Z").

    The cue is about the names of one kind right after it: in "benchmarks like D also support X", the
    dataset D follows "like", not the method X.
    """
    out: set[Name] = set()
    for k, name in enumerate(names):
        listed = k > 0 and names[k - 1] in out and _listed_with(sentence, names[k - 1], name)
        cue = BASELINE.search(sentence.before(name)[-80:])
        if cue is not None:
            at = name.start - len(sentence.before(name)[-80:]) + cue.start()
            cue = None if any(at <= n.start < name.start and n.type is not name.type for n in names[:k]) else cue
        if listed or cue is not None:
            out.add(name)
    return frozenset(out)


def _listed_with(sentence: Sentence, before: Name, name: Name) -> bool:
    """Whether ``name`` continues the list ``before`` is in ("than X, Y and Z", "than X and Y").

    A bare comma joins a list only where the list goes on after ``name``: in "Compared to X,
    Y achieves ..." the comma closes the opening phrase and Y is the sentence's subject.
    """
    between = sentence.between(before, name)
    if not LISTED.match(between):
        return False
    return bool(re.search(r"\b(?:and|or)\b", between) or LIST_AFTER.match(sentence.after(name)))


@dataclass(frozen=True, slots=True)
class Context:
    doc: Doc
    sentence: Sentence
    in_title: bool
    names: tuple[Name, ...]
    baselines: frozenset[Name]
    #: Names that stand for the paper's own method ("we", "our model", its name in the title).
    stand_ins: frozenset[Name]


def _other_clause(doc: Doc, start: int, end: int) -> bool:
    """Whether characters ``start:end`` hold a finite verb other than being, using, proposing or achieving.

    Such a verb starts a clause of its own, so a cue after it is not about the name before it:
    "X provides operators that ... for T", "we take a tour to architectures used for T".
    """
    span = doc.char_span(start, end, alignment_mode="contract") if end > start else None
    return span is not None and any(t.tag_ in FINITE_TAGS and not FOR_VERBS.fullmatch(t.text) for t in span)


def _verb_object(doc: Doc, start: int, end: int) -> bool:
    """Whether characters ``start:end`` end in a verb's -ing form and the noun phrase it takes.

    "for T" after that noun phrase is its purpose, not the name's: "X, avoiding post-processing methods
    for T", "agents designed using AI techniques for T". Not where the verb is X's purpose ("X, addressing
    the problem for T") or the noun its result ("X, establishing new benchmarks for T"), nor after "to":
    "X is proposed to learn the residual for T" says what X is for.
    """
    span = doc.char_span(start, end, alignment_mode="contract") if end > start else None
    if span is None:
        return False
    for t in reversed(span):
        if t.tag_ == "VBG" and t.i > 0 and doc[t.i - 1].tag_ not in MODIFIER_TAGS:
            phrase = doc[t.i + 1 : span.end]
            return (
                not PURPOSE_VERBS.fullmatch(t.text)
                and any(w.tag_ in NOUN_TAGS for w in phrase)
                and all(w.tag_ in PHRASE_TAGS or w.lower_ == "of" for w in phrase)
                and not RESULT_NOUNS.fullmatch(phrase[-1].text)
            )
    return False


def _qualifies_a_noun(doc: Doc, name: Name) -> bool:
    """Whether a noun follows the task ``name``, so it only qualifies that noun ("RL agents", "NAS methods")."""
    span = doc.char_span(name.start, name.end, alignment_mode="expand")
    if span is None or span.end >= len(doc):
        return False
    after = doc[span.end]
    return after.tag_ in NOUN_TAGS and not TASK_HEAD_NOUNS.fullmatch(after.lower_)


def _number(sentence: Sentence, start: int, end: int) -> bool:
    """Whether characters ``start:end`` of the paper hold a number outside the sentence's names.

    The digits of "CIFAR-10" or "Atari 2600" report nothing: "X encodes the colours on the
    Atari 2600 screen" is no evaluation, "X reaches 93% on CIFAR-10" is.
    """
    for found in DIGIT.finditer(sentence.text, start - sentence.start, end - sentence.start):
        at = sentence.start + found.start()
        if not any(n.start <= at < n.end for n in sentence.names):
            return True
    return False


def _training(c: Context, a: Name, between: str) -> bool:
    """Whether the dataset after ``a`` is what it is trained on: "we train X on D", "X trained with Y on D"."""
    if TRAIN_BEFORE.search(c.sentence.before(a)):
        return True
    trained = [m.end() for m in TRAINED.finditer(between)]
    return bool(trained) and not EVALUATION.search(between[trained[-1] :])


def _not_first(c: Context, a: Name) -> bool:
    """Whether another method comes before ``a`` in its sentence, not listed with it.

    The method a sentence evaluates is the one it is about, named first: in "the features of
    NASNet used with the Faster-RCNN framework achieve 43.1% mAP on COCO", NASNet is evaluated
    on COCO, not Faster-RCNN. Baselines and "we" do not count ("Unlike X, we achieve ... on D").
    """
    k = c.names.index(a)
    for j in range(k - 1, -1, -1):
        m = c.names[j]
        if m.type is not M or m in c.stand_ins or m in c.baselines or _modifier(c.sentence, m):
            continue
        chain = c.names[j : k + 1]
        return not all(n.type is M and LISTED.match(c.sentence.between(p, n)) for p, n in pairwise(chain))
    return False


def _modifier(sentence: Sentence, name: Name) -> bool:
    """Whether ``name`` only qualifies the words after it ("FFT-based recurrence", "the best NAS competitor").

    A name in lower case before "model", "network", "family" ... names a kind of thing, not the thing
    ("a new self-attention model family, HaloNets, ..."); a capitalised one is the thing ("the BERT model").
    """
    after = sentence.after(name)
    kind = name.type is M and KIND_NOUN.match(after) is not None and _lower_case(sentence, name)
    return bool(MODIFIED.match(after)) or kind


def _lower_case(sentence: Sentence, name: Name) -> bool:
    """Whether ``name`` is written in lower case, as a family of methods is ("graph neural networks").

    A sentence's first word is capitalised whatever it is, so there "Self-attention" and
    "Graph neural networks" count as lower case; a single word there ("Mamba") may be a
    name and is taken as one.
    """
    text = name.text
    if name.start == sentence.start and re.search(r"[\s-]", text):
        text = text[0].lower() + text[1:]
    return text.islower()


def _combined(sentence: Sentence, name: Name) -> bool:
    """Whether ``name`` is one part of a combination ("ResNet + SE", "BERT+CRF"), which is another method.

    What the sentence says of "A + B" (it outperforms C, it reaches 80% on D) is said of the
    combination, not of A or B alone.
    """
    return bool(COMBINED_AFTER.match(sentence.after(name)) or COMBINED_BEFORE.search(sentence.before(name)))


def _list_head(c: Context, name: Name) -> Name:
    """The first name of the list ``name`` ends ("Y" for "Z" in "than Y, W and Z")."""
    k = c.names.index(name)
    while k > 0 and c.names[k - 1].type is name.type and _listed_with(c.sentence, c.names[k - 1], c.names[k]):
        k -= 1
    return c.names[k]


def _is_we(c: Context, name: Name) -> bool:
    """Whether ``name`` is a stand-in that says "we" (a stand-in keeps the text of the method it stands for)."""
    return (
        name in c.stand_ins
        and c.sentence.text[name.start - c.sentence.start : name.end - c.sentence.start].lower() == "we"
    )


def _kind_of(s: Sentence, a: Name, b: Name) -> bool:
    """Whether "``a``, a ``b``" makes ``a`` a kind of the named method ``b``.

    Not where ``b`` is a lower-case family, where ``a`` is a preposition's object ("our model with
    dropout is a CNN" is about the model), or where ``b`` opens ``a``'s own long form ("TCNCA, a
    Temporal Convolutional Network with Chunked Attention").
    """
    if _lower_case(s, b) or PREPOSITION_BEFORE.search(s.before(a)):
        return False
    initials = "".join(w[0] for w in re.findall(r"[A-Za-z][\w]*", b.text)).upper()
    return not "".join(ch for ch in a.text if ch.isupper()).startswith(initials)


def _own_based_on(c: Context, own: Name, b: Name) -> Relation | None:
    """What the paper's own method builds on, where "our model" or "we" says it.

    "our Transformer-based model" (the name inside the phrase, before "-based") and "we build
    on Y" / "we build upon Y's approach" (docs/relations.md). Nothing else: "we" do many things
    to other methods ("we extend Y to T", "we compare with Y") that do not make ours Y's kind.
    """
    s = c.sentence
    if own.start < b.start and b.end <= own.end:
        return (own, RelationType.BASED_ON, b) if BASED.match(s.after(b)) else None
    if _is_we(c, own) and WE_BUILD.match(s.between(own, b)):
        return own, RelationType.BASED_ON, b
    return None


def _method_method(c: Context, a: Name, b: Name) -> Relation | None:
    if a in c.stand_ins and (own := _own_based_on(c, a, b)) is not None:
        return own
    found = _named_method_method(c, a, b)
    # Only the two shapes of _own_based_on say what "we" or "our model" build on.
    return None if found and a in c.stand_ins and found[1] is RelationType.BASED_ON else found


def _named_method_method(c: Context, a: Name, b: Name) -> Relation | None:
    s, between = c.sentence, c.sentence.between(a, b)
    # Both named: "than vision transformers" or "than early stopping" compares with a family, not a method.
    named = not _lower_case(s, a) and not _lower_case(s, b)
    if COMPARE.search(between) and a not in c.baselines and named:
        return a, RelationType.COMPARED_TO, b
    # "Compared to Y, X achieves ...": the comparison opens the sentence and X, its subject, follows the comma.
    if FRONT_SUBJECT.match(between) and FRONT_COMPARE.search(s.before(_list_head(c, a))) and named:
        return b, RelationType.COMPARED_TO, a
    cue = BUILDS_ON.search(between)
    # "Vertical FIT (FIT-V) is a variant of FIT": X may be named in brackets before a cue that is a verb's;
    # "a CRF (CRF) on top of the BiLSTM" places one layer on another.
    bracket = cue is not None and ")" in between[: cue.start()] and cue.group().lower().startswith("on top")
    if (cue and CUE_SUBJECT.match(between[: cue.start()]) and not bracket) or CHANGED.match(between):
        return a, RelationType.BASED_ON, b
    if BUILD_BEFORE.search(s.before(a)) and UPON.match(between):
        return a, RelationType.BASED_ON, b
    if IS_A.match(between) and (BASED.match(s.after(b)) or VARIANT_AFTER.match(s.after(b))):
        return a, RelationType.BASED_ON, b
    # "PV-RNN, a novel variational RNN inspired by ...", "PoseCNN is a new CNN for T": X is a kind of Y.
    if IS_A_KIND.match(between) and NOUN_PHRASE_END.match(s.after(b)) and _kind_of(s, a, b):
        return a, RelationType.BASED_ON, b
    if FRONT_BASED.search(s.before(a)) and FRONT_BASED_THEN.match(between):
        return b, RelationType.BASED_ON, a
    if BASED_APPOSED.match(between) and APPOSITION_END.match(s.after(b)):
        return b, RelationType.BASED_ON, a
    if BASED_NAMED.match(between) or (BASED_DIRECTLY.match(between) and not _modifier(s, b)):
        return b, RelationType.BASED_ON, a
    if NAMED.match(between) and VARIANT_BEFORE.search(s.before(a)):
        return b, RelationType.BASED_ON, a
    if EXTEND_BEFORE.search(s.before(a)) and EXTEND_BETWEEN.match(between):
        return b, RelationType.BASED_ON, a
    return None


def _method_dataset(c: Context, a: Name, b: Name) -> Relation | None:
    between = c.sentence.between(a, b)
    # Datasets in between are followed past only when "on D" phrases repeat in one clause, with no other
    # method among them: "X reaches 2.4% on D1 and 82.7% on D2"; "X on D1 and Y on D2" stops at Y.
    inside = c.names[c.names.index(a) + 1 : c.names.index(b)]
    if any(n.type is D for n in inside) and (
        PARALLEL_BREAK.search(between) or any(n.type is M and n not in c.baselines for n in inside)
    ):
        return None
    evaluated = (
        (ON.search(between) and not NOT_EVALUATION.search(between))
        or TRANSFER_TO.search(between)
        or (SCORE_BEFORE.search(between) and SCORE_METRIC.match(c.sentence.after(b)))
    )
    if not evaluated or a in c.baselines or _training(c, a, between) or _not_first(c, a):
        return None
    # "X is fast, while its gain on D ...", "..., where the weights are learned on D": "on D" is another clause's.
    if CLAUSE_BREAK.search(between):
        return None
    # "X ... on D" is an evaluation when the sentence reports one: a number, "evaluate", "outperforms", ...
    if not (
        _number(c.sentence, c.sentence.start, c.sentence.start + len(c.sentence.text))
        or EVALUATION.search(c.sentence.text)
    ):
        return None
    # "We search for a cell on D" is no evaluation: where "we" or "our model" is the head, its own verb is
    # between the two, and it is what has to report one ("we achieve 2.5% on D", "our model outperforms ... on D").
    if a in c.stand_ins and not (_number(c.sentence, a.end, b.start) or EVALUATION.search(between)):
        return None
    # "Using ResNet-50 on ImageNet, we reach ...": a method the clause's subject works with is its tool.
    if INSTRUMENT.search(c.sentence.before(a)):
        return None
    return a, RelationType.EVALUATED_ON, b


def _joined(between: str) -> bool:
    """Whether the words between a dataset and a method only join them into one list.

    "Results on MNIST (0.37% error) and NORB-small (2.2% error)": a name listed with the
    dataset is another thing evaluated, read as a method, not the method evaluated on it.
    """
    return JOINED.match(PARENTHESES.sub(" ", between)) is not None


def _dataset_method(c: Context, a: Name, b: Name) -> Relation | None:
    # "Experiments on D1 and D2 show that X ...": D1 shares the cue when the datasets between are its list.
    chain = [a, *c.names[c.names.index(a) + 1 : c.names.index(b)]]
    if not all(n.type is D and LISTED.match(c.sentence.between(p, n)) for p, n in pairwise(chain)):
        return None
    before, between = c.sentence.before(a), c.sentence.between(chain[-1], b)
    if b in c.baselines or _joined(between) or OTHER_SUBJECT.search(between):
        return None
    if ON_FIRST.search(before):
        return b, RelationType.EVALUATED_ON, a
    # "Using a ResNet-50 backbone on ImageNet, X keeps 76.1% ...": the sentence opens with a phrase that ends
    # "on D" and X, right after its comma, is the subject; the sentence has to report a number.
    opening = "," not in before and ON_OPENING.search(before) and not NOT_EVALUATION.search(before)
    number = _number(c.sentence, b.end, c.sentence.start + len(c.sentence.text))
    if opening and OPENING_END.match(between) and number and not TRAINING.search(before):
        return b, RelationType.EVALUATED_ON, a
    return None


def _method_task(c: Context, a: Name, b: Name) -> Relation | None:
    between = c.sentence.between(a, b)
    if a in c.baselines:
        return None
    if c.in_title and TITLE_COLON.match(between):
        return a, RelationType.USED_FOR, b
    # "X, a form of transfer learning" files X under T; "X is a challenging dataset for T" is a dataset read as
    # a method: neither says X is a way of doing T.
    if KIND_OR_DATA.search(between):
        return None
    # "X, a novel object detection framework": T qualifies the noun that X is; "X, a lossless compression
    # tailored to ...": X is a way of doing T.
    if IS_A_FOR.match(between) and (METHOD_NOUN.match(c.sentence.after(b)) or not _qualifies_a_noun(c.doc, b)):
        return a, RelationType.USED_FOR, b
    # "The RNN's new successor is effective for T" is about the successor; "RL agents" are not RL.
    if POSSESSIVE.match(c.sentence.after(a)) or _qualifies_a_noun(c.doc, b):
        return None
    # "X for T", "X achieves ... on tasks such as T": the cue is about X unless another clause starts before it.
    cue = FOR.search(between) or ACHIEVES_ON.search(between)
    if cue is None or _other_clause(c.doc, a.end, a.end + cue.start()) or CLAUSE_BREAK.search(between[: cue.start()]):
        return None
    if cue.re is FOR and _verb_object(c.doc, a.end, a.end + cue.start()):
        return None
    # "We provide a benchmark for T", "we derive a bound for T": what "we" make for T need not be the method.
    # It is where the thing made is one ("we propose a new framework for T") or "we" achieve something on T.
    if _is_we(c, a) and cue.re is FOR and not METHOD_BEFORE.search(between[: cue.start()]):
        return None
    return a, RelationType.USED_FOR, b


def _task_method(c: Context, a: Name, b: Name) -> Relation | None:
    between = c.sentence.between(a, b)
    if c.in_title and TITLE_WITH.match(between):
        return b, RelationType.USED_FOR, a
    # "we propose a novel object detection framework, called X".
    if FOR_NAMED.match(between) and b not in c.baselines:
        return b, RelationType.USED_FOR, a
    return None


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
    (M, D): (_method_dataset, frozenset()),
    (D, M): (_dataset_method, frozenset({M})),
    (M, T): (_method_task, frozenset({M, T})),
    (T, M): (_task_method, frozenset({M, T})),
    (D, T): (_dataset_task, frozenset({D, T})),
    (T, D): (_task_dataset, frozenset({D, T})),
    (T, T): (_task_task, frozenset({T})),
}
#: Relations "our method" / "we" may stand in for the head of: what a paper says it achieves.
STAND_IN_RELATIONS = frozenset(
    {RelationType.EVALUATED_ON, RelationType.COMPARED_TO, RelationType.USED_FOR, RelationType.BASED_ON}
)


def _names(doc: Doc, sentence: Sentence, in_title: bool) -> tuple[list[Name], dict[Name, Name]]:
    """The sentence's names, with "our method" / "we" standing for the paper's own method where it is not named.

    In the title, a method the abstract proposes stands for itself where the title spells it
    without it being read as a name there ("Graph HyperNetworks for Neural Architecture Search",
    the abstract proposing "the Graph HyperNetwork (GHN)"). Returns the names in order and, for
    each stand-in, the real name it stands for.
    """
    # A title's phrase that is no name relates nothing (see :func:`title_name_holds`).
    names = [n for n in sentence.names if not in_title or title_name_holds(doc, n)]
    own = own_method(doc)
    stand_ins: dict[Name, Name] = {}
    if own is not None and not any(n.text.lower() == own.text.lower() for n in names):
        for match in OWN.finditer(sentence.text):
            if _names_a_method(sentence, match):
                continue
            at = sentence.start + match.start()
            stand_in = replace(own, start=at, end=sentence.start + match.end())
            stand_ins[stand_in] = own
            names.append(stand_in)
    if in_title:
        for proposed, (start, end) in _proposed_in_title(doc, sentence):
            stand_in = replace(proposed, start=sentence.start + start, end=sentence.start + end)
            stand_ins[stand_in] = proposed
            names.append(stand_in)
    return sorted(names, key=lambda n: n.start), stand_ins


def _names_a_method(sentence: Sentence, match: re.Match[str]) -> bool:
    """Whether the "our model" of ``match`` is said of a method the sentence names right there.

    "Our largest model RevNet-L reaches ...", "RevNet-S, one of our smaller models, ...",
    "our RevNet algorithm": the phrase is RevNet-L's (RevNet-S's, RevNet's), so what the
    sentence says is about that name and not about the paper's method as a whole.
    """
    if match.group().lower() == "we":
        return False
    start, end = sentence.start + match.start(), sentence.start + match.end()
    for name in sentence.names:
        if name.type is not M:
            continue
        # "our PDVN algorithm" is PDVN; "our GNN-based model" is not GNN.
        if name.start < end and start < name.end and not _modifier(sentence, name):
            return True
        if name.start >= end and APPOSED_AFTER.match(sentence.text[end - sentence.start : name.start - sentence.start]):
            return True
        if name.end <= start and APPOSED_BEFORE.search(sentence.text[name.end - sentence.start : match.start()]):
            return True
    return False


def _proposed_in_title(doc: Doc, title: Sentence) -> Iterator[tuple[Name, tuple[int, int]]]:
    """Methods the abstract proposes, each with where the title spells it outside the names read there."""
    taken = [(n.start - title.start, n.end - title.start) for n in title.names]
    done: set[str] = set()
    for sentence in sentences(doc)[1:]:
        for name in sentence.names:
            key = name.text.lower()
            if not name.proposed or name.type is not M or key in done:
                continue
            done.add(key)
            # The title may use the plural ("Graph HyperNetworks" for "Graph HyperNetwork").
            found = re.search(rf"(?<![\w-]){re.escape(name.text)}s?(?![\w-])", title.text, re.IGNORECASE)
            if found and not any(s < found.end() and found.start() < e for s, e in taken):
                taken.append(found.span())
                yield name, found.span()


def _in_list(sentence: Sentence, name: Name) -> bool:
    """Whether ``name`` is a member of a list, named or not ("a ResNet8 and a DS-CNN", "CIFAR-10, SVHN").

    Not a comma that closes the sentence's opening words ("In particular, our method ...") or that
    opens another clause ("... on ImageNet, while the cost ...").
    """
    before = sentence.before(name)
    listed_before = LIST_BEFORE.search(before) is not None and not OPENER.fullmatch(before)
    listed_after = LIST_AFTER.match(sentence.after(name)) is not None and not CLAUSE_AFTER.match(sentence.after(name))
    return listed_before or listed_after


def _listed_after(names: list[Name], k: int, sentence: Sentence) -> Iterator[Name]:
    """The names listed after ``names[k]`` with it ("CIFAR-10, SVHN and ImageNet")."""
    for j in range(k + 1, len(names)):
        if names[j].type is not names[k].type or not LISTED.match(sentence.between(names[j - 1], names[j])):
            return
        yield names[j]


def _blocks(c: Context, name: Name, pair: tuple[EntityType, EntityType]) -> bool:
    """Whether ``name``, standing between the two names of ``pair``'s types, takes the cue from the first.

    A baseline does not take a task: in "X achieves better accuracy than Y in T", T is still X's.
    """
    if pair == (M, T) and name in c.baselines:
        return False
    return name.type in RULES[pair][1]


def sentence_relations(doc: Doc, paper: Paper, sentence: Sentence, in_title: bool) -> Iterator[EntityRelation]:
    names, stand_ins = _names(doc, sentence, in_title)
    # A metric read as a method ("APbox") relates nothing.
    names = [n for n in names if not IS_METRIC.fullmatch(n.text)]
    context = Context(doc, sentence, in_title, tuple(names), baselines(sentence, names), frozenset(stand_ins))
    # "A and B for X and Y, respectively" pairs two lists by position, which names kg misses would shift:
    # there a listed name relates to no listed name ("the task over CIFAR-10 and ImageNet" still relates).
    respectively = RESPECTIVELY.search(sentence.text) is not None
    seen: set[tuple[int, RelationType, int]] = set()
    for i, a in enumerate(names):
        for j in range(i + 1, len(names)):
            b = names[j]
            rule = RULES.get((a.type, b.type))
            if (
                rule is None
                or fold(a.text) == fold(b.text)
                or any(_blocks(context, n, (a.type, b.type)) for n in names[i + 1 : j])
            ):
                continue
            if respectively and _in_list(sentence, a) and _in_list(sentence, b):
                continue
            found = rule[0](context, a, b)
            if found is None:
                continue
            head, kind, tail = found
            if _combined(sentence, head) or _combined(sentence, tail):
                continue
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
        # One name is enough where a stand-in may be the other: "we", or the title's own method.
        if len(sentence.names) >= 2 or (sentence.names and (k == 0 or OWN.search(sentence.text))):
            yield from sentence_relations(doc, paper, sentence, in_title=k == 0)


EXTRACTOR = Extractor("relations", find_relations, REQUIRES)
