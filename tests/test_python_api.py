"""``kg.extract`` and ``kg.query``: the same answers as ``kg extract`` and ``kg query``, as Python objects."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

import kg
from kg.cli import main
from kg.ingest import paper_key, read_file

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "daily_papers_mar12.txt"
FEEDS = Path(__file__).parent / "data" / "feeds"
LINKS = "PREFIX kg: <https://w3id.org/kg-papers/ontology#>\n"


def quiet() -> kg.Problems:
    return kg.Problems(stream=None)


def test_extract_a_text_gives_what_kg_extract_prints(capsys: pytest.CaptureFixture[str]) -> None:
    papers = list(read_file(EXAMPLE, quiet()))[:3]
    assert main(["extract", str(EXAMPLE), "--jobs", "1", "-q"]) == 0
    printed = [json.loads(line) for line in capsys.readouterr().out.splitlines()[:3]]
    for paper, line in zip(papers, printed, strict=True):
        assert kg.extract(paper.title, paper.abstract) == line
    assert printed[0]["repos"] == ["facebookresearch/forwardgnn"]


def test_extract_records_merges_them_and_reports_the_unusable() -> None:
    hf = json.loads((FEEDS / "hf_paper.json").read_text())
    problems = quiet()
    records = [
        hf,
        {"title": hf["title"], "abstract": hf["summary"], "doi": "10.48550/arXiv.2310.05512"},  # the same paper
        {"title": "No abstract here"},
        {"title": "Graph rewiring", "abstract": "We rewire molecular graphs and evaluate on QM9 with GIN."},
    ]
    found = kg.extract(records, problems=problems)
    assert isinstance(found, list) and [r["id"] for r in found] == [
        "arxiv:2310.05512",
        paper_key("Graph rewiring", None),
    ]
    assert found[0]["repos"] == ["tberg/rap-robots"]  # the githubRepo of the Hugging Face record
    assert found[0]["doi"] == "10.48550/arxiv.2310.05512"
    assert "QM9" in found[1]["datasets"]
    assert [str(p) for p in problems.items] == ["<python>:3: skipped: record without abstract (No abstract here)"]
    one = kg.extract(records[3])
    assert isinstance(one, dict) and one == found[1]


def test_extract_with_nothing_usable_raises() -> None:
    with pytest.raises(kg.NoPapers, match="record without abstract"):
        kg.extract("A title alone", problems=quiet())


def test_query_a_build_folder_as_a_data_frame(seed_build: Path) -> None:
    frame = kg.query(
        seed_build,
        LINKS + "SELECT ?paper (COUNT(?entity) AS ?n) WHERE { ?paper kg:linksTo ?entity } GROUP BY ?paper",
    )
    assert list(frame.columns) == ["paper", "n"]
    with (seed_build / "mentions.csv").open(newline="") as f:
        pairs = {(row["paper_id"], row["entity_id"]) for row in csv.DictReader(f)}
    assert frame["n"].sum() == len(pairs)
    assert frame["n"].dtype == "int64"  # numbers come back as numbers
    assert frame["paper"].str.startswith("https://").all()


def test_query_ask_construct_and_a_query_file(seed_build: Path) -> None:
    assert kg.query(seed_build / "graph.ttl", LINKS + "ASK { ?p kg:hasCode ?r }").to_dict("list") == {"boolean": [True]}
    triples = kg.query(seed_build, LINKS + "CONSTRUCT { ?p kg:hasCode ?r } WHERE { ?p kg:hasCode ?r } LIMIT 3")
    assert list(triples.columns) == ["subject", "predicate", "object"] and len(triples) == 3
    query_file = Path(__file__).resolve().parents[1] / "ontology" / "queries" / "papers_with_code.rq"
    assert len(kg.query(seed_build, str(query_file))) > 40


def test_query_the_result_of_build(tmp_path: Path) -> None:
    result = kg.build(FEEDS, tmp_path / "out", formats=["rdf"], problems=quiet(), cache=False)
    frame = kg.query(result, LINKS + 'SELECT ?p WHERE { ?p kg:primaryCategory "cs.CV" }')
    assert frame["p"].tolist() == ["https://arxiv.org/abs/2310.04001"]
    tables_only = kg.build(FEEDS, tmp_path / "tables", formats=["tables"], problems=quiet(), cache=False)
    with pytest.raises(kg.QueryError, match="wrote no RDF"):
        kg.query(tables_only, "ASK {}")


def test_query_errors_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(kg.QueryError, match="no such file"):
        kg.query(tmp_path / "missing.ttl", "ASK {}")
