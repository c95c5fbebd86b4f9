"""Which names a paper introduces itself.

A paper names its own method in the title ("UncAD: Towards Safe ...") or when
it introduces it ("we propose a new selection mechanism, called FiT",
"we present Pigeon, a novel ..."). These are plain functions over token
positions, tested directly.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

from kg.extract.layout import title
from kg.extract.lexicon import word_set
from kg.extract.shapes import NOT_TITLE_NAMES

#: Verbs with which authors introduce their own contribution.
INTRODUCE = word_set("introduce_verbs")
#: Words that name what was just introduced ("..., called FiT", "which we call SAM").
NAMING = frozenset(["called", "named", "dubbed", "termed", "coined", "entitled", "call", "dub", "term"])
#: Words that, after "our", mark what follows as the paper's own ("our proposed approach SPIN").
OWN = frozenset(["proposed", "novel", "new"])
#: Words that say what kind of contribution a name is: "our approach, GMN" and "we propose the
#: triplet network model" name it.
NAMING_HEADS = frozenset(["model", "method", "framework", "approach", "algorithm", "architecture"])
#: Words before an introducing verb that make the paper its subject.
AUTHORS = frozenset(["we", "i", "paper", "work", "study", "article"])
#: Words after which a name no longer is the object introduced ("we propose to use GCN").
BARRIERS = word_set("clause_barriers")
#: How far after an introducing verb the name may come.
REACH = 14
#: Longest title prefix taken as a name ("Neural Circuit Diagrams: ...").
TITLE_NAME_WORDS = 4


def title_name(doc: Doc) -> Span | None:
    """The "Name" of a "Name: subtitle" title, when it looks like a name."""
    colon = next((t.i for t in title(doc) if t.text == ":"), None)
    if colon is None or colon == 0 or colon > TITLE_NAME_WORDS * 2:
        return None
    span = doc[:colon]
    if not any(t.whitespace_ for t in span[:-1]):
        # One glued word ("A-Fast-RCNN"): the word checks below are for names of several words.
        return span if any(c.isupper() for c in span.text) and span.text.lower() not in NOT_TITLE_NAMES else None
    words = [t for t in span if not t.is_punct]
    if not 1 <= len(words) <= TITLE_NAME_WORDS or span.text.lower() in NOT_TITLE_NAMES:
        return None
    if not any(c.isupper() for c in span.text):
        return None
    # "Neural Sheaf Diffusion" names a method; "Training the Untrainable", "XAI Beyond
    # Classification" and "Estimator Meets Equilibrium" are phrases, not names.
    # A word glued to the one before by a hyphen is part of a compound and may be a participle
    # ("Diversity-Driven Synthesis").
    glued = {t.i + 1 for t in span if t.text == "-" and not t.whitespace_}
    verb = [t.tag_.startswith("VB") and t.i not in glued for t in words]
    if len(words) > 1 and any(t.is_stop or v or not t.text[0].isupper() for t, v in zip(words, verb, strict=True)):
        return None
    # A plural inside the name is mostly a verb the tagger read as one ("Estimator Meets Equilibrium").
    if any(t.tag_ in {"NNS", "NNPS"} and t.text.endswith("s") for t in words[:-1]):
        return None
    return span


def subtitle_says(doc: Doc, words: frozenset[str]) -> bool:
    """Whether the title uses one of ``words`` as the head of its phrase ("... A Benchmark for ...",
    "... Datasets"), not as a modifier of the noun after it ("... Dataset Distillation", a task)."""
    end = title(doc).end
    return any(t.lower_ in words and (t.i + 1 == end or not doc[t.i + 1].tag_.startswith("NN")) for t in title(doc))


def introduced_by_author(doc: Doc, verb: int) -> bool:
    sent_start = doc[verb].sent.start
    return any(doc[k].lower_ in AUTHORS for k in range(max(sent_start, verb - 5), verb))


def is_introduced(doc: Doc, span: Span) -> bool:
    """Whether the sentence introduces ``span`` as the paper's own contribution.

    Either a naming word sits just before it ("called a LinearScope"), or an
    author introduces something ("we propose") and the name follows within
    reach with no word or comma in between that starts another clause or an
    apposition ("we present LiGNN, a ... Graph Neural Networks (GNNs)
    framework" introduces LiGNN, not GNNs).
    """
    before = doc[max(span.sent.start, span.start - 3) : span.start]
    if any(t.lower_ in NAMING for t in before) or before.text.lower().endswith(("referred to as", "refer to as")):
        return True
    # "our SPyNet", "our proposed approach SPIN", "our novel NHL method"
    if span.start > span.sent.start and doc[span.start - 1].lower_ == "our":
        return True
    if any(t.lower_ in OWN and t.i and doc[t.i - 1].lower_ in {"our", "the"} for t in before):
        return True
    # "Our approach, Graph Metanetworks (GMNs), generalizes ...": the name in apposition to "our approach".
    apposition = span.start - 3 >= span.sent.start and doc[span.start - 1].text in {",", ":"}
    if apposition and doc[span.start - 3].lower_ == "our" and doc[span.start - 2].lower_ in NAMING_HEADS:
        return True
    start = span.start
    if _closed_apposition(doc, span):
        # "We develop a new family of local self-attention models, HaloNets, which ...": the name of the
        # description introduced.
        start = span.start - 2 if doc[span.start - 1].lower_ == "the" else span.start - 1
    for k in range(start - 1, max(span.sent.start, start - REACH) - 1, -1):
        token = doc[k]
        if token.lower_ in INTRODUCE:
            return introduced_by_author(doc, k)
        if token.lower_ in BARRIERS or token.text in {";", ":", ","} or token.tag_ in {"VBZ", "VBP", "VBD"}:
            return False
    return False


def _closed_apposition(doc: Doc, span: Span) -> bool:
    """Whether ``span`` stands between commas ("..., HaloNets, which", "..., the X, ..."), after a
    description that starts with an article, so that it names what the description describes."""
    comma = span.start - 2 if span.start >= 2 and doc[span.start - 1].lower_ == "the" else span.start - 1
    closed = span.end == len(doc) or doc[span.end].text in {",", ".", "("} or doc[span.end].lower_ == "which"
    if comma < 1 or doc[comma].text != "," or not closed:
        return False
    described = doc[max(span.sent.start, comma - REACH) : comma]
    return any(t.lower_ in {"a", "an"} for t in described)
