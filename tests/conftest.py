"""Shared fixtures: the real seed pages and eval set beside the repository."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
EVAL = SHARED / "eval"


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
def seed_build(seeds_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One `kg build` of the five seed pages, shared by every test that reads its outputs."""
    from kg.cli import main

    out = tmp_path_factory.mktemp("seed_build")
    assert main(["build", str(seeds_dir), "--out", str(out), "--jobs", "1", "--quiet"]) == 0
    return out
