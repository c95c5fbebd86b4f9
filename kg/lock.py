"""One build at a time per output folder.

Two builds writing into one folder at once would leave some files from one
and some from the other. A build holds an exclusive ``flock`` on
``OUT/.kg-lock`` from the moment it writes there until it ends; the file
holds the holder's process id, so a second build can say whom it waits
for. The kernel releases the lock when the holder's processes end, however
they end, so a killed build never leaves a stale lock behind.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK_FILE = ".kg-lock"
#: Seconds a build waits for another build of the same folder to end (``kg build --wait``).
WAIT = 300.0
#: Seconds between attempts while waiting.
POLL = 0.1


class FolderBusy(Exception):
    """Another build held the output folder for longer than the caller would wait."""


#: Folders this process holds, with how many nested holds: a build holds its
#: folder and calls export_all, which holds it too. So the lock keeps
#: processes apart, not threads of one process.
_held: dict[Path, int] = {}


@contextmanager
def holding(folder: Path, wait: float = WAIT, say: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold ``folder``'s lock for the block, waiting up to ``wait`` seconds; ``say`` hears why it waits."""
    key = folder.resolve()
    if key in _held:
        _held[key] += 1
        try:
            yield
        finally:
            _held[key] -= 1
        return
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / LOCK_FILE, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        _acquire(fd, folder, wait, say)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        _held[key] = 1
        try:
            yield
        finally:
            del _held[key]
    finally:
        os.close(fd)  # releases the lock


def _acquire(fd: int, folder: Path, wait: float, say: Callable[[str], None] | None) -> None:
    import fcntl

    deadline = time.monotonic() + wait
    told = False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        holder = _holder(fd)
        if time.monotonic() >= deadline:
            raise FolderBusy(
                f"{folder} is in use by another build ({holder}); waited {wait:g} s "
                f"(kg build --wait SECONDS waits longer)"
            )
        if not told and say is not None:
            say(f"{folder} is in use by another build ({holder}); waiting up to {wait:g} s")
            told = True
        time.sleep(POLL)


def _holder(fd: int) -> str:
    text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    return f"pid {text}" if text.isdigit() else "pid unknown"
