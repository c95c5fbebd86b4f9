"""A knowledge graph of the 40 hand-annotated eval papers, built from the gold annotations.

The RDF and query tests need every relation (proposes, uses, evaluates_on,
addresses, about, has_code, mentions) on real papers, deterministically,
whatever the extractors currently find. The gold file names what a careful
reader found in each real abstract; each gold string becomes a mention at the
place it occurs, and the real resolver turns the mentions into entities and
links, so the graph is what a perfect extractor would give.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from kg.graph import KnowledgeGraph
from kg.ingest import read_inputs
from kg.problems import Problems
from kg.records import EntityType, Mention, Paper, Relation
from kg.resolve import resolve

#: Gold key -> the type and relation of its mentions.
GOLD_KEYS: dict[str, tuple[EntityType, Relation]] = {
    "repos": (EntityType.REPOSITORY, Relation.HAS_CODE),
    "urls": (EntityType.URL, Relation.MENTIONS),
    "datasets": (EntityType.DATASET, Relation.EVALUATES_ON),
    "methods": (EntityType.METHOD, Relation.USES),
    "proposed": (EntityType.METHOD, Relation.PROPOSES),
    "tasks": (EntityType.TASK, Relation.ADDRESSES),
    "concepts": (EntityType.CONCEPT, Relation.ABOUT),
}


def locate(text: str, gold: str) -> tuple[int, int]:
    """Where ``gold`` is written in ``text``, ignoring case; "Long Form (ACR)" may be written apart."""
    for candidate in (gold, gold.split(" (")[0]):
        start = text.lower().find(candidate.lower())
        if start >= 0:
            return start, start + len(candidate)
    raise AssertionError(f"gold string {gold!r} is not in the paper")


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence holding ``start:end``: from the previous sentence end to the next one."""
    begin = max((m.end() for m in re.finditer(r"[.!?]\s+|\n\n", text[:start])), default=0)
    stop = re.search(r"[.!?](\s|$)", text[end:])
    return text[begin : end + stop.start() + 1 if stop else len(text)].strip()


def gold_mentions(paper: Paper, gold: dict) -> list[Mention]:
    text = paper.text
    mentions = []
    for key, (kind, relation) in GOLD_KEYS.items():
        for value in gold[key]:
            start, end = locate(text, value)
            mentions.append(
                Mention(
                    paper_id=paper.id,
                    text=value if kind is EntityType.REPOSITORY else text[start:end],
                    type=kind,
                    relation=relation,
                    start=start,
                    end=end,
                    sentence=sentence_around(text, start, end),
                    extractor="gold",
                )
            )
    return mentions


def gold_graph(eval_dir: Path) -> KnowledgeGraph:
    papers = read_inputs([eval_dir / "dev_input.jsonl"], Problems(stream=None))
    by_title = {p.title: p for p in papers}
    mentions: list[Mention] = []
    for line in (eval_dir / "dev_gold.jsonl").read_text(encoding="utf-8").splitlines():
        gold = json.loads(line)
        mentions.extend(gold_mentions(by_title[gold["title"]], gold))
    entities, links = resolve(mentions)
    return KnowledgeGraph(papers, entities, links, model="gold annotation")
