"""Atomic file writes: a reader never sees a half-written export.

Every exporter writes into a temporary file beside the destination and the
file is renamed into place only when writing succeeded, so an interrupted or
failed build leaves the previous outputs intact.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO


@contextmanager
def atomic_path(dest: Path) -> Iterator[Path]:
    """Yield a temporary path; move it onto ``dest`` if the block succeeds."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, 0o644)
        os.replace(tmp_path, dest)
    finally:
        tmp_path.unlink(missing_ok=True)


@contextmanager
def atomic_text(dest: Path) -> Iterator[TextIO]:
    """A buffered UTF-8 text stream whose content replaces ``dest`` on success.

    For exporters that stream large documents line by line: "\n" line ends on
    every platform, and a 1 MiB buffer so millions of small writes stay cheap.
    """
    with atomic_path(dest) as tmp, tmp.open("w", encoding="utf-8", newline="\n", buffering=1 << 20) as out:
        yield out
