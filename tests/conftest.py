"""Shared fixtures: the real seed pages and eval set beside the repository."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph
    from kg.records import Mention, Paper

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
EVAL = SHARED / "eval"
SCIREX = SHARED / "corpus" / "scirex_train.jsonl"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"seed pages not found at {SEEDS}")
    return SEEDS


@pytest.fixture(scope="session")
def eval_dir() -> Path:
    if not EVAL.is_dir():
        pytest.skip(f"eval set not found at {EVAL}")
    return EVAL


@pytest.fixture(scope="session")
def scirex_corpus() -> Path:
    """The SciREX documents that the second development set's gold (tests/data) is annotated on."""
    if not SCIREX.is_file():
        pytest.skip(f"SciREX corpus not found at {SCIREX}")
    return SCIREX


@pytest.fixture(scope="session")
def seed_build(seeds_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One `kg build` of the five seed pages, shared by every test that reads its outputs."""
    from kg.cli import main

    out = tmp_path_factory.mktemp("seed_build")
    assert main(["build", str(seeds_dir), "--out", str(out), "--jobs", "1", "--quiet"]) == 0
    return out


@pytest.fixture(scope="session")
def seed_results(seeds_dir: Path, seed_build: Path) -> list[tuple[Paper, list[Mention]]]:
    """Every seed paper with its mentions, answered by the seed build's own extraction cache."""
    from kg.cache import ExtractionCache
    from kg.ingest import read_inputs
    from kg.pipeline import ExtractOptions, cache_scope, extract_mentions
    from kg.problems import Problems

    papers = read_inputs([seeds_dir], Problems())
    options = ExtractOptions(jobs=1, progress=False)
    with ExtractionCache.in_folder(seed_build, cache_scope(options)) as cache:
        results = list(extract_mentions(papers, options, cache))
        assert cache.misses == 0, "the seed build's own cache answers every paper"
    return results


@pytest.fixture(scope="session")
def seed_kg(seed_results: list[tuple[Paper, list[Mention]]]) -> KnowledgeGraph:
    """The KnowledgeGraph `kg build` exported into ``seed_build``."""
    from kg.api import knowledge_graph
    from kg.pipeline import all_mentions

    return knowledge_graph([paper for paper, _ in seed_results], all_mentions(seed_results))


@pytest.fixture(scope="session")
def grown_seed_kgs(seed_results: list[tuple[Paper, list[Mention]]]) -> tuple[KnowledgeGraph, KnowledgeGraph]:
    """The graph of the first 80% of the seed papers, and of all of them: a collection a user adds to.

    Resolution over more papers changes some old papers' links (an acronym
    defined in a new abstract merges two entities, a label changes), so a
    rebuild from the first to the second meets both reuse and invalidation.
    """
    from kg.api import knowledge_graph
    from kg.pipeline import all_mentions

    def graph_of(results: list[tuple[Paper, list[Mention]]]) -> KnowledgeGraph:
        return knowledge_graph([paper for paper, _ in results], all_mentions(results), model="test-model-1.0")

    return graph_of(seed_results[: len(seed_results) * 4 // 5]), graph_of(seed_results)
