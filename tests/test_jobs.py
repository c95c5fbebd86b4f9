"""Several processes give the output of one; the model loads once per process; memory stays flat."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.cli import main
from kg.ingest import read_inputs
from kg.pipeline import CHUNK, ExtractOptions, extract_mentions, runner
from kg.problems import Problems
from kg.records import Paper

ONE = ExtractOptions(jobs=1, progress=False)


@pytest.fixture(scope="module")
def seed_papers(seeds_dir: Path) -> list[Paper]:
    return read_inputs([seeds_dir], Problems(stream=None))


def test_two_processes_give_the_output_of_one(seed_papers: list[Paper]) -> None:
    papers = seed_papers[: 2 * CHUNK + 1]  # three chunks: both workers busy, one uneven chunk
    one = list(extract_mentions(papers, ONE))
    two = list(extract_mentions(papers, ExtractOptions(jobs=2, progress=False)))
    assert [p.id for p, _ in two] == [p.id for p in papers]
    assert two == one
    assert any(mentions for _, mentions in one)


def test_the_model_loads_once_per_process() -> None:
    assert runner(ONE) is runner(ExtractOptions(jobs=4, progress=False))
    assert runner(ONE) is not runner(ExtractOptions(jobs=1, batch_size=8, progress=False))


def test_string_store_does_not_grow_with_new_abstracts(seed_papers: list[Paper]) -> None:
    run = runner(ONE)
    run.run(seed_papers[:20])
    before = len(run.nlp.vocab.strings)
    mentions = run.run(seed_papers[20:80])
    assert len(run.nlp.vocab.strings) == before
    assert sum(map(len, mentions)) > 0, "the strings of the new abstracts were really seen"


@pytest.mark.parametrize("jobs", ["0", "-3"])
def test_jobs_below_one_is_one_line(seeds_dir: Path, jobs: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(seeds_dir), "--jobs", jobs, "--quiet"]) == 2
    assert capsys.readouterr().err == "kg: error: --jobs must be at least 1\n"
