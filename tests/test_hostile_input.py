"""Hostile and unlucky input (issue 17): one record never stops a run, readers resynchronise, patterns are linear."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

import kg
from kg.extract import links
from kg.ingest import ARXIV_ID, find_arxiv_id, normalise_title, read_file, read_inputs
from kg.ingest.clean import printable, truncate
from kg.ingest.daily_papers import DATE_LINE, looks_like_abstract
from kg.ingest.scirex import detokenize
from kg.ingest.stream import sniff
from kg.problems import Problem, Problems, escape


@pytest.fixture(scope="module")
def seed_records(seeds_dir: Path) -> list[dict[str, str]]:
    """100 real papers as plain records."""
    papers = read_inputs([seeds_dir], Problems(stream=None))[:100]
    return [{"title": p.title, "abstract": p.abstract} for p in papers]


def _quiet() -> Problems:
    return Problems(stream=None)


def _jsonl(path: Path, records: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _kg(*args: str | Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kg", *map(str, args)],
        capture_output=True,
        text=True,
        input=stdin,
        timeout=300,
    )


# -- every record is isolated -------------------------------------------------------------------


def test_hostile_records_cost_nothing_but_themselves_in_kg_extract(
    seed_records: list[dict[str, str]], tmp_path: Path
) -> None:
    """Deep nesting, a lone surrogate, control characters and a 2.2-million-character abstract in one run."""
    deep = '{"title": "Deep", "abstract": "Deep.", "n": ' + "[" * 5000 + "]" * 5000 + "}\n"
    surrogate = '{"title": "T \\ud800", "abstract": "We use BERT on \\udfff GLUE."}\n'
    control = json.dumps({"title": "Red \x1b[31mtitle", "abstract": "We use BERT.\x00 It works."}) + "\n"
    huge = json.dumps({"title": "Huge", "abstract": "We study huge things with BERT. " * 70_000}) + "\n"
    hostile = tmp_path / "hostile.jsonl"
    hostile.write_text(deep + surrogate + control + huge, encoding="utf-8")
    good = _jsonl(tmp_path / "good.jsonl", seed_records[:3])

    result = _kg("extract", "-q", "--jobs", "1", hostile, good)

    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    titles = [json.loads(line)["title"] for line in result.stdout.splitlines()]
    assert titles == ["T \ufffd", "Red [31mtitle", "Huge", *(r["title"] for r in seed_records[:3])]
    assert result.stderr.splitlines() == [
        f"kg: {hostile}:1: skipped: malformed JSON (nested too deeply)",
        f"kg: {hostile}:2: cleaned: unprintable characters (2 lone surrogates replaced by U+FFFD)",
        f"kg: {hostile}:3: cleaned: unprintable characters (2 control characters removed)",
        f"kg: {hostile}:4: truncated: text longer than 100,000 characters "
        "(2,240,005 characters, cut to 99,973 at a sentence end; see --max-text)",
    ]


def test_a_control_character_in_any_field_is_reported(tmp_path: Path) -> None:
    """The DOI and categories are cleaned too, and what was cleaned there is said as well."""
    record = {"title": "T", "abstract": "We use BERT.", "doi": "10.1/x\x07y", "categories": ["cs.LG\x1b"]}
    source = tmp_path / "fields.jsonl"
    source.write_text(json.dumps(record) + "\n", encoding="utf-8")
    result = _kg("extract", "-q", "--jobs", "1", source)
    assert result.returncode == 0, result.stderr
    cleaned = "cleaned: unprintable characters (2 control characters removed)"
    assert result.stderr.splitlines() == [f"kg: {source}:1: {cleaned}"]
    assert json.loads(result.stdout)["categories"] == ["cs.LG"]


def test_max_text_cuts_at_a_sentence_end_in_the_python_api_too(
    seed_records: list[dict[str, str]], tmp_path: Path
) -> None:
    record = seed_records[0]
    source = _jsonl(tmp_path / "one.jsonl", [record])
    limit = len(record["title"]) + 2 + len(record["abstract"]) // 2
    problems = _quiet()
    result = kg.build(
        source,
        tmp_path / "out",
        formats=[],
        extraction=kg.ExtractOptions(jobs=1, progress=False, max_text=limit),
        cache=False,
        problems=problems,
    )
    [paper] = result.kg.papers
    assert len(paper.text) <= limit
    assert record["abstract"].startswith(paper.abstract) and paper.abstract.endswith(".")
    assert [p.action for p in problems.items] == ["truncated"]
    assert problems.summary() == f"nothing skipped; truncated 1: 1 text longer than {limit:,} characters"


def test_truncate_prefers_a_sentence_end_then_a_space() -> None:
    assert truncate("One two three. Four five six seven.", 20) == "One two three."
    assert truncate("One two. Three four five six.", 20) == "One two. Three four"  # no end in the second half
    assert truncate("One two three four five six seven", 20) == "One two three four"
    assert truncate("x" * 50, 20) == "x" * 20
    assert truncate("short", 20) == "short"


def test_printable_counts_what_it_changed() -> None:
    fixes: Counter[str] = Counter()
    assert printable("a\ud800b\x07c\td", fixes) == "a\ufffdbc\td"
    assert fixes == {"lone surrogates replaced by U+FFFD": 1, "control characters removed": 1}


# -- patterns over input are linear -------------------------------------------------------------

HOSTILE: dict[str, Callable[[int], str]] = {
    "a-": lambda n: "a-" * (n // 2),
    "digits": lambda n: "1" * n,
    "dots": lambda n: "1234." * (n // 5),
    "slashes": lambda n: "a/" * (n // 2),
    "version": lambda n: " 2101.12345v" + "1" * n,
    "spaces after a full stop": lambda n: "a." + " " * n + "x",
    "schemes": lambda n: "http://" * (n // 7),
    "github": lambda n: "github.com/" * (n // 11),
    "ansi": lambda n: "\x1b[" * (n // 2),
    "closing brackets": lambda n: "http://x.org/a" + ")" * n,
}
PATTERNS: dict[str, Callable[[str], object]] = {
    "ARXIV_ID": ARXIV_ID.search,
    "find_arxiv_id": lambda s: find_arxiv_id({"url": s, "id": s, "arxiv_id": s}),
    "normalise_title": normalise_title,
    "DATE_LINE": DATE_LINE.match,
    "looks_like_abstract": lambda s: looks_like_abstract(s + "."),
    "detokenize": lambda s: detokenize(s.split(" ")),
    "printable": lambda s: printable(s, Counter()),
    "truncate": lambda s: truncate(s, len(s) // 2),
    "escape": escape,
    "links.URL": lambda s: list(links.URL.finditer(s)),
    "links.GLUED": links.GLUED.split,
    "links.REPO": links.REPO.match,
    "links.clean_url": links.clean_url,
    "links.find_links": lambda s: list(links.find_links(s)),
}


def _seconds(call: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        call()
        best = min(best, time.perf_counter() - start)
    return best


@pytest.mark.parametrize("pattern", sorted(PATTERNS))
def test_patterns_take_linear_time_on_100_000_characters(pattern: str) -> None:
    """100 times the text may take 100 times as long (here up to 1,000), not 10,000 times as a quadratic would.

    ``kg.ingest.ARXIV_ID`` took 22 s on 40,000 characters of "a-" before its
    repetitions were bounded.
    """
    run = PATTERNS[pattern]
    for name, make in HOSTILE.items():
        small, large = make(1_000), make(100_000)
        baseline = _seconds(lambda: run(small))  # noqa: B023 (called at once)
        seconds = _seconds(lambda: run(large))  # noqa: B023
        assert seconds < 1_000 * baseline + 0.5, f"{pattern} on {name}: {seconds:.2f}s, {baseline * 1000:.2f}ms on 1%"


# -- readers resynchronise ----------------------------------------------------------------------


def _csv_rows(records: list[dict[str, str]]) -> list[str]:
    def quoted(text: str) -> str:
        return '"' + text.replace('"', '""') + '"'

    return ["id,title,abstract"] + [f"{i},{quoted(r['title'])},{quoted(r['abstract'])}" for i, r in enumerate(records)]


@pytest.mark.parametrize("quoted", [True, False], ids=["quoted rows after it", "plain rows after it"])
def test_a_stray_quote_in_a_csv_costs_one_record(
    seed_records: list[dict[str, str]], tmp_path: Path, quoted: bool
) -> None:
    if not quoted:  # no cell needs quotes, and none has them
        seed_records = [{k: v.replace(",", "").replace('"', "") for k, v in r.items()} for r in seed_records]
    rows = _csv_rows(seed_records) if quoted else [row.replace('"', "") for row in _csv_rows(seed_records)]
    rows[2] = '1,"Stray quote,We study a stray quote. It works.'  # line 3
    path = tmp_path / "stray.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    problems = _quiet()
    papers = list(read_file(path, problems))
    expected = [r["title"] for i, r in enumerate(seed_records) if i != 1]
    assert [p.title for p in papers] == expected
    assert [(p.line, p.reason) for p in problems.items] == [(3, "malformed CSV")]
    assert problems.items[0].detail.endswith("read on from line 4")


def test_a_field_over_the_csv_limit_costs_only_its_record(seed_records: list[dict[str, str]], tmp_path: Path) -> None:
    rows = _csv_rows(seed_records[:3])
    rows.insert(2, "9,Huge," + "We study huge things. " * 2_500_000)  # 55 MB
    path = tmp_path / "huge.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    problems = _quiet()
    assert [p.title for p in read_file(path, problems)] == [r["title"] for r in seed_records[:3]]
    assert [(p.line, p.reason) for p in problems.items] == [(3, "malformed CSV")]


def test_a_multi_line_quoted_abstract_and_a_sloppy_quote_are_still_read(tmp_path: Path) -> None:
    path = tmp_path / "ok.csv"
    path.write_text(
        'title,abstract\n"Understanding X": a study,We study X. It works.\nB,"We study\nB. Fine."\n', encoding="utf-8"
    )
    problems = _quiet()
    papers = list(read_file(path, problems))
    assert [(p.title, p.sources[0].line) for p in papers] == [("Understanding X: a study", 2), ("B", 3)]
    assert not problems.items


@pytest.mark.parametrize("indent", [True, False], ids=["one record a line", "all on one line"])
def test_a_json_array_with_a_missing_brace_keeps_the_other_records(
    seed_records: list[dict[str, str]], tmp_path: Path, indent: bool
) -> None:
    parts = [json.dumps({**r, "authors": [{"name": "A"}, {"name": "B"}]}) for r in seed_records]
    parts[40] = parts[40][:-1]
    path = tmp_path / "array.json"
    path.write_text("[\n" + ",\n".join(parts) + "\n]\n" if indent else "[" + ",".join(parts) + "]", encoding="utf-8")
    problems = _quiet()
    papers = list(read_file(path, problems))
    assert [p.title for p in papers] == [r["title"] for i, r in enumerate(seed_records) if i != 40]
    assert [p.reason for p in problems.items] == ["malformed JSON"]
    if indent:
        assert [p.sources[0].line for p in papers[39:41]] == [41, 43]


# -- problem lines are one line each ------------------------------------------------------------


def test_a_problem_line_escapes_newlines_and_terminal_escapes() -> None:
    problem = Problem("bad\nname\x1b[2J.jsonl", 3, "record without abstract", "Red \x1b[31mtitle\u2028x")
    assert str(problem) == r"bad\nname\x1b[2J.jsonl:3: skipped: record without abstract (Red \x1b[31mtitle\u2028x)"


def test_a_newline_in_a_file_name_cannot_fake_a_line(tmp_path: Path) -> None:
    path = tmp_path / "x\nkg: skipped 0: nothing.jsonl"
    path.write_text('{"title": "Lonely"}\n', encoding="utf-8")
    stream = io.StringIO()
    list(read_file(path, Problems(stream=stream)))
    assert stream.getvalue().count("\n") == 1
    assert "x\\nkg: skipped 0: nothing.jsonl:1: skipped: record without abstract" in stream.getvalue()


# -- the rest of the list -----------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["jsonl", "json", "csv", "txt"])
def test_the_format_of_standard_input_is_told_by_its_content(
    seed_records: list[dict[str, str]], seeds_dir: Path, tmp_path: Path, kind: str
) -> None:
    records = seed_records[:2]
    text = {
        "jsonl": "".join(json.dumps(r) + "\n" for r in records),
        "json": json.dumps(records, indent=1),
        "csv": "\n".join(_csv_rows(records)) + "\n",
        "txt": (seeds_dir / "000_74f9ff5177182e17.txt").read_text(encoding="utf-8"),
    }[kind]
    copy = tmp_path / "input"  # what kg reads standard input into: no suffix
    copy.write_text(text, encoding="utf-8")
    assert sniff(copy) == f".{kind}"


def test_standard_input_and_a_fifo_are_read_by_kg_extract(seed_records: list[dict[str, str]], tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    writer = subprocess.Popen(
        [sys.executable, "-c", f"open({str(fifo)!r}, 'w').write({json.dumps(seed_records[1]) + chr(10)!r})"]
    )
    csv_text = "\n".join(_csv_rows(seed_records[:1])) + "\n"
    result = _kg("extract", "-q", "--jobs", "1", "-", fifo, stdin=csv_text)
    writer.wait(timeout=60)
    assert result.returncode == 0, result.stderr
    assert [json.loads(line)["title"] for line in result.stdout.splitlines()] == [
        seed_records[0]["title"],
        seed_records[1]["title"],
    ]
    assert result.stderr == ""


def test_an_output_folder_inside_the_input_folder_is_not_read_back(
    seed_records: list[dict[str, str]], tmp_path: Path
) -> None:
    _jsonl(tmp_path / "papers.jsonl", seed_records[:3])
    out = tmp_path / "out"
    for _ in range(2):
        result = kg.build(tmp_path, out, formats=["tables"], extraction=kg.ExtractOptions(jobs=1, progress=False))
        assert len(result.kg.papers) == 3
        assert not result.problems.items
    assert (out / "papers.csv").is_file() and (out / ".kg-cache").is_dir()
    problems = _quiet()
    read_inputs([out], problems, out=out)
    assert [p.detail for p in problems.items] == ["the output folder in it is not read"]


def test_one_nul_byte_costs_one_record_not_the_file(seed_records: list[dict[str, str]], tmp_path: Path) -> None:
    lines = [json.dumps(r) for r in seed_records[:5]]
    lines[2] = lines[2][:20] + "\x00" + lines[2][20:]
    path = tmp_path / "nul.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = _quiet()
    assert [p.title for p in read_file(path, problems)] == [
        r["title"] for r in seed_records[:5] if r is not seed_records[2]
    ]
    assert [(p.line, p.reason) for p in problems.items] == [(3, "malformed JSON")]


def test_titles_of_punctuation_only_stay_apart(tmp_path: Path) -> None:
    path = _jsonl(
        tmp_path / "punct.jsonl",
        [
            {"title": "???", "abstract": "We use BERT."},
            {"title": "!!!", "abstract": "We use GPT-2."},
            {"title": "???", "abstract": "We use BERT."},  # the same record twice is one paper
        ],
    )
    problems = _quiet()
    assert [p.abstract for p in read_inputs([path], problems)] == ["We use BERT.", "We use GPT-2."]
    assert not problems.items


def test_a_dropped_abstract_of_the_same_title_is_reported(tmp_path: Path) -> None:
    path = _jsonl(
        tmp_path / "same.jsonl",
        [
            {"title": "Introduction", "abstract": "We use BERT for parsing."},
            {"title": "Introduction", "abstract": "We study protein folding with AlphaFold."},
            {"title": "introduction.", "abstract": "We study protein folding"},  # a shorter copy: nothing to say
        ],
    )
    problems = _quiet()
    [paper] = read_inputs([path], problems)
    assert paper.abstract == "We study protein folding with AlphaFold."
    assert [str(p) for p in problems.items] == [
        f"{path}:1: dropped: another abstract of the same paper (kept {path}:2)"
    ]


def test_a_binary_file_is_still_rejected_whole(tmp_path: Path) -> None:
    path = tmp_path / "image.json"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    problems = _quiet()
    assert list(read_file(path, problems)) == []
    assert [p.reason for p in problems.items] == ["binary file"]


def test_max_text_is_an_option_of_build_extract_and_eval(tmp_path: Path) -> None:
    from kg.cli import build_parser

    gold = ["--gold", "gold.jsonl"]
    for command in ("build", "extract", "eval"):
        args = build_parser().parse_args([command, *(gold if command == "eval" else []), "--max-text", "500", "x"])
        assert args.max_text == 500


def test_a_file_name_that_is_not_utf8_reaches_the_exports_escaped(
    seed_records: list[dict[str, str]], tmp_path: Path
) -> None:
    name = os.fsdecode(b"caf\xe9.jsonl")  # Latin-1 bytes: a lone surrogate in Python
    _jsonl(tmp_path / name, seed_records[:1])
    result = kg.build(tmp_path, tmp_path / "out", formats=["rdf"], extraction=kg.ExtractOptions(jobs=1, progress=False))
    assert [s.path for s in result.kg.papers[0].sources] == [f"{tmp_path}/caf\\xe9.jsonl"]
    assert "caf\\\\xe9.jsonl:1" in (tmp_path / "out" / "graph.ttl").read_text(encoding="utf-8")
