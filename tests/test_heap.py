"""The collector policy of a build (kg.heap); resolve's own pause is tested with resolve."""

from __future__ import annotations

import gc

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
