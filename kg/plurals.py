"""English plurals undone by rule, for every place that compares words: resolution folds
"Gaussian processes" with "Gaussian process", the extractors read a phrase's head word
("analyses" -> "analysis"), and the task hierarchy compares task names.

One set of rules, so that a word the resolver folds is the word the extractors and the
hierarchy look up; cutting a final "s" gets "processe", "analyse" and "bia" ("bias").
"""

from __future__ import annotations

import re

#: Words spelled the same in both numbers, or singular though they end in "s". Fields in "-ics"
#: ("dynamics") fold with their adjective ("dynamic"), as spaCy's lemmatizer has them.
_INVARIANT = frozenset(
    {
        "series",
        "species",
        "means",
        "news",
        "bias",
        "atlas",
        "canvas",
        "gas",
        "alias",
        "lens",
        "chaos",
        "cosmos",
        "ethos",
        "bayes",
    }
)
#: Plurals that no suffix rule undoes.
_IRREGULAR = {
    "indices": "index",
    "vertices": "vertex",
    "matrices": "matrix",
    "simplices": "simplex",
    "appendices": "appendix",
    "axes": "axis",
    "crises": "crisis",
    "diagnoses": "diagnosis",
    "viruses": "virus",
    "buses": "bus",
    "statuses": "status",
    "corpora": "corpus",
    "criteria": "criterion",
    "phenomena": "phenomenon",
    "automata": "automaton",
    "leaves": "leaf",
    "halves": "half",
    "lives": "life",
    "movies": "movie",
    "cookies": "cookie",
    "caches": "cache",
    "niches": "niche",
    "heroes": "hero",
    "echoes": "echo",
}
#: English plural endings and their singulars; the longest that leaves two letters applies.
_ENDINGS = {
    "theses": "thesis",
    "sses": "ss",
    "yses": "ysis",
    "ches": "ch",
    "shes": "sh",
    "ies": "y",
    "xes": "x",
    "ss": "ss",
    "us": "us",
    "is": "is",
    "s": "",
}
#: The plural ending of a word, after at least two letters ("ties" -> "tie", not "ty").
_ENDING = re.compile(rf"(?<=..)(?:{'|'.join(sorted(_ENDINGS, key=len, reverse=True))})\Z")


def singular(word: str) -> str:
    """The singular of a lower-case English noun ("processes" -> "process", "analyses" -> "analysis")."""
    if len(word) <= 3 or word in _INVARIANT:
        return word
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    ending = _ENDING.search(word)
    return word if ending is None else word[: ending.start()] + _ENDINGS[ending.group()]
