"""The scholarly API formats (tests/data/feeds): Hugging Face Daily Papers, arXiv Atom, OpenAlex, Semantic Scholar."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyoxigraph
import pyshacl
import pytest
import rdflib

from kg.ingest import read_file, read_inputs
from kg.ingest.openalex import abstract_text
from kg.ingest.stream import sniff
from kg.ingest.values import find_doi, iso_date, plain_text
from kg.problems import Problems

FEEDS = Path(__file__).parent / "data" / "feeds"
ONTOLOGY = Path(__file__).resolve().parents[1] / "ontology"


def read(name: str) -> tuple[list, Problems]:
    problems = Problems(stream=None)
    return list(read_file(FEEDS / name, problems)), problems


def reasons(problems: Problems) -> list[str]:
    return [f"{Path(p.path).name}:{p.line}: {p.reason}" for p in problems.items]


def test_daily_papers_api_listing_keeps_the_arxiv_id_date_and_links() -> None:
    papers, problems = read("hf_daily_papers.json")
    assert [p.arxiv_id for p in papers] == ["2310.04001", "2310.04117"]
    first = papers[0]
    assert first.authors == ["Ana Ruiz", "Kenji Mori"]
    assert first.date == "2023-10-05"  # the paper's publishedAt, not the day it was listed
    assert first.source_links == [
        ("https://github.com/example-lab/SparseFlow", "githubRepo of the Hugging Face Daily Papers API"),
        ("https://example-lab.github.io/sparseflow/", "projectPage of the Hugging Face Daily Papers API"),
    ]
    assert papers[1].title == r"Scaling Laws for $\mathcal{O}(1)$-Memory Attention"  # LaTeX kept as written
    assert reasons(problems) == ["hf_daily_papers.json:42: record without abstract"]


def test_a_single_hugging_face_paper_object_reads_too() -> None:
    (paper,), problems = read("hf_paper.json")
    assert (paper.id, paper.date) == ("arxiv:2310.05512", "2023-10-09")
    assert paper.source_links[0][0] == "https://github.com/tberg/rap-robots.git"
    assert not problems.items


def test_arxiv_atom_feed_keeps_categories_doi_and_full_dates() -> None:
    papers, problems = read("arxiv_query.atom")
    assert not problems.items
    assert [(p.arxiv_id, p.primary_category, p.categories) for p in papers] == [
        ("2310.04001", "cs.CV", ["cs.CV", "cs.LG"]),
        ("2309.17002", "eess.IV", ["eess.IV", "cs.CV"]),
        ("math/0601001", "math.AG", ["math.AG"]),
    ]
    first, second, _ = papers
    assert first.title == "SparseFlow: Token Pruning for Fast Video Transformers"  # the line break folded
    assert first.abstract.startswith("Video transformers spend")
    assert (first.date, first.url) == ("2023-10-05", "http://arxiv.org/abs/2310.04001v2")
    assert second.doi == "10.1109/tip.2023.1234567"
    assert second.title == r"Diffusion Priors for $\ell_1$-Regularised Deblurring & Denoising"
    assert [p.sources[0].line for p in papers] == [10, 34, 55]


def test_an_arxiv_api_error_is_one_problem() -> None:
    papers, problems = read("arxiv_error.xml")
    assert papers == []
    assert [str(p) for p in problems.items] == [
        f"{FEEDS / 'arxiv_error.xml'}:6: skipped: arXiv API error (incorrect id format for 2310.0400)"
    ]


def test_xml_with_entity_declarations_is_refused(tmp_path: Path) -> None:
    laughs = tmp_path / "laughs.xml"
    laughs.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE feed [\n<!ENTITY a "ha">\n<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">\n]>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>&b;</title><summary>&b;</summary></entry></feed>\n'
    )
    problems = Problems(stream=None)
    assert list(read_file(laughs, problems)) == []
    assert [str(p) for p in problems.items] == [
        f"{laughs}:2: skipped: XML with a document type declaration (not read, for safety)"
    ]


def test_malformed_xml_keeps_the_entries_before_it(tmp_path: Path) -> None:
    broken = tmp_path / "broken.atom"
    text = (FEEDS / "arxiv_query.atom").read_text().replace("</published>\n    <title>A Note", "\n    <title>A Note")
    broken.write_text(text)
    problems = Problems(stream=None)
    assert len(list(read_file(broken, problems))) == 2
    assert reasons(problems) == ["broken.atom:70: malformed XML"]


def test_openalex_page_turns_the_inverted_index_into_text_and_strips_html() -> None:
    (sparse, genome), problems = read("openalex_works.json")
    assert not problems.items
    assert sparse.abstract.endswith(
        "SparseFlow halves the cost of action recognition with ViViT while keeping its accuracy."
    )
    assert sparse.id == "arxiv:2310.04001"  # from arXiv's DOI
    assert sparse.doi == "10.48550/arxiv.2310.04001"
    assert sparse.categories == ["Advanced Neural Network Applications", "Human Action Recognition"]
    assert sparse.primary_category == "Advanced Neural Network Applications"
    assert genome.title == "Genome Editing of Drosophila Neurons with CRISPR&Cas9"
    assert genome.abstract == (
        "We edit the genome of single neurons in living flies. We show that CRISPR-Cas9 with guide RNAs "
        "delivered by AAV reaches 90% of the cells in the brain."
    )
    assert (genome.doi, genome.categories, genome.date) == (
        "10.1038/s41586-023-00002-x",
        ["Genetics", "Biology"],
        "2023-06-14",
    )


def test_openalex_json_lines_and_a_missing_abstract() -> None:
    (paper,), problems = read("openalex_works.jsonl")
    assert reasons(problems) == ["openalex_works.jsonl:1: record without abstract"]
    assert paper.abstract.startswith(r"We combine a score-based diffusion prior with an $\ell_1$ data term.")


def test_inverted_index_puts_repeated_words_back_and_ignores_junk() -> None:
    index = {"the": [0, 2], "cat": [1], "dog": [3], "huge": [10**12], "bad": ["x"], "none": None}
    assert abstract_text(index) == "the cat the dog huge"
    assert abstract_text(None) == ""


def test_semantic_scholar_search_page() -> None:
    (rap, rewiring), problems = read("s2_search.json")
    assert reasons(problems) == ["s2_search.json:1: record without abstract"]
    assert (rap.id, rap.doi, rap.date) == ("arxiv:2310.05512", "10.48550/arxiv.2310.05512", "2023-10-09")
    assert rap.categories == ["Computer Science", "Engineering"]
    assert rap.primary_category is None  # fields of study have no rank
    assert rewiring.title == "Graph Rewiring at Scale for Molecular Property Prediction"
    assert (rewiring.date, rewiring.arxiv_id, rewiring.categories) == ("2022", None, [])


def test_a_semantic_scholar_paper_as_json_lines(tmp_path: Path) -> None:
    record = json.loads((FEEDS / "s2_search.json").read_text())["data"][0]
    path = tmp_path / "s2.jsonl"
    path.write_text(json.dumps(record) + "\n" + json.dumps({**record, "paperId": "x", "title": "Another"}) + "\n")
    papers, problems = list(read_file(path, Problems(stream=None))), None
    assert [p.title for p in papers] == ["Retrieval-Augmented Planning for Household Robots", "Another"]
    assert problems is None


def test_every_format_merges_by_arxiv_id_doi_or_title() -> None:
    problems = Problems(stream=None)
    papers = {p.id: p for p in read_inputs([FEEDS], problems)}
    assert len(papers) == 7
    sparse = papers["arxiv:2310.04001"]
    assert sorted(Path(s.path).name for s in sparse.sources) == [
        "arxiv_query.atom",
        "hf_daily_papers.json",
        "openalex_works.json",
    ]
    assert sparse.categories == ["cs.CV", "cs.LG", "Advanced Neural Network Applications", "Human Action Recognition"]
    assert sparse.primary_category == "cs.CV"  # the first source's
    assert sparse.doi == "10.48550/arxiv.2310.04001"
    assert len(sparse.source_links) == 2
    # The journal version has another title and no arXiv id: only the DOI joins them.
    deblur = papers["arxiv:2309.17002"]
    assert sorted(Path(s.path).name for s in deblur.sources) == ["arxiv_query.atom", "openalex_works.jsonl"]
    assert "Image Restoration Techniques" in deblur.categories
    assert "openalex_works.jsonl:2: another abstract of the same paper" in reasons(problems)


def test_values_are_made_plain() -> None:
    assert iso_date("2023-10-05T17:59:58.000Z") == "2023-10-05"
    assert [iso_date(v) for v in ("Oct 3", "2023", "2023-02-30", None, 2023)] == [None] * 5
    assert find_doi("https://doi.org/10.1038/S41586-023-00002-X") == "10.1038/s41586-023-00002-x"
    assert find_doi("no doi here") is None
    assert plain_text("<i>In vivo</i> &amp; a < b, <jats:p>x</jats:p>") == "In vivo & a < b, x"


def test_a_feed_on_standard_input_is_told_by_its_content(tmp_path: Path) -> None:
    copy = tmp_path / "input"
    copy.write_bytes((FEEDS / "arxiv_query.atom").read_bytes())
    assert sniff(copy) == ".xml"


@pytest.fixture(scope="module")
def feed_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from kg.cli import main

    out = tmp_path_factory.mktemp("feed_build")
    assert (
        main(["build", str(FEEDS), "--out", str(out), "--formats", "rdf,tables,parquet,gexf", "--jobs", "1", "-q"]) == 0
    )
    return out


def test_new_paper_columns_reach_the_tables(feed_build: Path) -> None:
    import pandas as pd

    with (feed_build / "papers.csv").open(newline="") as f:
        rows = {row["id"]: row for row in csv.DictReader(f)}
    assert list(rows["arxiv:2309.17002"])[-4:] == ["doi", "categories", "primary_category", "iri"]
    deblur = rows["arxiv:2309.17002"]
    assert deblur["iri"] == "https://arxiv.org/abs/2309.17002"  # as in graph.ttl: the paper's arXiv page
    assert (deblur["doi"], deblur["primary_category"]) == ("10.1109/tip.2023.1234567", "eess.IV")
    assert deblur["categories"] == "eess.IV; cs.CV; Image Restoration Techniques"
    table = pd.read_parquet(feed_build / "papers.parquet")
    assert table.set_index("id").loc["arxiv:2310.04001", "primary_category"] == "cs.CV"


def _select(build: Path, query: str) -> list[tuple[str, ...]]:
    store = pyoxigraph.Store()
    store.load(path=build / "graph.ttl", format=pyoxigraph.RdfFormat.TURTLE)
    prefixes = "PREFIX kg: <https://w3id.org/kg-papers/ontology#> PREFIX dcterms: <http://purl.org/dc/terms/>\n"
    return sorted(tuple(str(term.value) for term in row) for row in store.query(prefixes + query))


def test_categories_doi_and_dates_in_rdf(feed_build: Path) -> None:
    cv = _select(feed_build, 'SELECT ?title WHERE { ?p kg:category "cs.CV" ; dcterms:title ?title }')
    assert cv == [
        ("Diffusion Priors for $\\ell_1$-Regularised Deblurring & Denoising",),
        ("SparseFlow: Token Pruning for Fast Video Transformers",),
    ]
    dates = _select(feed_build, "SELECT ?d (DATATYPE(?d) AS ?t) WHERE { ?p dcterms:date ?d }")
    xsd = "http://www.w3.org/2001/XMLSchema#"
    assert ("2022", xsd + "string") in dates  # a bare year is no xsd:date
    assert ("2023-10-05", xsd + "date") in dates
    doi = _select(feed_build, "SELECT ?doi WHERE { ?p <http://prismstandard.org/namespaces/basic/2.0/doi> ?doi }")
    assert doi == [
        ("10.1038/s41586-023-00002-x",),
        ("10.1109/tip.2023.1234567",),
        ("10.48550/arxiv.2310.04001",),
        ("10.48550/arxiv.2310.05512",),
    ]


def test_a_hugging_face_github_repo_is_a_has_code_link_with_the_api_as_evidence(feed_build: Path) -> None:
    rows = _select(
        feed_build,
        """SELECT ?repo ?sentence ?selectors WHERE {
            ?p kg:hasCode ?repo .
            ?m <http://www.w3.org/ns/oa#hasBody> ?repo ; kg:sentence ?sentence ;
               <http://www.w3.org/ns/oa#hasTarget> ?target .
            { SELECT ?target (COUNT(?s) AS ?selectors) WHERE {
                ?target <http://www.w3.org/ns/oa#hasSource> ?any .
                OPTIONAL { ?target <http://www.w3.org/ns/oa#hasSelector> ?s } } GROUP BY ?target }
        }""",
    )
    assert rows == [
        (
            "https://github.com/example-lab/sparseflow",
            "githubRepo of the Hugging Face Daily Papers API: https://github.com/example-lab/SparseFlow",
            "0",
        ),
        (
            "https://github.com/tberg/rap-robots",
            "githubRepo of the Hugging Face Daily Papers API: https://github.com/tberg/rap-robots.git",
            "0",
        ),
    ]
    with (feed_build / "mentions.csv").open(newline="") as f:
        extractors = {row["extractor"] for row in csv.DictReader(f) if row["relation"] == "has_code"}
    assert extractors == {"links:source"}


def test_the_feed_build_conforms_to_the_shapes(feed_build: Path) -> None:
    data = rdflib.Graph().parse(feed_build / "graph.ttl")
    shapes = rdflib.Graph().parse(ONTOLOGY / "shapes.ttl")
    conforms, _, text = pyshacl.validate(data, shacl_graph=shapes)
    assert conforms, text


def test_kg_extract_adds_new_keys_after_the_contract(capsys: pytest.CaptureFixture[str]) -> None:
    from kg.cli import main

    assert main(["extract", str(FEEDS / "hf_paper.json"), "--jobs", "1", "-q"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert list(record) == [
        *("id", "title", "repos", "urls", "methods", "datasets", "tasks", "concepts", "proposed"),
        *("doi", "categories", "primary_category", "relations", "results"),
    ]
    assert record["repos"] == ["tberg/rap-robots"]
    assert (record["doi"], record["categories"]) == (None, [])


def test_papers_with_a_full_date_start_then_on_gephis_timeline(feed_build: Path, seed_build: Path) -> None:
    import networkx as nx

    assert (
        '<graph defaultedgetype="directed" mode="dynamic" timeformat="date"' in (feed_build / "graph.gexf").read_text()
    )
    feeds = nx.read_gexf(feed_build / "graph.gexf")
    papers = [d for _, d in feeds.nodes(data=True) if d["type"] == "Paper"]
    dated = [d for d in papers if len(d.get("date", "")) == 10]
    assert len(dated) >= 5 and all(d["start"] == d["date"] for d in dated)
    assert not [d for _, d in feeds.nodes(data=True) if "start" in d and d not in dated]
    # Daily Papers pages date papers "Oct 3": no year, so no place on a timeline.
    seeds = nx.read_gexf(seed_build / "graph.gexf")
    assert not [d for _, d in seeds.nodes(data=True) if "start" in d]
