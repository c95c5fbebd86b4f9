"""A JSON document: an array of records, or an object holding one under a key.

Line numbers are recovered from the decoder's positions so a problem with
record 200 still points at the right line of the file.

A ``.json`` file may also be JSON Lines: the arXiv metadata dump
(``arxiv-metadata-oai-snapshot.json``) is, with a record per line. A file
whose first line is a whole JSON value and which has more lines after it is
read as JSON Lines, a line at a time.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from itertools import chain
from pathlib import Path
from typing import Any

from kg.ingest import jsonl
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
    # Counted on from the last record, not from the start: counting from the
    # start made reading an array quadratic (22 s for 10,000 records).
    line, counted = 1, 0
    while True:
        while pos < len(text) and text[pos] in " \t\r\n,":
            pos += 1
        if pos >= len(text):
            problems.add(path, text.count("\n") + 1, "malformed JSON", "array is not closed")
            return
        if text[pos] == "]":
            return
        line += text.count("\n", counted, pos)
        counted = pos
        try:
            value, pos = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as err:
            problems.add(path, err.lineno, "malformed JSON", err.msg)
            return
        yield line, value


def _head(lines: Iterator[str]) -> list[str]:
    """The lines up to and including the second that is not blank (or all of them, if fewer)."""
    head: list[str] = []
    seen = 0
    for line in lines:
        head.append(line)
        seen += bool(line.strip())
        if seen == 2:
            break
    return head


def _is_json_lines(head: list[str]) -> bool:
    filled = [line for line in head if line.strip()]
    if len(filled) < 2:
        return False
    try:
        json.loads(filled[0])
    except json.JSONDecodeError:
        return False
    return True


def read(lines: Iterator[str], path: Path, problems: Problems) -> Iterator[tuple[int, dict[str, Any]]]:
    head = _head(lines)
    if _is_json_lines(head):
        yield from jsonl.read(chain(head, lines), path, problems)
        return
    for line, value in _records("".join(chain(head, lines)), path, problems):
        if isinstance(value, dict):
            yield line, value
        else:
            problems.add(path, line, "record is not a JSON object")
