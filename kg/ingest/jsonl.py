"""JSON Lines: one JSON object per line (a record, or an API page of them); a bad line is skipped, not fatal."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from kg.ingest import records_in
from kg.problems import Problems

#: Why a record nested deeper than Python's recursion limit (about 1,000 levels) was skipped.
TOO_DEEP = "nested too deeply"


def read(lines: Iterable[str], path: Path, problems: Problems) -> Iterator[tuple[int, dict[str, Any]]]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as err:
            problems.add(path, number, "malformed JSON", err.msg)
            continue
        except RecursionError:
            problems.add(path, number, "malformed JSON", TOO_DEEP)
            continue
        for record in records_in(value) if isinstance(value, dict) else [value]:
            if isinstance(record, dict):
                yield number, record
            else:
                problems.add(path, number, "record is not a JSON object")
