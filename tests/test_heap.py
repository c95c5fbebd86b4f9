"""The collector policy of a build (kg.heap); resolve's own pause is tested with resolve."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import pytest

from kg.export import ExportOptions, export_all
from kg.graph import KnowledgeGraph
from kg.heap import kept_to_the_end, release_free_memory


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


def _resident_mb() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        return next(int(line.split()[1]) // 1024 for line in status if line.startswith("VmRSS"))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim")
def test_freed_memory_goes_back_to_the_system() -> None:
    """Freed blocks below one still in use stay with the process until they are released."""
    held = [bytearray(100_000) for _ in range(2000)]  # 200 MB in blocks glibc takes from its heap
    for block in held:
        block[::4096] = b"x" * len(block[::4096])  # touched, so resident
    del held[:-1]  # all but the last, which keeps the heap from shrinking by itself
    before = _resident_mb()
    release_free_memory()
    assert _resident_mb() < before - 150
