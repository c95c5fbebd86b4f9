"""RDF export: parses everywhere, same IRIs every build, evidence that matches the text, any text round-trips."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from rdflib.namespace import DCTERMS, RDF, SKOS

from kg.cli import main
from kg.export import ExportOptions
from kg.export.rdf import FORMATS, write
from kg.graph import KnowledgeGraph
from kg.iri import KINDS, check_base
from kg.rdf_vocab import FABIO, KG, OA, RELATION_PROPERTY
from kg.records import Entity, EntityType, Link, Paper, Relation, Source

UNCAD = "UncAD: Towards Safe End-to-end Autonomous Driving via Online Map Uncertainty"
RDFLIB_FORMAT = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld"}


def to_rdflib(term: pyoxigraph.NamedNode | pyoxigraph.Literal) -> rdflib.term.Node:
    if isinstance(term, pyoxigraph.NamedNode):
        return rdflib.URIRef(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    if term.datatype.value == str(rdflib.XSD.string):  # RDF 1.1: a plain literal is an xsd:string
        return rdflib.Literal(term.value)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))


def oxigraph_triples(path: Path) -> set[tuple]:
    return {(to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)) for t in pyoxigraph.parse(path=path)}


def rdflib_graph(path: Path) -> rdflib.Graph:
    return rdflib.Graph().parse(path, format=RDFLIB_FORMAT[path.suffix.lstrip(".")])


def iris(graph: rdflib.Graph) -> set[str]:
    return {str(node) for triple in graph for node in triple if isinstance(node, rdflib.URIRef)}


@pytest.fixture(scope="module")
def seed_graph(seed_build: Path) -> rdflib.Graph:
    return rdflib_graph(seed_build / "graph.ttl")


@pytest.fixture(scope="module")
def second_seed_build(seeds_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Another full build of the seed pages, in N-Triples, to compare with the first."""
    out = tmp_path_factory.mktemp("second_build")
    args = ["build", str(seeds_dir), "--out", str(out), "--jobs", "1", "--quiet", "--rdf-format", "nt", "--no-cache"]
    assert main(args) == 0
    return out


def test_seed_turtle_parses_to_the_same_triples_in_rdflib_and_pyoxigraph(seed_build: Path, seed_graph) -> None:
    assert len(seed_graph) > 295 * 4
    assert oxigraph_triples(seed_build / "graph.ttl") == set(seed_graph)


def test_two_builds_give_identical_iris_and_triples(seed_graph, second_seed_build: Path) -> None:
    second = rdflib_graph(second_seed_build / "graph.nt")
    assert iris(second) == iris(seed_graph)
    assert set(second) == set(seed_graph)


def test_seed_papers_and_code_are_in_the_graph(seed_graph) -> None:
    papers = set(seed_graph.subjects(RDF.type, rdflib.URIRef(KG + "Paper")))
    assert len(papers) == 295
    uncad = seed_graph.value(predicate=DCTERMS.title, object=rdflib.Literal(UNCAD))
    repo = rdflib.URIRef("https://github.com/pengxuanyang/uncad")
    assert (uncad, rdflib.URIRef(KG + "hasCode"), repo) in seed_graph
    assert seed_graph.value(repo, SKOS.prefLabel) == rdflib.Literal("pengxuanyang/UncAD")


def test_every_iri_is_ascii_and_minted_ones_are_hashes(seed_graph) -> None:
    base = ExportOptions().base_iri
    minted = re.compile(
        rf"^{re.escape(base)}({'|'.join(KINDS)})/[0-9a-f]{{16}}(-target|-quote|-position|-evidence-\d+)?$"
    )
    for iri in iris(seed_graph):
        assert iri.isascii() and " " not in iri, iri
        if iri.startswith(base) and not iri.startswith(KG) and iri != f"{base}scheme/concepts":
            assert minted.match(iri), iri


def test_every_link_has_evidence_that_matches_the_paper_text(seed_graph) -> None:
    """oa:exact is the paper text (title, blank line, abstract) at oa:start:oa:end, inside the sentence."""
    g = seed_graph
    annotations = list(g.subjects(RDF.type, rdflib.URIRef(OA + "Annotation")))
    relations = {rdflib.URIRef(iri) for iri in RELATION_PROPERTY.values()}
    plain = [t for t in g if t[1] in relations]
    assert len(annotations) == len(plain) > 50
    oa = rdflib.Namespace(OA)
    for annotation in annotations:
        target = g.value(annotation, oa.hasTarget)
        paper = g.value(target, oa.hasSource)
        text = f"{g.value(paper, DCTERMS.title)}\n\n{g.value(paper, DCTERMS.abstract)}"
        selectors = {g.value(s, RDF.type): s for s in g.objects(target, oa.hasSelector)}
        quote, position = selectors[oa.TextQuoteSelector], selectors[oa.TextPositionSelector]
        start, end = g.value(position, oa.start).toPython(), g.value(position, oa.end).toPython()
        exact = str(g.value(quote, oa.exact))
        assert text[start:end] == exact
        assert exact in str(g.value(annotation, rdflib.URIRef(KG + "sentence")))
        relation = g.value(annotation, rdflib.URIRef(KG + "relation"))
        assert (paper, relation, g.value(annotation, oa.hasBody)) in g


def test_provenance_names_the_model_and_kg_version(seed_graph) -> None:
    labels = {str(o) for o in seed_graph.objects(None, rdflib.RDFS.label)}
    assert "kg 0.1.0" in labels and "links" in labels
    assert any(label.startswith("en_core_web_sm") for label in labels)


def test_turtle_is_readable(seed_build: Path) -> None:
    text = (seed_build / "graph.ttl").read_text(encoding="utf-8")
    assert "@prefix kg: <https://w3id.org/kg-papers/ontology#> ." in text
    assert "@prefix paper: <https://w3id.org/kg-papers/paper/> ." in text
    body = "\n".join(line for line in text.splitlines() if not line.startswith("@prefix"))
    assert "<https://w3id.org/kg-papers/" not in body, "minted IRIs are written with prefixes"
    assert " a kg:Paper ;\n\tdcterms:title " in body, "triples are grouped by subject"


HOSTILE = 'He said "hi" \\o/ \'\'\' """ <b>&amp;</b>\n\tline two\r\n Zürich 東京 😀 \u2028 end\\'


def hostile_graph() -> KnowledgeGraph:
    """Every character that could break a serialiser, in every text field."""
    paper = Paper(
        id="arxiv:2410.01234",
        title=f"Title {HOSTILE}",
        abstract=f'Abstract {HOSTILE} We use Méthode-😀 "v2" <x> & github.com/Own-er/Repo.',
        arxiv_id="2410.01234",
        url="https://huggingface.co/papers/2410.01234",
        date="2024-10-03",
        authors=['Zoë "Z" O\'Brien', "李雷"],
        sources=[Source("pages/ü ber.txt", 3)],
    )
    other = Paper(id="paper:0123456789abcdef", title="Plain", abstract=f"{HOSTILE} Méthode-😀 again.", date="Oct 3")
    method_start = paper.text.index("Méthode")
    repo_start = paper.text.index("github.com")
    entities = [
        Entity("method:methode", EntityType.METHOD, 'Méthode-😀 "v2" <x> &', aliases=[HOSTILE, "M\\2"]),
        Entity("repository:repo:own-er/repo", EntityType.REPOSITORY, "Own-er/Repo"),
        Entity("concept:c", EntityType.CONCEPT, HOSTILE),
    ]
    links = [
        Link(
            paper.id,
            "method:methode",
            Relation.USES,
            f"We use Méthode-😀 {HOSTILE}",
            method_start,
            method_start + 9,
            "rules",
            0.75,
            "Méthode-😀",
        ),
        Link(
            paper.id,
            "repository:repo:own-er/repo",
            Relation.HAS_CODE,
            HOSTILE,
            repo_start,
            repo_start + len("github.com/Own-er/Repo"),
            "links",
            1.0,
            "Own-er/Repo",
        ),
        Link(
            other.id,
            "method:methode",
            Relation.PROPOSES,
            HOSTILE,
            other.text.index("Méthode"),
            other.text.index("Méthode") + 9,
            "rules",
            0.5,
            "Méthode-😀",
        ),
        Link(other.id, "concept:c", Relation.ABOUT, HOSTILE, 7, 14, "rules", 1.0, "He said"),
    ]
    return KnowledgeGraph([paper, other], entities, links, model='model "x" 😀')


@pytest.mark.parametrize("rdf_format", sorted(FORMATS))
def test_hostile_text_round_trips_in_every_format(rdf_format: str, tmp_path: Path) -> None:
    kg = hostile_graph()
    [path] = write(kg, tmp_path, ExportOptions(rdf_format=rdf_format))
    assert path.name == f"graph.{rdf_format}"
    g = rdflib_graph(path)
    assert oxigraph_triples(path) == set(g)
    for paper in kg.papers:
        node = g.value(predicate=DCTERMS.title, object=rdflib.Literal(paper.title))
        assert str(g.value(node, DCTERMS.abstract)) == paper.abstract
    labels = {str(o) for o in g.objects(None, SKOS.prefLabel)} | {str(o) for o in g.objects(None, SKOS.altLabel)}
    assert {e.label for e in kg.entities} | {a for e in kg.entities for a in e.aliases} <= labels
    sentences = {str(o) for o in g.objects(None, rdflib.URIRef(KG + "sentence"))}
    assert sentences == {link.sentence for link in kg.links}
    exact = {str(o) for o in g.objects(None, rdflib.URIRef(OA + "exact"))}
    assert "Méthode-😀" in exact and "github.com/Own-er/Repo" in exact
    assert 'Zoë "Z" O\'Brien' in {
        str(o) for o in g.objects(None, rdflib.URIRef("http://purl.org/dc/elements/1.1/creator"))
    }
    assert all(iri.isascii() for iri in iris(g))


def test_real_identifiers_are_reused(tmp_path: Path) -> None:
    [path] = write(hostile_graph(), tmp_path, ExportOptions())
    g = rdflib_graph(path)
    arxiv = rdflib.URIRef("https://arxiv.org/abs/2410.01234")
    assert (arxiv, RDF.type, rdflib.URIRef(KG + "Paper")) in g
    assert g.value(arxiv, rdflib.URIRef(FABIO + "hasArXivId")) == rdflib.Literal("2410.01234")
    assert g.value(arxiv, DCTERMS.date) == rdflib.Literal("2024-10-03", datatype=rdflib.XSD.date)
    assert (arxiv, rdflib.URIRef(KG + "hasCode"), rdflib.URIRef("https://github.com/own-er/repo")) in g


def test_iris_do_not_depend_on_order(tmp_path: Path) -> None:
    kg = hostile_graph()
    shuffle = random.Random(7).sample
    shuffled = KnowledgeGraph(shuffle(kg.papers, 2), shuffle(kg.entities, 3), shuffle(kg.links, 4), model=kg.model)
    [first] = write(kg, tmp_path / "a", ExportOptions(rdf_format="nt"))
    [second] = write(shuffled, tmp_path / "b", ExportOptions(rdf_format="nt"))
    assert set(rdflib_graph(first)) == set(rdflib_graph(second))


def test_base_iri_moves_minted_iris_only(tmp_path: Path) -> None:
    [path] = write(hostile_graph(), tmp_path, ExportOptions(base_iri=check_base("http://example.org/kg")))
    minted = {iri for iri in iris(rdflib_graph(path)) if "/ontology#" not in iri and iri.startswith("https://w3id")}
    assert not minted
    subjects = {str(s) for s in rdflib_graph(path).subjects()}
    assert any(s.startswith("http://example.org/kg/method/") for s in subjects)
    assert "https://arxiv.org/abs/2410.01234" in subjects


@pytest.mark.parametrize(
    "base,expected",
    [
        ("https://example.org/kg", "https://example.org/kg/"),
        ("urn:x:kg:", "urn:x:kg:/"),
        ("http://e.org/v#", "http://e.org/v#"),
    ],
)
def test_check_base_accepts_absolute_iris(base: str, expected: str) -> None:
    assert check_base(base) == expected


@pytest.mark.parametrize("base", ["kg/", "https://exämple.org/", "https://e.org/a b/", "http://e.org/<x>/"])
def test_check_base_rejects_what_would_mint_bad_iris(base: str) -> None:
    with pytest.raises(ValueError, match="base IRI"):
        check_base(base)


def test_bad_base_iri_is_a_one_line_usage_error(seeds_dir: Path, tmp_path: Path, capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["build", str(seeds_dir), "--out", str(tmp_path), "--base-iri", "not an iri"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.splitlines()[-1].startswith("kg build: error: argument --base-iri: base IRI 'not an iri'")
    assert "Traceback" not in err
