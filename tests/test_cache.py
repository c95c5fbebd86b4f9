"""The extraction cache on real seed papers: what a rebuild redoes, counted, not timed.

Most tests use the first pages' worth of seed papers: the counts behave the
same at any size and extraction is the slow part of the suite.
"""

from __future__ import annotations

import dataclasses
import json
from itertools import islice
from pathlib import Path

import pytest

import kg.extract
from kg.cache import ExtractionCache
from kg.cli import main
from kg.ingest import read_inputs
from kg.pipeline import CHUNK, ExtractOptions, cache_scope, extract_mentions
from kg.problems import Problems
from kg.records import Paper

OPTIONS = ExtractOptions(jobs=1, progress=False)
#: Two chunks and a bit: enough to see chunk-wise commits.
SOME = CHUNK + 10


@pytest.fixture(scope="module")
def seed_papers(seeds_dir: Path) -> list[Paper]:
    return read_inputs([seeds_dir], Problems(stream=None))


def open_cache(folder: Path) -> ExtractionCache:
    return ExtractionCache.in_folder(folder, cache_scope(OPTIONS))


def extract(papers: list[Paper], cache: ExtractionCache | None) -> list:
    return list(extract_mentions(papers, OPTIONS, cache))


def test_rebuild_reuses_every_paper_with_identical_results(seed_papers: list[Paper], tmp_path: Path) -> None:
    papers = seed_papers[:SOME]
    with open_cache(tmp_path) as cache:
        first = extract(papers, cache)
        assert (cache.hits, cache.misses) == (0, SOME)
    with open_cache(tmp_path) as cache:
        second = extract(papers, cache)
        assert (cache.hits, cache.misses) == (SOME, 0)
    assert second == first
    assert any(mentions for _, mentions in first)


def test_adding_and_changing_papers_extracts_only_those(seed_papers: list[Paper], tmp_path: Path) -> None:
    papers = seed_papers[:40]
    with open_cache(tmp_path) as cache:
        extract(papers[:20] + papers[23:], cache)  # three papers held out
    with open_cache(tmp_path) as cache:
        results = extract(papers, cache)
        assert (cache.hits, cache.misses) == (37, 3)
    assert [paper.id for paper, _ in results] == [p.id for p in papers], "input order is kept"

    edited = dataclasses.replace(papers[0], abstract=papers[0].abstract + " We release our code.")
    with open_cache(tmp_path) as cache:
        extract([edited, *papers[1:]], cache)
        assert (cache.hits, cache.misses) == (39, 1)


def test_new_extractor_version_redoes_every_paper(
    seed_papers: list[Paper], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    papers = seed_papers[:10]
    with open_cache(tmp_path) as cache:
        extract(papers, cache)
    monkeypatch.setattr(kg.extract, "EXTRACTOR_VERSION", kg.extract.EXTRACTOR_VERSION + "-next")
    with open_cache(tmp_path) as cache:
        extract(papers, cache)
        assert (cache.hits, cache.misses) == (0, 10)


def test_same_abstract_under_another_id_is_a_hit_with_its_own_id(seed_papers: list[Paper], tmp_path: Path) -> None:
    with_links = next(p for p in seed_papers if "github.com" in p.abstract)
    with open_cache(tmp_path) as cache:
        [(_, original)] = extract([with_links], cache)
    renamed = dataclasses.replace(with_links, id="renamed")
    with open_cache(tmp_path) as cache:
        [(_, reused)] = extract([renamed], cache)
        assert cache.hits == 1
    assert original, "the paper has mentions to reuse"
    assert reused == [dataclasses.replace(m, paper_id="renamed") for m in original]


def test_interrupted_run_keeps_every_finished_chunk(seed_papers: list[Paper], tmp_path: Path) -> None:
    papers = seed_papers[:SOME]
    with open_cache(tmp_path) as cache:
        run = extract_mentions(papers, OPTIONS, cache)
        list(islice(run, 1))  # stopped while the first chunk is being handed out
        run.close()
    with open_cache(tmp_path) as cache:
        assert len(cache.lookup(papers)) == CHUNK


def test_damaged_cache_file_is_replaced(seed_papers: list[Paper], tmp_path: Path) -> None:
    path = open_cache(tmp_path).path
    path.write_bytes(b"this is not a database" * 100)
    with open_cache(tmp_path) as cache:
        extract(seed_papers[:5], cache)
        assert cache.misses == 5
    with open_cache(tmp_path) as cache:
        assert len(cache.lookup(seed_papers[:5])) == 5


def test_build_reports_reuse_and_no_cache_turns_it_off(
    seed_papers: list[Paper], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "five.jsonl"
    page.write_text("".join(json.dumps({"title": p.title, "abstract": p.abstract}) + "\n" for p in seed_papers[:5]))
    out = tmp_path / "out"
    assert main(["build", str(page), "--out", str(out), "--jobs", "1"]) == 0
    assert "cache:    0 reused, 5 extracted" in capsys.readouterr().out
    assert main(["build", str(page), "--out", str(out), "--jobs", "1"]) == 0
    assert "cache:    5 reused, 0 extracted" in capsys.readouterr().out

    fresh = tmp_path / "fresh"
    assert main(["build", str(page), "--out", str(fresh), "--jobs", "1", "--no-cache"]) == 0
    assert "cache:    off" in capsys.readouterr().out
    assert not (fresh / ".kg-cache").exists()


def test_unusable_cache_folder_is_one_line(seeds_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / ".kg-cache").write_text("a file where the cache folder should be")
    page = str(seeds_dir / "000_74f9ff5177182e17.txt")
    assert main(["build", page, "--out", str(tmp_path), "--quiet"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("kg: error: cannot use the cache in") and "--no-cache" in err
    assert "\n" not in err
