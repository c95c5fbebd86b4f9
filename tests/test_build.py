"""`kg build` end to end on the seed pages: the contract files, the summary, atomic writes."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from kg.atomic import atomic_path

CONTRACT = ["graph.ttl", "graph.graphml", "graph.html", "papers.csv", "entities.csv", "mentions.csv"]


def test_build_writes_every_contract_file(seed_build: Path) -> None:
    for name in CONTRACT:
        assert (seed_build / name).stat().st_size > 0, name
    assert not list(seed_build.glob(".*.tmp")), "no temporary files are left behind"


def test_tables_hold_the_seed_papers_and_their_evidence(seed_build: Path) -> None:
    papers = pd.read_csv(seed_build / "papers.csv")
    assert len(papers) == 295
    assert papers["id"].is_unique
    mentions = pd.read_csv(seed_build / "mentions.csv", keep_default_na=False)
    repos = mentions[mentions["relation"] == "has_code"]
    assert "pengxuanyang/UncAD" in set(repos["entity_label"])
    for row in mentions.itertuples():
        assert row.paper_id in set(papers["id"])
        assert row.sentence, "every link carries its evidence sentence"
    entities = pd.read_csv(seed_build / "entities.csv", keep_default_na=False)
    assert set(mentions["entity_id"]) <= set(entities["id"])


def test_build_reports_a_summary(seeds_dir: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "kg", "build", str(seeds_dir / "000_74f9ff5177182e17.txt"), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert "papers:   49" in result.stdout
    assert "entities:" in result.stdout and "links:" in result.stdout and "between:" in result.stdout
    for name in CONTRACT:
        assert str(tmp_path / name) in result.stdout
    assert re.search(
        r"^done in [\d.]+s \(read [\d.]+s, extract [\d.]+s, resolve [\d.]+s, export [\d.]+s\)$", result.stdout, re.M
    )


def test_failed_write_keeps_the_previous_file(tmp_path: Path) -> None:
    dest = tmp_path / "graph.ttl"
    dest.write_text("previous")
    with pytest.raises(RuntimeError), atomic_path(dest) as tmp:
        tmp.write_text("half")
        raise RuntimeError("disk full")
    assert dest.read_text() == "previous"
    assert list(tmp_path.iterdir()) == [dest]


def test_help_documents_every_command() -> None:
    for args in (["--help"], ["build", "--help"], ["extract", "--help"]):
        result = subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True, timeout=60)
        assert result.returncode == 0
        assert "usage: kg" in result.stdout
