"""``kg serve``: the SPARQL 1.1 Protocol endpoint, queried over real HTTP on loopback."""

from __future__ import annotations

import asyncio
import contextlib
import csv
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.cli import build_parser
from kg.serve import Refused, check_query, examples, negotiate, serve

#: Seconds a query may run in these tests; the slow query below needs far longer.
LIMIT = 1.5
#: Every triple of the graph three times over: billions of rows on the seed build.
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
PAPERS = "SELECT (COUNT(?p) AS ?n) WHERE { ?p a <https://w3id.org/kg-papers/ontology#Paper> }"


@pytest.fixture(scope="module")
def endpoint(seed_build: Path) -> Iterator[str]:
    """A server on a free port of 127.0.0.1, run in a thread of this process for the whole module."""
    loop = asyncio.new_event_loop()
    ready, ports = threading.Event(), []

    def started(port: int) -> None:
        ports.append(port)
        ready.set()

    task = loop.create_task(serve(seed_build, port=0, timeout=LIMIT, started=started))

    def run() -> None:
        with contextlib.suppress(asyncio.CancelledError):
            loop.run_until_complete(task)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert ready.wait(120), "the server did not start"
    yield f"http://127.0.0.1:{ports[0]}"
    loop.call_soon_threadsafe(task.cancel)
    thread.join(60)
    loop.close()


def request(
    url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None, method: str | None = None
) -> tuple[int, dict[str, str], str]:
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=60) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read().decode()


def get(endpoint: str, query: str, accept: str = "application/sparql-results+json") -> tuple[int, dict, str]:
    return request(f"{endpoint}/sparql?{urllib.parse.urlencode({'query': query})}", headers={"Accept": accept})


def paper_count(seed_build: Path) -> int:
    with (seed_build / "papers.csv").open(newline="") as f:
        return sum(1 for _ in csv.DictReader(f))


def test_get_answers_in_sparql_json(endpoint: str, seed_build: Path) -> None:
    status, headers, body = get(endpoint, PAPERS)
    assert status == 200
    assert headers["Content-Type"].startswith("application/sparql-results+json")
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) == paper_count(seed_build) == 295


def test_post_as_a_form_and_as_a_query_body(endpoint: str) -> None:
    form = urllib.parse.urlencode({"query": PAPERS}).encode()
    status, _, body = request(f"{endpoint}/sparql", data=form, headers={"Accept": "text/csv"})
    assert (status, body.splitlines()) == (200, ["n", "295"])
    direct = {"Content-Type": "application/sparql-query", "Accept": "text/tab-separated-values"}
    status, headers, body = request(f"{endpoint}/sparql", data=PAPERS.encode(), headers=direct)
    assert status == 200 and headers["Content-Type"].startswith("text/tab-separated-values")
    assert body.splitlines()[0] == "?n"


@pytest.mark.parametrize(
    "accept,media,start",
    [
        ("application/sparql-results+xml", "application/sparql-results+xml", "<?xml"),
        ("text/csv;q=0.5, application/json", "application/json", '{"head"'),
        ("*/*", "application/sparql-results+json", '{"head"'),
        ("text/*", "text/csv", "n\r\n"),
    ],
)
def test_accept_chooses_the_results_format(endpoint: str, accept: str, media: str, start: str) -> None:
    status, headers, body = get(endpoint, PAPERS, accept)
    assert status == 200
    assert headers["Content-Type"].split(";")[0] == media
    assert body.startswith(start)


def test_construct_answers_in_turtle_and_unknown_formats_are_406(endpoint: str) -> None:
    construct = "CONSTRUCT { ?p a ?c } WHERE { ?p a ?c } LIMIT 2"
    status, headers, body = get(endpoint, construct, "text/turtle")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    assert body.count(" a ") + body.count(" <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> ") == 2
    status, _, body = get(endpoint, PAPERS, "image/png")
    assert status == 406 and "application/sparql-results+json" in body


@pytest.mark.parametrize(
    "data,headers",
    [
        (urllib.parse.urlencode({"update": "INSERT DATA { <a:b> <a:c> <a:d> }"}).encode(), {}),
        (b"DELETE WHERE { ?s ?p ?o }", {"Content-Type": "application/sparql-update"}),
        (b"PREFIX a: <a:> CLEAR ALL", {"Content-Type": "application/sparql-query"}),
    ],
)
def test_updates_are_refused(endpoint: str, data: bytes, headers: dict[str, str]) -> None:
    status, _, body = request(f"{endpoint}/sparql", data=data, headers=headers)
    assert (status, body) == (403, "updates are refused: this endpoint is read-only\n")
    assert get(endpoint, PAPERS)[2].count("295") == 1  # nothing was changed


def test_service_syntax_errors_and_missing_queries_are_400(endpoint: str) -> None:
    status, _, body = get(endpoint, "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    assert (status, body) == (400, "SERVICE is refused: this endpoint queries only its own graph\n")
    status, _, body = get(endpoint, "SELECT WHERE {")
    assert status == 400 and body.startswith("SPARQL syntax error")
    status, _, body = request(f"{endpoint}/sparql")
    assert status == 400 and body.startswith("no query")


def test_a_query_past_the_time_limit_is_stopped_and_the_endpoint_goes_on(endpoint: str) -> None:
    start = time.perf_counter()
    status, _, body = get(endpoint, SLOW)
    took = time.perf_counter() - start
    assert (status, body) == (503, f"query stopped after the time limit of {LIMIT:g} s (kg serve --timeout)\n")
    assert LIMIT <= took < LIMIT + 30  # the limit, plus starting a new worker process
    assert get(endpoint, PAPERS)[0] == 200


def test_cors_preflight(endpoint: str) -> None:
    status, headers, _ = request(f"{endpoint}/sparql", method="OPTIONS", headers={"Origin": "https://yasgui.org"})
    assert status == 204
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in headers["Access-Control-Allow-Methods"]


def test_the_query_page_lists_the_example_queries(endpoint: str) -> None:
    status, headers, body = request(f"{endpoint}/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    found = examples()
    assert len(found) >= 10
    for _, question, _ in found:
        assert question.replace("'", "&#x27;").replace('"', "&quot;") in body
    assert "<script src" not in body  # no network


def test_check_query_looks_past_strings_iris_and_comments() -> None:
    check_query('SELECT ?service WHERE { ?service <http://example.org/SERVICE> "SERVICE" } # SERVICE')
    check_query("SELECT * WHERE { ?s ?p ?o } # DELETE everything? no")
    with pytest.raises(Refused):
        check_query("PREFIX x: <http://x/>\nINSERT DATA { x:a x:b x:c }")
    with pytest.raises(Refused):
        check_query("select * { service <http://x/> { ?s ?p ?o } }")


def test_check_query_reads_service_as_kg_query_does() -> None:
    """SPARQL expands \\u escapes before it parses, and a prefix may be called service."""
    with pytest.raises(Refused):
        check_query("SELECT * WHERE { \\u0053ERVICE <http://x/> { ?s ?p ?o } }")
    check_query("PREFIX service: <http://example.org/> SELECT * WHERE { ?s service:p ?o }")


def test_negotiate() -> None:
    offered = {"application/sparql-results+json": "JSON", "text/csv": "CSV"}
    assert negotiate("", offered) == "application/sparql-results+json"
    assert negotiate("text/csv;q=0.9, application/sparql-results+json;q=0.1", offered) == "text/csv"
    assert negotiate("text/csv;q=0", offered) is None
    assert negotiate("image/png", offered) is None


def test_bound_to_loopback_by_default() -> None:
    args = build_parser().parse_args(["serve", "outputs"])
    assert (args.host, args.port) == ("127.0.0.1", 7878)
