"""``kg query`` and the example queries: real answers, the same rows as rdflib, one-line errors.

Each example query is checked against an answer computed in Python from the
knowledge graph's tables, on the graph of the 40 hand-annotated eval papers
(every relation present) and, where the extractors already find the links,
on the real seed build.
"""

from __future__ import annotations

import csv
import http.server
import io
import json
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from itertools import combinations
from pathlib import Path
from string import Template
from typing import ClassVar

import pytest
import rdflib
from gold_graph import gold_graph

from kg import __version__
from kg.cli import main
from kg.export import ExportOptions
from kg.export.rdf import write
from kg.graph import KnowledgeGraph
from kg.query import CONTROL, TABLE_SAMPLE, QueryError, check_local, find_graph, load, read_query, run, table
from kg.rdf_vocab import RELATION_PROPERTY
from kg.records import EntityType, Link, Relation

QUERIES = Path(__file__).resolve().parents[1] / "ontology" / "queries"
UNCAD = "UncAD: Towards Safe End-to-end Autonomous Driving via Online Map Uncertainty"
Row = tuple[object, ...]


def python_value(term: object) -> object:
    """A pyoxigraph or rdflib term as a plain Python value, so both engines compare equal."""
    if term is None:
        return None
    if not isinstance(term, rdflib.term.Identifier):
        datatype = getattr(term, "datatype", None)
        if datatype is None:
            return term.value
        term = rdflib.Literal(term.value, datatype=rdflib.URIRef(datatype.value))
    if isinstance(term, rdflib.Literal):
        value = term.toPython()
        return str(value) if isinstance(value, rdflib.Literal) else value
    return str(term)


def oxigraph_rows(graph: Path, name: str) -> list[Row]:
    text, _ = read_query(str(QUERIES / name))
    solutions = run(load(graph), text)
    width = len(solutions.variables)
    return [tuple(python_value(row[i]) for i in range(width)) for row in solutions]


def rdflib_rows(graph: rdflib.Graph, name: str) -> list[Row]:
    return [tuple(python_value(v) for v in row) for row in graph.query((QUERIES / name).read_text())]


@pytest.fixture(scope="module")
def gold(eval_dir: Path) -> KnowledgeGraph:
    return gold_graph(eval_dir)


@pytest.fixture(scope="module")
def gold_ttl(gold: KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    [path] = write(gold, tmp_path_factory.mktemp("gold"), ExportOptions())
    return path


# ---------------------------------------------------------------- answers from the tables


def links_of(kg: KnowledgeGraph, *relations: Relation) -> list[Link]:
    return [link for link in kg.links if link.relation in relations]


def label(kg: KnowledgeGraph, entity_id: str) -> str:
    return kg.entity_by_id[entity_id].label


def code_row(kg: KnowledgeGraph, link: Link) -> Row:
    repository = label(kg, link.entity_id)
    return (kg.paper_by_id[link.paper_id].title, repository, "https://github.com/" + repository.lower())


def most_used_datasets(kg: KnowledgeGraph) -> list[Row]:
    papers = Counter(link.entity_id for link in links_of(kg, Relation.EVALUATES_ON))
    return [(label(kg, e), n) for e, n in papers.items()]


def papers_with_code_on_dataset(kg: KnowledgeGraph) -> list[Row]:
    imagenet = {e.id for e in kg.entities if "imagenet" in {n.lower() for n in [e.label, *e.aliases]}}
    evaluated = {link.paper_id for link in links_of(kg, Relation.EVALUATES_ON) if link.entity_id in imagenet}
    return [code_row(kg, link) for link in links_of(kg, Relation.HAS_CODE) if link.paper_id in evaluated]


def methods_for_task(kg: KnowledgeGraph) -> list[Row]:
    methods: dict[str, set[str]] = {}
    for link in links_of(kg, Relation.USES, Relation.PROPOSES):
        methods.setdefault(link.paper_id, set()).add(link.entity_id)
    pairs = Counter(
        (link.entity_id, method)
        for link in links_of(kg, Relation.ADDRESSES)
        for method in methods.get(link.paper_id, ())
    )
    return [(label(kg, task), label(kg, method), n) for (task, method), n in pairs.items()]


def proposals(kg: KnowledgeGraph) -> list[Row]:
    return [(kg.paper_by_id[p.paper_id].title, label(kg, p.entity_id)) for p in links_of(kg, Relation.PROPOSES)]


def aliases(kg: KnowledgeGraph) -> list[Row]:
    return [(e.type.value, e.label, alias) for e in kg.entities for alias in e.aliases]


def cooccurring_concepts(kg: KnowledgeGraph, iri: Callable[[str], str]) -> list[Row]:
    concepts: dict[str, set[str]] = {}
    for link in links_of(kg, Relation.ABOUT):
        concepts.setdefault(link.paper_id, set()).add(link.entity_id)
    pairs = Counter(
        tuple(sorted(pair, key=iri)) for found in concepts.values() for pair in combinations(sorted(found), 2)
    )
    return [(label(kg, a), label(kg, b), n) for (a, b), n in pairs.items()]


def similar_papers(kg: KnowledgeGraph) -> list[Row]:
    entities: dict[str, set[str]] = {}
    for link in kg.links:
        entities.setdefault(link.paper_id, set()).add(link.entity_id)
    [given] = [p.id for p in kg.papers if "bignas" in p.title.lower()]
    shared = {p: len(found & entities[given]) for p, found in entities.items() if p != given}
    return [(kg.paper_by_id[p].title, n) for p, n in shared.items() if n]


def evidence(kg: KnowledgeGraph) -> list[Row]:
    return [
        (
            kg.paper_by_id[link.paper_id].title,
            RELATION_PROPERTY[link.relation].split("#")[1],
            label(kg, link.entity_id),
            kg.paper_by_id[link.paper_id].text[link.start : link.end],
            link.start,
            link.end,
            link.sentence,
            link.extractor,
            link.confidence,
        )
        for link in kg.links
    ]


def papers_with_code(kg: KnowledgeGraph) -> list[Row]:
    return [code_row(kg, link) for link in links_of(kg, Relation.HAS_CODE)]


def linked_entities(kg: KnowledgeGraph) -> list[Row]:
    entities = {p.id: {link.entity_id for link in kg.links_of(p.id)} for p in kg.papers}
    types = {e.id: e.type for e in kg.entities}
    return [
        (kg.paper_by_id[p].title, len(found), len({types[e] for e in found})) for p, found in entities.items() if found
    ]


def provenance(kg: KnowledgeGraph) -> list[Row]:
    return [("gold", f"extraction by kg {__version__} with {kg.model}", kg.model, len(kg.links))]


ANSWERS: dict[str, Callable[[KnowledgeGraph], list[Row]]] = {
    "most_used_datasets.rq": most_used_datasets,
    "papers_with_code_on_dataset.rq": papers_with_code_on_dataset,
    "methods_for_task.rq": methods_for_task,
    "proposals.rq": proposals,
    "aliases.rq": aliases,
    "similar_papers.rq": similar_papers,
    "evidence.rq": evidence,
    "papers_with_code.rq": papers_with_code,
    "provenance.rq": provenance,
    "linked_entities.rq": linked_entities,
}


RELATION_QUERIES = (
    "dataset_leaderboard.rq",
    "methods_for_task_with_datasets.rq",
    "task_benchmarks.rq",
    "method_lineage.rq",
    "head_to_head.rq",
    "papers_under_task.rq",
)


def test_every_example_query_is_checked_and_says_what_it_asks() -> None:
    names = sorted(p.name for p in QUERIES.glob("*.rq"))
    assert len(names) >= 8
    # The relation queries have no relations in the gold graph: tests/test_relations.py checks them on the seed build.
    assert set(names) == set(ANSWERS) | {"cooccurring_concepts.rq"} | set(RELATION_QUERIES)
    for name in names:
        assert (QUERIES / name).read_text().startswith("# "), f"{name} starts with a comment saying what it asks"


@pytest.mark.parametrize("name", sorted(ANSWERS))
def test_example_query_gives_the_answer_of_the_tables(name: str, gold: KnowledgeGraph, gold_ttl: Path) -> None:
    rows = oxigraph_rows(gold_ttl, name)
    assert rows, f"{name} answers nothing"
    assert Counter(rows) == Counter(ANSWERS[name](gold))


def test_cooccurring_concepts_query(gold: KnowledgeGraph, gold_ttl: Path) -> None:
    from kg.iri import Iris

    iris = Iris(ExportOptions().base_iri)
    rows = oxigraph_rows(gold_ttl, "cooccurring_concepts.rq")
    expected = cooccurring_concepts(gold, lambda e: iris.entity(gold.entity_by_id[e]))
    assert Counter(rows) == Counter(expected)
    assert rows[0][2] >= 3, "graph neural networks and oversmoothing go together in several papers"


def test_known_answers_on_the_gold_graph(gold_ttl: Path) -> None:
    assert oxigraph_rows(gold_ttl, "most_used_datasets.rq")[0] == ("ImageNet", 2)
    assert oxigraph_rows(gold_ttl, "papers_with_code_on_dataset.rq") == [
        ("BiPer: Binary Neural Networks using a Periodic Function", "edmav4/BiPer", "https://github.com/edmav4/biper")
    ]
    titles = [row[0] for row in oxigraph_rows(gold_ttl, "proposals.rq")]
    assert titles == sorted(titles)


@pytest.mark.parametrize("name", sorted(p.name for p in QUERIES.glob("*.rq")))
def test_kg_query_and_rdflib_give_the_same_rows(name: str, gold_ttl: Path) -> None:
    graph = rdflib.Graph().parse(gold_ttl)
    assert Counter(oxigraph_rows(gold_ttl, name)) == Counter(rdflib_rows(graph, name))


#: Queries rdflib answers in about a second on the real seed build (the others take it 10-30 s each).
QUICK_IN_RDFLIB = ["most_used_datasets.rq", "papers_with_code.rq", "papers_with_code_on_dataset.rq", "proposals.rq"]


def test_kg_query_and_rdflib_agree_on_the_real_seed_build(seed_build: Path) -> None:
    graph = rdflib.Graph().parse(seed_build / "graph.ttl")
    for name in QUICK_IN_RDFLIB:
        rows = oxigraph_rows(seed_build / "graph.ttl", name)
        assert Counter(rows) == Counter(rdflib_rows(graph, name)), name


def seed_mentions(seed_build: Path, relation: str | None = None) -> list[dict[str, str]]:
    with (seed_build / "mentions.csv").open(encoding="utf-8") as stream:
        return [r for r in csv.DictReader(stream) if relation in (None, r["relation"])]


def test_has_code_query_on_the_real_seed_build(seed_build: Path) -> None:
    rows = oxigraph_rows(seed_build / "graph.ttl", "papers_with_code.rq")
    assert (UNCAD, "pengxuanyang/UncAD", "https://github.com/pengxuanyang/uncad") in rows
    assert len(rows) == len(seed_mentions(seed_build, "has_code")) > 40


@pytest.mark.parametrize("name", sorted(p.name for p in QUERIES.glob("*.rq")))
def test_every_example_query_answers_on_the_real_seed_build(name: str, seed_build: Path) -> None:
    assert oxigraph_rows(seed_build / "graph.ttl", name), f"{name} answers nothing on the seed pages"


def test_which_papers_evaluate_on_nuscenes_and_have_code(seed_build: Path) -> None:
    """The question kg is for, asked of the real seed build."""
    text = (QUERIES / "papers_with_code_on_dataset.rq").read_text().replace('"imagenet"', '"nuscenes"')
    rows = [tuple(python_value(v) for v in row) for row in run(load(seed_build / "graph.ttl"), text)]
    assert (UNCAD, "pengxuanyang/UncAD", "https://github.com/pengxuanyang/uncad") in rows


def test_evidence_and_provenance_queries_on_the_real_seed_build(seed_build: Path) -> None:
    mentions = seed_mentions(seed_build)
    rows = oxigraph_rows(seed_build / "graph.ttl", "evidence.rq")
    assert len(rows) == len(mentions)
    assert {row[6] for row in rows} == {m["sentence"] for m in mentions}
    [(run_label, model, count)] = [
        row[1:] for row in oxigraph_rows(seed_build / "graph.ttl", "provenance.rq") if row[0] == "links"
    ]
    assert model.startswith("en_core_web_sm") and run_label.endswith(model)
    assert count == sum(m["extractor"] == "links" for m in mentions)


# ---------------------------------------------------------------- the command


def test_cli_formats(seed_build: Path, capsys) -> None:
    query = str(QUERIES / "papers_with_code.rq")
    assert main(["query", str(seed_build), query, "--format", "csv"]) == 0
    table = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert table[0] == ["title", "repository", "code"]
    assert [UNCAD, "pengxuanyang/UncAD", "https://github.com/pengxuanyang/uncad"] in table
    assert main(["query", str(seed_build / "graph.ttl"), query, "--format", "json"]) == 0
    bindings = json.loads(capsys.readouterr().out)["results"]["bindings"]
    assert len(bindings) == len(table) - 1
    assert main(["query", str(seed_build), query]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["title", "repository", "code"]
    assert out[-1] == f"({len(table) - 1} rows)"
    assert any("pengxuanyang/UncAD" in line for line in out)


def test_cli_inline_ask_and_construct(seed_build: Path, capsys) -> None:
    ask = "ASK { ?p <https://w3id.org/kg-papers/ontology#hasCode> <https://github.com/pengxuanyang/uncad> }"
    assert main(["query", str(seed_build), ask]) == 0
    assert capsys.readouterr().out == "true\n"
    construct = "CONSTRUCT { ?p <http://e.org/code> ?c } WHERE { ?p <https://w3id.org/kg-papers/ontology#hasCode> ?c }"
    assert main(["query", str(seed_build), construct]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(seed_mentions(seed_build, "has_code")) and all(line.endswith(" .") for line in lines)


def test_table_shortens_iris_with_the_query_prefixes(seed_build: Path, capsys) -> None:
    query = "PREFIX gh: <https://github.com/> SELECT ?c WHERE { ?p <https://w3id.org/kg-papers/ontology#hasCode> ?c }"
    assert main(["query", str(seed_build), query]) == 0
    assert "gh:pengxuanyang/uncad" in capsys.readouterr().out


@pytest.mark.parametrize(
    "graph,query,message",
    [
        ("$build", "SELEC ?x WHERE { ?x ?y ?z }", "query: SPARQL syntax error at 1:"),
        ("$build", "$queries/missing.rq", "missing.rq: cannot read query"),
        ("$build/nothing.ttl", "ASK {}", "nothing.ttl: no such file or folder"),
        ("$empty", "ASK {}", "no graph.ttl, graph.nt, graph.jsonld in this folder"),
        ("$bad", "ASK {}", "bad.ttl: not valid Turtle: Parser error at line 2"),
        ("$build/papers.csv", "ASK {}", "papers.csv: unknown RDF format"),
    ],
)
def test_errors_are_one_line_naming_the_file(
    graph: str, query: str, message: str, seed_build: Path, tmp_path: Path, capsys
) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text('<http://e.org/a> <http://e.org/b> <http://e.org/c> .\n<http://e.org/a> <b> "x .\n')
    (tmp_path / "empty").mkdir()
    places = {"build": seed_build, "queries": QUERIES, "empty": tmp_path / "empty", "bad": bad}
    args = [Template(arg).substitute(places) for arg in (graph, query)]
    assert main(["query", *args]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert err.startswith("kg: error: ") and message in err, err


def test_find_graph_prefers_the_newest_export(tmp_path: Path) -> None:
    import os

    (tmp_path / "graph.ttl").write_text("")
    (tmp_path / "graph.nt").write_text("")
    os.utime(tmp_path / "graph.ttl", (1, 1))
    assert find_graph(tmp_path) == tmp_path / "graph.nt"
    with pytest.raises(QueryError):
        find_graph(tmp_path / "none")


def test_every_relation_appears_in_the_gold_graph(gold: KnowledgeGraph) -> None:
    """The gold graph exercises the whole vocabulary, so the query checks above mean something."""
    assert {link.relation for link in gold.links} == set(Relation)
    assert {e.type for e in gold.entities} == set(EntityType)


# ---------------------------------------------------------------- local and bounded


class Recorder(http.server.BaseHTTPRequestHandler):
    """A SPARQL endpoint that answers nothing and notes every request it gets."""

    seen: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.seen.append(f"GET {self.path}")
        self.send_response(500)
        self.end_headers()

    do_POST = do_GET

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def endpoint() -> Iterator[tuple[str, list[str]]]:
    server = http.server.HTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Recorder.seen = []
    try:
        yield f"http://127.0.0.1:{server.server_port}/sparql", Recorder.seen
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <$url> { ?s ?p ?o } }",
        'SELECT * WHERE { ?s ?p "x".service silent <$url> { ?s ?p ?o } }',
        "SELECT * WHERE { \\u0053ERVICE <$url> { ?s ?p ?o } }",
        "PREFIX e: <$url> SELECT * WHERE { ?s ?p ?o . Service e: { ?s ?p ?o } }",
    ],
)
def test_service_is_refused_and_no_request_is_made(
    query: str, endpoint: tuple[str, list[str]], seed_build: Path, capsys
) -> None:
    """Before: the local server logged POST /sparql UA=Oxigraph and its row was printed."""
    url, seen = endpoint
    assert main(["query", str(seed_build), Template(query).substitute(url=url)]) == 2
    err = capsys.readouterr().err
    assert err == "kg: error: query: SERVICE is refused: kg query answers from the local graph only, with no network\n"
    assert seen == []


@pytest.mark.parametrize(
    "query",
    [
        'SELECT ?s WHERE { ?s ?p "SERVICE <http://e.org/>" }',
        "SELECT ?service WHERE { ?service ?p <http://e.org/SERVICE> }  # SERVICE in a comment",
        "PREFIX service: <http://e.org/> SELECT ?s WHERE { ?s service:SERVICE ?o }",
    ],
)
def test_the_word_service_elsewhere_is_no_service(query: str) -> None:
    check_local(query)


def test_a_runaway_query_stops_at_its_timeout(tmp_path: Path) -> None:
    """Before: a cartesian query ran without end and grew to 7.5 GB."""
    graph = tmp_path / "graph.nt"
    graph.write_text("".join(f'<http://e.org/{i}> <http://e.org/p> "{i}" .\n' for i in range(300)))
    cartesian = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f . ?g ?s ?h }"
    command = [sys.executable, "-m", "kg", "query", graph, cartesian, "--timeout", "1"]
    started = time.monotonic()
    run = subprocess.run(command, capture_output=True, text=True, timeout=120)
    took = time.monotonic() - started
    assert run.returncode == 2
    assert run.stderr == "kg: error: query: stopped after 1 s (kg query --timeout SECONDS allows longer)\n"
    assert took < 30, f"the query went on for {took:.0f} s"


def test_a_reader_that_stops_early_ends_the_query_quietly(tmp_path: Path) -> None:
    """Before: "kg query ... | head" printed "RuntimeError: pyoxigraph::sparql::PyQuerySolutions is
    unsendable, but is being dropped on another thread" once the pipe closed."""
    graph = tmp_path / "graph.nt"
    graph.write_text("".join(f'<http://e.org/{i}> <http://e.org/p> "{i}" .\n' for i in range(50_000)))
    command = [sys.executable, "-m", "kg", "query", graph, "SELECT ?s ?o WHERE { ?s ?p ?o }"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as process:
        assert process.stdout is not None and process.stdout.readline().startswith("s")
        process.stdout.close()  # what "| head -1" does
        stderr = process.stderr.read() if process.stderr else ""
        returncode = process.wait(timeout=120)
    assert (returncode, stderr) == (0, "")


def test_control_characters_are_escaped_in_tables(tmp_path: Path, capsys) -> None:
    graph = tmp_path / "graph.nt"
    graph.write_text('<http://e.org/a> <http://e.org/title> "Red\\u001b[31m alert\\u0007\\u009b" .\n')
    assert main(["query", str(graph), "SELECT ?t WHERE { ?a ?p ?t }"]) == 0
    out = capsys.readouterr().out
    assert "Red\\x1b[31m alert\\x07\\x9b" in out
    assert not CONTROL.search(out.replace("\n", ""))
    assert main(["query", str(graph), "SELECT ?t WHERE { ?a ?p ?t }", "--format", "csv"]) == 0
    assert "Red\x1b[31m alert\x07\x9b" in capsys.readouterr().out, "csv keeps the exact text"


def test_table_rows_are_written_as_they_come() -> None:
    """Only the first rows are held, to set the column widths; the rest are written one by one."""
    from pyoxigraph import Literal, Variable

    out = io.StringIO()
    lines_when_asked: list[int] = []

    class Solutions:
        variables: ClassVar[list[Variable]] = [Variable("n")]

        def __iter__(self) -> Iterator[list[Literal]]:
            for i in range(TABLE_SAMPLE + 3):
                lines_when_asked.append(out.getvalue().count("\n"))
                yield [Literal(str(i))]

    table(Solutions(), {}, out)  # type: ignore[arg-type]
    assert lines_when_asked[:TABLE_SAMPLE] == [0] * TABLE_SAMPLE, "the sample is read before anything is written"
    assert lines_when_asked[TABLE_SAMPLE:] == [2 + k for k in range(TABLE_SAMPLE, TABLE_SAMPLE + 3)]
    assert out.getvalue().endswith(f"({TABLE_SAMPLE + 3} rows)\n")


def test_links_to_is_every_link_and_mentions_only_urls_on_the_real_seed_build(seed_build: Path) -> None:
    """kg:linksTo holds each paper -> entity pair once, whatever the relation; kg:mentions only URL links."""
    store = load(seed_build / "graph.ttl")
    prefix = "PREFIX kg: <https://w3id.org/kg-papers/ontology#>\n"

    def pairs(pattern: str) -> set[tuple[str, str]]:
        rows = run(store, prefix + f"SELECT ?p ?e WHERE {{ {pattern} }}")
        return {(row["p"].value, row["e"].value) for row in rows}

    linked = pairs("?p kg:linksTo ?e")
    relations = "kg:proposes|kg:uses|kg:evaluatesOn|kg:addresses|kg:hasCode|kg:about|kg:mentions"
    assert linked == pairs(f"?p {relations} ?e")  # a property path does the same without the super-property
    mentions = seed_mentions(seed_build)
    assert len(linked) == len({(m["paper_id"], m["entity_id"]) for m in mentions}) > 2000
    urls = pairs("?p kg:mentions ?e")
    assert len(urls) == len(seed_mentions(seed_build, "mentions")) < len(linked)
    assert urls == pairs("?p kg:mentions ?e . ?e a kg:URL")
