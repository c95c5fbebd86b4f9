"""Train the name-type model (kg/extract/nametype.py) from ../shared/corpus; ``make train`` runs this.

Examples, each a phrase and its kind:

- Task, Dataset, Metric: the Papers with Code task, dataset and metric names
  (``pwc/tasks.csv``, ``pwc/datasets.txt``, ``pwc/metrics.txt``), dataset
  variants cut at their first " (" or ", " ("COCO-20i (5-shot)" -> "COCO-20i");
- Method, Task, Metric, Dataset: the SciREX mentions of the training
  documents (``Material`` counts as a dataset only when it has a capital or a
  digit, as names do; "images" is not one), relabelled by stated rules:
  a mention that starts with a determiner or pronoun ("our model") or is longer
  than six words is dropped;
- Other: the noun phrases (kg's own chunker, so they look like what the
  extractor asks about) of the training documents' first two sections that
  overlap no SciREX mention.

The 40 documents of kg's second development set (tests/data/scirex_dev_gold.jsonl)
are never read. The rest are split by document: every fifth (by SHA-256 of the
doc_id) is held out to report accuracy on names the model never saw. Seeds
are fixed, so a rerun writes the same weights.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import re
import sys
from collections import Counter
from pathlib import Path

import numpy as np

from kg import nlp
from kg.extract.nametype import CLASSES, DIM, WEIGHTS_FILE, features
from kg.extract.phrases import noun_phrases

ROOT = Path(__file__).resolve().parents[1]
#: First words of a mention that refers to something rather than naming it ("our model").
DETERMINERS = frozenset(
    {"a", "an", "the", "this", "that", "these", "those", "our", "their", "its", "his", "her", "my", "your"}
    | {"such", "each", "every", "any", "some", "all", "both"}
)
MAX_WORDS = 6
SECTIONS = 2


def _clean_dataset(name: str) -> str:
    return re.split(r" \(|, ", name, maxsplit=1)[0].strip()


def _usable(name: str) -> bool:
    return any(c.isalpha() for c in name) and len(name) >= 2


def pwc_examples(folder: Path) -> list[tuple[str, str]]:
    out = []
    with (folder / "tasks.csv").open(encoding="utf-8") as handle:
        out += [(row["task"].strip(), "Task") for row in csv.DictReader(handle)]
    out += [(_clean_dataset(line), "Dataset") for line in (folder / "datasets.txt").read_text("utf-8").splitlines()]
    out += [(line.strip(), "Metric") for line in (folder / "metrics.txt").read_text("utf-8").splitlines()]
    return [(name, kind) for name, kind in out if _usable(name)]


def _mention_kind(words: list[str], kind: str) -> str | None:
    if not words or len(words) > MAX_WORDS or words[0].lower() in DETERMINERS:
        return None
    if kind == "Material":
        return "Dataset" if any(c.isupper() or c.isdigit() for c in "".join(words)) else None
    return kind if kind in {"Method", "Task", "Metric"} else None


def scirex_examples(docs: list[dict], language) -> list[tuple[str, str]]:
    from spacy.tokens import Doc

    out = []
    for doc in docs:
        words = doc["words"]
        for start, end, kind in doc["ner"]:
            label = _mention_kind(words[start:end], kind)
            if label is not None:
                out.append((" ".join(words[start:end]), label))
        covered = np.zeros(len(words), dtype=bool)
        for start, end, _ in doc["ner"]:
            covered[start:end] = True
        for start, end in doc["sections"][:SECTIONS]:
            parsed = Doc(language.vocab, words=words[start:end])
            for _, component in language.pipeline:
                parsed = component(parsed)
            for phrase in noun_phrases(parsed):
                if not covered[start + phrase.start : start + phrase.end].any():
                    out.append((phrase.text, "Other"))
    return out


def _matrix(examples: list[tuple[str, str]]) -> tuple[list[np.ndarray], np.ndarray]:
    index = {c: k for k, c in enumerate(CLASSES)}
    return [features(name) for name, _ in examples], np.array([index[kind] for _, kind in examples])


def train(examples: list[tuple[str, str]], epochs: int, rate: float, l2: float) -> tuple[np.ndarray, np.ndarray]:
    """Softmax regression by AdaGrad, one example at a time, classes weighted to count alike."""
    rows, labels = _matrix(examples)
    counts = np.bincount(labels, minlength=len(CLASSES))
    class_weight = len(labels) / (len(CLASSES) * np.maximum(counts, 1))
    weights = np.zeros((DIM, len(CLASSES)), dtype=np.float32)
    bias = np.zeros(len(CLASSES), dtype=np.float32)
    history = np.full((DIM, len(CLASSES)), 1e-8, dtype=np.float32)
    bias_history = np.full(len(CLASSES), 1e-8, dtype=np.float32)
    rng = np.random.default_rng(0)
    for _ in range(epochs):
        for k in rng.permutation(len(labels)):
            slots = rows[k]
            logits = bias + weights[slots].sum(axis=0)
            probs = np.exp(logits - logits.max())
            probs /= probs.sum()
            probs[labels[k]] -= 1.0
            grad = probs * class_weight[labels[k]]
            grads = grad[None, :] + l2 * weights[slots]
            history[slots] += grads**2
            weights[slots] -= rate * grads / np.sqrt(history[slots])
            bias_history += grad**2
            bias -= rate * grad / np.sqrt(bias_history)
    return weights, bias


def accuracy(weights: np.ndarray, bias: np.ndarray, examples: list[tuple[str, str]]) -> tuple[float, Counter]:
    rows, labels = _matrix(examples)
    confusion: Counter = Counter()
    right = 0
    for slots, label in zip(rows, labels, strict=True):
        guess = int(np.argmax(bias + weights[slots].sum(axis=0)))
        right += guess == label
        confusion[(CLASSES[label], CLASSES[guess])] += 1
    return right / max(1, len(labels)), confusion


def _dedupe(examples: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """One example per (phrase, kind), in a fixed order."""
    return sorted(set(examples))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--out", type=Path, default=ROOT / "kg" / "data" / WEIGHTS_FILE)
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--rate", type=float, default=0.2)
    parser.add_argument("--l2", type=float, default=1e-4)
    args = parser.parse_args(argv)
    corpus = args.shared / "corpus"
    dev = {json.loads(line)["doc_id"] for line in (ROOT / "tests/data/scirex_dev_gold.jsonl").open()}
    docs = [json.loads(line) for line in (corpus / "scirex_train.jsonl").open(encoding="utf-8")]
    docs = [d for d in docs if d["doc_id"] not in dev]
    held = [d for d in docs if int(hashlib.sha256(d["doc_id"].encode()).hexdigest(), 16) % 5 == 0]
    kept = [d for d in docs if d not in held]
    language = nlp.load(None, {"tagger"})
    pwc = pwc_examples(corpus / "pwc")
    seen = _dedupe(pwc + scirex_examples(kept, language))
    seen_names = {name for name, _ in seen}
    unseen = [e for e in _dedupe(scirex_examples(held, language)) if e[0] not in seen_names]
    print(f"{len(kept)} training documents, {len(held)} held out, {len(dev)} development documents never read")
    print("training examples:", dict(Counter(kind for _, kind in seen)))
    weights, bias = train(seen, args.epochs, args.rate, args.l2)
    score, confusion = accuracy(weights, bias, unseen)
    print(f"accuracy on {len(unseen)} names of held-out documents not seen in training: {score:.3f}")
    for gold in CLASSES:
        row = {guess: confusion[(gold, guess)] for guess in CLASSES if confusion[(gold, guess)]}
        print(f"  {gold:8} -> {row}")
    slots = np.flatnonzero(np.abs(weights).max(axis=1) > 1e-3)
    np.savez_compressed(
        args.out, slots=slots.astype(np.int32), weights=weights[slots].astype(np.float16), bias=bias.astype(np.float32)
    )
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB, {len(slots)} features)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
