"""Engines: the Dask engine gives the local engine's graph on the seed pages."""

from __future__ import annotations

import contextlib
import multiprocessing
import socket
import warnings
from pathlib import Path

import pytest

import kg.engines.dask
from kg.cli import main
from kg.engines import EngineError, get_engine, local
from kg.engines.local import IN_PROCESS, WARM_IN_PROCESS, chunk_size
from kg.engines.table import COLUMNS, MentionRows, MentionTable, from_parquet, per_paper, schema, to_parquet
from kg.ingest import read_inputs
from kg.pipeline import CHUNK, ExtractOptions, all_mentions, extract_mentions
from kg.problems import Problems
from kg.records import EntityType, Mention, Paper, Relation
from kg.resolve import resolve


@pytest.fixture(scope="module")
def seed_papers(seeds_dir: Path) -> list[Paper]:
    return read_inputs([seeds_dir], Problems(stream=None))


@pytest.fixture(scope="module")
def local_mentions(seed_papers: list[Paper]) -> list[Mention]:
    return all_mentions(extract_mentions(seed_papers, ExtractOptions(jobs=1, progress=False)))


def test_dask_engine_output_equals_local_engine_output(seed_papers: list[Paper], local_mentions: list[Mention]) -> None:
    """Also with Dask's default HTTP port taken, as by another cluster: no warning about it."""
    options = ExtractOptions(jobs=2, engine="dask", progress=False)
    with socket.socket() as other_cluster, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with contextlib.suppress(OSError):  # taken already: the case this covers
            other_cluster.bind(("127.0.0.1", 8787))
            other_cluster.listen()
        results = list(extract_mentions(seed_papers, options))
    assert not [w for w in caught if "8787" in str(w.message)]
    assert [p.id for p, _ in results] == [p.id for p in seed_papers]
    dask_mentions = all_mentions(results)
    assert dask_mentions == local_mentions
    assert resolve(dask_mentions) == resolve(local_mentions)


def test_mention_table_round_trips_through_parquet(local_mentions: list[Mention]) -> None:
    assert local_mentions, "the seed pages have mentions"
    assert schema().names == list(COLUMNS)
    assert from_parquet(to_parquet(local_mentions)) == local_mentions
    assert from_parquet(to_parquet([])) == []


def test_mentions_regroup_by_paper_in_input_order(seed_papers: list[Paper], local_mentions: list[Mention]) -> None:
    grouped = per_paper(seed_papers, reversed(local_mentions))
    assert len(grouped) == len(seed_papers)
    for paper, mentions in zip(seed_papers, grouped, strict=True):
        assert all(m.paper_id == paper.id for m in mentions)
    assert sum(map(len, grouped)) == len(local_mentions)


def texts(table: MentionTable) -> list[str]:
    return [table.text.values[code] for code in table.text.codes.tolist()]


def test_mention_rows_go_into_input_order_however_they_come() -> None:
    """The cached papers' rows come first, from another thread; fresh papers and source links after."""
    rows = MentionRows()
    rows.add_stored(2, "p2", ["s"], [["C", "Method", "uses", 0, 1, 0, "x", 0.9, None]])
    rows.add_stored(0, "p0", ["s", "t"], [["A", "Dataset", "evaluates_on", 4, 5, 1, "x", 1.0, "Long A"]])
    link = Mention("p0", "o/r", EntityType.REPOSITORY, Relation.HAS_CODE, 9, 9, "given", "links")
    rows.add(0, [link])
    rows.add(1, [Mention("p1", "B", EntityType.TASK, Relation.ADDRESSES, 0, 1, "u", "y", 0.5, "")])
    table = rows.table()
    assert texts(table) == ["A", "o/r", "B", "C"]
    assert [table.paper_id.values[code] for code in table.paper_id.codes.tolist()] == ["p0", "p0", "p1", "p2"]
    assert [table.sentence.values[code] for code in table.sentence.codes.tolist()] == ["t", "given", "u", "s"]
    assert table.long_form.codes.tolist()[::2] == [table.long_form.values.index("Long A"), -1]  # "" is none
    assert table.start.tolist() == [4, 9, 0, 0] and table.confidence.tolist() == [1.0, 1.0, 0.5, 0.9]


@pytest.mark.parametrize(
    "damaged",
    [
        ["A", "Method", "uses", 0, 1, 7, "x", 0.9, None],  # no sentence 7
        ["A", "Spell", "uses", 0, 1, 0, "x", 0.9, None],  # no such type
        ["A", "Method", "uses", "0", 1, 0, "x", 0.9, None],  # an offset that is no number
        ["A", "Method", "uses", 0, 1, 0, "x", 0.9],  # a column short
    ],
)
def test_a_damaged_stored_row_adds_none_of_its_paper(damaged: list[object]) -> None:
    rows = MentionRows()
    rows.add_stored(0, "p0", ["s"], [["B", "Method", "uses", 0, 1, 0, "x", 0.9, None]])
    good = ["C", "Task", "addresses", 2, 3, 0, "x", 0.8, "Long C"]
    with pytest.raises((ValueError, KeyError, TypeError, IndexError)):
        rows.add_stored(1, "p1", ["s"], [good, damaged])
    table = rows.table()
    assert texts(table) == ["B"]
    (entity,), _ = resolve(table)  # the strings of the paper's good row, left in the table's dictionaries, are no rows
    assert entity.label == "B"


def test_unknown_engine_names_the_choices() -> None:
    with pytest.raises(EngineError, match="choose from local, dask"):
        get_engine("spark")


def test_unreachable_scheduler_is_one_line(
    seeds_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(kg.engines.dask, "CONNECT_TIMEOUT", "1s")
    page = str(seeds_dir / "000_74f9ff5177182e17.txt")
    assert main(["extract", page, "--engine", "dask", "--scheduler", "tcp://127.0.0.1:9", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("kg: error: cannot reach Dask scheduler at tcp://127.0.0.1:9")
    assert err.count("\n") == 1


def test_scheduler_without_dask_engine_is_refused(seeds_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(seeds_dir), "--scheduler", "tcp://127.0.0.1:9", "--quiet"]) == 2
    assert capsys.readouterr().err == "kg: error: --scheduler needs --engine dask\n"


@pytest.mark.parametrize(
    ("count", "started_early", "model_here", "pool"),
    [
        (IN_PROCESS, False, False, False),
        (IN_PROCESS, True, False, True),
        (WARM_IN_PROCESS, True, True, False),
        (WARM_IN_PROCESS + 1, True, True, True),
    ],
)
def test_a_handful_of_papers_runs_in_this_process_unless_workers_start_ready(
    seed_papers: list[Paper],
    local_mentions: list[Mention],
    monkeypatch: pytest.MonkeyPatch,
    count: int,
    started_early: bool,
    model_here: bool,
    pool: bool,
) -> None:
    """A pool costs more to start than the model does, unless start_early had the forkserver import spaCy.

    A process that has the model loaded already (one that builds again)
    parses up to WARM_IN_PROCESS papers itself.
    """
    pools: list[str] = []
    get_context = multiprocessing.get_context

    def counted(method: str) -> multiprocessing.context.BaseContext:
        pools.append(method)
        return get_context(method)

    monkeypatch.setattr(multiprocessing, "get_context", counted)
    monkeypatch.setattr(local, "_started_early", started_early)
    monkeypatch.setattr(local, "has_runner", lambda options: model_here)
    papers = seed_papers[:count]
    mentions = all_mentions(extract_mentions(papers, ExtractOptions(jobs=2, progress=False)))
    ids = {p.id for p in papers}
    assert mentions == [m for m in local_mentions if m.paper_id in ids]
    assert bool(pools) is pool


@pytest.mark.parametrize(
    ("count", "jobs", "size"),
    [(100, 2, 50), (193, 2, 49), (129, 4, 33), (10_000, 2, CHUNK), (10_000, 4, 63)],
)
def test_pool_chunks_keep_every_worker_busy_to_the_end(count: int, jobs: int, size: int) -> None:
    assert chunk_size(count, jobs) == size
