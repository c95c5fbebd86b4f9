"""Evidence that a span names a method, dataset or task, one rule per function.

Each rule looks at one kind of evidence and returns :class:`Found` spans:
the curated lists (with the words that make an entry a variant: "Fast
R-CNN"), name shapes ("EvolveGCN", "PV-RNN"), title-cased runs ending in a
telling head word, "X dataset" / "benchmark X" cues and the names listed
after "results on", task phrases, acronym definitions typed by their
expansion, and the names a paper gives its own work (the title's "Name:",
"we introduce error regression", "... with Soft Value-Based Decoding") or
the description it gives of it ("we propose a method-of-moments
estimator"). The rules overlap
freely; :mod:`kg.extract.candidates` settles which one wins. They scan the
per-doc token table of :mod:`kg.extract.layout` rather than spaCy ``Token``
objects, which keeps extraction cheap next to parsing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span

from kg.extract.acronyms import Acronym, find_acronyms
from kg.extract.layout import Tokens, body_start, memo, text, title, tokens
from kg.extract.lexicon import kind_of, matchers, word_set
from kg.extract.nametype import probabilities
from kg.extract.phrases import GERUNDS, NOUN_TAGS, QUALIFIERS, is_generic_phrase, phrases_of
from kg.extract.proposed import (
    INTRODUCE,
    NAMING,
    NAMING_HEADS,
    introduced_by_author,
    is_introduced,
    subtitle_says,
    title_name,
)
from kg.extract.shapes import DATASET_CUES, EDITION, SUFFIXES, TASK_HEADS, head_type, is_name_shaped, singular
from kg.records import EntityType

#: Evidence kinds, strongest first; the number breaks ties between overlapping spans.
PRIORITY = {
    "title": 6,
    "acronym": 5,
    "context": 4,
    "lexicon": 4,
    "variant": 4,
    "description": 4,
    "phrase": 4,
    "cue": 3,
    "shape": 2,
    "titlecase": 2,
}
CONFIDENCE = {
    "title": 0.95,
    "acronym": 0.9,
    "lexicon": 0.9,
    "context": 0.8,
    "variant": 0.8,
    "description": 0.7,
    "phrase": 0.7,
    "cue": 0.6,
    "shape": 0.6,
    "titlecase": 0.6,
}
#: A dimension that makes a variant of a name ("3D CNN", "2D U-Net").
DIMENSION = re.compile(r"^[1-4]D$")
#: Lowercase words allowed inside a title-cased name ("Arcade Learning Environment", "Tanks of the ...").
CONNECTORS = frozenset({"of", "for", "in", "the", "on", "to"})
KINDS = {
    "Method": EntityType.METHOD,
    "Dataset": EntityType.DATASET,
    "Task": EntityType.TASK,
    "Family": EntityType.CONCEPT,
}
#: Heads that make the title's "for ..." phrase a task besides the usual task words.
TITLE_TASK_HEADS = frozenset({"design", "adaptation", "analysis", "optimization", "learning", "control"})
#: Title words after which a capitalised method name is the paper's own ("... with Soft Value-Based Decoding").
TITLE_METHOD_LINKS = frozenset({"with", "via", "through"})
#: Tags of the words of a method's name opening a title: adjectives, nouns, numbers, hyphens.
TITLE_NAME_TAGS = frozenset({"JJ", "NN", "NNS", "NNP", "NNPS", "HYPH", "CD"})
#: Head words with which a title describes its contribution instead of naming it ("... Learning",
#: "A Simple Framework"); "... Networks" and "... Machines" in a title are names.
DESCRIBING_HEADS = frozenset(
    {"method", "approach", "framework", "algorithm", "technique", "scheme", "strategy", "procedure", "system"}
    | {"learning", "mechanism"}
)
#: Words that end a title's opening phrase ("Graph Attention Networks for ..."). Not "of": the phrase
#: before it is what is done to something ("Adaptive Regularization of Representation Rank").
TITLE_PHRASE_ENDS = frozenset({"for", "with", "via", "through", "using", "in", "on", "from", "by", ":"})


@dataclass(frozen=True, slots=True)
class Found:
    """A typed name at token positions ``start:end`` of the doc, with the evidence kind."""

    start: int
    end: int
    type: EntityType
    rule: str
    long_form: str | None = None
    proposed: bool = False

    @property
    def confidence(self) -> float:
        return CONFIDENCE[self.rule]


def listed_names(doc: Doc) -> list[Found]:
    """List entries, each with the words that make it a more specific name ("Fast R-CNN", "3D U-Net",
    "MMD-GAN", "WMT 2014", "BERT-Mini"): a variant is another thing than the entry it contains."""
    t = tokens(doc)
    in_title = title(doc).end
    found = []
    for s in matchers(doc.vocab).spans(doc):
        kind = KINDS[s.label_]
        start, end = s.start, s.end
        if kind in {EntityType.METHOD, EntityType.DATASET} and start >= in_title:
            # A glued piece that starts with a capital or digit names a variant ("BERT-Mini",
            # "ResNet-152"); a lowercase word describes a use of the entry ("LoRA-rank").
            glued = (
                end + 1 < len(t)
                and _glued_hyphen(t, end)
                and (t.text[end + 1][:1].isupper() or t.text[end + 1][:1].isdigit())
            )
            end = _name_end(t, end - 1) if glued else end
            start, end = _extend(doc, t, start, end, in_title)
        found.append(Found(start, end, kind, "lexicon" if (start, end) == (s.start, s.end) else "variant"))
    return found


def _glued_hyphen(t: Tokens, i: int) -> bool:
    return 0 < i < len(t) and t.text[i] == "-" and not t.space[i] and not t.space[i - 1]


def _name_end(t: Tokens, i: int) -> int:
    """End of the name starting at token ``i``: glued pieces join ("BART-Large", "iNAT-mini",
    "ImageNet-22K", which the tokenizer splits before its unit), but not a suffix ("GCN-based")."""
    end = i + 1
    while end < len(t):
        hyphen = end + 1 < len(t) and _glued_hyphen(t, end)
        if hyphen and t.lower[end + 1] not in SUFFIXES and t.text[end + 1].isalnum():
            end += 2
        elif not t.space[end - 1] and t.text[end].isalnum():
            end += 1
        else:
            break
    return end


def _all_caps(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters) and word not in word_set("not_names")


def _in_compound(t: Tokens, i: int) -> bool:
    """Whether word ``i`` ends a compound with the words before it, so that it modifies nothing
    on its own: "English-to-German WMT 2014", "variational Bayes RNNs"."""
    if i == 0:
        return False
    before = i - 1
    return _glued_hyphen(t, before) or (t.text[before].islower() and t.tag[before] in NOUN_TAGS | {"JJ"})


#: Fewest words in a run of capitals that is shouted text rather than names ("REASONING ABOUT ENTAILMENT").
SHOUTED_RUN = 3


def shouted(doc: Doc) -> frozenset[int]:
    """Tokens of text set in capitals ("SHARING INPUT AND OUTPUT EMBEDDINGS", a title as some PDFs
    and feeds give it): runs of three or more capitalised words with a function word among them, or
    of four or more. There capitals say nothing about names."""

    def compute() -> frozenset[int]:
        t = tokens(doc)
        out: set[int] = set()
        run: list[int] = []
        for i in range(len(t) + 1):
            if i < len(t) and t.alpha[i] and t.text[i].isupper():
                run.append(i)
                continue
            if len(run) >= SHOUTED_RUN and (len(run) > SHOUTED_RUN or any(doc[k].is_stop for k in run)):
                out.update(run)
            run = []
        return frozenset(out)

    return memo(doc, "kg.shouted", compute)


def _extend(doc: Doc, t: Tokens, start: int, end: int, in_title: int) -> tuple[int, int]:
    """The whole name around tokens ``start:end``: the most specific span the text supports.

    After it, an edition ("WMT 2014", "VQA v2.0") and further words in capitals
    ("WIDER FACE", "ICDAR 2017 MLT"); before it, a capitalised word that does not
    start the sentence or end a compound ("Penn TreeBank", "Faster RCNN", "Face R-FCN"), a dimension ("3D U-Net")
    or a capitals prefix glued by a hyphen ("MMD-GAN"). In the
    title every word is capitalised, so there nothing is added before.
    """
    while end < len(t) and (EDITION.match(t.text[end]) or _all_caps(t.text[end])) and t.text[end - 1] != "\n":
        end = _name_end(t, end)
    while start > in_title:
        if _glued_hyphen(t, start - 1) and start - 2 >= in_title and t.text[start - 2][:1].isupper():
            start -= 2  # "MMD-GAN", "A-Fast-RCNN", "Leaky-ReLU"
        elif DIMENSION.match(t.text[start - 1]) or (
            t.alpha[start - 1]
            and t.text[start - 1][:1].isupper()
            and not doc[start - 1].is_sent_start
            and not doc[start - 1].is_stop
            and t.lower[start - 1] not in QUALIFIERS
            and t.text[start - 1] not in word_set("not_names")
            and not _in_compound(t, start - 1)
        ):
            start -= 1
        else:
            break
    return start, end


def name_shapes(doc: Doc, long_forms: list[str]) -> list[Found]:
    """Name-shaped words and hyphenated names ("PV-RNN"), with the words that complete them.

    Mixed-case words of an acronym's expansion are not names of their own: the
    capitals only spell the acronym ("REal-time" in "Dynamic REal-time Sparse Subnets").
    """
    long_words = {w for long in long_forms for w in re.split(r"\s+", long) + re.split(r"[\s-]+", long)}
    t = tokens(doc)
    in_title = title(doc).end
    found = []
    loud = shouted(doc)
    i = 0
    while i < len(t):
        word = t.text[i]
        if word.lower() == word or _glued_hyphen(t, i - 1) or word in word_set("not_names") or i in loud:
            i += 1
            continue
        end = _name_end(t, i)
        name = "".join(t.text[i:end])
        spells_acronym = name in long_words and not name.isupper()
        if is_name_shaped(name) and not spells_acronym:
            start, end = _extend(doc, t, i, end, in_title) if i >= in_title else (i, end)
            dataset = head_type(name) is EntityType.DATASET or _variant_of(name) == "Dataset"
            kind = EntityType.DATASET if dataset else EntityType.METHOD
            found.append(Found(start, end, kind, "shape"))
            i = end
        else:
            i += 1
    return found


def _variant_of(name: str) -> str | None:
    """The listed kind of the name a variant is built on: "CIFAR-10.1" is a CIFAR-10, a dataset."""
    cuts = [m.start() for m in re.finditer(r"[-.]", name)]
    return next((kind for cut in reversed(cuts) if (kind := kind_of(name[:cut])) is not None), None)


def _capitalised(t: Tokens, i: int) -> bool:
    return (t.text[i][:1].isupper() and t.alpha[i]) or is_name_shaped(t.text[i])


def title_case_runs(doc: Doc) -> list[Found]:
    """Runs of two or more capitalised words in the abstract whose last word says what they name."""
    t = tokens(doc)
    found = []
    i = body_start(doc)
    while i < len(t):
        if not _capitalised(t, i):
            i += 1
            continue
        j = i + 1
        while j < len(t) and (
            _capitalised(t, j) or (t.lower[j] in CONNECTORS and j + 1 < len(t) and _capitalised(t, j + 1))
        ):
            j += 1
        start = i
        while start < j and (doc[start].is_stop or t.lower[start] in QUALIFIERS):
            start += 1
        kind = head_type(" ".join(t.text[start:j]))
        if j - start >= 2 and kind in {EntityType.METHOD, EntityType.DATASET}:
            found.append(Found(start, j, kind, "titlecase"))
        i = j
    return found


def dataset_cues(doc: Doc) -> list[Found]:
    """Capitalised or name-shaped words right before "dataset", "benchmark", ... ("the Cora dataset"),
    and a name-shaped word right after one ("the benchmark LLMEval^2").

    In the title every word is capitalised, so there the name must be shaped
    like one ("High Dimensional Dataset" is not a name); a cue glued to a word
    by a hyphen ("Cross-Dataset") names nothing.
    """
    t = tokens(doc)
    found = []
    in_title = title(doc).end
    for cue, lower in enumerate(t.lower):
        if lower not in DATASET_CUES or _glued_hyphen(t, cue - 1):
            continue
        # A split may sit between the name and the cue: "the WIDER FACE validation dataset".
        start = cue - 1 if cue > 0 and t.lower[cue - 1] in SPLITS else cue
        named_end = start
        while start > 0 and (_capitalised(t, start - 1) or t.text[start - 1].isdigit() or t.text[start - 1] == "-"):
            start -= 1
        while start < named_end and (doc[start].is_stop or t.text[start] == "-" or doc[start].is_sent_start):
            start += 1
        named = _capitalised if cue >= in_title else lambda t, k: is_name_shaped(t.text[k])
        if any(named(t, k) for k in range(start, named_end)):
            found.append(Found(start, named_end, EntityType.DATASET, "context"))
        found.extend(_listed_after(doc, t, cue))
    in_body = body_start(doc)
    for k in range(in_body, len(t) - 1):
        if t.text[k + 1] == "," and _capitalised(t, k) and described_as_data(doc, k + 1):
            start = k
            while start > in_body and (_capitalised(t, start - 1) or _glued_hyphen(t, start - 1)):
                start -= 1
            found.append(Found(start, k + 1, EntityType.DATASET, "context"))
    return found


#: How many words an apposition may take before its dataset word ("a new diagnostic dataset").
APPOSITION_REACH = 6
#: Tags of the words an apposition may take before its dataset word ("a widely used", "a set of").
APPOSITION_TAGS = NOUN_TAGS | {"JJ", "VBN", "RB", "HYPH", "IN", "CD"}


def described_as_data(doc: Doc, end: int) -> bool:
    """Whether the name ending before token ``end`` is described as data in apposition: "MNIST, a
    widely used benchmark for ...", "RelBench, a set of benchmark datasets", "MM-RLHF, a dataset
    containing ...". The dataset word must head its phrase ("a benchmark study" describes a study)."""
    t = tokens(doc)
    if end + 1 >= len(t) or t.text[end] != "," or t.lower[end + 1] not in {"a", "an"}:
        return False
    for k in range(end + 2, min(len(t), end + 2 + APPOSITION_REACH)):
        if t.lower[k] in DATASET_CUES and (k + 1 == len(t) or t.tag[k + 1] not in NOUN_TAGS):
            return True
        if t.tag[k] not in APPOSITION_TAGS:
            return False
    return False


#: Words for the part of a dataset a paper used ("the Cityscapes test set").
SPLITS = frozenset({"validation", "val", "test", "testing", "training", "train", "dev", "development"})
#: Words after which "on" introduces the data a method was run on: "state-of-the-art performance on X",
#: "results on X", "trained on X", "experiments on X".
EVALUATION_CUES = frozenset(
    {"performance", "performances", "result", "results", "accuracy", "accuracies", "experiment", "experiments"}
    | {"evaluated", "evaluate", "evaluation", "evaluations", "tested", "test", "trained", "state-of-the-art"}
    | {"pre-trained", "pretrained", "finetuned", "fine-tuned", "benchmarked", "validated"}
)
#: Words that may follow the last word of a listed name.
ITEM_ENDS = frozenset({",", "and", "or", ".", ";", "(", ")", ":"})


def evaluated_on_lists(doc: Doc) -> list[Found]:
    """The names listed after "results on", "trained on" and the like: "the best results on Caltech,
    INRIA, and ETH". Each must be one name standing alone (a capitalised word, a name-shaped
    one, with its edition); "results on Natural Language Inference" lists no name. A list with a
    listed method in it names the models run ("experiments on RoBERTa, BART-Large and ViTs")."""
    t = tokens(doc)
    in_title = title(doc).end
    found = []
    for on in range(body_start(doc) + 1, len(t) - 1):
        if t.lower[on] != "on" or t.lower[on - 1] not in EVALUATION_CUES:
            continue
        k = on + 2 if t.lower[on + 1] == "the" else on + 1
        items = []
        while k < len(t) and _capitalised(t, k) and not doc[k].is_stop and t.text[k] not in word_set("not_names"):
            end = _extend(doc, t, k, _name_end(t, k), in_title)[1]
            if end < len(t) and t.text[end] not in ITEM_ENDS:
                break
            items.append(Found(k, end, EntityType.DATASET, "context"))
            k = end
            while k < len(t) and t.lower[k] in LIST_JOINERS:
                k += 1
        if not any(
            kind_of(t.text[f.start]) == "Method" or kind_of(doc[f.start : f.end].text) == "Method" for f in items
        ):
            found += items
    return found


#: Words between a dataset cue and the names it introduces ("benchmarks, FDDB and WIDER FACE").
LIST_OPENERS = frozenset({",", ":", "(", "such", "as", "including", "e.g.", "namely", "like", "i.e.", '"', "\u201c"})
LIST_JOINERS = frozenset({",", "and", "or", '"', "\u201d"})


def _listed_after(doc: Doc, t: Tokens, cue: int) -> list[Found]:
    """Names listed right after a cue: "benchmarks, FDDB and WIDER FACE", "datasets such as
    BlogCatalog, Flickr, and YouTube", "the benchmark LLMEval^2"; in the title, only names shaped
    like one."""
    k = cue + 1
    while k < len(t) and t.lower[k] in LIST_OPENERS and k - cue <= 3:
        k += 1
    found = []
    in_title = title(doc).end
    while k < len(t) and (_all_caps(t.text[k]) or _capitalised(t, k)):  # _capitalised takes name shapes too
        if doc[k].is_stop or (k < in_title and not is_name_shaped(t.text[k])):
            break  # in the title every word is capitalised: "A Benchmark Study", "Dataset Distillation"
        end = _extend(doc, t, k, _name_end(t, k), in_title)[1]
        found.append(Found(k, end, EntityType.DATASET, "context"))
        k = end
        while k < len(t) and t.lower[k] in LIST_JOINERS:
            k += 1
    return found


#: The name-type model's vote that makes an adjective-led phrase with a task's head word a task.
SURE_TASK = 0.9


def task_phrases(doc: Doc) -> list[Found]:
    """Noun phrases ending in a task word with a noun modifier ("molecule generation"), and in the
    title the phrase after "for" ("... for Fully Test-Time Adaptation").

    A title phrase counts only when the abstract uses it too: a title's whole
    wording ("Self-Supervised Monocular 6D Object Pose Estimation") is a
    description, not the name of a task.
    """
    t = tokens(doc)
    in_title = title(doc).end
    abstract = text(doc)[title(doc).end_char :].lower()
    found = []
    for phrase in phrases_of(doc):
        if phrase.start < in_title and phrase.text.lower() not in abstract and kind_of(phrase.text) != "Task":
            continue
        if phrase.start >= in_title:
            phrase = _without_leading_names(doc, phrase)
        if _ends_in_listed_method(phrase.text):
            continue  # "on-the-fly masked language modeling" is the listed technique, not a modeling task
        head = singular(t.text[phrase.end - 1])
        nouns = [k for k in range(phrase.start, phrase.end - 1) if t.tag[k] in NOUN_TAGS or t.lower[k] in GERUNDS]
        # An adjective may make a task too ("multi-label classification", "subgraph classification"
        # as the tagger reads it) when the name-type model is sure of it.
        modified = nouns or (phrase.end - phrase.start > 1 and probabilities(phrase.text)["Task"] >= SURE_TASK)
        before = _past_qualifiers(t, phrase.start) - 1
        after_for = phrase.start < in_title and before >= 0 and t.lower[before] == "for"
        # After "for" in the title a task head names a task ("for Segmentation"); so does a word such as
        # "learning" or "design" in a phrase ("for Neural Architecture Design"), but not alone ("for Learning").
        title_task = head in TASK_HEADS or (head in TITLE_TASK_HEADS and len(phrase) > 1)
        if (head in TASK_HEADS and modified) or (after_for and title_task):
            found.append(Found(phrase.start, phrase.end, EntityType.TASK, "phrase"))
    return found


#: Words with which a sentence says that a phrase is a task: "the problem of X", "the X task".
TASK_CUES = frozenset({"task", "tasks", "problem", "problems"})
#: Words between "tasks" and the tasks it lists: "tasks such as X and Y", "tasks, including X"; a quote
#: opens a name, not a task.
TASK_LIST_OPENERS = LIST_OPENERS - {'"', "\u201c"}


#: Endings of nouns that name an activity ("imitation", "planning", "management", "analysis",
#: "discovery"): what a task is. A cue before "models" or "vision" says what the tasks are about.
ACTIVITY = re.compile(r"(?:tion|sion|ment|ing|ance|ence|sis|ery)$")
#: Heads that make "X tasks" a kind of tasks by how they are learned ("graph learning tasks",
#: "end-to-end training tasks"): by the guideline, learning paradigms are concepts.
PARADIGMS = frozenset({"learning", "training"})


def _names_an_activity(t: Tokens, start: int, end: int) -> bool:
    head = t.lower[end - 1]
    compound_adjective = end - start >= 3 and _glued_hyphen(t, end - 2)  # "large-scale", "graph-level"
    activity = bool(ACTIVITY.search(head)) or singular(head) in TASK_HEADS
    return activity and not compound_adjective and head not in PARADIGMS


def task_cues(doc: Doc) -> list[Found]:
    """Phrases a sentence calls tasks, whatever their last word: "the problem of person
    re-identification", "the problem of learning hierarchical polynomials", "the link prediction
    task", "tasks such as summarization and question answering", "measuring transferability is a
    crucial problem", "a network for acoustic echo cancellation". The cue says "task"; whether
    the phrase names one (not "the problem of scale") the name-type model decides later (see
    :func:`kg.extract.candidates._retype`).
    """
    t = tokens(doc)
    named = [p for p in phrases_of(doc) if not is_generic_phrase(t, p.start, p.end, p.text)]
    activities = {p.start: p for p in named if _names_an_activity(t, p.start, p.end)}
    objects = {p.start: p for p in named}
    found = _before_cue(doc, t)
    for k in range(len(t) - 2):
        if t.lower[k] in TASK_CUES:
            found += _after_cue(t, k, activities, objects) + _subject_of_cue(doc, t, k, named)
        found += _purpose(t, k, activities)
    # "the COCO object detection task" is the task of "object detection" on COCO.
    return [replace(f, start=_without_leading_names(doc, doc[f.start : f.end]).start) for f in found]


def _before_cue(doc: Doc, t: Tokens) -> list[Found]:
    """The phrase before its cue word: "the link prediction task". One word before it names a kind
    of task ("vision tasks", "prediction problems"), not a task."""
    found = []
    for phrase in phrases_of(doc):
        before_cue = t.tag[phrase.end - 2] in NOUN_TAGS | {"VBG"}  # a noun or a gerund, not "the hard task"
        if len(phrase) > 2 and t.lower[phrase.end - 1] in TASK_CUES and before_cue:
            start, end = phrase.start, phrase.end - 1
            if not is_generic_phrase(t, start, end, doc[start:end].text) and _names_an_activity(t, start, end):
                found.append(Found(start, end, EntityType.TASK, "cue"))
    return found


def _purpose(t: Tokens, k: int, activities: dict[int, Span]) -> list[Found]:
    """What a thing is for, when that names an activity in two words or more: "a network for
    acoustic echo cancellation", "Graph Networks for Stress Predictions". One word is mostly a
    use, not a task ("a model for prediction")."""
    if t.lower[k] != "for" or k == 0 or t.tag[k - 1] not in NOUN_TAGS:
        return []
    task = activities.get(_past_qualifiers(t, k + 1, forward=True))
    return [Found(task.start, task.end, EntityType.TASK, "cue")] if task is not None and len(task) > 1 else []


def _past_qualifiers(t: Tokens, k: int, forward: bool = False) -> int:
    """Token ``k``, or the first word past the qualifiers a phrase was trimmed of, toward its
    start or (``forward``) its end: the phrase of "for Improved Pedestrian Detection" is "Pedestrian
    Detection", the word before it "for"."""
    step = 1 if forward else -1
    while 0 < k < len(t) and t.lower[k if forward else k - 1] in QUALIFIERS:
        k += step
    return k


def _gerund(t: Tokens, k: int) -> bool:
    return t.tag[k] == "VBG" or (t.lower[k].endswith("ing") and t.tag[k] in NOUN_TAGS)


def _after_cue(t: Tokens, k: int, activities: dict[int, Span], objects: dict[int, Span]) -> list[Found]:
    """The phrase after its cue word: "the problem of X", "the task of learning permutations",
    "tasks such as X, Y and Z"."""
    if t.lower[k + 1] == "of":
        if (task := activities.get(k + 2)) is not None:
            return [Found(task.start, task.end, EntityType.TASK, "cue")]
        done = objects.get(k + 3) or objects.get(k + 2)
        return [Found(k + 2, done.end, EntityType.TASK, "cue")] if _gerund(t, k + 2) and done is not None else []
    j = k + 1
    while j < len(t) and t.lower[j] in TASK_LIST_OPENERS and j - k <= 4:
        j += 1
    if all(t.lower[i] == "," for i in range(k + 1, j)):
        return []  # "tasks, ..." opens no list without "such as", "i.e." or "including"
    found = []
    while (task := activities.get(j)) is not None:
        found.append(Found(task.start, task.end, EntityType.TASK, "cue"))
        j = task.end
        while j < len(t) and t.lower[j] in LIST_JOINERS:
            j += 1
    return found


#: Verbs that say what their subject is: "X is a crucial problem", "X remains an open task".
COPULAS = frozenset({"is", "remains"})


def _subject_of_cue(doc: Doc, t: Tokens, k: int, named: list[Span]) -> list[Found]:
    """The subject of "is a (...) problem": "Measuring transferability is a crucial problem"."""
    a = k - 1
    while a > 0 and t.tag[a] in {"JJ", "RB", "HYPH", "CC", ","}:  # "a hard and open problem"
        a -= 1
    if a < 2 or t.lower[a] not in {"a", "an"} or t.lower[a - 1] not in COPULAS:
        return []
    subject = next((p for p in named if p.end == a - 1), None)
    if subject is None:
        return []
    start = subject.start - 1 if subject.start > 0 and _gerund(t, subject.start - 1) else subject.start
    if not (_gerund(t, start) or _names_an_activity(t, subject.start, subject.end)):
        return []  # "Counting fish schools is ...", "Anomaly detection is ...", not "This model is ..."
    return [Found(start, subject.end, EntityType.TASK, "cue")]


def _without_leading_names(doc: Doc, phrase: Span) -> Span:
    """A task phrase without the dataset named in front of it: "PASCAL object detection" and "MS COCO
    object detection" are the task "object detection" on a dataset, not tasks of their own.

    The leading capitalised words (not starting the sentence, not glued to a
    hyphen) must be a listed dataset or read as one by the name-type model;
    "POS tagging" keeps its acronym.
    """
    end = phrase.start
    while (
        end < phrase.end - 1
        and doc[end].is_alpha
        and doc[end].text[0].isupper()
        and not doc[end].is_sent_start
        and doc[end + 1].text != "-"
    ):
        end += 1
    if end == phrase.start:
        return phrase
    names = doc[phrase.start : end].text
    p = probabilities(names)
    if kind_of(names) == "Dataset" or p["Dataset"] == max(p.values()):
        return doc[end : phrase.end]
    return phrase


#: The name-type model's least vote for a lowercase phrase with a method's head word to be a method.
#: On the SciREX documents held out from training, 44 of 46 such phrases at 0.7 were method mentions.
TECHNIQUE = 0.7
#: Head words that name a category of methods rather than one ("training algorithm", "deep
#: architectures", "backbone network"): by the guideline, such phrases are families or descriptions.
CATEGORY_HEADS = frozenset(
    {"method", "algorithm", "architecture", "technique", "framework", "scheme", "strategy", "procedure"}
    | {"mechanism", "approach", "model", "network", "layer", "module", "operator", "machine", "policy", "system"}
)


def lowercase_techniques(doc: Doc) -> list[Found]:
    """Lowercase techniques nobody listed ("spectral normalization", "orthogonal regularization").

    Two votes must agree: the phrase's last word is one methods end in
    (kg/data/method_heads.txt) and the name-type model reads the whole phrase
    as a method. Either alone takes in "the learning rate" or "graph data".
    A phrase headed by a category word ("training algorithm") describes a
    method without naming it, so it is left to the concepts. The model reads
    losses ("triplet loss") as metrics, which many leaderboard names are, so
    they are not found here.
    """
    t = tokens(doc)
    found = []
    for phrase in phrases_of(doc):
        if phrase.text != phrase.text.lower() or is_generic_phrase(t, phrase.start, phrase.end, phrase.text):
            continue
        if len(phrase) < 2 or head_type(phrase.text) is not EntityType.METHOD or kind_of(phrase.text) == "Family":
            continue
        if singular(phrase[-1].text) in CATEGORY_HEADS or _verb_phrase(doc, phrase):
            continue
        p = probabilities(phrase.text)
        if p["Method"] >= TECHNIQUE:
            found.append(Found(phrase.start, phrase.end, EntityType.METHOD, "phrase"))
    return found


def _verb_phrase(doc: Doc, phrase: Span) -> bool:
    """Whether ``phrase`` opens with a verb on its object after a preposition: "for training linear
    transformers" says what is done to a method, "a denoising autoencoder" names one. The tagger
    reads the same "training" as a verb in one sentence and a noun in the next, so its -ing form counts."""
    verb = phrase[0].tag_ == "VBG" or phrase[0].lower_.endswith("ing")
    return verb and len(phrase) > 1 and phrase.start > 0 and doc[phrase.start - 1].tag_ in {"IN", "TO"}


def _acronym_type(acronym: Acronym, introduced: bool) -> EntityType:
    known = kind_of(acronym.long) or kind_of(acronym.short) or _listed_tail(acronym.long)
    if known is not None:
        return KINDS[known]
    if introduced and acronym.short not in word_set("not_names"):
        return EntityType.DATASET if head_type(acronym.long) is EntityType.DATASET else EntityType.METHOD
    if _ends_in_family(acronym.long):
        # "relational graph neural networks (RGNNs)": a kind of a broad family, itself a family.
        return EntityType.CONCEPT
    return head_type(acronym.long) or EntityType.CONCEPT


def _tail_kinds(text: str) -> list[str | None]:
    """The listed kinds of ``text`` and of each shorter run of its last words, longest first."""
    words = text.split()
    return [kind_of(" ".join(words[k:])) for k in range(len(words))]


def _ends_in_listed_method(text: str) -> bool:
    return "Method" in _tail_kinds(text)


def _listed_tail(text: str) -> str | None:
    """The kind of a listed method or dataset that ``text`` ends in: "Bidirectional long short-term
    memory (bi-LSTM)" is a kind of the listed "long short-term memory", so a method too."""
    return next((kind for kind in _tail_kinds(text)[1:] if kind in {"Method", "Dataset"}), None)


def _ends_in_family(text: str) -> bool:
    return "Family" in _tail_kinds(text)


def acronym_definitions(doc: Doc) -> tuple[list[Found], dict[str, tuple[str, EntityType]]]:
    """Definitions as typed spans, and short form -> (long form, type) for later uses."""
    found: list[Found] = []
    defined: dict[str, tuple[str, EntityType]] = {}
    acronyms = list(find_acronyms(text(doc)))
    # Defined twice, an acronym keeps its tightest expansion: a title's "Multi-resolution Networks For
    # Flexible Irregular Time Series Modeling (Multi-FIT)" takes in words the abstract's
    # "Multi-resolution Flexible Irregular Time series Network (Multi-FIT)" leaves out.
    tightest = {}
    for acronym in sorted(acronyms, key=lambda a: len(a.long.split())):
        tightest.setdefault(acronym.short, acronym)
    for acronym in acronyms:
        long = doc.char_span(acronym.long_start, acronym.long_end, alignment_mode="expand")
        short = doc.char_span(acronym.short_start, acronym.short_end, alignment_mode="expand")
        if long is None or short is None or acronym.short in defined or tightest[acronym.short] is not acronym:
            continue
        introduced = is_introduced(doc, long) or is_introduced(doc, short)
        kind = _acronym_type(acronym, introduced)
        defined[acronym.short] = (acronym.long, kind)
        found.append(Found(long.start, long.end, kind, "acronym", acronym.long, introduced))
        # A token may run past the parenthesis ("(GNN)-based" tokenised as "GNN)-based"): then the
        # short form has no span of its own, and its expansion alone is the mention.
        if short.text == acronym.short:
            found.append(Found(short.start, short.end, kind, "acronym", acronym.long, introduced))
    starts = {f.start for f in found}
    t = tokens(doc)
    in_title = title(doc).end

    def variant(i: int) -> bool:
        """A variant with its own name ("RevCol-H", "RevCol-XL", "Face R-FCN") is not a use of the acronym."""
        return _name_end(t, i) != i + 1 or (i >= in_title and _extend(doc, t, i, i + 1, in_title)[0] < i)

    for i, word in enumerate(t.text):
        for short in (word, word[:-1] if word.endswith("s") else word + "s"):
            if short in defined and i not in starts and not variant(i):
                long_form, kind = defined[short]
                found.append(Found(i, i + 1, kind, "acronym", long_form))
                starts.add(i)
    return found, defined


def title_names(doc: Doc) -> list[Found]:
    """The title's "Name:" and every later use of the name."""
    name = title_name(doc)
    if name is None:
        return []
    spans = [name]
    t = tokens(doc)
    for match in re.finditer(rf"\b{re.escape(name.text)}\b", text(doc)[name.end_char :], re.IGNORECASE):
        span = doc.char_span(name.end_char + match.start(), name.end_char + match.end())
        # "FlexiBERT-Mini" is a variant of the title's "FlexiBERT", named in its own right.
        if span is not None and _name_end(t, span.end - 1) == span.end:
            spans.append(span)
    data = subtitle_says(doc, DATASET_CUES) or any(described_as_data(doc, s.end) for s in spans)
    kind = EntityType.DATASET if data else EntityType.METHOD
    return [Found(s.start, s.end, kind, "title", proposed=kind is EntityType.METHOD) for s in spans]


def introduced_phrases(doc: Doc) -> list[Found]:
    """A bare noun phrase right after "we introduce" names the contribution ("we introduce error regression"),
    and so does "the X model" there ("we propose the triplet network model" introduces "triplet network").

    With an indefinite article ("we propose a unified approach") the phrase
    describes rather than names, so it is left alone.
    """
    starts = {p.start: p for p in phrases_of(doc)}
    found = []
    for token in doc[:-2]:
        if token.lower_ not in INTRODUCE or not introduced_by_author(doc, token.i):
            continue
        phrase = starts.get(token.i + 1)
        # A lone plural ("we build graphs") is what is made, not the name of a technique.
        things = len(phrase or ()) == 1 and phrase[0].tag_ == "NNS" and phrase[0].lower_.endswith("s")
        if phrase is not None and not things and not phrase[0].is_stop and phrase[-1].lower_ not in word_set("generic"):
            found.append(Found(phrase.start, phrase.end, EntityType.METHOD, "context", proposed=True))
        phrase = starts.get(token.i + 2) if doc[token.i + 1].lower_ == "the" else None
        if phrase is not None and len(phrase) > 1 and phrase[-1].lower_ in NAMING_HEADS:
            name = doc[phrase.start : phrase.end - 1]
            if not all(t.lower_ in word_set("generic") or t.lower_ in QUALIFIERS for t in name):
                found.append(Found(name.start, name.end, EntityType.METHOD, "context", proposed=True))
        phrase = _described(doc, starts, token.i + 1)
        if phrase is not None:
            found.append(Found(phrase.start, phrase.end, EntityType.METHOD, "description", proposed=True))
    return found


#: Words between "a" and the phrase that describes what is introduced ("a novel yet simple ...").
DESCRIBING_FILLERS = frozenset({"yet", "and", ",", "very"})


def _described(doc: Doc, starts: dict[int, Span], k: int) -> Span | None:
    """The contribution an author introduces by describing it: "we propose a method-of-moments
    estimator", "we introduce a novel spectral weight normalization".

    The description must end in a word techniques end in ("estimator",
    "normalization", "regularization"), not in a category word ("algorithm",
    "framework", "network", which say what kind of thing it is), and say what
    is particular about it (its other words are not all generic, and not a
    task or broad family: "a view synthesis estimator" says what it is for).
    :mod:`kg.extract.candidates` uses it only when the paper names no
    contribution.
    """
    if k >= len(doc) or doc[k].lower_ not in {"a", "an"}:
        return None
    k += 1
    while k < len(doc) and (doc[k].lower_ in QUALIFIERS or doc[k].lower_ in DESCRIBING_FILLERS):
        k += 1
    phrase = starts.get(k)
    if phrase is None or len(phrase) < 2 or any(t.lower_ in NAMING for t in doc[phrase.end : phrase.end + 3]):
        return None  # "a new selection mechanism, called FiT": the name follows
    # "a graph embedding technique", "a network design strategy": a category word says what kind of
    # thing the contribution is, not what it is called.
    if head_type(phrase.text) is not EntityType.METHOD or singular(phrase[-1].lower_) in CATEGORY_HEADS:
        return None
    modifiers = phrase[:-1]
    vague = all(t.lower_ in word_set("generic") or t.lower_ in QUALIFIERS or not t.is_alpha for t in modifiers)
    if vague or kind_of(phrase.text) == "Family" or _names_a_field(modifiers.text):
        return None
    return phrase


def _names_a_field(text: str) -> bool:
    """Whether ``text`` names a task or a broad family: "a view synthesis estimator" and "a graph neural
    network regularization" say what the technique is for or of, not what it is called."""
    return head_type(text) is EntityType.TASK or not {"Task", "Family"}.isdisjoint(_tail_kinds(text))


def _title_run(doc: Doc, start: int) -> int:
    """End of the run of capitalised words and glued hyphens from title token ``start``."""
    stop = start
    while stop < title(doc).end and (_capitalised(tokens(doc), stop) or doc[stop].text == "-"):
        stop += 1
    return stop


def title_tail_names(doc: Doc) -> list[Found]:
    """A method named at the end of the title ("... Diffusion Models with Soft Value-Based Decoding",
    "... via a Spatial Pyramid Network"). After "using" the title names what the paper uses, so that
    word is no link; so does a listed name ("... with Convolutional Neural Networks")."""
    found = []
    if shouted(doc).intersection(range(title(doc).end)):
        return found
    for token in title(doc):
        if token.lower_ in TITLE_METHOD_LINKS:
            start = token.i + 1
            if start < title(doc).end and doc[start].lower_ in {"a", "an"}:
                start += 1
            stop = _title_run(doc, start)
            run = doc[start:stop].text
            named = head_type(run) is EntityType.METHOD or _ends_in_family(run)
            if stop - start >= 2 and named and kind_of(run) is None and not _is_a_family(run):
                found.append(Found(start, stop, EntityType.METHOD, "title", proposed=True))
    return found


def title_head_names(doc: Doc) -> list[Found]:
    """A title that opens with a method's name ("End-To-End Memory Networks", "Quantized Densely
    Connected U-Nets for Efficient Landmark Localization", "DeepFlux for Skeletons in the Wild").

    A single word must be coined: shaped like a name and in no list ("BERT for
    ..." applies BERT).

    The opening run of capitalised words must end the title or stop at a word
    that starts what the method is for ("for", "with", ":"), be adjectives and
    nouns only ("Towards Deeper ...", "Adding Gradient Noise Improves ..." are
    sentences), and end in a word that methods end in but that no description,
    paradigm or broad family ends in ("... Framework", "... Learning", "... Neural
    Networks"); a
    title that opens with what is studied ("Identity Mappings in ...") or what is
    done ("Scaling Local Self-Attention for ...") names no method.
    """
    stop = _title_run(doc, 0)
    end = title(doc).end
    if shouted(doc).intersection(range(end)):
        return []
    closes = stop == end or (stop < end and doc[stop].lower_ in TITLE_PHRASE_ENDS)
    glued = {t.i for t in doc[:stop] if t.text == "-" and not t.whitespace_} | {0}
    coined = doc[:stop].text
    if closes and " " not in coined and is_name_shaped(coined) and kind_of(coined) is None:
        # One coined word opens the title: "DeepFlux for Skeletons in the Wild".
        return [Found(0, stop, EntityType.METHOD, "title", proposed=True)]
    # A word inside a hyphenated compound may take any tag ("End-To-End").
    if stop < 2 or not closes or any(t.tag_ not in TITLE_NAME_TAGS and t.i - 1 not in glued for t in doc[:stop]):
        return []
    name = doc[:stop].text
    head = singular(doc[stop - 1].text)
    kind = head_type(name)
    if kind is None and stop == end and re.search(rf"\b{re.escape(name)}\b", text(doc)[doc[end - 1].idx + 1 :], re.I):
        # A title that is one noun phrase the abstract takes up again is the name of what it presents
        # ("Deep Layer Aggregation" ... "Our deep layer aggregation structures"), whatever its head word.
        kind = EntityType.METHOD
    if kind is not EntityType.METHOD or head in DESCRIBING_HEADS or _is_a_family(name):
        return []
    # "Scaling Local Self-Attention for ..." opens with a verb on a method.
    if doc[0].lower_.endswith("ing") and doc[0].lower_ not in GERUNDS:
        return []
    return [Found(0, stop, EntityType.METHOD, "title", proposed=True)]


def _is_a_family(name: str) -> bool:
    """Whether a title's opening run is a broad family, perhaps qualified ("Graph Neural Networks",
    "Deep Convolutional Neural Networks"), rather than one model of it that words of its own make
    specific ("Autoregressive Transformer Neural Network", "Multi-Task Deep Neural Networks"). A
    gerund before a family is a verb on it ("Scaling Memory-Augmented Neural Networks")."""
    if not _ends_in_family(name):
        return False
    words = name.split()
    if words[0].lower().endswith("ing"):
        return True
    kinds = _tail_kinds(name)
    family = next(k for k, kind in enumerate(kinds) if kind == "Family")
    own = [w for w in words[:family] if w.lower() not in QUALIFIERS and w.lower() != "deep"]
    return not own or kind_of(" ".join(own + words[family:])) is not None
