"""Atomic file writes: a reader never sees a half-written export, nor a mix of two builds.

Every exporter writes into a temporary file beside the destination and the
file is renamed into place only when writing succeeded. Inside
:func:`staged`, the rename waits: the caller renames every file of a build
together once all of them are written (:func:`commit`), or removes them
(:func:`discard`), so a failed or killed build leaves the previous set of
outputs whole. What a killed build leaves (``.NAME.XXXXXXXX.tmp``) is
removed by the next one (:func:`remove_leftovers`).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

#: A temporary file waiting for its rename, and its destination.
Staged = tuple[Path, Path]

#: Where :func:`atomic_path` puts finished files instead of renaming them, inside :func:`staged`.
#: One list per process: exports of one process run one after another (see :mod:`kg.lock`).
_staged: list[Staged] | None = None


@contextmanager
def atomic_path(dest: Path) -> Iterator[Path]:
    """Yield a temporary path; move it onto ``dest`` if the block succeeds (or stage it, see :func:`staged`)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    files = _staged
    try:
        yield tmp_path
        os.chmod(tmp_path, 0o644)
        if files is None:
            os.replace(tmp_path, dest)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise
    if files is not None:
        files.append((tmp_path, dest))


@contextmanager
def atomic_text(dest: Path) -> Iterator[TextIO]:
    """A buffered UTF-8 text stream whose content replaces ``dest`` on success.

    For exporters that stream large documents line by line: "\n" line ends on
    every platform, and a 1 MiB buffer so millions of small writes stay cheap.
    """
    with atomic_path(dest) as tmp, tmp.open("w", encoding="utf-8", newline="\n", buffering=1 << 20) as out:
        yield out


@contextmanager
def staged() -> Iterator[list[Staged]]:
    """Within the block, files written through :func:`atomic_path` wait in the list it yields.

    The caller then renames them all with :func:`commit` or drops them with
    :func:`discard`: the outputs of one build are one generation.
    """
    global _staged
    outer, _staged = _staged, []
    try:
        yield _staged
    finally:
        _staged = outer


def commit(files: Iterable[Staged]) -> None:
    """Rename every staged file onto its destination."""
    for tmp, dest in files:
        os.replace(tmp, dest)


def discard(files: Iterable[Staged]) -> None:
    """Remove every staged file: the destinations keep what they held."""
    for tmp, _ in files:
        tmp.unlink(missing_ok=True)


def remove_leftovers(folder: Path) -> None:
    """Remove the temporary files a killed or failed build left in ``folder``.

    Only for a folder whose lock this process holds (see :mod:`kg.lock`):
    then no other build is writing temporary files there.
    """
    if folder.is_dir():
        for leftover in folder.glob(".*.*.tmp"):
            if leftover.is_file():
                leftover.unlink(missing_ok=True)
