"""Incremental export files: what did not change is copied from the previous build.

A large export is a header, a run of *segments* and a footer. A segment is
the rendering of one paper (its node or triples, or its links) or of one
entity, and its key is a digest of the records it is rendered from (see
:attr:`~kg.graph.KnowledgeGraph.paper_keys`, ``mention_keys``, ``entity_keys``).
After writing a file, its segment index (key -> where those bytes sit in the
file) is saved in the cache folder; the next build copies each segment whose
key the index holds straight from the previous file, adjacent ones in a
single copy, and renders only the rest. Adding 1% new papers re-renders
those papers, the entities whose degree changed and the old papers whose
links the larger resolution changed. An entity that gets another label (an
acronym vote tipping one way) re-renders every paper that links it only in
the mentions tables, the one place a paper's segment prints entity labels.
Adding 100 papers to 10,000 benchmark papers re-rendered 119 old papers in
the other files and 662 in the mentions tables (662 everywhere before).

Spans count bytes for text formats. Parquet, compressed column by column,
cannot be copied in byte runs, so its index counts rows instead
(:mod:`kg.export.parquet`); :func:`rewritten` serves both.

The index is trusted only for the file it describes (same size and
modification time to the nanosecond) and for the same *context*: the code
that renders (every source file of kg) and the export options. Anything else
and the file is written in full, as with no cache at all. The new file is
written beside the old one and renamed over it (:mod:`kg.atomic`), so the
old one stays intact, and readable for copying, until the new one is whole;
in a build, the index is renamed with it, when every export succeeded.
"""

from __future__ import annotations

import array
import hashlib
import json
import os
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import BinaryIO

from kg.atomic import atomic_path

#: Version of the index files themselves.
INDEX_FORMAT = 1
#: Where indexes live inside the cache folder.
INDEX_FOLDER = "segments"
PACKAGE = Path(__file__).resolve().parent.parent


@cache
def code_fingerprint() -> str:
    """A digest of kg's own source: any change to how segments render invalidates every index."""
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(PACKAGE.rglob("*")):
        if path.suffix in {".py", ".txt", ".html"} and path.is_file():
            digest.update(path.relative_to(PACKAGE).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


#: Bytes per read when the kernel cannot copy between the files itself.
READ_SIZE = 1 << 20


@dataclass
class _Previous:
    """The previous build's file (an open descriptor) and where its segments are."""

    fd: int
    spans: dict[str, tuple[int, int]]


def _copy(source: int, out: BinaryIO, start: int, end: int) -> None:
    """Bytes ``start:end`` of ``source`` appended to ``out``.

    ``os.copy_file_range`` copies inside the kernel (or shares the blocks, on
    file systems that can): no byte passes through Python, and no page of
    the old file counts towards this process's memory. Where it is missing
    or refused, the bytes are read and written a megabyte at a time.
    """
    out.flush()
    while start < end:
        try:
            copied = os.copy_file_range(source, out.fileno(), end - start, start)
        except (AttributeError, OSError):
            break
        if copied == 0:
            break
        start += copied
    while start < end:
        chunk = os.pread(source, min(end - start, READ_SIZE), start)
        if not chunk:
            raise OSError(f"the previous file ended at byte {start}, before its segment index said")
        out.write(chunk)
        start += len(chunk)


@dataclass
class SegmentWriter:
    """Writes one file as raw bytes and keyed segments, reusing segments of the previous build."""

    out: BinaryIO
    previous: _Previous | None
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)
    reused: int = 0
    rendered: int = 0
    _position: int = 0
    #: A run of reused bytes not yet copied: (start, end) in the previous file.
    _pending: tuple[int, int] | None = None

    def write(self, data: bytes) -> None:
        """Bytes that belong to no segment (headers, footers, separators): always written."""
        if not data:
            return  # nothing to write: keep a run of reused segments going
        self._flush()
        self.out.write(data)
        self._position += len(data)

    def segment(self, key: str, render: Callable[..., bytes], *args: object) -> None:
        """The bytes ``render(*args)`` gives, or the same bytes from the previous file if ``key`` is there."""
        span = self.previous.spans.get(key) if self.previous is not None else None
        if span is None:
            data = render(*args)
            self.write(data)
            self.spans[key] = (self._position - len(data), len(data))
            self.rendered += 1
            return
        start, length = span
        if self._pending is not None and self._pending[1] == start:
            self._pending = (self._pending[0], start + length)
        else:
            self._flush()
            self._pending = (start, start + length)
        self.spans[key] = (self._position, length)
        self._position += length
        self.reused += 1

    def _flush(self) -> None:
        if self._pending is not None and self.previous is not None:
            _copy(self.previous.fd, self.out, *self._pending)
        self._pending = None

    def close(self) -> None:
        self._flush()


def _index_path(cache_dir: Path, dest: Path) -> Path:
    return cache_dir / INDEX_FOLDER / f"{dest.name}.idx"


def _load(index: Path, dest: Path, context: str) -> dict[str, tuple[int, int]] | None:
    """The previous spans if ``index`` describes the file now at ``dest`` under ``context``.

    An index is a JSON header line, the keys one per line, then the starts
    and lengths as 64-bit arrays: at 100,000 papers it loads in a fraction
    of the time a JSON object of the same spans would.
    """
    try:
        data = index.read_bytes()
        stat = dest.stat()
        head_end = data.index(b"\n")
        head = json.loads(data[:head_end])
        expected = {"format": INDEX_FORMAT, "context": context, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
        if any(head.get(k) != v for k, v in expected.items()):
            return None
        keys_end = head_end + 1 + head["keys_bytes"]
        keys = data[head_end + 1 : keys_end].decode().split("\n") if head["count"] else []
        spans = array.array("q", data[keys_end:])
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None  # no index, or a damaged one: write the file in full
    count = len(keys)
    if count != head["count"] or len(spans) != 2 * count:
        return None
    return dict(zip(keys, zip(spans[:count], spans[count:], strict=True), strict=True))


def _save(index: Path, written: Path, context: str, spans: dict[str, tuple[int, int]]) -> None:
    """Save ``spans`` as the index of the file ``written`` (its size and time survive the rename)."""
    stat = written.stat()
    keys = "\n".join(spans).encode()
    head = {
        "format": INDEX_FORMAT,
        "context": context,
        "size": stat.st_size,
        "mtime_ns": stat.st_mtime_ns,
        "count": len(spans),
        "keys_bytes": len(keys),
    }
    numbers = array.array("q", [start for start, _ in spans.values()])
    numbers.extend(length for _, length in spans.values())
    with atomic_path(index) as tmp:
        tmp.write_bytes(json.dumps(head).encode() + b"\n" + keys + numbers.tobytes())


@dataclass
class Rewrite:
    """One export file being replaced: where to write it, and the segment spans of both builds."""

    #: The temporary file that becomes the destination when the rewrite succeeds.
    tmp: Path
    #: Key -> span in the file now at the destination, or None when there is nothing to reuse.
    previous: dict[str, tuple[int, int]] | None
    #: Key -> span in the new file, filled in by the writer, saved as the next build's index.
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)


@contextmanager
def rewritten(dest: Path, context: str, cache_dir: Path | None) -> Iterator[Rewrite]:
    """A :class:`Rewrite` of ``dest`` that replaces it atomically when the block succeeds.

    ``context`` names everything besides the segment keys that decides the
    content (options, model); :func:`code_fingerprint` is added here. Spans
    are whatever unit the writer counts in (bytes, rows). With no
    ``cache_dir`` there is nothing to reuse and no index is kept.
    """
    context = f"{context};code={code_fingerprint()}"
    index = _index_path(cache_dir, dest) if cache_dir is not None else None
    with atomic_path(dest) as tmp:
        rewrite = Rewrite(tmp, _load(index, dest, context) if index is not None else None)
        yield rewrite
        if index is not None:
            # Written (and staged, in a build) before the file it describes is renamed: in
            # between, old index and new file, or new index and old file, do not match.
            _save(index, tmp, context, rewrite.spans)


@contextmanager
def segmented(dest: Path, context: str, cache_dir: Path | None) -> Iterator[SegmentWriter]:
    """A :class:`SegmentWriter` whose bytes replace ``dest`` atomically (see :func:`rewritten`)."""
    # The previous file (the ExitStack) is closed before the new one is renamed over it.
    with rewritten(dest, context, cache_dir) as rewrite, ExitStack() as stack:
        previous = None
        if rewrite.previous is not None:
            previous = _Previous(stack.enter_context(dest.open("rb")).fileno(), rewrite.previous)
        with rewrite.tmp.open("wb", buffering=1 << 20) as out:
            writer = SegmentWriter(out, previous, rewrite.spans)
            yield writer
            writer.close()
