"""What names look like: token shapes and the head words that say what a phrase names.

A method or dataset nobody listed is still recognisable: "EvolveGCN",
"LLaMA-2", "iNAT-mini" are shaped like names (capitals inside a word, digits
glued to letters), and a phrase's last word tells its kind ("... Networks" is
a method, "... Benchmark" a dataset, "... forecasting" a task).
"""

from __future__ import annotations

import re

from kg import plurals
from kg.extract.lexicon import word_set
from kg.records import EntityType

#: Last words of method names ("Deep Adaptive Graph Neural Network", "Gradient Boosting Trees").
METHOD_HEADS = word_set("method_heads")
#: Last words of dataset, benchmark, environment and corpus names.
DATASET_HEADS = word_set("dataset_heads")
#: Words right after a name that make it a dataset ("the Cora dataset", "Atari games").
DATASET_CUES = word_set("dataset_cues")
#: Last words of task phrases ("node classification", "time series forecasting").
TASK_HEADS = word_set("task_heads")
#: Last words of measures and other non-names an acronym may stand for ("Attack Success Rate (ASR)").
MEASURE_HEADS = word_set("measure_heads")
#: Words that may follow a name after a hyphen without being part of it ("GCN-based").
SUFFIXES = word_set("name_suffixes")
#: Title prefixes that are not names ("Position: ...", "Survey: ...").
NOT_TITLE_NAMES = frozenset(
    ["position", "survey", "review", "tutorial", "perspective", "overview", "editorial", "keynote"]
)

CAMEL = re.compile(r"[a-z][A-Z]|[A-Z]{2}")
#: Characters a coined name is written with ("LLaMA-2", "PointNet++", "LLMEval^2").
NAME_CHARS = re.compile(r"[A-Za-z0-9][A-Za-z0-9+^.-]*[A-Za-z0-9+]")
ALL_CAPS_MIN = 3
#: "2D", "7B", "10k", "3x": numbers with a unit are not names.
QUANTITY = re.compile(r"^\d+(\.\d+)?[A-Za-z]{0,2}$")
ROMAN = re.compile(r"^[IVXLC]+$")
#: A year or version after a name is part of it ("WMT 2014", "VQA v2.0", "ICDAR 2015").
EDITION = re.compile(r"^(?:(?:19|20)\d\d|v\d+(?:\.\d+)*)$")


def singular(word: str) -> str:
    """The singular of ``word`` in lower case, by the English rules the resolver folds with."""
    return plurals.singular(word.lower())


def is_name_shaped(text: str) -> bool:
    """Shaped like a coined name: capitals inside the word, or letters with digits and a capital.

    Everyday acronyms, units and metrics (kg/data/not_names.txt) are excluded,
    and so are two-letter acronyms ("RL", "ID"): too many are not names.
    """
    if text.lower() == text:
        return False  # every coined name has a capital; most words have none, so ask this first
    if text in word_set("not_names") or not NAME_CHARS.fullmatch(text) or QUANTITY.match(text) or ROMAN.match(text):
        return False
    letters = [c for c in text if c.isalpha()]
    if not letters or (all(c.isupper() for c in letters) and len(letters) < ALL_CAPS_MIN):
        return False
    has_capital = any(c.isupper() for c in text)
    return bool(CAMEL.search(text)) or (has_capital and any(c.isdigit() for c in text))


def head_type(phrase: str) -> EntityType | None:
    """The kind of thing a phrase names, from its last word; None when the head says nothing."""
    words = re.findall(r"[A-Za-z]+", phrase)
    if not words:
        return None
    head = singular(words[-1])
    if head in DATASET_HEADS:
        return EntityType.DATASET
    if head in TASK_HEADS:
        return EntityType.TASK
    if head in MEASURE_HEADS:
        return EntityType.CONCEPT
    if head in METHOD_HEADS or head.endswith(("net", "former", "gan")):
        return EntityType.METHOD
    return None
