"""Input files as decoded lines, read one line at a time.

Readers get lines rather than the whole text so that reading a JSON Lines
or CSV file of several gigabytes (the arXiv metadata dump is one) holds
little more than the papers made from it. Decoding the file whole, then
splitting it, held its bytes, its text and a list of its lines at once:
three times the file, and more when one character outside Latin-1 (a curly
quote will do) made Python store the whole text at 2 or 4 bytes per
character.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import BinaryIO

from kg.problems import Problems

#: Bytes looked at to tell text from a binary file.
HEAD = 8192
#: Bytes read at a time when a check runs over the whole file.
CHUNK = 1 << 20
#: A carriage return that ends a line by itself, as in CSV saved by Excel for Mac.
LONE_CR = re.compile(rb"(?<=\r)(?!\n|$)")
#: Single bytes no text file holds in numbers: C0 controls but tab, line
#: breaks, form feed and escape.
_BINARY_BYTES = [bytes([b]) for b in (*range(0x00, 0x09), 0x0B, *range(0x0E, 0x1B), *range(0x1C, 0x20))]


def open_lines(
    path: Path, problems: Problems, on_bytes: Callable[[int], object] | None = None, name: Path | None = None
) -> Iterator[str] | None:
    """The file's lines, each with its line break, or None when it cannot be text at all.

    A file that is UTF-8 except for a few lines loses only those lines (each
    reported when it is read, and given as a blank line so later line numbers
    stay right), not the whole file. ``on_bytes`` hears how many bytes have
    been read, a megabyte or so at a time, for a progress bar. Problems name
    the file ``name`` (standard input's copy is read as a temporary file).
    """
    name = name or path
    try:
        with path.open("rb") as stream:
            head = stream.read(HEAD)
            if not head.strip() and not _has_content(stream):
                problems.add(name, None, "empty file")
                return None
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            # What spreadsheets save as "Unicode text"; it would look binary below.
            problems.add(name, None, "undecodable bytes", "UTF-16 text: save it as UTF-8")
            return None
        if _looks_binary(head):
            problems.add(name, None, "binary file", "not text")
            return None
        undecodable = _mostly_undecodable(path)
    except OSError as err:
        problems.add(name, None, "unreadable file", err.strerror or str(err))
        return None
    if undecodable is not None:
        first, count = undecodable
        # Another encoding or a binary format, not a few bad lines.
        problems.add(name, first, "undecodable bytes", f"not UTF-8 text ({count} lines)")
        return None
    return _lines(path, problems, on_bytes, name)


def _split_lines(stream: Iterable[bytes]) -> Iterator[bytes]:
    """Lines ending in \\n, \\r\\n or a lone \\r, the three that text files (and the csv module) use."""
    for raw in stream:
        returns = raw.count(b"\r")
        if returns == 0 or (returns == 1 and raw.endswith(b"\r\n")):
            yield raw  # the regular expression would cost 10 us on each line of a \r\n file
        else:
            yield from LONE_CR.split(raw)


def _decode(raw: bytes, number: int) -> str:
    """Line ``number`` as text: UTF-8, with a byte-order mark dropped from the first line."""
    return raw.decode("utf-8-sig" if number == 1 else "utf-8")


def _looks_binary(head: bytes) -> bool:
    """Whether more than one byte in 20 of ``head`` is a control code that text does not use.

    One stray NUL in a text file costs the line it is on (the reader reports
    it); only a file full of them (an image, an archive) is not text at all.
    """
    return sum(map(head.count, _BINARY_BYTES)) * 20 > len(head)


def _has_content(stream: BinaryIO) -> bool:
    return any(chunk.strip() for chunk in iter(partial(stream.read, CHUNK), b""))


def _mostly_undecodable(path: Path) -> tuple[int, int] | None:
    """The first bad line and the number of bad lines, when more than a tenth (and 3) of the lines are not UTF-8.

    Most files are UTF-8 throughout, which one pass of the C decoder over the
    bytes shows; only a file that fails it is decoded again line by line.
    """
    with path.open("rb") as stream:
        decoder = codecs.getincrementaldecoder("utf-8-sig")()
        try:
            for chunk in iter(partial(stream.read, CHUNK), b""):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
            return None
        except UnicodeDecodeError:
            stream.seek(0)
        bad: list[int] = []
        count = 0
        for count, raw in enumerate(_split_lines(stream), start=1):
            try:
                _decode(raw, count)
            except UnicodeDecodeError:
                bad.append(count)
    return (bad[0], len(bad)) if len(bad) > max(3, count // 10) else None


def _lines(path: Path, problems: Problems, on_bytes: Callable[[int], object] | None, name: Path) -> Iterator[str]:
    try:
        stream = path.open("rb")
    except OSError as err:  # gone or locked since it was checked
        problems.add(name, None, "unreadable file", err.strerror or str(err))
        return
    unreported = number = 0
    with stream:
        try:
            for number, raw in enumerate(_split_lines(stream), start=1):
                unreported += len(raw)
                if on_bytes is not None and unreported >= CHUNK:
                    on_bytes(unreported)
                    unreported = 0
                try:
                    yield _decode(raw, number)
                except UnicodeDecodeError as err:
                    problems.add(name, number, "undecodable bytes", f"not UTF-8 at column {err.start + 1}")
                    yield "\n"
        except OSError as err:  # a failing disk or network share: what was read is kept
            detail = f"{err.strerror or err}; lines from here on were not read"
            problems.add(name, number + 1, "unreadable file", detail)
    if on_bytes is not None and unreported:
        on_bytes(unreported)
