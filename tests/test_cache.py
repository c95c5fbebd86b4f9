"""The extraction cache on the real seed pages: what a rebuild redoes, counted, not timed."""

from __future__ import annotations

import dataclasses
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


@pytest.fixture(scope="module")
def seed_papers(seeds_dir: Path) -> list[Paper]:
    return read_inputs([seeds_dir], Problems(stream=None))


def open_cache(folder: Path) -> ExtractionCache:
    return ExtractionCache.in_folder(folder, cache_scope(OPTIONS))


def extract(papers: list[Paper], cache: ExtractionCache | None) -> list:
    return list(extract_mentions(papers, OPTIONS, cache))


def test_rebuild_reuses_every_paper_with_identical_results(seed_papers: list[Paper], tmp_path: Path) -> None:
    with open_cache(tmp_path) as cache:
        first = extract(seed_papers, cache)
        assert (cache.hits, cache.misses) == (0, 295)
    with open_cache(tmp_path) as cache:
        second = extract(seed_papers, cache)
        assert (cache.hits, cache.misses) == (295, 0)
    assert second == first
    assert first == extract(seed_papers, None)


def test_adding_and_changing_papers_extracts_only_those(seed_papers: list[Paper], tmp_path: Path) -> None:
    known = seed_papers[:100] + seed_papers[103:]  # three papers held out, then added
    with open_cache(tmp_path) as cache:
        extract(known, cache)
    with open_cache(tmp_path) as cache:
        results = extract(seed_papers, cache)
        assert (cache.hits, cache.misses) == (292, 3)
    assert [paper.id for paper, _ in results] == [p.id for p in seed_papers], "input order is kept"

    edited = dataclasses.replace(seed_papers[0], abstract=seed_papers[0].abstract + " We release our code.")
    with open_cache(tmp_path) as cache:
        extract([edited, *seed_papers[1:]], cache)
        assert (cache.hits, cache.misses) == (294, 1)


def test_new_extractor_version_redoes_every_paper(
    seed_papers: list[Paper], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_cache(tmp_path) as cache:
        extract(seed_papers, cache)
    monkeypatch.setattr(kg.extract, "EXTRACTOR_VERSION", kg.extract.EXTRACTOR_VERSION + "-next")
    with open_cache(tmp_path) as cache:
        extract(seed_papers, cache)
        assert (cache.hits, cache.misses) == (0, 295)


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
    with open_cache(tmp_path) as cache:
        run = extract_mentions(seed_papers, OPTIONS, cache)
        list(islice(run, CHUNK + 1))  # stopped inside the second chunk
        run.close()
    with open_cache(tmp_path) as cache:
        extract(seed_papers, cache)
        assert (cache.hits, cache.misses) == (2 * CHUNK, 295 - 2 * CHUNK)


def test_damaged_cache_file_is_replaced(seed_papers: list[Paper], tmp_path: Path) -> None:
    path = open_cache(tmp_path).path
    path.write_bytes(b"this is not a database" * 100)
    with open_cache(tmp_path) as cache:
        extract(seed_papers[:5], cache)
        assert cache.misses == 5
    with open_cache(tmp_path) as cache:
        assert len(cache.lookup(seed_papers[:5])) == 5


def test_build_reports_reuse_and_no_cache_turns_it_off(
    seeds_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = str(seeds_dir / "000_74f9ff5177182e17.txt")
    assert main(["build", page, "--out", str(tmp_path), "--jobs", "1"]) == 0
    assert "cache:    0 reused, 49 extracted" in capsys.readouterr().out
    assert main(["build", page, "--out", str(tmp_path), "--jobs", "1"]) == 0
    assert "cache:    49 reused, 0 extracted" in capsys.readouterr().out

    fresh = tmp_path / "fresh"
    assert main(["build", page, "--out", str(fresh), "--jobs", "1", "--no-cache"]) == 0
    assert "cache:    off" in capsys.readouterr().out
    assert not (fresh / ".kg-cache").exists()


def test_unusable_cache_folder_is_one_line(seeds_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / ".kg-cache").write_text("a file where the cache folder should be")
    page = str(seeds_dir / "000_74f9ff5177182e17.txt")
    assert main(["build", page, "--out", str(tmp_path), "--quiet"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("kg: error: cannot use the cache in") and "--no-cache" in err
    assert "\n" not in err
