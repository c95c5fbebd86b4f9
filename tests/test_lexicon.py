"""--lexicon: the user's own names (CSV and Papers with Code's exports) on real abstracts from examples/."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest

import kg
import kg.engines.local
from kg.cli import main
from kg.extract.summary import paper_summaries
from kg.ingest import read_inputs
from kg.lexicons import NO_LEXICON, Entry, Lexicon, LexiconError, read_lexicons
from kg.pipeline import ExtractOptions, cache_scope, extract_mentions, has_runner
from kg.problems import Problems
from kg.records import Paper

DATA = Path(__file__).parent / "data"
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "daily_papers_mar12.txt"
CSV = DATA / "lexicon.csv"
PWC = [DATA / "pwc_datasets.json", DATA / "pwc_methods.json", DATA / "pwc_evaluation_tables.json"]


@pytest.fixture(scope="module")
def papers() -> list[Paper]:
    return read_inputs([EXAMPLE], Problems(stream=None))


def _paper(papers: list[Paper], title: str) -> Paper:
    return next(p for p in papers if p.title == title)


def _read(paths: list[Path]) -> tuple[Lexicon, list[str]]:
    problems = Problems(stream=None)
    return read_lexicons(paths, problems), [str(p) for p in problems.items]


def _summary(papers: list[Paper], lexicon: Lexicon = NO_LEXICON, jobs: int = 1) -> list[dict[str, list[str]]]:
    options = ExtractOptions(jobs=jobs, progress=False, lexicon=lexicon)
    return [json.loads(line) for line in paper_summaries(extract_mentions(papers, options), lexicon.groups())]


def test_csv_rows_are_read_and_bad_rows_are_one_problem_each() -> None:
    lexicon, problems = _read([CSV])
    assert [(e.name, e.kind) for e in lexicon.entries] == [
        ("APbox", "Metric"),
        ("mIoU", "Metric"),
        ("ADE20k", "Dataset"),
        ("ImageNet", "Dataset"),
        ("ImageNet-22K", "Dataset"),
        ("backpropagation", "Family"),
    ]
    assert lexicon.entries[2].aliases == ("ADE20K", "ADE-20K")
    assert problems == [
        f"{CSV}:9: skipped: bad lexicon row (needs name,type[,alias...])",
        f"{CSV}:10: skipped: bad lexicon row (type 'widget': choose from method, dataset, task, metric, "
        "concept, family)",
    ]


def test_papers_with_code_exports_give_datasets_methods_tasks_and_metrics() -> None:
    lexicon, problems = _read(PWC)
    kinds = {e.name: e.kind for e in lexicon.entries}
    aliases = {e.name: e.aliases for e in lexicon.entries}
    # datasets.json: names with their full names and variants; the tasks they serve, as running text writes them
    assert kinds["ADE20K"] == kinds["COCO"] == kinds["Cityscapes test"] == kinds["ADE20K val"] == "Dataset"
    assert aliases["COCO"] == ("Microsoft Common Objects in Context", "MS COCO", "COCO minival")
    assert kinds["semantic segmentation"] == kinds["scene parsing"] == kinds["object detection"] == "Task"
    # methods.json
    assert (kinds["ResNet"], aliases["ResNet"]) == ("Method", ("Residual Network",))
    # evaluation-tables.json: tasks (synonyms, subtasks, "(NER)" as an alias), datasets, metrics; no model names
    assert aliases["semantic segmentation"] == ("scene segmentation",)
    assert kinds["real-time semantic segmentation"] == "Task"
    assert (kinds["named entity recognition"], aliases["named entity recognition"]) == ("Task", ("NER",))
    for metric in ("mIoU", "Params (M)", "Validation mIoU", "Frame (fps)", "box AP", "APbox"):
        assert kinds[metric] == "Metric", metric
    assert "Ours (large)" not in kinds and "A detector" not in kinds
    assert problems == [
        f'{PWC[0]}:26: skipped: bad lexicon record (no "name")',
        f'{PWC[1]}:22: skipped: bad lexicon record (no "name")',
        f'{PWC[2]}:53: skipped: bad lexicon record (no "task")',
    ]


def test_a_gzipped_export_reads_as_the_plain_one(tmp_path: Path) -> None:
    packed = tmp_path / "methods.json.gz"
    with PWC[1].open("rb") as plain, gzip.open(packed, "wb") as out:
        shutil.copyfileobj(plain, out)
    assert _read([packed])[0] == _read([PWC[1]])[0]
    assert _read([packed])[0].digest == _read([PWC[1]])[0].digest


def test_a_later_file_wins_and_the_digest_follows_the_names_not_the_files(tmp_path: Path) -> None:
    first = tmp_path / "first.csv"
    first.write_text("RevCol,dataset\n", encoding="utf-8")
    lexicon, _ = _read([first, PWC[1]])
    assert {e.name: e.kind for e in lexicon.entries}["RevCol"] == "Method"
    copy = tmp_path / "copy.csv"
    copy.write_text("revcol,DATASET\n", encoding="utf-8")
    assert _read([first])[0].digest != _read([copy])[0].digest  # another name: lower case matches any case
    copy.write_text("name,type\nRevCol,Dataset\n", encoding="utf-8")
    assert _read([first])[0].digest == _read([copy])[0].digest


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("missing.csv", None, "cannot read lexicon .*missing.csv: No such file or directory"),
        ("names.txt", "BERT,method\n", "unknown lexicon suffix '.txt'; choose from .csv, .json"),
        ("papers.json", '[{"title": "A paper", "abstract": "Text."}]', "is not a Papers with Code export"),
        ("broken.json.gz", "not gzip at all", "cannot read lexicon .*broken.json.gz"),
    ],
)
def test_a_file_that_cannot_be_a_lexicon_is_an_error(tmp_path: Path, name: str, text: str | None, message: str) -> None:
    path = tmp_path / name
    if text is not None:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(LexiconError, match=message):
        read_lexicons([path], Problems(stream=None))


def test_metrics_and_new_names_on_a_real_abstract(papers: list[Paper]) -> None:
    revcol = [_paper(papers, "Reversible Column Networks")]
    [before] = _summary(revcol)
    assert "APbox" in before["methods"]  # a metric nothing in the package knows
    [after] = _summary(revcol, _read([CSV])[0])
    assert "APbox" not in after["methods"]  # a metric is never a method
    assert "ImageNet-22" not in after["methods"] and "ImageNet-22K" in after["datasets"]


def test_a_users_type_overrides_the_packages(papers: list[Paper]) -> None:
    paper = [_paper(papers, "Towards Memory- and Time-Efficient Backpropagation for Training Spiking Neural Networks")]
    [before] = _summary(paper)
    assert "backpropagation" in before["methods"]
    [after] = _summary(paper, Lexicon.of([Entry("backpropagation", "Family")]))
    assert "backpropagation" not in after["methods"]
    assert "backpropagation through time (BPTT)" in after["methods"]  # a longer name is still a method


def test_a_phrase_ending_in_a_listed_method_is_no_task() -> None:
    paper = Paper(id="paper:bt", title="Pretraining", abstract="We study on-the-fly back-translation for translation.")
    [before] = _summary([paper])
    assert "on-the-fly back-translation" in before["tasks"]
    [after] = _summary([paper], Lexicon.of([Entry("back-translation", "Method")]))
    assert not any("back-translation" in task for task in after["tasks"])
    assert "back-translation" in after["methods"]


def test_papers_with_code_exports_on_real_abstracts(papers: list[Paper]) -> None:
    lexicon = _read(PWC)[0]
    titles = ["Poincaré ResNet", "Reversible Column Networks"]
    before = _summary([_paper(papers, t) for t in titles])
    poincare, revcol = _summary([_paper(papers, t) for t in titles], lexicon)
    # methods.json: "ResNet" and its full name "Residual Network" are one method, still found in any case
    # (the abstract's "ResNet" is part of the more specific "Poincaré ResNet").
    assert "residual network" in before[0]["methods"]
    assert "residual network" in poincare["methods"] and "ResNet" not in poincare["methods"]
    # The abstract defines "Reversible Column Network (RevCol)"; the lexicon has them the other way round.
    # Its sizes ("RevCol-H") are variants named in their own right.
    assert [m for m in revcol["methods"] if "RevCol" in m and "RevCol-" not in m] == [
        "Reversible Column Network (RevCol)"
    ]
    # evaluation-tables.json: APbox is a metric.
    assert "APbox" in before[1]["methods"] and "APbox" not in revcol["methods"]


def test_workers_of_a_pool_extract_with_the_lexicon(papers: list[Paper], monkeypatch: pytest.MonkeyPatch) -> None:
    lexicon = _read([CSV])[0]
    sample = [*papers[:19], _paper(papers, "Reversible Column Networks")]
    expected = _summary(sample, lexicon)
    monkeypatch.setattr(kg.engines.local, "IN_PROCESS", 0)
    monkeypatch.setattr(kg.engines.local, "WARM_IN_PROCESS", 0)
    # One entry more than the in-process run's lexicon: this process has no Runner for it.
    options = ExtractOptions(jobs=2, progress=False, lexicon=Lexicon.of([*lexicon.entries, Entry("pool", "Task")]))
    assert not has_runner(options)
    pooled = [json.loads(line) for line in paper_summaries(extract_mentions(sample, options), lexicon.groups())]
    assert not has_runner(options), "the pool's workers extracted, not this process"
    assert [{k: v for k, v in p.items() if k != "tasks"} for p in pooled] == [
        {k: v for k, v in p.items() if k != "tasks"} for p in expected
    ]
    assert any("ImageNet-22K" in p["datasets"] for p in pooled)


def test_dask_workers_extract_with_the_lexicon(papers: list[Paper]) -> None:
    pytest.importorskip("distributed")
    lexicon = _read([CSV])[0]
    sample = [_paper(papers, "Reversible Column Networks")]
    options = ExtractOptions(jobs=1, engine="dask", progress=False, lexicon=lexicon)
    [found] = [json.loads(line) for line in paper_summaries(extract_mentions(sample, options), lexicon.groups())]
    assert found == _summary(sample, lexicon)[0]
    assert "ImageNet-22K" in found["datasets"] and "APbox" not in found["methods"]


def test_a_changed_lexicon_extracts_again(papers: list[Paper], tmp_path: Path) -> None:
    page = tmp_path / "papers.jsonl"
    page.write_text("".join(json.dumps({"title": p.title, "abstract": p.abstract}) + "\n" for p in papers[:6]))
    lexicon = tmp_path / "names.csv"
    lexicon.write_text("ForwardGNN,method\n", encoding="utf-8")
    options = ExtractOptions(jobs=1, progress=False)
    build = kg.build(page, tmp_path / "out", formats=[], extraction=options, lexicons=[lexicon])
    assert (build.reused, build.extracted) == (0, 6)
    again = kg.build(page, tmp_path / "out", formats=[], extraction=options, lexicons=[lexicon])
    assert (again.reused, again.extracted) == (6, 0)
    lexicon.write_text("ForwardGNN,dataset\n", encoding="utf-8")
    changed = kg.build(page, tmp_path / "out", formats=[], extraction=options, lexicons=[lexicon])
    assert (changed.reused, changed.extracted) == (0, 6)
    assert any(e.label == "ForwardGNN" and e.type.value == "Dataset" for e in changed.kg.entities)
    assert (
        cache_scope(options, "m") + ";lexicon="
        in cache_scope(ExtractOptions(lexicon=_read([lexicon])[0]), "m") + ";lexicon="
    )


def test_one_entity_for_a_name_and_its_aliases_across_papers(papers: list[Paper], tmp_path: Path) -> None:
    build = kg.build(EXAMPLE, tmp_path, formats=[], extraction=ExtractOptions(jobs=1, progress=False), lexicons=[CSV])
    imagenet = [e for e in build.kg.entities if e.label.startswith("ImageNet") and "22" not in e.label]
    assert len(imagenet) == 1, imagenet
    assert {"ImageNet-1K", "ImageNet 1K"} <= set(imagenet[0].aliases)
    assert build.problems.summary() == "skipped 2: 2 bad lexicon row"


@pytest.mark.parametrize("command", ["build", "extract", "eval"])
def test_cli_reads_lexicons_and_a_missing_one_is_one_line(
    command: str, eval_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gold = ["--gold", str(eval_dir / "dev_gold.jsonl")] if command == "eval" else []
    out = ["--out", str(tmp_path / "out")] if command == "build" else []
    missing = tmp_path / "missing.csv"
    args = [command, str(EXAMPLE), *gold, *out, "--jobs", "1", "-q", "--lexicon", str(CSV), "--lexicon", str(missing)]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.splitlines()[-1] == f"kg: error: cannot read lexicon {missing}: No such file or directory"
    assert "Traceback" not in err
