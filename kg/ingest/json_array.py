"""A JSON document: an array of records, one record, or an API page holding them (see :func:`kg.ingest.records_in`).

Line numbers are recovered from the decoder's positions so a problem with
record 200 still points at the right line of the file.

A ``.json`` file may also be JSON Lines: the arXiv metadata dump
(``arxiv-metadata-oai-snapshot.json``) is, with a record per line. A file
whose first line is a whole JSON value and which has more lines after it is
read as JSON Lines, a line at a time.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from itertools import chain
from pathlib import Path
from typing import Any

from kg.ingest import jsonl, records_in
from kg.ingest.jsonl import TOO_DEEP
from kg.problems import Problems

#: Where a record of the array may start: an object after a comma or the opening bracket.
_RECORD_START = re.compile(r"[,\[]\s*(?=\{)")
_SPACE = re.compile(r"\s*")


def _resume(text: str, start: int, failed: int, decoder: json.JSONDecoder) -> tuple[int, Any, int] | None:
    """The first record after one that starts at ``start`` and fails to decode at ``failed``.

    That is an object after a comma (or the bracket), not before the failure,
    that decodes and is followed by a comma or by the end of the array.
    Returns its position, its value and where it ends. An object nested in
    the broken record can still pass for one; it then fails as a paper (no
    title), and reading goes on after it.
    """
    for match in _RECORD_START.finditer(text, start + 1):
        if match.end() < failed:
            continue
        try:
            value, end = decoder.raw_decode(text, match.end())
        except (json.JSONDecodeError, RecursionError):
            continue
        after = _SPACE.match(text, end).end()
        follows = text[after : after + 1]
        if isinstance(value, dict) and (follows == "," or not text[after + 1 :].strip()):
            return match.end(), value, end
    return None


def _records(text: str, path: Path, problems: Problems) -> Iterator[tuple[int, Any]]:
    """The array's records with the lines they start on; a broken record is reported and skipped.

    After a broken record, reading goes on at the next object that decodes
    (see :func:`_resume`), so a missing brace costs one record, not the file.
    """
    decoder = json.JSONDecoder()
    pos = len(text) - len(text.lstrip())
    if text[pos : pos + 1] != "[":
        try:
            value = json.loads(text)
        except json.JSONDecodeError as err:
            problems.add(path, err.lineno, "malformed JSON", err.msg)
            return
        except RecursionError:
            problems.add(path, 1, "malformed JSON", TOO_DEEP)
            return
        if isinstance(value, dict):
            yield from ((1, item) for item in records_in(value))
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
        except (json.JSONDecodeError, RecursionError) as err:
            why = err.msg if isinstance(err, json.JSONDecodeError) else TOO_DEEP
            where = err.lineno if isinstance(err, json.JSONDecodeError) else line
            found = _resume(text, pos, err.pos if isinstance(err, json.JSONDecodeError) else pos, decoder)
            if found is None:
                problems.add(path, where, "malformed JSON", f"{why}; no record after it could be read")
                return
            start, value, pos = found
            line += text.count("\n", counted, start)
            counted = start
            problems.add(path, where, "malformed JSON", f"{why}; read on from line {line}")
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
