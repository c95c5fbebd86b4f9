"""What a build does with Python's cyclic garbage collector.

A build makes millions of objects (papers, mentions, entities, links and
their indexes), frees almost none of them before it ends, and makes no
reference cycles among them. Every collection the allocations trigger walks
all of them for nothing, and the young generation grows with them, so the
first collection after a long pause is the costliest of all.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Keep the collector from rescanning, while the block runs, a heap that only grows.

    Safe anywhere: the collector is as it was afterwards. What the block
    made is still young then, and the next collection walks all of it once.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def kept_to_the_end() -> Iterator[None]:
    """:func:`collector_paused`, then everything alive is frozen: never walked by the collector again.

    For a process that keeps what the block builds until it exits (a
    ``kg build``), not for a library call: frozen objects are still freed
    by reference counting, but a cycle among them is never collected.
    Not for a block that runs spaCy: a parse can leave its Doc in a
    reference cycle (24 of 1,000 benchmark papers did), which only the
    collector frees. Around resolution, on a rebuild of 10,000 benchmark
    papers plus 100, it saves the 0.2 s the first collection after it
    spent walking the resolver's new objects.
    """
    with collector_paused():
        yield
        gc.freeze()


def release_free_memory() -> None:
    """Hand the memory the C allocator holds free back to the system (glibc's ``malloc_trim``; elsewhere, nothing).

    Decoding and resolution free far more than they keep (the mention
    table's strings and the index dicts that made it), but glibc keeps the
    freed pages for later allocations, so without this the process stayed
    as large as at its peak for the whole export stage: at 100,000
    benchmark papers 800 MB after resolution, 480 MB after trimming.
    """
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    trim = getattr(ctypes.CDLL(None), "malloc_trim", None)  # absent from musl, for one
    if trim is not None:
        trim(0)
