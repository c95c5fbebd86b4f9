"""Parquet tables of the seed build hold exactly the CSV tables' rows, with their types."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from kg.export import ExportOptions, export_all
from kg.export.tables import TABLES, Row, neutral
from kg.graph import KnowledgeGraph
from kg.iri import Iris
from kg.records import Entity, EntityType, Link, Paper, Relation


@pytest.mark.parametrize("table", ["papers", "entities", "mentions"])
def test_parquet_table_equals_csv_table(seed_build: Path, table: str) -> None:
    parquet = pd.read_parquet(seed_build / f"{table}.parquet")
    csv = pd.read_csv(seed_build / f"{table}.csv", keep_default_na=False, dtype=parquet.dtypes.to_dict())
    assert len(parquet) > 0
    # The same text, but for what the CSV files neutralise against spreadsheets.
    pd.testing.assert_frame_equal(parquet.apply(lambda column: column.map(neutral)), csv)


FORMULAS = ['=HYPERLINK("http://e.org","x")', "+1-core MCU", "-2+3", "@SUM(A1)", "\tTab"]


def test_csv_cells_a_spreadsheet_would_run_are_neutral_and_parquet_keeps_the_text(tmp_path: Path) -> None:
    papers = [Paper(id=f"paper:{i}", title=text, abstract=text) for i, text in enumerate(FORMULAS)]
    entity = Entity(id="method:x", type=EntityType.METHOD, label=FORMULAS[0], aliases=FORMULAS[1:])
    links = [Link(p.id, entity.id, Relation.USES, p.abstract, 0, 1, "test", 1.0, p.title) for p in papers]
    export_all(KnowledgeGraph(papers, [entity], links), tmp_path, ExportOptions(), ["tables", "parquet"])
    csv_papers = pd.read_csv(tmp_path / "papers.csv", keep_default_na=False)
    assert list(csv_papers["title"]) == [f"'{text}" for text in FORMULAS]
    assert list(pd.read_csv(tmp_path / "mentions.csv", keep_default_na=False)["surface"]) == list(csv_papers["title"])
    assert pd.read_csv(tmp_path / "entities.csv", keep_default_na=False)["label"][0] == f"'{FORMULAS[0]}"
    assert list(pd.read_parquet(tmp_path / "papers.parquet")["title"]) == FORMULAS
    assert list(pd.read_parquet(tmp_path / "mentions.parquet")["surface"]) == FORMULAS
    assert neutral("\rReturn") == "'\rReturn"
    assert [neutral(text) for text in ("a=b", "x-1", "", "R@1", 3, -0.5)] == ["a=b", "x-1", "", "R@1", 3, -0.5]


def test_parquet_keeps_numbers_typed(seed_build: Path) -> None:
    mentions = pd.read_parquet(seed_build / "mentions.parquet")
    assert mentions["start"].dtype == "int64" and mentions["end"].dtype == "int64"
    assert mentions["confidence"].dtype == "float64"
    assert (mentions["end"] > mentions["start"]).all()
    assert pd.read_parquet(seed_build / "entities.parquet")["papers"].dtype == "int64"


def test_a_rebuild_makes_rows_only_for_what_changed(
    grown_seed_kgs: tuple[KnowledgeGraph, KnowledgeGraph], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows of unchanged papers come from the previous file, and the file equals one written afresh."""
    before, after = grown_seed_kgs
    options = ExportOptions(cache_dir=tmp_path / "incremental" / ".kg-cache")
    export_all(before, tmp_path / "incremental", options, ["parquet"])

    made: list[str] = []
    papers = TABLES["papers"]

    def counted(kg: KnowledgeGraph, iris: Iris, paper: Paper) -> list[Row]:
        made.append(paper.id)
        return papers.rows(kg, iris, paper)

    monkeypatch.setitem(TABLES, "papers", replace(papers, rows=counted))
    export_all(after, tmp_path / "incremental", options, ["parquet"])
    changed = [p.id for p in after.papers if before.paper_keys.get(p.id) != after.paper_keys[p.id]]
    assert made == changed
    assert 0 < len(changed) < len(after.papers) // 2

    export_all(after, tmp_path / "fresh", ExportOptions(), ["parquet"])
    for table in ("papers", "entities", "mentions"):
        rebuilt = (tmp_path / "incremental" / f"{table}.parquet").read_bytes()
        assert rebuilt == (tmp_path / "fresh" / f"{table}.parquet").read_bytes(), table


def test_an_unreadable_previous_file_is_written_in_full(seed_kg: KnowledgeGraph, tmp_path: Path) -> None:
    """A previous file its index still matches (same size and time) but Parquet cannot read: no reuse, no error."""
    options = ExportOptions(cache_dir=tmp_path / ".kg-cache")
    export_all(seed_kg, tmp_path, options, ["parquet"])
    dest = tmp_path / "mentions.parquet"
    expected, stat = dest.read_bytes(), dest.stat()
    dest.write_bytes(b"\0" * len(expected))
    os.utime(dest, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    export_all(seed_kg, tmp_path, options, ["parquet"])
    assert dest.read_bytes() == expected


def test_a_previous_file_unreadable_past_its_footer_is_written_in_full(
    seed_kg: KnowledgeGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Row groups are read only when their rows are taken; one that fails then means no reuse, and no error."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    options = ExportOptions(cache_dir=tmp_path / ".kg-cache")
    export_all(seed_kg, tmp_path, options, ["parquet"])
    expected = (tmp_path / "mentions.parquet").read_bytes()

    def damaged(self: pq.ParquetFile, index: int) -> pa.Table:
        raise pa.ArrowInvalid("Couldn't deserialize thrift: TProtocolException: Invalid data")

    monkeypatch.setattr(pq.ParquetFile, "read_row_group", damaged)
    export_all(seed_kg, tmp_path, options, ["parquet"])
    assert (tmp_path / "mentions.parquet").read_bytes() == expected


def rebuilt_as_fresh(grown: tuple[KnowledgeGraph, KnowledgeGraph], tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """Each table rebuilt from the first graph's files to the second's, checked to be a fresh build's bytes."""
    before, after = grown
    options = ExportOptions(cache_dir=tmp_path / "incremental" / ".kg-cache")
    export_all(before, tmp_path / "incremental", options, ["parquet"])
    export_all(after, tmp_path / "incremental", options, ["parquet"])
    export_all(after, tmp_path / "fresh", ExportOptions(), ["parquet"])
    for table in ("papers", "entities", "mentions"):
        rebuilt = tmp_path / "incremental" / f"{table}.parquet"
        assert rebuilt.read_bytes() == (tmp_path / "fresh" / f"{table}.parquet").read_bytes(), table
        yield table, rebuilt


def test_tables_are_written_a_row_group_at_a_time_and_rebuilt_across_groups(
    grown_seed_kgs: tuple[KnowledgeGraph, KnowledgeGraph], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Groups end at segment ends, so a rebuild taking runs of rows across groups writes a fresh build's bytes."""
    import pyarrow.parquet as pq

    from kg.export import parquet

    monkeypatch.setattr(parquet, "ROW_GROUP", 40)
    after = grown_seed_kgs[1]
    for table, rebuilt in rebuilt_as_fresh(grown_seed_kgs, tmp_path):
        metadata = pq.ParquetFile(rebuilt).metadata
        sizes = [metadata.row_group(i).num_rows for i in range(metadata.num_row_groups)]
        assert len(sizes) > 2, table
        # Every group but the last reaches 40 rows and ends with the segment that got it there.
        iris = ExportOptions().iris
        largest = max(len(TABLES[table].rows(after, iris, r)) for _, r in TABLES[table].records(after, iris))
        assert all(40 <= size < 40 + largest for size in sizes[:-1]), (table, sizes)


@pytest.mark.parametrize("text_limit", [None, 10])
def test_columns_from_buffers_equal_what_pyarrow_makes_of_the_rows(
    seed_kg: KnowledgeGraph, text_limit: int | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every table of the seed graph, empty or not; past the text limit a column goes through pa.array instead."""
    import pyarrow as pa

    from kg.export import parquet

    if text_limit is not None:
        monkeypatch.setattr(parquet, "MAX_OFFSET", text_limit)
    iris = ExportOptions().iris
    for table in TABLES.values():
        rows = [row for _, record in table.records(seed_kg, iris) for row in table.rows(seed_kg, iris, record)]
        assert rows
        for some in (rows, []):
            arrow = parquet.schema(table)
            expected = pa.Table.from_pylist([dict(zip(arrow.names, row, strict=True)) for row in some], schema=arrow)
            made = parquet.from_rows(some, table)
            assert made.equals(expected)
            assert made.schema.equals(arrow)


def test_writing_parquet_does_not_import_pandas(seed_kg: KnowledgeGraph, tmp_path: Path) -> None:
    """pa.array() imports pandas (0.3 s) on its first call; the exporter builds its columns without it."""
    script = f"""
import pickle, sys
from pathlib import Path
from kg.export import ExportOptions, export_all
kg = pickle.loads(Path({str(tmp_path / "kg.pickle")!r}).read_bytes())
export_all(kg, Path({str(tmp_path)!r}), ExportOptions(), ["parquet"])
assert (Path({str(tmp_path)!r}) / "mentions.parquet").stat().st_size > 0
sys.exit(3 if "pandas" in sys.modules else 0)
"""
    # A graph without the indexes seed_kg has cached, so that the subprocess works them out itself.
    unindexed = KnowledgeGraph(seed_kg.papers, seed_kg.entities, seed_kg.links, model=seed_kg.model)
    (tmp_path / "kg.pickle").write_bytes(pickle.dumps(unindexed))
    assert subprocess.run([sys.executable, "-c", script], check=False).returncode == 0


def test_a_rebuilt_table_of_many_pages_equals_a_fresh_one(
    grown_seed_kgs: tuple[KnowledgeGraph, KnowledgeGraph], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where Parquet ends a data page depends on how a column arrives in chunks, so each group is made one chunk.

    A rebuild's group mixes runs of the previous file's rows with new rows.
    At the benchmark's sizes columns span many pages of the default 1 MB;
    pages of 2 KB make the seed graph's do too.
    """
    from functools import partial

    import pyarrow.parquet as pq

    monkeypatch.setattr(pq, "ParquetWriter", partial(pq.ParquetWriter, data_page_size=2048))
    assert len(list(rebuilt_as_fresh(grown_seed_kgs, tmp_path))) == 3
