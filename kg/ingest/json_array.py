"""A JSON document: an array of records, or an object holding one under a key.

Line numbers are recovered from the decoder's positions so a problem with
record 200 still points at the right line of the file.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kg.problems import Problems


def _records(text: str, path: Path, problems: Problems) -> Iterator[tuple[int, Any]]:
    decoder = json.JSONDecoder()
    pos = len(text) - len(text.lstrip())
    if text[pos : pos + 1] != "[":
        try:
            value = json.loads(text)
        except json.JSONDecodeError as err:
            problems.add(path, err.lineno, "malformed JSON", err.msg)
            return
        if isinstance(value, dict):
            inner = next((v for v in value.values() if isinstance(v, list)), None)
            yield from ((1, item) for item in (inner if inner is not None else [value]))
        else:
            problems.add(path, 1, "JSON is neither an array nor an object")
        return
    pos += 1
    while True:
        while pos < len(text) and text[pos] in " \t\r\n,":
            pos += 1
        if pos >= len(text):
            problems.add(path, text.count("\n") + 1, "malformed JSON", "array is not closed")
            return
        if text[pos] == "]":
            return
        line = text.count("\n", 0, pos) + 1
        try:
            value, pos = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as err:
            problems.add(path, err.lineno, "malformed JSON", err.msg)
            return
        yield line, value


def read(lines: Iterator[str], path: Path, problems: Problems) -> Iterator[tuple[int, dict[str, Any]]]:
    for line, value in _records("".join(lines), path, problems):
        if isinstance(value, dict):
            yield line, value
        else:
            problems.add(path, line, "record is not a JSON object")
