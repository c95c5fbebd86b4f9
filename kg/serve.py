"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint over a build, for YASGUI, Protégé or Jupyter.

Tornado speaks HTTP; pyoxigraph answers the queries. The graph is loaded
once into an on-disk store in a temporary folder, and each query runs in one
of a few worker processes that open that store read-only. A process, not a
thread, because pyoxigraph evaluates a query in native code that nothing
can interrupt: a query past the time limit is stopped by ending its worker,
which is then replaced, and the client hears why. The store is on disk so
that every worker shares it instead of holding its own copy of the graph.

Refused, before any worker sees them: updates (this endpoint only reads),
``SERVICE`` (it queries only its own graph and makes no requests). Results
come in the format the ``Accept`` header asks for: SPARQL JSON, XML, CSV or
TSV for SELECT and ASK; Turtle, N-Triples or RDF/XML for CONSTRUCT and
DESCRIBE. Every answer allows any origin (CORS), so browser tools on other
pages can query it.
"""

from __future__ import annotations

import asyncio
import html
import json
import multiprocessing
import queue
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.query import SERVICE, QueryError, find_graph, load, syntax

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess

    import tornado.web

PORT = 7878
HOST = "127.0.0.1"
#: Seconds a query may run before its worker is ended.
TIMEOUT = 30.0
WORKERS = 2
#: The example queries beside the package in a source checkout (see the README).
QUERIES = Path(__file__).resolve().parents[1] / "ontology" / "queries"

#: Media type -> pyoxigraph format name, for solutions and booleans, then for graphs; the first is the default.
RESULT_TYPES = {
    "application/sparql-results+json": "JSON",
    "application/json": "JSON",
    "application/sparql-results+xml": "XML",
    "application/xml": "XML",
    "text/csv": "CSV",
    "text/tab-separated-values": "TSV",
    "text/xml": "XML",
}
GRAPH_TYPES = {
    "text/turtle": "TURTLE",
    "application/n-triples": "N_TRIPLES",
    "text/plain": "N_TRIPLES",
    "application/rdf+xml": "RDF_XML",
}
_UPDATE = re.compile(
    r"^\s*(?:(?:PREFIX\s+[\w.-]*:|BASE)\s*)*(?:INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b",
    re.IGNORECASE,
)


class Refused(Exception):
    """A request this endpoint will not answer, with its HTTP status and a one-line reason."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status


def check_query(text: str) -> None:
    """Refuse updates and ``SERVICE`` (see the module's docstring); the rest is pyoxigraph's to judge."""
    code = syntax(text)  # what kg query refuses, read the same way (kg.query.syntax)
    if _UPDATE.match(code):
        raise Refused(403, "updates are refused: this endpoint is read-only")
    if SERVICE.search(code):
        raise Refused(400, "SERVICE is refused: this endpoint queries only its own graph")


def negotiate(accept: str, offered: dict[str, str]) -> str | None:
    """The media type of ``offered`` that ``accept`` prefers (q-values, ``type/*``, ``*/*``); None if none fits."""
    best: tuple[float, int, str] | None = None
    for order, item in enumerate(accept.split(",") if accept.strip() else ["*/*"]):
        media, *params = (part.strip() for part in item.split(";"))
        weight = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        media = media.lower()
        matches = [m for m in offered if media in (m, "*/*") or (media.endswith("/*") and m.startswith(media[:-1]))]
        if matches and weight > 0 and (best is None or weight > best[0]):
            best = (weight, order, matches[0])
    return best[2] if best else None


def answer(store: Any, text: str, accept: str) -> tuple[str, bytes]:
    """``(media type, body)`` of ``text`` run on ``store``, in the format ``accept`` asks for."""
    from pyoxigraph import QueryResultsFormat, QueryTriples, RdfFormat

    try:
        result = store.query(text)
    except SyntaxError as err:
        raise Refused(400, f"SPARQL syntax error {err.msg.removeprefix('error ')}") from None
    graph = isinstance(result, QueryTriples)
    offered = GRAPH_TYPES if graph else RESULT_TYPES
    media = negotiate(accept, offered)
    if media is None:
        raise Refused(406, f"cannot answer in {accept}; ask for one of {', '.join(offered)}")
    if graph:
        return media, result.serialize(format=getattr(RdfFormat, offered[media]))
    return media, result.serialize(format=getattr(QueryResultsFormat, offered[media]))


def _work(conn: Connection, location: str) -> None:
    """A worker process: answer each ``(text, accept)`` that arrives with ``("ok", media, body)`` or a refusal."""
    from pyoxigraph import Store

    from kg.workers import follow_parent

    follow_parent()  # a worker deep in a runaway query would not notice its server is gone
    store = Store.read_only(location)
    conn.send(("ready",))
    while True:
        try:
            text, accept = conn.recv()
        except EOFError:
            return
        try:
            conn.send(("ok", *answer(store, text, accept)))
        except Refused as err:
            conn.send(("refused", err.status, str(err)))
        except OSError as err:
            conn.send(("refused", 500, f"cannot read the store: {err}"))


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection


class QueryPool:
    """Worker processes sharing one read-only store; a query past ``timeout`` seconds ends its worker."""

    def __init__(self, location: Path, workers: int = WORKERS, timeout: float = TIMEOUT) -> None:
        self.location, self.timeout = str(location), timeout
        # spawn, not fork: the server's threads would be copied into the child mid-flight.
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: list[_Worker] = []
        for _ in range(workers):
            self._idle.put(self._start())

    def _start(self) -> _Worker:
        ours, theirs = self._context.Pipe()
        process = self._context.Process(target=_work, args=(theirs, self.location), daemon=True)
        process.start()
        theirs.close()
        worker = _Worker(process, ours)
        self._all.append(worker)
        if not ours.poll(60) or ours.recv() != ("ready",):
            raise QueryError(f"{self.location}: a query worker could not open the store")
        return worker

    def run(self, text: str, accept: str) -> tuple[str, bytes]:
        """``(media type, body)``, or :class:`Refused` (with 503 when the time limit ended the query)."""
        worker = self._idle.get()  # waits while every worker is busy
        try:
            worker.conn.send((text, accept))
            finished = worker.conn.poll(self.timeout)
            reply = worker.conn.recv() if finished else None
        except (EOFError, OSError):  # the worker died (out of memory?)
            finished, reply = False, ("refused", 500, "the query worker ended unexpectedly")
        if not finished or reply is None:
            self._replace(worker)
            limit = f"query stopped after the time limit of {self.timeout:g} s (kg serve --timeout)"
            raise Refused(*(reply[1:] if reply else (503, limit)))
        self._idle.put(worker)
        if reply[0] == "refused":
            raise Refused(reply[1], reply[2])
        return reply[1], reply[2]

    def _replace(self, worker: _Worker) -> None:
        worker.process.kill()
        worker.process.join()
        worker.conn.close()
        self._all.remove(worker)
        self._idle.put(self._start())

    def close(self) -> None:
        for worker in self._all:
            worker.conn.close()
            worker.process.kill()
            worker.process.join()
        self._all.clear()


@contextmanager
def query_pool(graph: Path, workers: int = WORKERS, timeout: float = TIMEOUT) -> Iterator[QueryPool]:
    """A :class:`QueryPool` over the RDF file or build folder ``graph``; the store is deleted afterwards."""
    path = find_graph(graph)
    with tempfile.TemporaryDirectory(prefix="kg-serve-") as folder:
        location = Path(folder) / "store"
        store = load(path, location)
        store.flush()
        del store  # the workers open it read-only; nothing writes it again
        pool = QueryPool(location, workers, timeout)
        try:
            yield pool
        finally:
            pool.close()


def examples(folder: Path = QUERIES) -> list[tuple[str, str, str]]:
    """``(name, question, text)`` of each example query; the question is the file's first comment line."""
    found = []
    for path in sorted(folder.glob("*.rq")) if folder.is_dir() else []:
        text = path.read_text(encoding="utf-8")
        first = text.splitlines()[0] if text else ""
        found.append((path.stem, first.lstrip("# ").strip() if first.startswith("#") else path.stem, text))
    return found


def page(graph: str, queries: list[tuple[str, str, str]]) -> str:
    """The query page: a form that posts to ``/sparql`` and draws the JSON results as a table, no network needed."""
    options = "".join(f'<option value="{i}">{html.escape(q)}</option>' for i, (_, q, _) in enumerate(queries))
    texts = json.dumps([text for _, _, text in queries]).replace("</", "<\\/")
    first = html.escape(queries[0][2]) if queries else "SELECT * WHERE { ?s ?p ?o } LIMIT 10"
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>kg serve: {html.escape(graph)}</title>
<style>body{{font:14px sans-serif;margin:2em;max-width:70em}}textarea{{width:100%;height:16em;font:13px monospace}}
table{{border-collapse:collapse;margin-top:1em}}
td,th{{border:1px solid #ccc;padding:2px 6px;text-align:left;vertical-align:top}}
#status{{margin-left:1em;color:#555}}</style></head>
<body><h1>SPARQL over {html.escape(graph)}</h1>
<p>The endpoint is <code>/sparql</code> (SPARQL 1.1 Protocol, GET or POST;
JSON, XML, CSV or TSV by <code>Accept</code>).</p>
<p><label>Example: <select id="examples">{options}</select></label></p>
<form id="form"><textarea id="query" name="query">{first}</textarea>
<p><button type="submit">Run</button><span id="status"></span></p></form>
<div id="results"></div>
<script>
const texts = {texts};
const query = document.getElementById("query"), status = document.getElementById("status");
document.getElementById("examples").onchange = (e) => {{ query.value = texts[e.target.value]; }};
document.getElementById("form").onsubmit = async (e) => {{
  e.preventDefault();
  status.textContent = "running…";
  const response = await fetch("sparql", {{method: "POST", body: new URLSearchParams({{query: query.value}}),
    headers: {{"Accept": "application/sparql-results+json, text/turtle;q=0.5"}}}});
  const results = document.getElementById("results");
  results.replaceChildren();
  if (!response.ok) {{ status.textContent = response.status + ": " + await response.text(); return; }}
  if (!response.headers.get("Content-Type").includes("json")) {{
    const pre = document.createElement("pre"); pre.textContent = await response.text(); results.append(pre);
    status.textContent = ""; return;
  }}
  const data = await response.json();
  if ("boolean" in data) {{ status.textContent = String(data.boolean); return; }}
  const table = document.createElement("table"), head = table.insertRow();
  for (const name of data.head.vars) head.insertCell().outerHTML = "<th>" + name + "</th>";
  for (const row of data.results.bindings) {{
    const tr = table.insertRow();
    for (const name of data.head.vars) tr.insertCell().textContent = row[name] ? row[name].value : "";
  }}
  results.append(table);
  status.textContent = data.results.bindings.length + " rows";
}};
</script></body></html>
"""


def make_app(pool: QueryPool, graph: str, queries: list[tuple[str, str, str]]) -> tornado.web.Application:
    import tornado.web

    class Endpoint(tornado.web.RequestHandler):
        def set_default_headers(self) -> None:
            self.set_header("Access-Control-Allow-Origin", "*")
            self.set_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
            self.set_header("Access-Control-Allow-Headers", "Accept, Content-Type")

        def options(self) -> None:
            self.set_status(204)

        async def get(self) -> None:
            await self._answer(self.get_query_argument("query", None), self.get_query_argument("update", None))

        async def post(self) -> None:
            media = self.request.headers.get("Content-Type", "").split(";")[0].strip().lower()
            if media == "application/sparql-query":
                await self._answer(self.request.body.decode("utf-8", "replace"), None)
            elif media == "application/sparql-update":
                self._refuse(Refused(403, "updates are refused: this endpoint is read-only"))
            else:  # a form: tornado has parsed it into the body arguments
                await self._answer(self.get_body_argument("query", None), self.get_body_argument("update", None))

        async def _answer(self, text: str | None, update: str | None) -> None:
            try:
                if update is not None:
                    raise Refused(403, "updates are refused: this endpoint is read-only")
                if not text:
                    raise Refused(
                        400, "no query: send it as ?query=, a form field, or an application/sparql-query body"
                    )
                check_query(text)
                accept = self.request.headers.get("Accept", "*/*")
                media, body = await asyncio.get_running_loop().run_in_executor(None, pool.run, text, accept)
            except Refused as err:
                self._refuse(err)
                return
            self.set_header("Content-Type", f"{media}; charset=utf-8")
            self.finish(body)

        def _refuse(self, err: Refused) -> None:
            self.set_status(err.status)
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            self.finish(f"{err}\n")

    class Page(tornado.web.RequestHandler):
        def get(self) -> None:
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.finish(page(graph, queries))

    return tornado.web.Application([(r"/", Page), (r"/sparql", Endpoint)])


async def serve(
    graph: Path,
    host: str = HOST,
    port: int = PORT,
    *,
    workers: int = WORKERS,
    timeout: float = TIMEOUT,
    started: Callable[[int], object] | None = None,
) -> None:
    """Serve ``graph`` until cancelled. ``started``, if given, is called with the bound port (0 picks a free one)."""
    import tornado.httpserver
    import tornado.netutil

    path = find_graph(graph)  # once: a folder's newest graph.* could change between two looks
    with query_pool(path, workers, timeout) as pool:
        server = tornado.httpserver.HTTPServer(make_app(pool, path.name, examples()))
        sockets = tornado.netutil.bind_sockets(port, host)
        server.add_sockets(sockets)
        if started is not None:
            started(sockets[0].getsockname()[1])
        try:
            await asyncio.Event().wait()
        finally:
            server.stop()
