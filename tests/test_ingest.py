"""Reading the real seed pages and every supported format, and surviving bad input."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from kg.ingest import merge, normalise_title, read_file, read_inputs
from kg.problems import Problems

SEED_ENTRIES = {
    "000_74f9ff5177182e17.txt": 49,
    "001_5b32068af6bec2e5.txt": 56,
    "002_68a6d3b709d33e76.txt": 129,
    "003_eac8dd7fb3d5d287.txt": 58,
    "004_f38f363db317faf0.txt": 67,
}


def quiet() -> Problems:
    return Problems(stream=None)


@pytest.mark.parametrize("name,count", sorted(SEED_ENTRIES.items()))
def test_each_seed_page_parses_completely(seeds_dir: Path, name: str, count: int) -> None:
    problems = quiet()
    papers = list(read_file(seeds_dir / name, problems))
    assert len(papers) == count
    assert not problems.items
    for paper in papers:
        assert not paper.title.startswith("Subscribe")
        assert len(paper.abstract.split()) > len(paper.title.split())


def test_seed_pages_give_359_entries_and_295_papers(seeds_dir: Path) -> None:
    problems = quiet()
    papers = read_inputs([seeds_dir], problems)
    assert sum(len(p.sources) for p in papers) == 359
    assert len(papers) == 295
    assert not problems.items


def test_page_without_blank_lines_and_glued_subscribe(seeds_dir: Path) -> None:
    papers = list(read_file(seeds_dir / "002_68a6d3b709d33e76.txt", quiet()))
    assert papers[0].title == "Multi-resolution Networks For Flexible Irregular Time Series Modeling (Multi-FIT)"
    assert papers[0].abstract.startswith("Missing values, irregularly collected samples")


def test_titles_with_question_marks_are_titles(seeds_dir: Path) -> None:
    titles = {p.title for p in read_inputs([seeds_dir], quiet())}
    assert any(t.startswith("What's in a Prior? Learned Proximal Networks") for t in titles)


def test_date_heading_is_kept(seeds_dir: Path) -> None:
    paper = next(read_file(seeds_dir / "000_74f9ff5177182e17.txt", quiet()))
    assert paper.title.startswith("UncAD:")
    assert paper.date == "Oct 3"


def test_same_paper_from_several_files_keeps_every_source(seeds_dir: Path) -> None:
    papers = read_inputs([seeds_dir], quiet())
    shared = [p for p in papers if len({s.path for s in p.sources}) > 1]
    assert shared, "the seed pages list some papers on more than one page"
    for paper in shared:
        assert all(s.line > 0 for s in paper.sources)


RECORDS = [
    {"title": "Alpha: A Paper", "abstract": "We propose Alpha. It works.", "arxiv_id": "2401.00001"},
    {"title": "Beta Networks", "abstract": "Beta networks are studied here.", "authors": ["A. B", "C. D"]},
]


def write_formats(tmp: Path) -> dict[str, Path]:
    jsonl = tmp / "records.jsonl"
    jsonl.write_text("\n".join(json.dumps(r) for r in RECORDS) + "\n")
    array = tmp / "records.json"
    array.write_text(json.dumps(RECORDS, indent=2))
    csv = tmp / "records.csv"
    csv.write_text('title,abstract,authors\nAlpha: A Paper,"We propose Alpha.\nIt works.",X\nBeta Networks,Beta.,\n')
    return {"jsonl": jsonl, "json": array, "csv": csv}


@pytest.mark.parametrize("fmt", ["jsonl", "json", "csv"])
def test_structured_formats(tmp_path: Path, fmt: str) -> None:
    path = write_formats(tmp_path)[fmt]
    problems = quiet()
    papers = list(read_file(path, problems))
    assert [p.title for p in papers] == ["Alpha: A Paper", "Beta Networks"]
    assert not problems.items
    if fmt == "csv":
        assert papers[1].sources[0].line == 4, "a quoted newline does not shift later line numbers"


def test_directory_reads_every_format_and_merges_by_arxiv_id_or_title(tmp_path: Path) -> None:
    write_formats(tmp_path)
    papers = read_inputs([tmp_path], quiet())
    assert sorted(p.title for p in papers) == ["Alpha: A Paper", "Beta Networks"]
    alpha = next(p for p in papers if p.title.startswith("Alpha"))
    assert alpha.id == "arxiv:2401.00001"
    assert len(alpha.sources) == 3


def test_title_normalisation_folds_case_punctuation_and_unicode() -> None:
    assert normalise_title("\uff26\uff4f\uff4f-Bar:  a  Study!") == normalise_title("foo bar a study")


def test_merge_keeps_first_fields_and_longest_abstract(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text(json.dumps({"title": "X", "abstract": "short."}) + "\n")
    (tmp_path / "b.jsonl").write_text(json.dumps({"title": "x", "abstract": "a longer one.", "date": "2024"}) + "\n")
    merged = merge(paper for path in sorted(tmp_path.iterdir()) for paper in read_file(path, quiet()))
    assert len(merged) == 1
    assert merged[0].abstract == "a longer one."
    assert merged[0].date == "2024"


GOOD_RECORD = {"title": "Good Paper", "abstract": "We study good things."}


def arxiv_dump_record(number: int, title: str, abstract: str) -> dict[str, object]:
    """A record laid out as in the arXiv metadata dump (Kaggle's ``arxiv-metadata-oai-snapshot.json``)."""
    return {
        "id": f"2403.{number:05d}",
        "submitter": "Zoë Example",
        "authors": 'Zo\\"e Example, J. Smith and A. Ng',
        "title": title.replace(" ", "\n  ", 1),  # the dump keeps the title's line wrap
        "comments": "12 pages",
        "journal-ref": None,
        "doi": None,
        "categories": "cs.LG cs.AI",
        "license": "http://creativecommons.org/licenses/by/4.0/",
        "abstract": "  " + abstract + "\n",
        "versions": [
            {"version": "v1", "created": f"Tue, {number % 28 + 1} Mar 2024 17:59:59 GMT"},
            {"version": "v2", "created": "Mon, 1 Jul 2024 09:00:00 GMT"},
        ],
        "update_date": "2024-07-02",
        "authors_parsed": [["Example", "Zoë", ""], ["Smith", "J.", ""], ["Ng", "A.", "Jr."]],
    }


def test_the_arxiv_metadata_dump_is_read_as_json_lines(seeds_dir: Path, tmp_path: Path) -> None:
    seeds = read_inputs([seeds_dir], quiet())[:30]
    dump = tmp_path / "arxiv-metadata-oai-snapshot.json"
    with dump.open("w", encoding="utf-8") as out:
        for number, paper in enumerate(seeds, start=1):
            out.write(json.dumps(arxiv_dump_record(number, paper.title, paper.abstract)) + "\n")
    problems = quiet()
    papers = list(read_file(dump, problems))
    assert not problems.items
    assert [(p.title, p.abstract) for p in papers] == [(s.title, s.abstract) for s in seeds]
    assert [p.sources[0].line for p in papers] == list(range(1, 31))
    first = papers[0]
    assert first.arxiv_id == "2403.00001"
    assert first.date == "2024-03-02", "the day the first version was submitted"
    assert first.authors == ["Zoë Example", "J. Smith", "A. Ng Jr."]


def test_a_json_document_on_one_line_or_many_is_not_json_lines(tmp_path: Path) -> None:
    wrapped = tmp_path / "wrapped.json"
    wrapped.write_text(json.dumps({"papers": RECORDS}) + "\n\n")
    pretty = tmp_path / "pretty.json"
    pretty.write_text(json.dumps({"papers": RECORDS}, indent=2))
    for path in (wrapped, pretty):
        problems = quiet()
        assert [p.title for p in read_file(path, problems)] == ["Alpha: A Paper", "Beta Networks"]
        assert not problems.items


def test_records_late_in_a_json_array_keep_their_line_numbers(tmp_path: Path) -> None:
    records = [{"title": f"Paper {i}", "abstract": f"We study thing {i}.\nIt works."} for i in range(200)]
    records[150] = ["not", "an", "object"]
    path = tmp_path / "many.json"
    path.write_text(json.dumps(records, indent=1))
    lines = path.read_text().splitlines()
    problems = quiet()
    papers = list(read_file(path, problems))
    assert len(papers) == 199
    for paper in papers:
        assert lines[paper.sources[0].line - 1].strip() == "{", paper.sources[0]
        assert f'"Paper {paper.title.split()[1]}"' in lines[paper.sources[0].line]
    assert [(p.line, p.reason) for p in problems.items] == [(lines.index(" [") + 1, "record is not a JSON object")]


def test_a_json_lines_record_may_hold_a_unicode_line_separator(tmp_path: Path) -> None:
    path = tmp_path / "separators.jsonl"
    record = {"title": "Spaces\u2028Between", "abstract": "One sentence.\u2029Another\x85one."}
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n" + json.dumps(GOOD_RECORD) + "\n", encoding="utf-8")
    problems = quiet()
    assert [p.sources[0].line for p in read_file(path, problems)] == [1, 2]
    assert not problems.items


def test_a_file_mostly_in_another_encoding_is_one_problem(tmp_path: Path) -> None:
    path = tmp_path / "latin1.jsonl"
    records = ({"title": f"Caf\u00e9 {i}", "abstract": "R\u00e9sum\u00e9."} for i in range(20))
    path.write_bytes("\n".join(json.dumps(r, ensure_ascii=False) for r in records).encode("latin-1"))
    problems = quiet()
    assert list(read_file(path, problems)) == []
    assert [str(p) for p in problems.items] == [f"{path}:1: skipped: undecodable bytes (not UTF-8 text (20 lines))"]


def test_a_file_blank_for_its_first_kilobytes_is_not_empty(tmp_path: Path) -> None:
    path = tmp_path / "late.jsonl"
    path.write_text("\n" * 20_000 + json.dumps(GOOD_RECORD) + "\n")
    problems = quiet()
    assert [p.sources[0].line for p in read_file(path, problems)] == [20_001]
    assert not problems.items


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_quotes_inside_fields_are_read_back_exactly(seeds_dir: Path, tmp_path: Path, delimiter: str) -> None:
    seeds = read_inputs([seeds_dir], quiet())[:60]
    # Late in the file, past what the delimiter is guessed from: a quoted title, as spreadsheets write it.
    seeds[50].title = f'"{seeds[50].title}": a "quoted" title'
    path = tmp_path / "papers.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter=delimiter)
        writer.writerow(["title", "abstract"])
        writer.writerows((p.title, p.abstract) for p in seeds)
    problems = quiet()
    assert [(p.title, p.abstract) for p in read_file(path, problems)] == [(p.title, p.abstract) for p in seeds]
    assert not problems.items


@pytest.mark.parametrize("ending", ["\r\n", "\r"], ids=["crlf", "cr"])
def test_windows_and_old_mac_line_endings_read_like_unix_ones(seeds_dir: Path, tmp_path: Path, ending: str) -> None:
    page = sorted(seeds_dir.glob("*.txt"))[0]
    seeds = read_inputs([seeds_dir], quiet())[:20]
    unix = tmp_path / "unix"
    unix.mkdir()
    (unix / page.name).write_text(page.read_text(encoding="utf-8"), encoding="utf-8", newline="\n")
    with (unix / "papers.csv").open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["title", "abstract"])
        writer.writerows((p.title, p.abstract.replace(". ", ".\n", 1)) for p in seeds)  # quoted line breaks too
    for path in sorted(unix.iterdir()):
        other = tmp_path / path.name
        other.write_bytes(path.read_bytes().replace(b"\n", ending.encode()))
        problems = quiet()
        expected = [(p.title, p.abstract, p.sources[0].line) for p in read_file(path, quiet())]
        assert [(p.title, p.abstract, p.sources[0].line) for p in read_file(other, problems)] == expected
        assert len(expected) >= 20
        assert not problems.items


def test_bytes_read_are_told_a_megabyte_at_a_time_and_add_up_to_the_file(seeds_dir: Path, tmp_path: Path) -> None:
    seeds = read_inputs([seeds_dir], quiet())
    path = tmp_path / "big.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for copy in range(12):  # about 3 MB
            out.writelines(json.dumps({"title": f"{p.title} ({copy})", "abstract": p.abstract}) + "\n" for p in seeds)
    told: list[int] = []
    papers = list(read_file(path, quiet(), told.append))
    assert len(papers) == 12 * len(seeds)
    assert sum(told) == path.stat().st_size
    assert len(told) >= 3 and all(n >= 2**20 for n in told[:-1])
