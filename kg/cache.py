"""Per-paper extraction cache: a rebuild redoes only papers it has not seen.

Where: ``<out>/.kg-cache/extract.sqlite``, beside the outputs it feeds, so
removing an output folder removes its cache and two projects never share
entries. One SQLite file rather than many small ones: lookups of 100,000
keys are one indexed query per batch, and writes are transactions.

Key: the SHA-256 of :attr:`Paper.text` (title and abstract), the only input
extractors read. Mentions are stored without their paper id and rebound on
load, so the same abstract under another id is still a hit.

Value: ``[sentences, rows, relations, results]`` in JSON, one positional row
per mention in the column order of :data:`kg.engines.table.COLUMNS` without
``paper_id``, its sentence given as an index into ``sentences``; relations
and results are rows of their fields in the same way. A rebuild decodes every cached
paper: for 10,000 papers this form is 23 MB instead of 52 MB of one JSON
object per mention (a paper's mentions share few sentences) and decodes in
0.3 s instead of 1.1 s.

Scope: the extractor version, model and extractor names (see
:func:`kg.pipeline.cache_scope`) and :data:`STORAGE`, the version of the value
format. A file written under another scope is emptied when opened, so a new
``EXTRACTOR_VERSION`` redoes every paper, a file in an older format is never
misread, and the file never keeps results nobody can use.

Interruption: each chunk of results is committed in one transaction, so a
killed build keeps every chunk it finished and never half of one.

Damage: it is only a cache, so nothing wrong with it stops a build. A file
SQLite calls damaged (not a database, malformed pages) is moved aside, never
deleted, and a new one started; a stored value that does not decode is
extracted again and replaced (see :func:`kg.pipeline.extract_mentions`); a
file that is locked by another program for :data:`BUSY_WAIT` seconds, or
cannot be written (a full disk), is left as it is and the build goes on
without it. Each is one line through ``warn``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import sqlite3
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from kg.engines.table import RELATIONS, TYPES, MentionRows
from kg.progress import print_line
from kg.records import EntityRelation, Extraction, Mention, Paper, RelationType, Result

FOLDER = ".kg-cache"
FILENAME = "extract.sqlite"
#: SQLite allows at most 999 parameters per statement on older builds.
LOOKUP_BATCH = 900
#: Version of the stored value format; change it whenever the format changes.
STORAGE = 3
#: Seconds to wait for another program's lock on the file before going on without the cache.
BUSY_WAIT = 30.0
#: What SQLite says of a file that is not, or no longer, a database it can read.
DAMAGED = {"SQLITE_CORRUPT", "SQLITE_NOTADB"}
#: What :func:`decode` raises for a stored value that is not what :func:`encode` wrote.
UNDECODABLE = (ValueError, KeyError, TypeError, IndexError)
#: Relation types by stored value (see :data:`kg.engines.table.TYPES`).
RELATION_TYPES: dict[str, RelationType] = {t.value: t for t in RelationType}


def text_key(paper: Paper) -> str:
    return hashlib.sha256(paper.text.encode("utf-8")).hexdigest()


def encode(mentions: list[Mention]) -> str:
    """The stored form of one paper's mentions, relations and results (see the module docstring)."""
    sentences: dict[str, int] = {}
    rows = [
        [
            m.text,
            m.type.value,
            m.relation.value,
            m.start,
            m.end,
            sentences.setdefault(m.sentence, len(sentences)),
            m.extractor,
            m.confidence,
            m.long_form,
        ]
        for m in mentions
    ]
    relations = [
        [
            r.head,
            r.type.value,
            r.tail,
            r.head_start,
            r.tail_start,
            sentences.setdefault(r.sentence, len(sentences)),
            r.extractor,
            r.confidence,
        ]
        for r in getattr(mentions, "relations", ())
    ]
    results = [
        [
            r.method,
            r.dataset,
            r.metric,
            r.value,
            r.unit,
            r.kind,
            sentences.setdefault(r.sentence, len(sentences)),
            r.start,
            r.end,
            r.method_start,
            r.dataset_start,
        ]
        for r in getattr(mentions, "results", ())
    ]
    return json.dumps([list(sentences), rows, relations, results], ensure_ascii=False)


def damaged(err: sqlite3.Error) -> bool:
    """Whether SQLite says the file itself is damaged (not locked, not full, not unwritable)."""
    return getattr(err, "sqlite_errorname", None) in DAMAGED


def unusable(path: Path, err: Exception, timeout: float) -> str:
    """The line that says a build goes on without the cache at ``path``, and why."""
    waited = f", after waiting {timeout:g} s" if getattr(err, "sqlite_errorname", None) == "SQLITE_BUSY" else ""
    return f"{path}: cannot use the cache ({err}{waited}); building without it"


def decode(data: str, paper_id: str) -> Extraction:
    """The mentions, relations and results :func:`encode` stored, bound to ``paper_id``."""
    sentences, rows, relations, results = json.loads(data)
    return Extraction(
        (
            Mention(paper_id, text, TYPES[kind], RELATIONS[rel], start, end, sentences[at], extractor, conf, long_form)
            for text, kind, rel, start, end, at, extractor, conf, long_form in rows
        ),
        *_statements(paper_id, sentences, relations, results),
    )


def decode_into(table: MentionRows, position: int, data: str, paper_id: str) -> Extraction:
    """:func:`decode`, but the mentions go into ``table`` as its rows at ``position`` and never become
    records; the Extraction returned holds the relations and results only.

    A build decodes every cached paper, and mention records cost as much
    memory as the whole graph made from them.
    """
    sentences, rows, relations, results = json.loads(data)
    statements = Extraction((), *_statements(paper_id, sentences, relations, results))
    table.add_stored(position, paper_id, sentences, rows)
    return statements


def _statements(
    paper_id: str, sentences: list[str], relations: list[list[Any]], results: list[list[Any]]
) -> tuple[list[EntityRelation], list[Result]]:
    return (
        [
            EntityRelation(paper_id, head, RELATION_TYPES[kind], tail, hs, ts, sentences[at], extractor, conf)
            for head, kind, tail, hs, ts, at, extractor, conf in relations
        ],
        [
            Result(paper_id, method, dataset, metric, value, unit, kind, sentences[at], start, end, ms, ds)
            for method, dataset, metric, value, unit, kind, at, start, end, ms, ds in results
        ],
    )


@dataclasses.dataclass
class ExtractionCache:
    """Extraction results of one scope, persisted in one SQLite file.

    ``hits`` and ``misses`` count lookups, so a caller can report (and a test
    can check) how much work a rebuild actually redid. Opening raises
    ``sqlite3.Error`` or ``OSError`` when the file cannot be used (locked, a
    full disk); a damaged file is moved aside and a new one opened instead.
    """

    path: Path
    scope: str
    hits: int = 0
    misses: int = 0
    #: Seconds to wait for another connection's lock.
    timeout: float = BUSY_WAIT
    #: Hears, in one line, what went wrong with the file.
    warn: Callable[[str], None] = lambda message: print_line(f"kg: {message}", sys.stderr)
    #: None once the cache is given up for the rest of this build.
    _db: sqlite3.Connection | None = dataclasses.field(init=False, repr=False, default=None)

    def __post_init__(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._open()
        except sqlite3.DatabaseError as err:
            if not damaged(err):
                raise  # locked, or cannot be written: the file is left as it is
            self._move_aside(err)
            self._open()

    def _open(self) -> None:
        db = sqlite3.connect(self.path, timeout=self.timeout)
        try:
            with db:
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
                db.execute("CREATE TABLE IF NOT EXISTS mentions (key TEXT PRIMARY KEY, mentions TEXT NOT NULL)")
                scope = f"{self.scope};storage={STORAGE}"
                row = db.execute("SELECT value FROM meta WHERE name = 'scope'").fetchone()
                reset = row is not None and row[0] != scope
                if row is None or reset:
                    db.execute("DELETE FROM mentions")
                    db.execute("INSERT OR REPLACE INTO meta VALUES ('scope', ?)", (scope,))
            if reset:
                db.execute("VACUUM")  # give the emptied pages back to the file system
        except BaseException:
            db.close()
            raise
        self._db = db

    def _move_aside(self, err: sqlite3.Error) -> None:
        """Rename the damaged file (and its journal) out of the way: it is kept for whoever wants to look."""
        self.close()
        stamp = time.strftime("%Y%m%d-%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.damaged-{stamp}")
        for suffix in ("", "-wal", "-shm"):
            source = Path(f"{self.path}{suffix}")
            if source.exists():
                source.rename(f"{aside}{suffix}")
        self.warn(f"{self.path}: damaged cache ({err}); moved to {aside.name}, extracting afresh")

    def _give_up(self, err: sqlite3.Error) -> None:
        """After an error in use: a damaged file is moved aside and replaced, anything else ends its use."""
        if damaged(err):
            try:
                self._move_aside(err)
                self._open()
                return
            except (OSError, sqlite3.Error) as again:
                err = again
        self.close()
        self.warn(unusable(self.path, err, self.timeout))

    def undecodable(self, count: int) -> None:
        """``count`` values :meth:`lookup` returned did not decode: they are misses, extracted and stored again."""
        self.hits -= count
        self.misses += count
        self.warn(f"{self.path}: {count} stored result(s) could not be read; extracting those papers again")

    @classmethod
    def in_folder(cls, out_dir: Path, scope: str, **options: Any) -> ExtractionCache:
        """The cache of the build folder ``out_dir``; ``options`` are ``timeout`` and ``warn``."""
        return cls(out_dir / FOLDER / FILENAME, scope, **options)

    def lookup(self, papers: Sequence[Paper]) -> dict[int, str]:
        """Stored results by index into ``papers``, still encoded; absent indexes are misses.

        Decoding (:func:`decode`) is left to the caller, which can do it while
        the engine starts on the misses.
        """
        if self._db is None:  # given up: every paper is a miss
            self.misses += len(papers)
            return {}
        keys = [text_key(p) for p in papers]
        stored: dict[str, str] = {}
        unique = sorted(set(keys))
        try:
            for i in range(0, len(unique), LOOKUP_BATCH):
                batch = unique[i : i + LOOKUP_BATCH]
                marks = ",".join("?" * len(batch))
                stored.update(self._db.execute(f"SELECT key, mentions FROM mentions WHERE key IN ({marks})", batch))
        except sqlite3.DatabaseError as err:
            self._give_up(err)
            stored = {}
        found = {i: stored[key] for i, key in enumerate(keys) if key in stored}
        self.hits += len(found)
        self.misses += len(papers) - len(found)
        return found

    def store(self, results: Iterable[tuple[Paper, list[Mention]]]) -> None:
        if self._db is None:  # given up: encoding the results would be thrown away
            return
        rows = [(text_key(paper), encode(mentions)) for paper, mentions in results]
        try:
            with self._db:
                self._db.executemany("INSERT OR REPLACE INTO mentions VALUES (?, ?)", rows)
        except sqlite3.DatabaseError as err:
            self._give_up(err)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def __enter__(self) -> ExtractionCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
