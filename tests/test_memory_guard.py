"""The memory guard: a build that will not fit stops before extraction, with one line naming what makes it fit."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

import kg
from kg.cli import main
from kg.memory_guard import MEASURED, Costs, Plan, fixes, peak, shortfall, tight

MB = 1024**2
#: Round figures, so that each case's arithmetic can be checked by hand: 100 MB for the
#: process, 200 MB per extraction process, and per character 1 kB read, 2 kB after
#: extraction, 4 kB after resolution, and while exporting 1 to 4 kB more (4 kB a second worker).
COSTS = Costs(
    base=100 * MB,
    extraction_worker=200 * MB,
    read=1024,
    extracted=2048,
    held=4096,
    export={"rdf:ttl": 8192, "rdf:nt": 5120, "tables": 5120, "html": 6144},
    worker_copy=4096,
)
#: 1,000 papers of 1,024 characters: 1 MB of text, so each kB per character is 1 GB.
PLAN = Plan(papers=1000, chars=1024 * 1024, formats=("rdf", "tables", "html"), rdf_format="ttl", jobs=2)
GB = 1024 * MB


def fake_proc(monkeypatch: pytest.MonkeyPatch, available: int, resident: int = 50 * MB) -> None:
    """Linux's answers as if ``available`` bytes were free and this process held ``resident``."""
    real_open: Callable[..., object] = open

    def faked(path: object, *args: object, **kwargs: object) -> object:
        if path == "/proc/meminfo":
            return io.StringIO(f"MemTotal: 99999999 kB\nMemFree: 1 kB\nMemAvailable: {available // 1024} kB\n")
        if path == "/proc/self/statm":
            return io.StringIO(f"999999 {resident // 4096} 0 0 0 0 0\n")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr("builtins.open", faked)
    monkeypatch.setattr("os.sysconf", lambda name: 4096)


def test_the_peak_is_the_highest_stage_with_the_heaviest_export() -> None:
    roomy = 100 * GB
    assert peak(PLAN, roomy, COSTS).stage == "export"
    # 100 MB + 4 GB held + the heaviest export (Turtle, 4 GB) + a second worker's copy (4 GB).
    assert peak(PLAN, roomy, COSTS).size == 100 * MB + 12 * GB
    # A second worker's fixed cost counts once per worker beyond the first.
    assert peak(PLAN, roomy, replace(COSTS, worker_base=300 * MB)).size == 400 * MB + 12 * GB
    assert peak(Plan(1000, 1024 * 1024, ("tables",), jobs=2), roomy, COSTS).size == 100 * MB + 5 * GB
    assert peak(Plan(1000, 1024 * 1024, ("rdf",), rdf_format="nt"), roomy, COSTS).size == 100 * MB + 5 * GB
    no_exports = Plan(1000, 1024 * 1024, (), jobs=2)
    assert peak(no_exports, roomy, COSTS).stage == "resolve"
    few_papers = Plan(10, 1024, ("tables",), jobs=4)
    assert peak(few_papers, roomy, COSTS).stage == "extract"  # four models outweigh ten papers
    assert peak(few_papers, roomy, COSTS).size == 100 * MB + 4 * 200 * MB + 2 * 1024 * 1024


def test_exports_run_one_after_another_when_a_second_worker_would_not_fit() -> None:
    """As kg.export.workers_memory_allows decides: a worker per copy of the build the budget holds."""
    assert peak(PLAN, 9 * GB, COSTS).size == 100 * MB + 8 * GB  # one worker: no copy


def test_what_makes_a_build_fit() -> None:
    # One after another, the exports peak at 8.1 GB with Turtle, 6.1 GB with N-Triples or without
    # RDF (the HTML view's 2 GB), 5.1 GB with the tables alone; the whole build at 8 GB per 1,000 papers.
    assert fixes(PLAN, int(6.5 * GB), COSTS) == [
        "--rdf-format nt",
        "--formats tables,html",
        "the input split into builds of at most 800 papers",
    ]
    assert fixes(PLAN, int(5.5 * GB), COSTS) == [
        "--formats tables",
        "the input split into builds of at most 675 papers",
    ]
    assert fixes(PLAN, int(4.5 * GB), COSTS) == ["the input split into builds of at most 550 papers"]
    assert fixes(PLAN, 50 * MB, COSTS) == ["more memory"]  # not even the process itself


def test_the_split_is_the_most_papers_that_fit() -> None:
    budget = int(5.5 * GB)
    most = int(fixes(PLAN, budget, COSTS)[-1].split()[-2])
    assert peak(PLAN.scaled(most), budget, COSTS).size <= budget < peak(PLAN.scaled(most + 1), budget, COSTS).size


def test_a_dask_cluster_takes_the_models_off_this_machine() -> None:
    few_papers = Plan(10, 1024, ("tables",), jobs=4)
    assert "--engine dask --scheduler ADDRESS (extraction on a cluster)" in fixes(few_papers, 400 * MB, COSTS)
    assert "--jobs 1" in fixes(few_papers, 400 * MB, COSTS)


def test_shortfall_compares_with_memavailable_and_what_the_papers_read_hold(monkeypatch: pytest.MonkeyPatch) -> None:
    # The budget: what is free, and what the build holds already (100 MB + 1 GB read), not more.
    fake_proc(monkeypatch, available=6 * GB, resident=30 * GB)
    short = shortfall(PLAN, COSTS)
    assert short is not None and short.budget == 7 * GB + 100 * MB and short.peak.size == 8 * GB + 100 * MB
    assert short.message() == (
        "this build of 1,000 papers would need about 8.1 GB at its peak (export) but has 7.1 GB; "
        "it fits with --rdf-format nt, with --formats tables,html or with the input split into builds "
        "of at most 875 papers (or --no-memory-check to try anyway)"
    )
    fake_proc(monkeypatch, available=8 * GB, resident=30 * GB)
    assert shortfall(PLAN, COSTS) is None


def test_a_build_that_barely_fits_is_warned_about(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_proc(monkeypatch, available=9 * GB, resident=0)
    assert shortfall(PLAN, COSTS) is None
    warning = tight(PLAN, COSTS)
    assert warning is not None and warning.startswith("this build may need about 8.1 GB of the 9.0 GB it has")
    fake_proc(monkeypatch, available=20 * GB, resident=0)
    assert tight(PLAN, COSTS) is None


def test_nothing_is_checked_where_linux_does_not_say(monkeypatch: pytest.MonkeyPatch) -> None:
    real_open: Callable[..., object] = open

    def no_proc(path: object, *args: object, **kwargs: object) -> object:
        if str(path).startswith("/proc/"):
            raise FileNotFoundError(path)
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr("builtins.open", no_proc)
    assert shortfall(PLAN, COSTS) is None and tight(PLAN, COSTS) is None


def papers_file(folder: Path) -> Path:
    path = folder / "papers.jsonl"
    records = [
        {"title": "Graph rewiring", "abstract": "We rewire molecular graphs and evaluate on QM9 with GIN."},
        {"title": "Small detectors", "abstract": "We train YOLOv8 on COCO and report mAP."},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_build_raises_not_enough_memory_before_it_writes_anything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = papers_file(tmp_path)
    monkeypatch.setattr("kg.pipeline.extract_mentions", None)  # fails if extraction starts
    fake_proc(monkeypatch, available=MB)
    with pytest.raises(kg.NotEnoughMemory) as raised:
        kg.build(source, tmp_path / "out", formats=["tables"], problems=kg.Problems(stream=None))
    assert isinstance(raised.value, kg.BuildError)
    assert raised.value.shortfall.peak.size > raised.value.shortfall.budget
    assert str(raised.value).startswith("this build of 2 papers would need about")
    assert not (tmp_path / "out").exists()


def test_kg_build_says_so_in_one_line_and_builds_with_no_memory_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source, out = papers_file(tmp_path), tmp_path / "out"
    fake_proc(monkeypatch, available=MB)
    assert main(["build", str(source), "--out", str(out), "--jobs", "1", "--formats", "tables", "-q"]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and error.startswith("kg: error: this build of 2 papers would need about")
    assert error.rstrip().endswith("(or --no-memory-check to try anyway)")
    assert not out.exists()
    command = ["build", str(source), "--out", str(out), "--jobs", "1", "--formats", "tables", "-q"]
    assert main([*command, "--no-memory-check"]) == 0
    assert "QM9" in (out / "entities.csv").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("formats", "jobs", "measured_mb"),
    [(None, 1, 2818), (None, 2, 4535), ("tables", 1, 1070)],
    ids=["every export, --jobs 1", "every export, --jobs 2", "tables"],
)
def test_measured_costs_give_the_benchmark_peaks_or_a_little_more(
    formats: str | None, jobs: int, measured_mb: int
) -> None:
    """The peaks ``bench_build.py --stages`` measured at 99,726 papers of 1,289 characters, at most 15% more."""
    plan = Plan(99_726, 99_726 * 1289, tuple(kg.api.check_formats(formats)), jobs=jobs)
    estimate = peak(plan, 24 * GB, MEASURED).size / MB
    assert measured_mb <= estimate <= 1.15 * measured_mb
