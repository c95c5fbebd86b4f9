"""Per-paper extraction cache: a rebuild redoes only papers it has not seen.

Where: ``<out>/.kg-cache/extract.sqlite``, beside the outputs it feeds, so
removing an output folder removes its cache and two projects never share
entries. One SQLite file rather than many small ones: lookups of 100,000
keys are one indexed query per batch, and writes are transactions.

Key: the SHA-256 of :attr:`Paper.text` (title and abstract), the only input
extractors read. Mentions are stored without their paper id and rebound on
load, so the same abstract under another id is still a hit.

Scope: the extractor version, model and extractor names (see
:func:`kg.pipeline.cache_scope`). A file written under another scope is
emptied when opened, so a new ``EXTRACTOR_VERSION`` redoes every paper and
the file never keeps results nobody can use.

Interruption: each chunk of results is committed in one transaction, so a
killed build keeps every chunk it finished and never half of one.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path

from kg.engines.table import from_row, to_row
from kg.records import Mention, Paper

FOLDER = ".kg-cache"
FILENAME = "extract.sqlite"
#: SQLite allows at most 999 parameters per statement on older builds.
LOOKUP_BATCH = 900


def text_key(paper: Paper) -> str:
    return hashlib.sha256(paper.text.encode("utf-8")).hexdigest()


def _encode(mentions: list[Mention]) -> str:
    return json.dumps([{k: v for k, v in to_row(m).items() if k != "paper_id"} for m in mentions], ensure_ascii=False)


def _decode(data: str, paper_id: str) -> list[Mention]:
    return [from_row({**row, "paper_id": paper_id}) for row in json.loads(data)]


@dataclasses.dataclass
class ExtractionCache:
    """Extraction results of one scope, persisted in one SQLite file.

    ``hits`` and ``misses`` count lookups, so a caller can report (and a test
    can check) how much work a rebuild actually redid.
    """

    path: Path
    scope: str
    hits: int = 0
    misses: int = 0
    _db: sqlite3.Connection = dataclasses.field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._open()
        except sqlite3.DatabaseError:
            # Not a database (a damaged or foreign file): it is only a cache, start afresh.
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            self._open()

    def _open(self) -> None:
        self._db = sqlite3.connect(self.path, timeout=30)
        with self._db:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
            self._db.execute("CREATE TABLE IF NOT EXISTS mentions (key TEXT PRIMARY KEY, mentions TEXT NOT NULL)")
            row = self._db.execute("SELECT value FROM meta WHERE name = 'scope'").fetchone()
            if row is None or row[0] != self.scope:
                self._db.execute("DELETE FROM mentions")
                self._db.execute("INSERT OR REPLACE INTO meta VALUES ('scope', ?)", (self.scope,))

    @classmethod
    def in_folder(cls, out_dir: Path, scope: str) -> ExtractionCache:
        return cls(out_dir / FOLDER / FILENAME, scope)

    def lookup(self, papers: Sequence[Paper]) -> dict[int, list[Mention]]:
        """Cached mentions by index into ``papers``; absent indexes are misses."""
        keys = [text_key(p) for p in papers]
        stored: dict[str, str] = {}
        unique = sorted(set(keys))
        for i in range(0, len(unique), LOOKUP_BATCH):
            batch = unique[i : i + LOOKUP_BATCH]
            marks = ",".join("?" * len(batch))
            stored.update(self._db.execute(f"SELECT key, mentions FROM mentions WHERE key IN ({marks})", batch))
        found = {i: _decode(stored[key], papers[i].id) for i, key in enumerate(keys) if key in stored}
        self.hits += len(found)
        self.misses += len(papers) - len(found)
        return found

    def store(self, results: Iterable[tuple[Paper, list[Mention]]]) -> None:
        rows = [(text_key(paper), _encode(mentions)) for paper, mentions in results]
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO mentions VALUES (?, ?)", rows)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> ExtractionCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
