"""Scoring extraction against a hand-annotated gold file (the scorer behind ``kg eval``).

The matching is the lenient one of the shared ``score.py`` so the two agree:
case, punctuation, spacing and a final plural "s" are folded, "Long Form
(ACR)" matches either part, items are matched one to one greedily, and
concepts are scored by recall with half credit for a token overlap (Jaccard
>= 0.5) against predicted concepts, tasks and methods together.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

#: Keys scored by precision, recall and F1.
TYPES = ("repos", "datasets", "methods", "proposed", "tasks")
STOPWORDS = frozenset({"of", "the", "a", "an", "for", "and", "in", "on", "with", "to"})
ACRONYM = re.compile(r"^(.*\S)\s*\(([^()]+)\)$")


class GoldError(ValueError):
    """A gold file that cannot be read; the message names the file and line."""


def key(text: str) -> str:
    k = re.sub(r"[^a-z0-9]+", "", text.lower())
    if len(k) > 4 and k.endswith("s") and not k.endswith("ss"):
        k = k[:-1]
    return k


def variants(text: str) -> set[str]:
    """The keys a name matches under: itself, and both parts of "Long Form (ACR)"."""
    text = text.strip()
    out = {key(text)}
    match = ACRONYM.match(text)
    if match:
        out |= {key(match.group(1)), key(match.group(2))}
    out.discard("")
    return out


def tokens(text: str) -> set[str]:
    words = set()
    for word in re.findall(r"[a-z0-9]+", text.lower()):
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        words.add(word)
    return words - STOPWORDS


def repo_key(repo: str) -> str:
    repo = re.sub(r"^https?://(www\.)?github\.com/", "", repo.strip().lower())
    repo = re.sub(r"\.git$", "", repo).strip("/")
    return "/".join(repo.split("/")[:2])


def match(gold: list[str], pred: list[str]) -> tuple[list[str], list[str]]:
    """Greedy one-to-one matching: (gold items missed, predicted items matching nothing)."""
    used: set[int] = set()
    pred_variants = [variants(p) for p in pred]
    missed = []
    for g in gold:
        gv = variants(g)
        hit = next((i for i, v in enumerate(pred_variants) if i not in used and gv & v), None)
        if hit is None:
            missed.append(g)
        else:
            used.add(hit)
    return missed, [p for i, p in enumerate(pred) if i not in used]


def concept_credit(concept: str, candidates: list[str]) -> float:
    """1 for a surface match, 0.5 for a token overlap of at least half, else 0."""
    cv, ct = variants(concept), tokens(concept)
    if any(cv & variants(c) for c in candidates):
        return 1.0
    if ct and any(t and len(ct & t) / len(ct | t) >= 0.5 for t in map(tokens, candidates)):
        return 0.5
    return 0.0


@dataclass
class Counts:
    tp: int = 0
    pred: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.tp / self.pred if self.pred else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class PaperReport:
    title: str
    missed: dict[str, list[str]] = field(default_factory=dict)
    false_hits: dict[str, list[str]] = field(default_factory=dict)
    missed_concepts: list[str] = field(default_factory=list)


@dataclass
class Score:
    counts: dict[str, Counts]
    concept_recall: float
    concepts_per_paper: float
    papers: int
    missing_papers: int
    reports: list[PaperReport]


def _score_type(kind: str, gold: list[str], pred: list[str], counts: Counts, report: PaperReport) -> None:
    if kind == "repos":
        gs, ps = {repo_key(x) for x in gold}, {repo_key(x) for x in pred}
        counts.tp += len(gs & ps)
        counts.pred += len(ps)
        counts.gold += len(gs)
        missed, false = sorted(gs - ps), sorted(ps - gs)
    else:
        missed, false = match(gold, pred)
        counts.tp += len(gold) - len(missed)
        counts.pred += len(pred)
        counts.gold += len(gold)
    if missed:
        report.missed[kind] = missed
    if false:
        report.false_hits[kind] = false


def score(gold: Iterable[dict], predictions: Iterable[dict]) -> Score:
    """Score ``predictions`` (``kg extract`` records) against ``gold``; papers meet by title."""
    by_title = {key(p.get("title", "")): p for p in predictions}
    counts = {kind: Counts() for kind in TYPES}
    reports = []
    credit, n_concepts, n_pred_concepts, missing, papers = 0.0, 0, 0, 0, 0
    for g in gold:
        papers += 1
        p = by_title.get(key(g["title"]))
        if p is None:
            missing += 1
            p = {}
        report = PaperReport(g["title"])
        for kind in TYPES:
            _score_type(kind, g.get(kind, []), p.get(kind) or [], counts[kind], report)
        candidates = (p.get("concepts") or []) + (p.get("tasks") or []) + (p.get("methods") or [])
        n_pred_concepts += len(p.get("concepts") or [])
        for concept in g.get("concepts", []):
            n_concepts += 1
            got = concept_credit(concept, candidates)
            credit += got
            if got < 1.0:
                report.missed_concepts.append(concept if got == 0 else f"{concept} (half)")
        reports.append(report)
    return Score(
        counts=counts,
        concept_recall=credit / n_concepts if n_concepts else 0.0,
        concepts_per_paper=n_pred_concepts / max(1, papers),
        papers=papers,
        missing_papers=missing,
        reports=reports,
    )


def read_gold(path: Path) -> list[dict]:
    """Gold records, one JSON object per line; a bad line is a :class:`GoldError` naming it."""
    records = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise GoldError(f"cannot read gold file {path}: {err}") from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            raise GoldError(f"{path}:{number}: not valid JSON ({err.msg})") from None
        if not isinstance(record, dict) or not isinstance(record.get("title", record.get("doc_id")), str):
            raise GoldError(f'{path}:{number}: a gold record needs a "title" (or a SciREX "doc_id") string')
        records.append(record)
    if not records:
        raise GoldError(f"{path}: no gold records")
    return records


def add_titles(gold: list[dict], inputs: Iterable[Path]) -> None:
    """Give gold records keyed by a SciREX ``doc_id`` the title of that document in ``inputs``.

    The second development set is annotated on SciREX abstracts, whose text
    may not be copied into the repository, so its gold names documents by
    ``doc_id`` and the titles that papers are matched by come from the corpus
    file at scoring time.
    """
    wanted = {g["doc_id"] for g in gold if "title" not in g}
    if not wanted:
        return
    from kg.ingest import scirex

    titles: dict[str, str] = {}
    for path in inputs:
        if not path.is_file() or path.suffix.lower() not in {".jsonl", ".json"}:
            continue
        with path.open(encoding="utf-8", errors="replace") as lines:
            for line in lines:
                if '"doc_id"' not in line:
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError:
                    continue
                if isinstance(record, dict) and record.get("doc_id") in wanted and scirex.is_scirex(record):
                    titles[record["doc_id"]] = scirex.to_fields(record)["title"]
    for g in gold:
        if "title" not in g:
            g["title"] = titles.get(g["doc_id"], g["doc_id"])


def format_table(result: Score) -> str:
    """The score as a markdown table, the form the README shows."""
    rows = ["| type | precision | recall | F1 | matched | predicted | gold |", "|---|---|---|---|---|---|---|"]
    for kind, c in result.counts.items():
        rows.append(f"| {kind} | {c.precision:.3f} | {c.recall:.3f} | {c.f1:.3f} | {c.tp} | {c.pred} | {c.gold} |")
    rows.append(f"| concepts (recall) | | {result.concept_recall:.3f} | | | {result.concepts_per_paper:.2f}/paper | |")
    rows.append(f"\n{result.papers} gold papers, {result.missing_papers} without a prediction")
    return "\n".join(rows)


def format_details(result: Score) -> str:
    """Misses and false hits per paper, for ``kg eval --verbose``."""
    lines = []
    for report in result.reports:
        if not (report.missed or report.false_hits or report.missed_concepts):
            continue
        lines.append(f"## {report.title}")
        for kind in TYPES:
            if kind in report.missed:
                lines.append(f"  missed {kind}: {'; '.join(report.missed[kind])}")
            if kind in report.false_hits:
                lines.append(f"  false {kind}: {'; '.join(report.false_hits[kind])}")
        if report.missed_concepts:
            lines.append(f"  missed concepts: {'; '.join(report.missed_concepts)}")
    return "\n".join(lines)
