"""`kg.build`, the Python API behind `kg build`, and `--formats`, on real seed papers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

import kg
from kg.cli import main
from kg.ingest import read_inputs
from kg.lock import LOCK_FILE
from kg.problems import Problems

ONE_PROCESS = kg.ExtractOptions(jobs=1, progress=False)


@pytest.fixture(scope="module")
def seed_records(seeds_dir: Path) -> list[dict[str, str]]:
    papers = read_inputs([seeds_dir / "000_74f9ff5177182e17.txt"], Problems(stream=None))
    return [{"title": p.title, "abstract": p.abstract} for p in papers[:8]]


def _jsonl(path: Path, records: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_build_returns_the_graph_it_wrote(seed_records: list[dict[str, str]], tmp_path: Path) -> None:
    page = _jsonl(tmp_path / "papers.jsonl", seed_records)
    result = kg.build(page, tmp_path / "api", extraction=ONE_PROCESS)

    assert main(["build", str(page), "--out", str(tmp_path / "cli"), "--jobs", "1", "--quiet"]) == 0
    cli_files = sorted(p.name for p in (tmp_path / "cli").iterdir() if p.is_file() and p.name != LOCK_FILE)
    assert sorted(p.name for p in result.written) == cli_files
    for path in result.written:
        assert path.read_bytes() == (tmp_path / "cli" / path.name).read_bytes(), path.name

    graph = result.kg.graph
    assert isinstance(graph, nx.MultiDiGraph)
    assert (
        graph.number_of_nodes()
        == len(result.kg.papers) + len(result.kg.entities)
        == len(seed_records) + len(result.kg.entities)
    )
    assert graph.number_of_edges() == len(result.kg.links) + len(result.kg.relations) > len(result.kg.links) > 0
    link = result.kg.links[0]
    edge = graph.edges[link.paper_id, link.entity_id, f"{link.paper_id}|{link.relation.value}|{link.entity_id}"]
    assert edge["evidence"] == link.sentence
    assert (result.reused, result.extracted) == (0, len(seed_records))
    assert result.cache_path == tmp_path / "api" / ".kg-cache" / "extract.sqlite"
    assert set(result.seconds) == {"read", "extract", "resolve", "export"}


def test_building_again_in_one_process_parses_only_the_new_papers(
    seed_records: list[dict[str, str]], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    kg.build(_jsonl(tmp_path / "first.jsonl", seed_records[:-1]), out, extraction=ONE_PROCESS)
    grown = _jsonl(tmp_path / "all.jsonl", seed_records)
    again = kg.build(grown, out, extraction=ONE_PROCESS)
    assert (again.reused, again.extracted) == (len(seed_records) - 1, 1)

    fresh = kg.build(grown, tmp_path / "fresh", extraction=ONE_PROCESS, cache=False)
    assert fresh.cache_path is None and (fresh.reused, fresh.extracted) == (0, len(seed_records))
    for path in fresh.written:
        assert path.read_bytes() == (out / path.name).read_bytes(), path.name


def test_formats_write_only_those_and_leave_other_files(seed_records: list[dict[str, str]], tmp_path: Path) -> None:
    page = _jsonl(tmp_path / "papers.jsonl", seed_records)
    out = tmp_path / "out"
    out.mkdir()
    (out / "graph.html").write_text("from an earlier build")

    result = kg.build(page, out, formats=["tables", "rdf"], extraction=ONE_PROCESS)
    # The registry's order, whatever the order asked in.
    assert [p.name for p in result.written] == [
        "graph.ttl",
        *("papers.csv", "entities.csv", "mentions.csv", "results.csv", "relations.csv"),
    ]
    assert (out / "graph.html").read_text() == "from an earlier build"
    assert not (out / "graph.graphml").exists()

    assert [p.name for p in kg.build(page, out, formats="html", extraction=ONE_PROCESS).written] == ["graph.html"]
    graph_only = kg.build(page, tmp_path / "graph only", formats=[], extraction=ONE_PROCESS, cache=False)
    assert graph_only.written == [] and len(graph_only.kg.papers) == len(seed_records)
    assert not (tmp_path / "graph only").exists()
    assert main(["build", str(page), "--out", str(out), "--formats", "parquet,", "--jobs", "1", "--quiet"]) == 0
    assert (out / "mentions.parquet").is_file() and not (out / "graph.graphml").exists()


def test_unknown_format_is_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    with pytest.raises(kg.BuildError, match="unknown format svg; choose from rdf, graphml"):
        kg.build(tmp_path, tmp_path, formats=["rdf", "svg"])
    for formats, error in (("rdf,svg", "unknown format svg"), (",", "no format given; choose from rdf, graphml")):
        with pytest.raises(SystemExit) as exit_status:
            main(["build", str(tmp_path), "--formats", formats])
        assert exit_status.value.code == 2
        assert f"argument --formats: {error}" in capsys.readouterr().err


def test_no_usable_input_raises_with_the_problems(tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    problems = Problems(stream=None)
    with pytest.raises(kg.NoPapers, match="no usable papers read; skipped 1: 1 empty file"):
        kg.build(empty, tmp_path / "out", problems=problems)
    assert [p.reason for p in problems.items] == ["empty file"]
    assert not (tmp_path / "out").exists()


SCRIPT = """
import sys
import kg

def main():
    result = kg.build(sys.argv[1], sys.argv[2], extraction=kg.ExtractOptions(jobs=2, progress=False))
    print(len(result.kg.papers))

{call}
"""


def test_a_script_builds_with_two_processes(seed_records: list[dict[str, str]], tmp_path: Path) -> None:
    page = _jsonl(tmp_path / "papers.jsonl", seed_records)
    script = tmp_path / "script.py"
    script.write_text(SCRIPT.format(call='if __name__ == "__main__":\n    main()'))
    run = subprocess.run([sys.executable, script, page, tmp_path / "two"], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == [str(len(seed_records))]
    one = kg.build(page, tmp_path / "one", extraction=ONE_PROCESS, cache=False)
    for path in one.written:
        assert path.read_bytes() == (tmp_path / "two" / path.name).read_bytes(), path.name


@pytest.mark.parametrize(
    ("engine", "error"), [("local", "a worker process died"), ("dask", "cannot start a local Dask cluster")]
)
def test_a_script_without_the_main_guard_stops_at_once_and_says_why(
    engine: str, error: str, tmp_path: Path, seeds_dir: Path
) -> None:
    """Its workers run it again as they start, and die; a Pool replaced them without end (45,695 tracebacks)."""
    script = tmp_path / "script.py"
    script.write_text(SCRIPT.replace("progress=False", f"progress=False, engine={engine!r}").format(call="main()"))
    page = seeds_dir / "000_74f9ff5177182e17.txt"
    run = subprocess.run([sys.executable, script, page, tmp_path / "out"], capture_output=True, text=True, timeout=300)
    assert run.returncode == 1
    last = run.stderr.strip().splitlines()[-1]
    assert last.startswith(f"kg.engines.EngineError: {error}") and 'if __name__ == "__main__":' in last
    assert run.stderr.count("Traceback") < 10
