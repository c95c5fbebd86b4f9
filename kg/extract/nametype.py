"""What kind of thing a phrase names, learned from names rather than listed.

The curated lists only know the names someone typed in; on papers nobody
tuned kg to, most methods, datasets and tasks are not in them. What carries
over is how names of each kind are built: datasets end in "-10", "Bench",
"QA" or a year, tasks in "detection", "segmentation" or "answering", metrics
in "accuracy", "score" or "@k", methods in "Net", "former" or "loss". A small
multinomial logistic regression over the words, word pieces and shapes of a
phrase (no context) learns this from thousands of names: the Papers with Code
task, dataset and metric names and the SciREX mentions of methods, with noun
phrases that name nothing as a fifth class. ``make train`` rebuilds the
weights from ``../shared/corpus`` (``training/train_name_types.py``); only the
weights ship, hashed features to five numbers each, not the names.

The model gives a vote, not a verdict: :mod:`kg.extract.candidates` weighs
it with the evidence of context and lists.
"""

from __future__ import annotations

import re
import zlib
from functools import cache
from importlib import resources
from itertools import pairwise

import numpy as np

CLASSES = ("Method", "Dataset", "Task", "Metric", "Other")
#: Features are hashed into this many slots; collisions are rare at this size for ~10^5 features.
DIM = 1 << 18
WEIGHTS_FILE = "name_types.npz"

_WORD = re.compile(r"[A-Za-z]+|\d+|[^\sA-Za-z\d]")
_SHAPE_RUNS = re.compile(r"(.)\1+")


def _shape(word: str) -> str:
    out = []
    for char in word:
        out.append("X" if char.isupper() else "x" if char.islower() else "d" if char.isdigit() else char)
    return _SHAPE_RUNS.sub(r"\1", "".join(out))


def feature_names(phrase: str) -> list[str]:
    """The features of ``phrase``: its words, first and last word, word pieces and shapes."""
    words = phrase.split()
    lower = [w.lower() for w in words]
    feats = [f"n:{min(len(words), 5)}"]
    if lower:
        head = lower[-1]
        feats += [f"h:{head}", f"h4:{head[-4:]}", f"f:{lower[0]}", f"hs:{_shape(words[-1])}"]
    for word, low in zip(words, lower, strict=True):
        feats += [f"w:{low}", f"s:{_shape(word)}"]
        padded = f"^{low}$"
        for size in (3, 4, 5):
            feats += [f"c:{padded[k : k + size]}" for k in range(max(1, len(padded) - size + 1))]
        feats += [f"p:{piece.lower()}" for piece in _WORD.findall(word) if len(word) > 1]
    feats += [f"b:{a} {b}" for a, b in pairwise(lower)]
    if words and all(w[:1].isupper() for w in words):
        feats.append("all-capitalised")
    if phrase == phrase.lower():
        feats.append("all-lower")
    return feats


def features(phrase: str) -> np.ndarray:
    """Hashed feature slots of ``phrase`` (CRC-32, so the same on every machine and run)."""
    return np.fromiter((zlib.crc32(f.encode("utf-8")) % DIM for f in feature_names(phrase)), dtype=np.int64, count=-1)


class NameTyper:
    """Class probabilities of a phrase from trained weights."""

    def __init__(self, slots: np.ndarray, weights: np.ndarray, bias: np.ndarray) -> None:
        self._rows = dict(zip(slots.tolist(), range(len(slots)), strict=True))
        self._weights = weights.astype(np.float32)
        self._bias = bias.astype(np.float32)

    def scores(self, phrase: str) -> np.ndarray:
        rows = [self._rows[s] for s in features(phrase).tolist() if s in self._rows]
        logits = self._bias + (self._weights[rows].sum(axis=0) if rows else 0.0)
        exp = np.exp(logits - logits.max())
        return exp / exp.sum()

    def probabilities(self, phrase: str) -> dict[str, float]:
        return dict(zip(CLASSES, self.scores(phrase).tolist(), strict=True))


@cache
def model() -> NameTyper:
    """The shipped model, loaded once per process."""
    with resources.files("kg").joinpath("data", WEIGHTS_FILE).open("rb") as handle:
        data = np.load(handle)
        return NameTyper(data["slots"], data["weights"], data["bias"])


@cache
def probabilities(phrase: str) -> dict[str, float]:
    """``model().probabilities(phrase)``, cached: the same names recur across abstracts."""
    return model().probabilities(phrase)
