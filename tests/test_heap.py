"""The collector policy of a build (kg.heap); resolve's own pause is tested with resolve."""

from __future__ import annotations

import gc
from pathlib import Path

from kg.export import ExportOptions, export_all
from kg.graph import KnowledgeGraph
from kg.heap import kept_to_the_end


def test_what_a_build_keeps_is_frozen_and_the_collector_is_back_on() -> None:
    before = gc.get_freeze_count()
    try:
        with kept_to_the_end():
            assert not gc.isenabled()
            kept = [[n] for n in range(10_000)]  # lists are tracked by the collector
        assert gc.isenabled()
        assert gc.get_freeze_count() >= before + len(kept)
    finally:
        gc.unfreeze()


def test_parallel_exports_leave_a_freeze_of_their_caller_in_place(seed_kg: KnowledgeGraph, tmp_path: Path) -> None:
    """export_all freezes the graph before forking; it undoes only its own freeze, not one kg build made."""
    gc.unfreeze()
    export_all(seed_kg, tmp_path / "alone", ExportOptions(jobs=2), ["graphml", "tables"])
    assert gc.get_freeze_count() == 0
    try:
        with kept_to_the_end():
            kept = [[n] for n in range(10_000)]
        frozen = gc.get_freeze_count()
        export_all(seed_kg, tmp_path / "after", ExportOptions(jobs=2), ["graphml", "tables"])
        assert gc.get_freeze_count() >= frozen >= len(kept)
    finally:
        gc.unfreeze()
