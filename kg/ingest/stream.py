"""Standard input (``-``), FIFOs and devices as inputs.

Reading a file looks at it more than once (the encoding check reads it whole
before its lines are read), which a pipe cannot give, and a pipe has no
suffix to choose a reader by. So such an input is first copied to a
temporary file (on disk, not in memory), and its format is told from its
content when its name does not tell it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kg.ingest.text import CHUNK, HEAD
from kg.problems import Problems

#: The input that names standard input, and the name problems and sources give it.
STDIN = Path("-")
STDIN_NAME = "<stdin>"
_CELL_SEPARATOR = re.compile(r"[,;\t]")


def is_stream(path: Path) -> bool:
    """Whether ``path`` is standard input or something that exists but is neither a file nor a folder."""
    if path == STDIN:
        return True
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def stream_name(path: Path) -> str:
    """What problem lines and a paper's sources call ``path``.

    A name's bytes that are not UTF-8 are written as ``\\xff``: Python keeps
    them as lone surrogates, which no export can write.
    """
    return STDIN_NAME if path == STDIN else os.fsencode(path).decode("utf-8", "backslashreplace")


@contextmanager
def as_regular_file(path: Path, problems: Problems) -> Iterator[Path | None]:
    """``path`` itself when it is a regular file; else a temporary copy of what it gives (None if unreadable)."""
    if not is_stream(path):
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="kg-input-") as folder:
        copy = Path(folder) / "input"
        try:
            with copy.open("wb") as target:
                if path == STDIN:
                    shutil.copyfileobj(sys.stdin.buffer, target, CHUNK)
                else:
                    with path.open("rb") as source:
                        shutil.copyfileobj(source, target, CHUNK)
        except OSError as err:
            problems.add(stream_name(path), None, "unreadable file", err.strerror or str(err))
            copy = None
        yield copy


def sniff(path: Path) -> str:
    """The suffix of the reader that fits ``path``'s content.

    ``<`` opens XML (an arXiv API feed); ``[`` a JSON array; ``{`` a JSON Lines file when the first line is
    a whole value, else one JSON object; a first line with ``title`` and
    ``abstract`` cells is a CSV header; anything else is Daily Papers text.
    """
    with path.open("rb") as stream:
        head = stream.read(HEAD).decode("utf-8", "replace").lstrip("\ufeff \t\r\n")
    first = head.split("\n", 1)[0]
    if head.startswith("<"):
        return ".xml"
    if head.startswith("["):
        return ".json"
    if head.startswith("{"):
        try:
            json.loads(first)
        except (json.JSONDecodeError, RecursionError):
            return ".json"
        return ".jsonl"
    cells = {cell.strip().strip('"').lower() for cell in _CELL_SEPARATOR.split(first)}
    return ".csv" if {"title", "abstract"} <= cells else ".txt"
