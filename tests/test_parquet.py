"""Parquet tables of the seed build hold exactly the CSV tables' rows, with their types."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest


@pytest.mark.parametrize("table", ["papers", "entities", "mentions"])
def test_parquet_table_equals_csv_table(seed_build: Path, table: str) -> None:
    parquet = pd.read_parquet(seed_build / f"{table}.parquet")
    csv = pd.read_csv(seed_build / f"{table}.csv", keep_default_na=False, dtype=parquet.dtypes.to_dict())
    assert len(parquet) > 0
    pd.testing.assert_frame_equal(parquet, csv)


def test_parquet_keeps_numbers_typed(seed_build: Path) -> None:
    mentions = pd.read_parquet(seed_build / "mentions.parquet")
    assert mentions["start"].dtype == "int64" and mentions["end"].dtype == "int64"
    assert mentions["confidence"].dtype == "float64"
    assert (mentions["end"] > mentions["start"]).all()
    assert pd.read_parquet(seed_build / "entities.parquet")["papers"].dtype == "int64"
