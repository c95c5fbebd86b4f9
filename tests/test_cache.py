"""The extraction cache on real seed papers: what a rebuild redoes, counted, not timed.

Most tests use the first pages' worth of seed papers: the counts behave the
same at any size and extraction is the slow part of the suite.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from itertools import islice
from pathlib import Path

import pytest

import kg.cache
import kg.engines
from kg.cache import ExtractionCache, decode, encode, text_key
from kg.cli import main
from kg.engines.table import COLUMNS
from kg.ingest import read_inputs
from kg.pipeline import CHUNK, ExtractOptions, cache_scope, extract_mentions
from kg.problems import Problems
from kg.records import EntityRelation, EntityType, Extraction, Mention, Paper, Relation, RelationType, Result

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
    package = sys.modules["kg.extract"]  # kg.extract is the function kg.extract()
    monkeypatch.setattr(package, "EXTRACTOR_VERSION", package.EXTRACTOR_VERSION + "-next")
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


def truncated(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def overwritten(path: Path) -> None:
    path.write_bytes(b"this is not a database" * 100)


def pages_damaged(path: Path) -> None:
    """Every page but the first (the header) overwritten: SQLite opens it, then finds it malformed."""
    data = bytearray(path.read_bytes())
    data[4096:] = b"\xff" * (len(data) - 4096)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", [overwritten, truncated, pages_damaged])
def test_damaged_cache_file_is_moved_aside_and_replaced(
    seed_papers: list[Paper], tmp_path: Path, damage: Callable[[Path], None]
) -> None:
    said: list[str] = []
    with open_cache(tmp_path) as cache:
        extract(seed_papers[:SOME], cache)
    with sqlite3.connect(cache.path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    damage(cache.path)
    damaged_bytes = cache.path.read_bytes()
    with ExtractionCache.in_folder(tmp_path, cache_scope(OPTIONS), warn=said.append) as cache:
        results = extract(seed_papers[:SOME], cache)
        assert cache.hits == 0
    assert len(said) == 1 and said[0].startswith(f"{cache.path}: damaged cache (") and "moved to" in said[0]
    (aside,) = cache.path.parent.glob("extract.sqlite.damaged-*")
    assert aside.read_bytes() == damaged_bytes, "moved aside, never deleted"
    with open_cache(tmp_path) as cache:
        assert extract(seed_papers[:SOME], cache) == results
        assert cache.hits == SOME, "the new cache holds this build's results"


def test_undecodable_rows_are_extracted_again_and_replaced(seed_papers: list[Paper], tmp_path: Path) -> None:
    papers = seed_papers[:5]
    with open_cache(tmp_path) as cache:
        expected = extract(papers, cache)
    with sqlite3.connect(cache.path) as db:
        db.execute("UPDATE mentions SET mentions = '[\"half a' WHERE key = ?", (text_key(papers[1]),))
        db.execute("UPDATE mentions SET mentions = '[[], [[1]]]' WHERE key = ?", (text_key(papers[3]),))
    db.close()
    said: list[str] = []
    with ExtractionCache.in_folder(tmp_path, cache_scope(OPTIONS), warn=said.append) as cache:
        assert extract(papers, cache) == expected
        assert (cache.hits, cache.misses) == (3, 2)
    assert said == [f"{cache.path}: 2 stored result(s) could not be read; extracting those papers again"]
    with open_cache(tmp_path) as cache:
        assert extract(papers, cache) == expected
        assert cache.hits == 5, "the damaged rows were replaced"


def test_a_locked_cache_is_waited_for_then_the_build_goes_on(seed_papers: list[Paper], tmp_path: Path) -> None:
    """Before: an OperationalError traceback after 30 s."""
    papers = seed_papers[:5]
    with open_cache(tmp_path) as cache:
        extract(papers[:4], cache)
    expected = extract(papers, None)
    holder = sqlite3.connect(cache.path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another program writing
    said: list[str] = []
    try:
        with ExtractionCache.in_folder(tmp_path, cache_scope(OPTIONS), timeout=0.2, warn=said.append) as cache:
            assert extract(papers, cache) == expected
            assert (cache.hits, cache.misses) == (4, 1)
    finally:
        holder.close()
    assert said == [
        f"{cache.path}: cannot use the cache (database is locked, after waiting 0.2 s); building without it"
    ]
    with open_cache(tmp_path) as cache:
        assert len(cache.lookup(papers)) == 4, "the file is left as it was"


def test_a_full_disk_while_opening_keeps_the_cache_file(
    seed_papers: list[Paper], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before: the error was taken for damage, and extract.sqlite was deleted."""
    with open_cache(tmp_path) as cache:
        extract(seed_papers[:5], cache)
    before = cache.path.read_bytes()
    full = sqlite3.OperationalError("database or disk is full")
    full.sqlite_errorname = "SQLITE_FULL"

    def disk_full(*args: object, **kwargs: object) -> sqlite3.Connection:
        raise full

    monkeypatch.setattr(sqlite3, "connect", disk_full)
    with pytest.raises(sqlite3.OperationalError):
        open_cache(tmp_path)
    monkeypatch.undo()
    assert cache.path.read_bytes() == before
    assert [path.name for path in cache.path.parent.iterdir() if path.name.startswith("extract")] == ["extract.sqlite"]


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


def test_unusable_cache_folder_is_one_line_and_the_build_goes_on(
    seeds_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / ".kg-cache").write_text("a file where the cache folder should be")
    page = str(seeds_dir / "000_74f9ff5177182e17.txt")
    assert main(["build", page, "--out", str(tmp_path), "--quiet", "--jobs", "1"]) == 0
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"kg: {tmp_path}/.kg-cache/extract.sqlite: cannot use the cache (") and err.endswith(
        "; building without it"
    )
    assert "\n" not in err
    assert (tmp_path / "graph.ttl").is_file()


MENTIONS = [
    Mention("p", "DARTS", EntityType.METHOD, Relation.PROPOSES, 0, 5, "DARTS is fast.", "methods", 0.75, "Differ Arch"),
    Mention("p", "CIFAR-10", EntityType.DATASET, Relation.EVALUATES_ON, 9, 17, "DARTS is fast.", "datasets"),
    Mention("p", "github.com/a/b", EntityType.REPOSITORY, Relation.HAS_CODE, 30, 44, "Code: github.com/a/b", "links"),
]


def test_stored_mentions_keep_every_field_and_each_sentence_once() -> None:
    data = encode(MENTIONS)
    assert decode(data, "p") == MENTIONS
    assert decode(data, "q") == [dataclasses.replace(m, paper_id="q") for m in MENTIONS]
    sentences, rows, relations, results = json.loads(data)
    assert sentences == ["DARTS is fast.", "Code: github.com/a/b"]
    assert all(len(row) == len(COLUMNS) - 1 for row in rows), "every column but paper_id is stored"
    assert relations == results == []


def test_stored_relations_and_results_come_back_with_the_mentions() -> None:
    sentence = "DARTS reaches 97.0% accuracy on CIFAR-10."
    found = Extraction(
        MENTIONS,
        [EntityRelation("p", "DARTS", RelationType.EVALUATED_ON, "CIFAR-10", 0, 9, sentence, "relations:x", 0.9)],
        [Result("p", "DARTS", "CIFAR-10", "accuracy", 97.0, "%", "absolute", sentence, 14, 18, 0, 9)],
    )
    back = decode(encode(found), "p")
    assert back == MENTIONS
    assert back.relations == found.relations and back.results == found.results
    assert back.relations[0].sentence is back.results[0].sentence, "one sentence string, shared"


def test_cache_in_the_old_format_is_emptied_not_misread(tmp_path: Path) -> None:
    paper = Paper(id="p", title="DARTS", abstract="DARTS is fast.")
    path = open_cache(tmp_path).path
    with sqlite3.connect(path) as db:  # as kg wrote it before the format got a version: one object per mention
        db.execute("UPDATE meta SET value = ? WHERE name = 'scope'", (cache_scope(OPTIONS),))
        old = [{k: v for k, v in dataclasses.asdict(m).items() if k != "paper_id"} for m in MENTIONS]
        db.execute("INSERT INTO mentions VALUES (?, ?)", (text_key(paper), json.dumps(old)))
    db.close()
    with open_cache(tmp_path) as cache:
        assert cache.lookup([paper]) == {}
        cache.store([(paper, MENTIONS)])
    with open_cache(tmp_path) as cache:
        assert decode(cache.lookup([paper])[0], "p") == MENTIONS


def test_engine_starts_before_cached_results_are_decoded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Worker start-up and model loading overlap the decoding of cached results; closing shuts the engine down."""
    papers = [Paper(id=f"p{i}", title=f"Paper {i}", abstract="An abstract.") for i in range(4)]
    started, closed = threading.Event(), threading.Event()

    def engine(fresh: Sequence[Paper], options: ExtractOptions) -> Iterator[tuple[list[Paper], list[list[Mention]]]]:
        started.set()
        try:
            for paper in fresh:
                yield [paper], [[]]
        finally:
            closed.set()

    real_decode = kg.cache.decode

    def decode_once_started(data: str, paper_id: str) -> list[Mention]:
        assert started.wait(timeout=10), "cached results were decoded before the engine started"
        return real_decode(data, paper_id)

    monkeypatch.setattr(kg.engines, "get_engine", lambda name: engine)
    monkeypatch.setattr(kg.cache, "decode", decode_once_started)
    with open_cache(tmp_path) as cache:
        cache.store([(papers[0], MENTIONS), (papers[2], [])])
        run = extract_mentions(papers, OPTIONS, cache)
        first, second, third = islice(run, 3)
        run.close()
    expected = [dataclasses.replace(m, paper_id="p0") for m in MENTIONS]
    assert [first, second, third] == [(papers[0], expected), (papers[1], []), (papers[2], [])]
    assert closed.is_set(), "closing the run closed the engine"


@pytest.mark.parametrize("abstract", ["We propose DARTS.", "We  propose\tDARTS.\n", " We propose\u00a0DARTS. "])
def test_spacing_in_the_input_does_not_change_the_key(abstract: str, tmp_path: Path) -> None:
    record = tmp_path / "paper.jsonl"
    record.write_text(json.dumps({"title": "DARTS", "abstract": abstract}) + "\n")
    [paper] = read_inputs([record], Problems(stream=None))
    assert paper.abstract == "We propose DARTS."
    assert text_key(paper) == text_key(Paper(id="p", title="DARTS", abstract="We propose DARTS."))


def test_a_reset_cache_gives_its_space_back(tmp_path: Path) -> None:
    papers = [Paper(id=f"p{i}", title=f"Paper {i}", abstract="An abstract. " * 200) for i in range(200)]
    with ExtractionCache.in_folder(tmp_path, "extractor-version=old") as cache:
        cache.store((paper, MENTIONS) for paper in papers)
    full = cache.path.stat().st_size
    with ExtractionCache.in_folder(tmp_path, "extractor-version=new") as cache:
        assert cache.lookup(papers) == {}
    assert cache.path.stat().st_size < full / 4


def test_each_cached_value_is_let_go_once_decoded() -> None:
    """Held to the end, the encoded values of every cached paper were most of what decoding added to the peak."""
    from kg.pipeline import _decode_in_background

    stored = {i: f"stored value {i}" for i in range(5)}
    left: list[tuple[int, int]] = []

    def decode(i: int, data: str) -> list[Mention]:
        left.append((i, len(stored)))  # values not yet decoded, this one taken out already
        return []

    assert _decode_in_background(stored, decode).result() == {i: [] for i in range(5)}
    assert left == [(0, 4), (1, 3), (2, 2), (3, 1), (4, 0)]
