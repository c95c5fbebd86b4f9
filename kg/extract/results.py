"""Results: the scores an abstract reports, for leaderboards.

"NASNet achieves 82.7% top-1 accuracy on ImageNet", "improves BLEU by 2.1
on WMT'14 En-De", "an FID of 2.3 on CIFAR-10". A number counts only when a
metric is named beside it (kg/data/metrics.txt and the "top-k", "@k" and
"test ..." forms below) and the sentence names a dataset: a leaderboard
entry without either would mislead, so a number is left out rather than
guessed. The method is the nearest one named before the number that is not
a baseline ("than X"), or the paper's own when the sentence says "our
model" or "we".
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spacy.tokens import Doc

from kg.extract import Extractor
from kg.extract.lexicon import entries
from kg.extract.named import OWN, Name, Sentence, own_method, sentences
from kg.extract.scientific import REQUIRES
from kg.records import EntityType, Paper, Result


def _metric_pattern() -> str:
    """Every listed metric, longest first, case-sensitive when written with a capital."""
    names = sorted(entries("metrics"), key=len, reverse=True)
    alternatives = [re.escape(n) if n != n.lower() else f"(?i:{re.escape(n)})" for n in names]
    # "top-1 accuracy", "test error rate", "Hits@20", "F1-Score@N"; a final plural ("collision rates").
    return (
        r"(?:(?i:top|rank)-?\d+\s+|(?i:test|validation|val|dev|average|mean|overall)\s+)?"
        rf"(?:{'|'.join(alternatives)})(?:@\w+)?s?(?![\w@-])"
    )


METRIC = _metric_pattern()
#: A number with its unit; not part of a longer token ("ResNet-50", "v2.1", "3x").
NUMBER = r"(?<![\w.\-/])(?P<value>\d{1,7}(?:\.\d+)?)(?:\s?(?P<unit>\\?%|percent\b|pp\b|points?\b))?(?![\w.]\d)"
NUMBER_ONLY = re.compile(NUMBER)
#: Words allowed before a number that is still the score ("by up to 26%", "over 96%").
HEDGE = r"(?:(?:up to|about|around|approximately|nearly|almost|over|more than|at least|roughly)\s+)?"
#: (pattern, kind) in order of preference: a number is read by the first that matches it.
PATTERNS: list[tuple[re.Pattern[str], str]] = [
    # "improves BLEU by 2.1", "reduce collision rates by up to 26%", "and M by V"
    (
        re.compile(
            rf"\b(?:(?i:improv|increas|boost|rais|reduc|lower|decreas|cut)\w*\s+(?:the\s+|its\s+|their\s+)?|and\s+)"
            rf"(?P<metric>{METRIC})\s+(?:\w+\s+){{0,2}}?by\s+{HEDGE}{NUMBER}"
        ),
        "gain",
    ),
    # "8.9% higher GLUE score", "3.1% better top-1 accuracy", "0.4% increase in accuracy"
    (
        re.compile(
            rf"{NUMBER}\s+(?i:higher|better|lower|improvement|increase|gain|boost|reduction|decrease|drop)s?\s+"
            rf"(?:(?:in|of|on)\s+)?(?:the\s+)?(?P<metric>{METRIC})"
        ),
        "gain",
    ),
    # "an AUROC increase of 5.15%", "a BLEU gain of 2.1"
    (
        re.compile(
            rf"(?P<metric>{METRIC})\s+(?i:improvement|gain|increase|boost|reduction|decrease)s?\s+of\s+{HEDGE}{NUMBER}"
        ),
        "gain",
    ),
    # "the success rate from 85.79% to 98.95%": the second number is the result
    (
        re.compile(rf"(?P<metric>{METRIC})\s+(?:[\w-]+\s+){{0,3}}?from\s+\d+(?:\.\d+)?\s?\\?%?\s+to\s+{NUMBER}"),
        "absolute",
    ),
    # "an FID of 2.3", "error rate of 2.57%", "mIoU = 61.0"
    (
        re.compile(rf"(?P<metric>{METRIC})\s+(?:score\s+)?(?:of|=|:|is|was|reaches|reaching)\s+{HEDGE}{NUMBER}"),
        "absolute",
    ),
    # "82.7% top-1 accuracy", "43.1% mAP", "88.2% ImageNet-1K accuracy" (a dataset between)
    (re.compile(rf"{NUMBER}\s+(?:(?P<middle>[\w.\-]+)\s+)??(?P<metric>{METRIC})"), "absolute"),
]
#: "accuracy of 82.7% top-1 and 96.2% top-5": the "top-k" after the number names the metric.
TOP_K = re.compile(r"\s*(?P<k>(?i:top|rank)-\d+)\b")
#: Words right before a baseline's name ("outperforms the strong X", "than X"), also where they open the
#: sentence ("Compared to X, our model ...", "Unlike X, we ...").
BASELINE = re.compile(
    r"\b(?:than|over|compared (?:to|with|against)|against|vs\.?|versus|relative to|outperform\w*|out-perform\w*|"
    r"surpass\w*|exceed\w*|improv\w* (?:up)?on|approaching|match\w* the (?:[\w-]+\s+){0,2}performance of|"
    r"such as|like|e\.g\.,?|"
    r"(?i:compared (?:to|with|against)|in comparison (?:to|with)|relative to|unlike|in contrast to))\s+"
    r"(?:[\w-]+\s+){0,5}$"
)
#: Words right before a baseline's number ("than 85%", "from 85.79% to").
NUMBER_BASELINE = re.compile(r"\b(?:than|from|compared (?:to|with)|vs\.?|versus)\s+(?:the\s+)?$")
#: The number is said to be "on" something after it.
ON_UNKNOWN = re.compile(r"[^.;,]{0,60}?\bon\s")
#: A number read as a threshold, not a score ("FPR at 95% TPR").
THRESHOLD = re.compile(r"\bat\s+$")


def _datasets(sentence: Sentence) -> list[Name]:
    return [n for n in sentence.names if n.type is EntityType.DATASET]


def _dataset(sentence: Sentence, at: int, end: int) -> Name | None:
    """The dataset a number at characters ``at:end`` belongs to.

    The first named after it ("82.7% ... on ImageNet"), else one named before
    it before any number ("On CIFAR-10, NASNet achieves 2.4%"); "1.93% on
    CIFAR-10 and 5.5% on CIFAR-10.1" with CIFAR-10.1 unrecognised gives 5.5
    no dataset rather than the wrong one.
    """
    datasets = _datasets(sentence)
    after = [d for d in datasets if d.start >= end]
    if after:
        return after[0]
    if ON_UNKNOWN.match(sentence.text, end - sentence.start):
        return None  # "5.5% on the recently released CIFAR-10.1": a dataset kg did not recognise
    before = [d for d in datasets if d.end <= at]
    if before and not NUMBER_ONLY.search(sentence.text, 0, before[-1].start - sentence.start):
        return before[-1]
    return None


def _method(doc: Doc, sentence: Sentence, at: int) -> Name | None:
    """The method the number at ``at`` is reported for (see the module docstring)."""
    methods = [
        n
        for n in sentence.names
        if n.type is EntityType.METHOD and n.end <= at and not BASELINE.search(sentence.before(n)[-60:])
    ]
    if methods:
        return methods[-1]
    if OWN.search(sentence.text[: at - sentence.start]):
        return own_method(doc)
    return None


#: Listed metric names by lower case, so "collision rates" and "Error Rate" read as listed.
CANONICAL = {name.lower(): name for name in entries("metrics")}


def _metric_name(match: re.Match[str], sentence_text: str) -> str:
    metric = re.sub(r"\s+", " ", match["metric"])
    words = metric.split(" ")
    for k in range(len(words)):
        rest = " ".join(words[k:])
        listed = CANONICAL.get(rest.lower()) or (CANONICAL.get(rest[:-1].lower()) if rest.endswith("s") else None)
        if listed:
            metric = " ".join([*words[:k], listed])
            break
    top = TOP_K.match(sentence_text, match.end())
    if top and not metric.lower().startswith(("top", "rank")):
        metric = f"{top['k']} {metric}"
    return metric


def _top_k_list(
    text: str, found: list[tuple[int, int, str, str, str, Name | None, int]], taken: set[int]
) -> Iterator[tuple[int, int, str, str, str, Name | None, int]]:
    """ "accuracy of 82.7% top-1 and 96.2% top-5": the later numbers of the list take the metric too."""
    for _, _, metric, _, kind, _, tail in list(found):
        top = TOP_K.match(text, tail)
        if top is None or not metric.lower().startswith(("top", "rank")):
            continue
        base, end = metric.split(" ", 1)[1], top.end()
        for more in NUMBER_ONLY.finditer(text, end):
            top = TOP_K.match(text, more.end())
            if (
                more.start() in taken
                or top is None
                or not re.fullmatch(r"\s+and\s+|,\s*(?:and\s+)?", text[end : more.start()])
            ):
                break
            taken.add(more.start())
            yield more.start(), more.end("value"), f"{top['k']} {base}", more["unit"] or "", kind, None, top.end()
            end = top.end()


def sentence_results(doc: Doc, paper: Paper, sentence: Sentence) -> Iterator[Result]:
    found: list[tuple[int, int, str, str, str, Name | None, int]] = []
    taken: set[int] = set()
    for pattern, kind in PATTERNS:
        for match in pattern.finditer(sentence.text):
            at = match.start("value")
            if at in taken or THRESHOLD.search(sentence.text[:at]) or NUMBER_BASELINE.search(sentence.text[:at]):
                continue
            middle = None
            if match.groupdict().get("middle"):
                middle = next((d for d in _datasets(sentence) if d.text == match["middle"]), None)
                if middle is None:
                    continue  # "82.7% of ImageNet accuracy" or any other word: not this pattern's shape
            taken.add(at)
            metric = _metric_name(match, sentence.text)
            found.append((at, match.end("value"), metric, match["unit"] or "", kind, middle, match.end()))
    found.extend(_top_k_list(sentence.text, found, taken))
    offset = sentence.start
    for at, end, metric, unit, kind, middle, _ in sorted(found):
        dataset = middle or _dataset(sentence, at + offset, end + offset)
        if dataset is None:
            continue
        method = _method(doc, sentence, at + offset)
        yield Result(
            paper_id=paper.id,
            method=method.text if method else "",
            dataset=dataset.text,
            metric=metric,
            value=float(sentence.text[at:end]),
            unit="%" if unit.endswith("%") or unit == "percent" else unit,
            kind=kind,
            sentence=sentence.text,
            start=at + offset,
            end=end + offset,
            method_start=method.start if method else -1,
            dataset_start=dataset.start,
        )


def find_results(doc: Doc, paper: Paper) -> Iterator[Result]:
    for sentence in sentences(doc):
        if any(n.type is EntityType.DATASET for n in sentence.names) and any(c.isdigit() for c in sentence.text):
            yield from sentence_results(doc, paper, sentence)


EXTRACTOR = Extractor("results", find_results, REQUIRES)
