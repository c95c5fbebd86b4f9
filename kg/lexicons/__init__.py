"""Users' own names: lexicon files given with ``--lexicon`` or ``kg.build(lexicons=...)``.

A lexicon adds names to the package's lists (``kg/data``) or gives one of
them another type, without editing the package. Formats, by file suffix
(``.gz`` is unpacked first):

- ``.csv``: rows ``name,type[,alias...]`` (:mod:`kg.lexicons.csv_names`);
- ``.json``: Papers with Code's exports as they were distributed,
  ``datasets.json``, ``methods.json`` and ``evaluation-tables.json``
  (:mod:`kg.lexicons.pwc`).

The names travel to extraction workers inside
:class:`~kg.pipeline.ExtractOptions` as a :class:`Lexicon`, not through
globals of the parent, so forked, spawned and Dask workers all read them;
its :attr:`Lexicon.digest` is part of the extraction cache's scope, so a
changed lexicon re-extracts.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from kg import registry
from kg.problems import Problems

#: What a lexicon's type column may say (any case) -> the kind it gives.
#: "Family" is what the package's families.txt gives: a concept, never a named method.
TYPES = {
    "method": "Method",
    "dataset": "Dataset",
    "task": "Task",
    "metric": "Metric",
    "concept": "Family",
    "family": "Family",
}


class LexiconError(Exception):
    """A lexicon file that cannot be read at all (missing, not text, not a known format)."""


@dataclass(frozen=True, slots=True)
class Entry:
    """A name the user gives, its kind (a value of :data:`TYPES`) and other spellings of it.

    ``parent`` is the broader task of a task, when the lexicon says (Papers with Code's subtasks).
    """

    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    parent: str | None = None


@dataclass(frozen=True)
class Lexicon:
    """The entries of every lexicon file of a run, one per name; the later file wins."""

    entries: tuple[Entry, ...] = ()
    #: Identifies the entries (not the files' paths): the cache scope and each process's Runner key.
    digest: str = field(default="", compare=False)

    @classmethod
    def of(cls, entries: Iterable[Entry]) -> Lexicon:
        from kg.resolve import fold

        by_name: dict[str, Entry] = {}
        for entry in entries:
            old = by_name.pop(fold(entry.name), None)  # a later entry also moves to the end
            if old is not None and old.parent and not entry.parent:
                entry = replace(entry, parent=old.parent)  # a task listed again at the top keeps its parent
            by_name[fold(entry.name)] = entry
        kept = tuple(by_name.values())
        if not kept:
            return cls()
        text = json.dumps(
            [[e.name, e.kind, list(e.aliases), *filter(None, [e.parent])] for e in kept], ensure_ascii=False
        )
        return cls(kept, hashlib.sha256(text.encode("utf-8")).hexdigest())

    def groups(self) -> dict[str, str]:
        """Folded alias -> folded name, for :func:`kg.resolve.resolve`: an alias is one entity with its name.

        The resolver reads this instead of mentions carrying their name as a
        long form: an abstract that defines the acronym the other way round
        ("Reversible Column Network (RevCol)" where the lexicon has RevCol
        with the alias "Reversible Column Network") would then tie the two
        spellings to each other and keep them apart.
        """
        from kg.resolve import fold

        return {fold(form): fold(e.name) for e in self.entries if e.kind != "Metric" for form in (e.name, *e.aliases)}

    def parents(self) -> dict[str, str]:
        """Folded task name -> folded name of its broader task, where the lexicon gives one."""
        from kg.resolve import fold

        return {fold(e.name): fold(e.parent) for e in self.entries if e.kind == "Task" and e.parent}


#: No names of the user's: what extraction uses unless told otherwise.
NO_LEXICON = Lexicon()

Reader = Callable[[Iterator[str], Path, Problems], Iterator[Entry]]

#: File suffix (after any ``.gz``) -> "module:function" of a :data:`Reader`. Imported lazily.
READERS: dict[str, str] = {
    ".csv": "kg.lexicons.csv_names:read",
    ".json": "kg.lexicons.pwc:read",
}


def read_lexicons(paths: Iterable[str | Path], problems: Problems) -> Lexicon:
    """Every entry of the files at ``paths``, in order; a bad row or record is a problem, not an error.

    Raises :class:`LexiconError` for a file that cannot be read at all, so a
    lexicon the user asked for is never silently left out.
    """
    entries: list[Entry] = []
    for path in map(Path, paths):
        inner = Path(path.stem) if path.suffix.lower() == ".gz" else path
        reader = registry.load_named(READERS, inner.suffix.lower(), "lexicon suffix", LexiconError)
        try:
            entries.extend(reader(_lines(path), path, problems))
        except (OSError, UnicodeDecodeError, EOFError) as err:
            reason = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
            raise LexiconError(f"cannot read lexicon {path}: {reason}") from None
    return Lexicon.of(entries)


def _lines(path: Path) -> Iterator[str]:
    """The file's lines, a gzipped one unpacked, as UTF-8 (a byte-order mark dropped)."""
    opener = gzip.open if path.suffix.lower() == ".gz" else open
    with opener(path, "rt", encoding="utf-8-sig", newline="") as stream:
        yield from stream
