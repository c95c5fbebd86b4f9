"""The vocabulary documents every term exports use; the SHACL shapes accept real exports, reject broken ones."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pyshacl
import pytest
import rdflib
from gold_graph import gold_graph
from rdflib.namespace import OWL, RDF, RDFS

from kg.export import ExportOptions
from kg.export.rdf import write
from kg.rdf_vocab import ENTITY_CLASSES, KG, OA, RELATION_PROPERTY

ONTOLOGY = Path(__file__).resolve().parents[1] / "ontology"
LPWC = "https://linkedpaperswithcode.com/"


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(ONTOLOGY / "kg.ttl")


@pytest.fixture(scope="module")
def shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(ONTOLOGY / "shapes.ttl")


@pytest.fixture(scope="module")
def gold_export(eval_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> rdflib.Graph:
    [path] = write(gold_graph(eval_dir), tmp_path_factory.mktemp("gold"), ExportOptions())
    return rdflib.Graph().parse(path)


def violations(data: rdflib.Graph, shapes: rdflib.Graph) -> str:
    conforms, _, text = pyshacl.validate(data, shacl_graph=shapes)
    return "" if conforms else text


def test_ontology_parses_in_rdflib_and_pyoxigraph(ontology: rdflib.Graph) -> None:
    assert len(list(pyoxigraph.parse(path=ONTOLOGY / "kg.ttl"))) == len(ontology)
    assert (rdflib.URIRef("https://w3id.org/kg-papers/ontology"), RDF.type, OWL.Ontology) in ontology


def test_every_kg_term_has_a_label_and_a_comment(ontology: rdflib.Graph) -> None:
    terms = {s for s in ontology.subjects() if str(s).startswith(KG)}
    required = {c for classes in ENTITY_CLASSES.values() for c in classes if c.startswith(KG)}
    required |= {KG + "Paper", KG + "relation", KG + "sentence", KG + "confidence", *RELATION_PROPERTY.values()}
    assert {rdflib.URIRef(t) for t in required} <= terms
    for term in terms:
        assert ontology.value(term, RDFS.label), term
        assert len(str(ontology.value(term, RDFS.comment) or "")) > 20, term


def test_exports_use_only_documented_kg_terms(ontology: rdflib.Graph, gold_export: rdflib.Graph) -> None:
    used = {t for triple in gold_export for t in triple if isinstance(t, rdflib.URIRef) and str(t).startswith(KG)}
    assert used and used <= set(ontology.subjects())


def test_linked_papers_with_code_alignment(ontology: rdflib.Graph) -> None:
    for name in ("Paper", "Method", "Dataset", "Task", "Repository"):
        [equivalent] = ontology.objects(rdflib.URIRef(KG + name), OWL.equivalentClass)
        assert str(equivalent).startswith(LPWC + "class/"), name
    for name in ("uses", "evaluatesOn", "addresses", "hasCode"):
        [equivalent] = ontology.objects(rdflib.URIRef(KG + name), OWL.equivalentProperty)
        assert str(equivalent).startswith(LPWC + "property/"), name


def test_shapes_parse_and_declare_every_shape(shapes: rdflib.Graph) -> None:
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    node_shapes = set(shapes.subjects(RDF.type, sh.NodeShape))
    assert len(node_shapes) >= 10
    assert len(list(pyoxigraph.parse(path=ONTOLOGY / "shapes.ttl"))) == len(shapes)


def test_the_real_seed_build_conforms(seed_build: Path, shapes: rdflib.Graph) -> None:
    assert violations(rdflib.Graph().parse(seed_build / "graph.ttl"), shapes) == ""


def test_the_gold_graph_with_every_relation_conforms(gold_export: rdflib.Graph, shapes: rdflib.Graph) -> None:
    assert violations(gold_export, shapes) == ""


def _first(graph: rdflib.Graph, predicate: str) -> tuple:
    return next(iter(graph.triples((None, rdflib.URIRef(predicate), None))))


def _drop_title(g: rdflib.Graph) -> None:
    g.remove(_first(g, "http://purl.org/dc/terms/title"))


def _move_quote(g: rdflib.Graph) -> None:
    s, p, o = _first(g, OA + "exact")
    g.set((s, p, rdflib.Literal(str(o) + "x")))


def _drop_plain_triple(g: rdflib.Graph) -> None:
    g.remove(_first(g, KG + "evaluatesOn"))


def _drop_links_to(g: rdflib.Graph) -> None:
    g.remove(_first(g, KG + "linksTo"))


def _code_to_a_method(g: rdflib.Graph) -> None:
    paper, _, _ = _first(g, KG + "hasCode")
    method, _, _ = next(iter(g.triples((None, RDF.type, rdflib.URIRef(KG + "Method")))))
    g.add((paper, rdflib.URIRef(KG + "hasCode"), method))


def _confidence_above_one(g: rdflib.Graph) -> None:
    s, p, _ = _first(g, KG + "confidence")
    g.set((s, p, rdflib.Literal(1.5)))


@pytest.mark.parametrize(
    "damage,message",
    [
        (_drop_title, "dcterms:title"),
        (_move_quote, "oa:exact must be the paper text"),
        (_drop_plain_triple, "must support a plain triple"),
        (_drop_links_to, "must be stated with kg:linksTo too"),
        (_code_to_a_method, "kg:hasCode"),
        (_confidence_above_one, "kg:confidence"),
    ],
)
def test_shapes_reject_broken_exports(damage, message: str, gold_export: rdflib.Graph, shapes: rdflib.Graph) -> None:
    broken = rdflib.Graph()
    for prefix, namespace in gold_export.namespaces():
        broken.bind(prefix, namespace)
    broken += gold_export
    damage(broken)
    report = violations(broken, shapes)
    assert "Conforms: False" in report and message in report, report[:2000]
