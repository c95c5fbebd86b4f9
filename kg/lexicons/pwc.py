"""Papers with Code's exports as a lexicon, as they were distributed (``.json`` or ``.json.gz``).

Three of its files name things; which one a file is, its first record tells:

- ``datasets.json``: ``{"name", "full_name", "variants": [...], "tasks": [{"task"}], ...}``
  gives datasets (the full name and variants as aliases) and the tasks they serve;
- ``methods.json``: ``{"name", "full_name", "collections", ...}`` gives methods;
- ``evaluation-tables.json``: tasks ``{"task", "synonyms", "subtasks": [...],
  "datasets": [{"dataset", "subdatasets", "sota": {"metrics", "rows": [{"model_name",
  "metrics": {...}}]}}]}`` gives tasks (a subtask with its task as parent), datasets and metrics (the field names of
  paperswithcode/sota-extractor's schema). Model names are not taken: table
  rows name runs ("Ours", "BERT-large (ensemble)"), not methods.

Task names are written there in title case ("Image Classification") and are
lowered here word by word, all but words with capitals inside ("3D", "NER"),
so they match running text in any case; "Named Entity Recognition (NER)"
gives the name and its acronym as an alias. Dataset and method names stay as
written, and match exactly when they have a capital.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from kg.ingest import json_array
from kg.lexicons import Entry, LexiconError
from kg.problems import Problems

REASON = "bad lexicon record"
#: "Named Entity Recognition (NER)": a name, then another spelling of it in parentheses.
PARENTHESISED = re.compile(r"^(?P<name>.*\S)\s*\((?P<alias>[^()]+)\)$")

Record = dict[str, Any]


class BadRecord(Exception):
    """A record of the export without what every record of it has."""


def read(lines: Iterator[str], path: Path, problems: Problems) -> Iterator[Entry]:
    reader: Callable[[Record], Iterator[Entry]] | None = None
    for line, record in json_array.read(lines, path, problems):
        if reader is None:
            reader = _reader_for(record, path)
        try:
            entries = list(reader(record))
        except BadRecord as err:
            problems.add(path, line, REASON, str(err))
        except (TypeError, AttributeError):  # a field of another shape than the export's
            problems.add(path, line, REASON, "fields of unexpected shape")
        else:
            yield from entries


def _reader_for(record: Record, path: Path) -> Callable[[Record], Iterator[Entry]]:
    """Which export ``record`` comes from; any other file is an error, not a problem per record."""
    if "task" in record:
        return _task
    if "variants" in record or "modalities" in record:
        return _dataset
    if "full_name" in record:
        return _method
    raise LexiconError(
        f"{path} is not a Papers with Code export this reads: its records have neither "
        '"task" (evaluation-tables.json), "variants" (datasets.json) nor "full_name" (methods.json)'
    )


def _names(*values: Any) -> tuple[str, ...]:
    """The non-empty strings among ``values``, spaces tidied, each once."""
    seen: dict[str, None] = {}
    for value in values:
        if isinstance(value, str) and value.split():
            seen.setdefault(" ".join(value.split()))
    return tuple(seen)


def _entry(name: Any, kind: str, *aliases: Any) -> Iterator[Entry]:
    """An entry for ``name``, if it is a name at all; its aliases leave out the name itself."""
    if names := _names(name):
        yield Entry(names[0], kind, tuple(a for a in _names(*aliases) if a != names[0]))


def _name(record: Record, key: str) -> str:
    """The record's name under ``key``, which it must have."""
    if not _names(record.get(key)):
        raise BadRecord(f'no "{key}"')
    return _names(record[key])[0]


def task_name(text: str) -> tuple[str, tuple[str, ...]]:
    """A task as running text writes it, and the acronym it gives in parentheses (if any)."""
    match = PARENTHESISED.match(text)
    name, aliases = (match["name"], (match["alias"],)) if match else (text, ())
    # "Real-Time" and "Image" are capitalised for the title; "3D", "NER" and "RGB-D" are written so.
    words = [w.lower() if all(p[1:] == p[1:].lower() for p in w.split("-")) else w for w in name.split()]
    return " ".join(words), aliases


def _tasks(value: str, synonyms: Any = (), parent: str | None = None) -> Iterator[Entry]:
    name, aliases = task_name(value)
    others = (task_name(s)[0] for s in synonyms or () if isinstance(s, str))
    for entry in _entry(name, "Task", *aliases, *others):
        yield replace(entry, parent=task_name(parent)[0] if parent else None)


def _dataset(record: Record) -> Iterator[Entry]:
    yield from _entry(_name(record, "name"), "Dataset", record.get("full_name"), *(record.get("variants") or ()))
    for task in record.get("tasks") or ():
        yield from _tasks(_name(task, "task"))


def _method(record: Record) -> Iterator[Entry]:
    yield from _entry(_name(record, "name"), "Method", record.get("full_name"))


def _task(record: Record, parent: str | None = None) -> Iterator[Entry]:
    """A task, its datasets and metrics, and its subtasks, each with this task as its parent."""
    name = _name(record, "task")
    yield from _tasks(name, record.get("synonyms"), parent)
    for dataset in record.get("datasets") or ():
        yield from _table_dataset(dataset)
    for subtask in record.get("subtasks") or ():
        yield from _task(subtask, name)


def _table_dataset(dataset: Record) -> Iterator[Entry]:
    yield from _entry(dataset.get("dataset") or dataset.get("subdataset"), "Dataset")
    sota = dataset.get("sota") or {}
    rows = sota.get("rows") or ()
    for metric in _names(*(sota.get("metrics") or ()), *(m for row in rows for m in row.get("metrics") or {})):
        yield Entry(metric, "Metric")
    for sub in dataset.get("subdatasets") or ():
        yield from _table_dataset(sub)
