"""Every kind of bad input gives one line naming file and line, and loses no good record."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

GOOD = {"title": "Good Paper", "abstract": "We study good things. They are good."}


def run_kg(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kg", "extract", "-q", "--jobs", "1", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
    )


def good_file(tmp: Path) -> Path:
    path = tmp / "good.jsonl"
    path.write_text(json.dumps(GOOD) + "\n")
    return path


CASES = {
    "missing file": (lambda d: d / "nope.jsonl", "nope.jsonl: skipped: file not found"),
    "empty file": (lambda d: _write(d / "empty.jsonl", b""), "empty.jsonl: skipped: empty file"),
    "binary": (lambda d: _write(d / "blob.json", b"\x89PNG\r\n\x1a\n\x00\x00"), "blob.json: skipped: binary file"),
    "undecodable bytes": (
        lambda d: _write(d / "latin.jsonl", b'{"title": "a", "abstract": "b"}\n{"title": "caf\xe9"}\n'),
        "latin.jsonl:2: skipped: undecodable bytes",
    ),
    "UTF-16": (
        lambda d: _write(d / "excel.csv", "title\tabstract\nA\tB\n".encode("utf-16")),
        "excel.csv: skipped: undecodable bytes (UTF-16 text: save it as UTF-8)",
    ),
    "unknown format": (lambda d: _write(d / "paper.pdf", b"%PDF-1.4"), "paper.pdf: skipped: unknown format"),
    "malformed JSON line": (
        lambda d: _write(
            d / "mixed.jsonl", (json.dumps({"title": "Other", "abstract": "Fine."}) + "\n{oops\n").encode()
        ),
        "mixed.jsonl:2: skipped: malformed JSON",
    ),
    "CSV without columns": (
        lambda d: _write(d / "cols.csv", b"name,text\nA,B\n"),
        "cols.csv:1: skipped: CSV without the needed columns (missing title, abstract)",
    ),
    "record without abstract": (
        lambda d: _write(d / "noabs.jsonl", b'{"title": "Lonely"}\n'),
        "noabs.jsonl:1: skipped: record without abstract",
    ),
}


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_reported_and_good_records_survive(tmp_path: Path, case: str) -> None:
    make, message = CASES[case]
    bad = make(tmp_path)
    result = run_kg(good_file(tmp_path), bad)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if "skipped:" in line]
    assert len(lines) == 1 and message in lines[0], result.stderr
    titles = [json.loads(line)["title"] for line in result.stdout.splitlines()]
    assert "Good Paper" in titles


def test_all_bad_input_in_one_run_then_a_closing_count(tmp_path: Path) -> None:
    bad = [make(tmp_path) for make, _ in CASES.values()]
    result = subprocess.run(
        [sys.executable, "-m", "kg", "extract", "--jobs", "1", str(good_file(tmp_path)), *map(str, bad)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0
    titles = sorted(json.loads(line)["title"] for line in result.stdout.splitlines())
    assert titles == ["Good Paper", "Other", "a"]
    closing = result.stderr.strip().splitlines()[-1]
    assert closing.startswith(f"kg: skipped {len(CASES)}:")
    assert "1 malformed JSON" in closing and "1 file not found" in closing


def test_nothing_usable_exits_non_zero_without_traceback(tmp_path: Path) -> None:
    result = run_kg(tmp_path / "missing.jsonl", _write(tmp_path / "e.csv", b""))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "no usable papers" in result.stderr.splitlines()[-1]


@pytest.mark.parametrize("engine", ["local", "dask"])
def test_unknown_model_is_one_line_before_any_worker_starts(tmp_path: Path, engine: str) -> None:
    out = str(tmp_path / "out")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "kg",
            "build",
            str(good_file(tmp_path)),
            "--out",
            out,
            "--model",
            "no_such_model",
            "--jobs",
            "2",
            "--engine",
            engine,
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "kg: error: cannot load spaCy model 'no_such_model': neither an installed package nor a model folder"
    ]


def test_a_problem_found_while_a_progress_bar_runs_gets_a_line_of_its_own() -> None:
    import io
    import re

    from tqdm import tqdm

    from kg.problems import Problems

    stream = io.StringIO()
    with tqdm(total=10, desc="reading", file=stream, disable=False, leave=False) as bar:
        bar.update(3)
        Problems(stream=stream).add("mixed.jsonl", 2, "malformed JSON")
    assert "kg: mixed.jsonl:2: skipped: malformed JSON" in re.split(r"[\r\n]", stream.getvalue())


def test_a_read_error_mid_file_keeps_the_records_before_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failing disk or network share: one problem at the line it stopped on, no traceback."""
    import errno
    import io

    from kg.ingest import read_inputs
    from kg.problems import Problems

    path = tmp_path / "papers.jsonl"
    records = [{"title": f"Paper {i}", "abstract": f"We study thing {i}. It works."} for i in range(3)]
    path.write_text("".join(json.dumps(r) + "\n" for r in records))

    class FailsAtLineTwo(io.BytesIO):
        """Reads in blocks (the checks before reading) succeed; the line-by-line read fails at line 2."""

        def __next__(self) -> bytes:
            line = super().__next__()
            if b"Paper 1" in line:
                raise OSError(errno.EIO, "Input/output error")
            return line

    real_open, data = Path.open, path.read_bytes()

    def flaky_open(self: Path, mode: str = "r", *args: object, **kwargs: object) -> object:
        if self == path and mode == "rb":
            return FailsAtLineTwo(data)
        return real_open(self, mode, *args, **kwargs)

    monkeypatch.setattr(Path, "open", flaky_open)
    problems = Problems(stream=None)
    papers = read_inputs([path], problems)
    assert [p.title for p in papers] == ["Paper 0"]
    assert [str(p) for p in problems.items] == [
        f"{path}:2: skipped: unreadable file (Input/output error; lines from here on were not read)"
    ]
