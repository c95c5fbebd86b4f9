"""One reading of a parsed paper that the typed extractors share.

Names are gathered from several kinds of evidence (the curated lists,
acronym definitions, the title's "Name:", name-shaped words, title-cased runs
ending in a telling head word, "X dataset" cues, task phrases) and then
settled once per paper: where spans overlap, the stronger evidence and then
the longer span wins, and lists spread a dataset reading to their
name-shaped neighbours ("Cityscapes, Places-365, EMNIST and iNAT-mini").
Doing this in one place means a span is a method *or* a dataset, never both.
The result is cached on the ``Doc`` so each extractor reads the same answer.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Set
from dataclasses import replace

from spacy.tokens import Doc

from kg.extract.evidence import (
    PRIORITY,
    Found,
    acronym_definitions,
    dataset_cues,
    evaluated_on_lists,
    introduced_phrases,
    listed_names,
    lowercase_techniques,
    name_shapes,
    task_cues,
    task_phrases,
    title_case_runs,
    title_head_names,
    title_names,
    title_tail_names,
)
from kg.extract.layout import memo, text, tokens
from kg.extract.lexicon import is_metric
from kg.extract.links import find_links
from kg.extract.nametype import probabilities
from kg.extract.phrases import FINITE_TAGS, phrases_of
from kg.extract.proposed import is_introduced, title_name
from kg.extract.shapes import DATASET_CUES, EDITION, head_type
from kg.records import EntityType

USER_DATA_KEY = "kg.candidates"
#: Most tokens between two members of one list (", and the", "datasets, and").
LIST_GAP = 4


def _edition_follows(doc: Doc, f: Found, taken: set[int]) -> bool:
    named = f.type in {EntityType.METHOD, EntityType.DATASET} and f.end < len(doc) and f.end not in taken
    return named and bool(EDITION.match(doc[f.end].text)) and bool(doc[f.end - 1].whitespace_)


def _select(doc: Doc, candidates: list[Found]) -> list[Found]:
    """Non-overlapping spans, stronger evidence first, then longer spans; a name keeps its edition.

    A listed "WMT" followed by "2014" is the more specific "WMT 2014".
    """
    taken: set[int] = set()
    chosen = []
    for f in sorted(candidates, key=lambda f: (-_priority(doc, f, candidates), -(f.end - f.start), f.start)):
        if not taken.isdisjoint(range(f.start, f.end)):
            continue
        if _edition_follows(doc, f, taken):
            f = replace(f, end=f.end + 1)
        taken.update(range(f.start, f.end))
        chosen.append(f)
    return sorted(chosen, key=lambda f: f.start)


def _priority(doc: Doc, f: Found, candidates: list[Found]) -> int:
    """A task phrase that ends in a task found by stronger evidence is that task, said more
    specifically ("the unsupervised image generation tasks" around a listed "image generation"),
    so it takes that evidence's strength; not when the words in front are an activity on it
    ("modeling natural language inference")."""
    if f.type is not EntityType.TASK:
        return PRIORITY[f.rule]
    inner = [
        PRIORITY[o.rule]
        for o in candidates
        if o.type is EntityType.TASK
        and o.end == f.end
        and o.start > f.start
        and not any(t.lower_.endswith("ing") for t in doc[f.start : o.start])
    ]
    return max([PRIORITY[f.rule], *inner])


def _spread_datasets(doc: Doc, chosen: list[Found]) -> list[Found]:
    """In "A, B and C", a dataset member makes its name-shaped neighbours datasets too.

    Counts and cue words may sit between members ("on Places-365, five EMNIST datasets, and iNAT-mini").
    """
    tags = tokens(doc).tag
    groups: list[list[int]] = []
    for k, f in enumerate(chosen):
        # A name followed by its verb starts a clause ("..., and FlexiBERT-Mini outperforms ..."), not a list item.
        subject = f.end < len(tags) and tags[f.end] in FINITE_TAGS
        if groups and k > 0 and not subject:
            gap = doc[chosen[k - 1].end : f.start]
            if len(gap) <= LIST_GAP and all(
                t.text in {",", "and", "or", "the"} or t.like_num or t.lower_ in DATASET_CUES for t in gap
            ):
                groups[-1].append(k)
                continue
        groups.append([k])
    out = list(chosen)
    for group in groups:
        if len(group) > 1 and any(chosen[k].type is EntityType.DATASET for k in group):
            for k in group:
                if chosen[k].rule in {"shape", "titlecase"}:
                    out[k] = replace(chosen[k], type=EntityType.DATASET)
    return out


#: Rules whose type is a guess from shape alone, which the name-type model may overrule.
WEAK_RULES = frozenset({"shape", "titlecase"})
#: The model's share of the vote that makes a name a metric or, in an evaluation context, a dataset.
#: Measured on the SciREX documents held out from training: at 0.8, 100 of 137 name-shaped metric
#: mentions are caught and 26 of 2,798 method mentions lost; "on/in X" with a dataset vote of 0.8
#: retypes 118 of 628 name-shaped dataset mentions and 10 of 2,623 method mentions.
METRIC = 0.8
DATASET = 0.8
#: "based on X", "relies on X": "on" that does not introduce what a method is evaluated on.
NOT_EVALUATION = frozenset({"based", "built", "builds", "relies", "rely", "relying", "depends", "depend", "focus"})
#: Words after a name that say it is data: "ImageNet-22K pre-training".
DATA_USES = frozenset({"pre-training", "pretraining", "pre", "training", "images", "data"})


def _evaluated_on(doc: Doc, start: int, end: int) -> bool:
    """Whether the name at tokens ``start:end`` is used as data is: after "on" or "in" ("results
    on X"), or before "pre-training" ("ImageNet-22K pre-training")."""
    if end < len(doc) and doc[end].lower_ in DATA_USES:
        return True
    if end < len(doc) and head_type(doc[end].text) is EntityType.METHOD:
        return False  # the name says which kind of model or hardware: "advances in RISC-V architectures"
    if start == 0 or doc[start - 1].lower_ not in {"on", "in"}:
        return False
    # "based on X" is no evaluation, and "the convolutional blocks in X" are parts of a model.
    if start < 2:
        return True
    return doc[start - 2].lower_ not in NOT_EVALUATION and head_type(doc[start - 2].text) is not EntityType.METHOD


def _reported_as_value(doc: Doc, end: int) -> bool:
    """Whether the name ending at token ``end`` is given a value, as metrics are ("an ACER of 1.6%")."""
    after = doc[end : end + 3]
    return len(after) >= 2 and after[0].lower_ in {"of", "=", "at"} and after[1].like_num


def _built_on_method(text: str, methods: Set[str]) -> bool:
    """Whether a name's last piece is a method the paper defines ("Face R-FCN", "MMD-GAN" after
    "R-FCN" and "GAN" are defined): a variant of a method, whatever its letters look like."""
    tails = {text[m.end() :] for m in re.finditer(r"[\s-]", text)}
    return any(tail in methods or tail + "s" in methods for tail in tails)


def _retype(doc: Doc, found: Found, methods: Set[str]) -> Found | None:
    """Weigh the name-type model against a weak rule's type; a metric is never a method or dataset.

    "MiniImagenet" and "OULU-NPU" are shaped like method names but built like
    dataset names, so after "results on" they are datasets; "APCER" and
    "top-1 accuracy" are metrics, and so is a name given a value ("an ACER of
    1.6%") or one a user's lexicon lists as a metric. Built like a dataset
    name is not enough by itself: most coined names in abstracts are methods.
    A list entry, a context cue or an acronym definition is stronger evidence
    than the model, so only names found by shape or capitalisation are
    retyped. A task phrase found by its last word alone ("convergence
    problems") must be read as a task by the model too.
    """
    if found.type is EntityType.TASK and found.rule in {"phrase", "cue"}:
        p = probabilities(doc[found.start : found.end].text)
        return found if p["Task"] == max(p.values()) else None
    if found.type not in {EntityType.METHOD, EntityType.DATASET} or found.rule not in WEAK_RULES | {"acronym"}:
        return found
    p = probabilities(found.long_form or doc[found.start : found.end].text)
    # What the authors introduce as theirs ("our procedure, called Pairwise Confusion (PC)") is named by them.
    surface = doc[found.start : found.end].text
    metric = p["Metric"] >= METRIC and not found.proposed and not _built_on_method(surface, methods)
    if metric or _reported_as_value(doc, found.end) or is_metric(surface):
        return None
    weak_method = found.rule in WEAK_RULES and found.type is EntityType.METHOD
    if weak_method and p["Dataset"] >= DATASET and _evaluated_on(doc, found.start, found.end):
        return replace(found, type=EntityType.DATASET)
    return found


def _most_specific_tasks(doc: Doc, chosen: list[Found]) -> list[Found]:
    """A task the paper also names more specifically is that task: "classification" goes where
    the paper says "node classification", and a bare one-word task where any phrase of the paper
    ends in it ("segmentation" in a paper on "infant brain MRI segmentation")."""
    tasks = {doc[f.start : f.end].text.lower() for f in chosen if f.type is EntityType.TASK}
    phrases = tasks | {p.text.lower() for p in phrases_of(doc) if len(p) > 1}

    def more_specific(f: Found) -> bool:
        name = doc[f.start : f.end].text.lower()
        longer = phrases if " " not in name else tasks
        return any(other != name and other.endswith(" " + name) for other in longer)

    return [f for f in chosen if f.type is not EntityType.TASK or not more_specific(f)]


def _named_own(doc: Doc, candidates: list[Found], chosen: list[Found]) -> set[str]:
    """The names the paper gives its own methods: the title's "Name:" and names the authors introduce.

    A candidate's claim counts even when it lost its span to another rule's
    reading of the same words ("introduces PV-RNN", where the list reads "PV-RNN" too).
    """
    name = title_name(doc)
    own = {name.text.lower()} if name is not None else set()
    own |= {doc[f.start : f.end].text.lower() for f in candidates if f.proposed}
    for f in chosen:
        if (
            f.type is EntityType.METHOD
            and f.rule in {"shape", "titlecase", "acronym", "variant"}
            and is_introduced(doc, doc[f.start : f.end])
        ):
            own.add(doc[f.start : f.end].text.lower())
            own |= {f.long_form.lower()} if f.long_form else set()
    return own


def _mark_proposed(doc: Doc, own: set[str], chosen: list[Found]) -> list[Found]:
    """The names in ``own`` are the paper's own methods; without any, a coined name it uses twice."""
    if not own:
        # Nothing introduced in so many words: a coined, capitalised name used twice is the paper's
        # own ("WideDeep"); lowercase-first names are mostly products ("reCAPTCHA").
        coined = Counter(
            doc[f.start : f.end].text.lower()
            for f in chosen
            if f.rule == "shape" and f.type is EntityType.METHOD and doc[f.start].text[0].isupper()
        )
        own = {name for name, n in coined.items() if n >= 2}
    out = []
    for f in chosen:
        surface = doc[f.start : f.end].text.lower()
        if surface in own or (f.long_form or "").lower() in own:
            kind = f.type if f.type is EntityType.DATASET else EntityType.METHOD
            f = replace(f, type=kind, proposed=kind is EntityType.METHOD)
        out.append(f)
    return out


def analyse(doc: Doc) -> list[Found]:
    """Every typed name in ``doc``, computed once and cached on the doc."""
    return memo(doc, USER_DATA_KEY, lambda: _analyse(doc))


def _analyse(doc: Doc) -> list[Found]:
    acronyms, defined = acronym_definitions(doc)
    candidates = (
        title_names(doc)
        + acronyms
        + listed_names(doc)
        + dataset_cues(doc)
        + evaluated_on_lists(doc)
        + task_phrases(doc)
        + task_cues(doc)
        + name_shapes(doc, [long for long, _ in defined.values()])
        + title_case_runs(doc)
        + introduced_phrases(doc)
        + title_tail_names(doc)
        + title_head_names(doc)
        + lowercase_techniques(doc)
    )
    urls = [range(start, stop) for start, stop, _ in find_links(text(doc))]
    candidates = [f for f in candidates if not any(doc[f.start].idx in r for r in urls)]
    methods = {short for short, (_, kind) in defined.items() if kind is EntityType.METHOD}
    candidates = [kept for f in candidates if (kept := _retype(doc, f, methods)) is not None]
    named = [f for f in candidates if f.rule != "description"]
    chosen = _spread_datasets(doc, _select(doc, named))
    own = _named_own(doc, named, chosen)
    if not own and len(named) < len(candidates):
        # A contribution the paper describes ("we propose a repulsive loss") stands in for its name only
        # when it names none ("This paper introduces an end-to-end residual network. We propose
        # Poincaré ResNet").
        chosen = _spread_datasets(doc, _select(doc, candidates))
        own = _named_own(doc, candidates, chosen)
    chosen = _mark_proposed(doc, own, chosen)
    chosen = _most_specific_tasks(doc, chosen)
    # A name the title claims may also be defined as an acronym: keep the expansion.
    chosen = [
        replace(f, long_form=defined[doc[f.start : f.end].text][0])
        if f.long_form is None and doc[f.start : f.end].text in defined
        else f
        for f in chosen
    ]
    return chosen
