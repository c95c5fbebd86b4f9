"""``kg query``: SPARQL over an export, on pyoxigraph.

pyoxigraph parses and answers in native code, so a query over a large build
takes a second where rdflib takes minutes; the rows are the same (the tests
check the example queries against rdflib). ``csv`` and ``json`` are the
standard SPARQL 1.1 result formats, written by pyoxigraph; ``table`` is for
people: IRIs are shortened with the query's own ``PREFIX`` lines and the
usual vocabulary prefixes, long values are cut (use csv or json for the
full text) and control characters are shown escaped. CONSTRUCT and DESCRIBE
results are printed as N-Triples.

A query is local and bounded: ``SERVICE``, the one way a SPARQL query
reaches the network, is refused before pyoxigraph sees the query; results
are written as they come, never collected; and a query still running after
its timeout is stopped with one line (pyoxigraph releases the GIL while it
works, so this thread can give up waiting; the process then ends).
"""

from __future__ import annotations

import codecs
import re
import threading
from collections.abc import Callable, Iterator
from itertools import chain, islice
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from kg.rdf_vocab import PREFIXES

if TYPE_CHECKING:
    import pandas as pd
    from pyoxigraph import QueryBoolean, QuerySolutions, QueryTriples, Store

    QueryResult = QuerySolutions | QueryBoolean | QueryTriples

FORMATS = ("table", "csv", "json")
#: What ``kg build`` writes, in the order a folder is searched.
GRAPH_FILES = ("graph.ttl", "graph.nt", "graph.jsonld")
PREFIX_LINE = re.compile(r"PREFIX\s+([\w.-]*):\s*<([^>]*)>", re.IGNORECASE)
#: Longest cell a table shows; csv and json keep every character.
CELL_WIDTH = 72
#: Rows a table reads before it fixes its column widths; later rows are written as they come.
TABLE_SAMPLE = 1000
#: Seconds a query may run (``kg query --timeout``).
TIMEOUT = 300.0
#: Characters a terminal would act on, shown escaped in a table.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
#: SPARQL's code point escapes, which a parser expands before it reads keywords.
CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
#: An IRI, as the SPARQL grammar has it (IRIREF): no space, no "<" inside.
IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
LINE_END = re.compile(r"[\n\r]")
#: The keyword that sends part of a query to another endpoint: not a variable, nor part of a prefixed name.
SERVICE = re.compile(r"(?<![\w:?$])SERVICE(?![\w:])", re.IGNORECASE)


class QueryError(Exception):
    """A problem with the graph or the query the user gave; one line naming the file."""


def find_graph(path: Path) -> Path:
    """``path`` itself, or the export inside a build folder (the newest if there are several)."""
    if path.is_dir():
        found = [path / name for name in GRAPH_FILES if (path / name).is_file()]
        if not found:
            raise QueryError(f"{path}: no {', '.join(GRAPH_FILES)} in this folder; run kg build first")
        return max(found, key=lambda p: p.stat().st_mtime)
    if not path.is_file():
        raise QueryError(f"{path}: no such file or folder")
    return path


def load(path: Path, location: Path | None = None) -> Store:
    """A store holding the RDF file at ``path`` (format from its extension): in memory, or on disk at ``location``."""
    from pyoxigraph import RdfFormat, Store

    rdf_format = RdfFormat.from_extension(path.suffix.lstrip(".").lower())
    if rdf_format is None:
        raise QueryError(f"{path}: unknown RDF format; use .ttl, .nt, .jsonld, .nq, .trig or .rdf")
    store = Store(str(location)) if location is not None else Store()
    try:
        store.load(path=path, format=rdf_format)
    except SyntaxError as err:
        raise QueryError(f"{path}: not valid {rdf_format.name}: {err.msg}") from None
    except OSError as err:
        raise QueryError(f"{path}: {err.strerror or err}") from None
    return store


def read_query(query: str) -> tuple[str, str]:
    """``(text, name)``: the contents of a ``.rq`` file, or ``query`` itself as inline SPARQL."""
    path = Path(query)
    if path.suffix == ".rq" or _is_file(path):
        try:
            return path.read_text(encoding="utf-8"), str(path)
        except (OSError, UnicodeDecodeError) as err:
            raise QueryError(f"{path}: cannot read query: {getattr(err, 'strerror', None) or err}") from None
    return query, "query"


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:  # inline SPARQL longer than a file name may be
        return False


def check_local(text: str, name: str = "query") -> None:
    """Refuse a query that would reach the network: pyoxigraph answers ``SERVICE`` with an HTTP request."""
    if SERVICE.search(syntax(text)):
        raise QueryError(f"{name}: SERVICE is refused: kg query answers from the local graph only, with no network")


def syntax(text: str) -> str:
    """``text`` with code point escapes expanded and comments, strings and IRIs blanked: what is left is syntax.

    ``kg query`` and ``kg serve`` look for SERVICE (and the endpoint for
    updates) in this, so that a keyword in a label or an IRI is none, and an
    escaped one (``\\u0053ERVICE``) is one, as SPARQL reads it.
    """
    text = CODEPOINT.sub(lambda m: chr(min(int(m[1] or m[2], 16), 0x10FFFF)), text)
    kept, i, end = [], 0, len(text)
    while i < end:
        char = text[i]
        if char == "#":
            i = _end_of_line(text, i)
        elif char in "'\"":
            i = _end_of_string(text, i)
        elif char == "<" and (iri := IRIREF.match(text, i)):
            i = iri.end()
        else:
            kept.append(char)
            i += 1
            continue
        kept.append(" ")
    return "".join(kept)


def _end_of_line(text: str, start: int) -> int:
    end = LINE_END.search(text, start)
    return end.start() if end else len(text)


def _end_of_string(text: str, start: int) -> int:
    """Where the string literal opening at ``start`` ends (long or short, with backslash escapes)."""
    quote = text[start] * 3 if text.startswith(text[start] * 3, start) else text[start]
    i = start + len(quote)
    while i < len(text):
        if text[i] == "\\":
            i += 2
        elif text.startswith(quote, i):
            return i + len(quote)
        else:
            i += 1
    return len(text)


def run(store: Store, text: str, name: str = "query") -> QueryResult:
    check_local(text, name)
    try:
        return store.query(text)
    except SyntaxError as err:
        raise QueryError(f"{name}: SPARQL syntax error {err.msg.removeprefix('error ')}") from None
    except OSError as err:
        raise QueryError(f"{name}: {err.strerror or err}") from None


def prefixes_of(text: str) -> dict[str, str]:
    """Namespace -> prefix for shortening IRIs: the query's own declarations win."""
    declared = {prefix: iri for prefix, iri in PREFIX_LINE.findall(text)}
    return {iri: prefix for prefix, iri in {**PREFIXES, **declared}.items()}


def write(result: QueryResult, fmt: str, prefixes: dict[str, str], out: TextIO) -> None:
    """Write ``result`` to ``out`` in ``fmt`` as it is computed, never holding all of it."""
    from pyoxigraph import QueryBoolean, QueryResultsFormat, QueryTriples, RdfFormat

    if isinstance(result, QueryTriples):
        result.serialize(_TextSink(out), format=RdfFormat.N_TRIPLES)
    elif fmt == "table" and isinstance(result, QueryBoolean):
        out.write("true\n" if bool(result) else "false\n")
    elif fmt == "table":
        table(result, prefixes, out)
    else:
        sink = _TextSink(out)
        result.serialize(sink, format=QueryResultsFormat.CSV if fmt == "csv" else QueryResultsFormat.JSON)
        if not sink.ended_line:
            out.write("\n")


class _TextSink:
    """The binary stream pyoxigraph serializes into, passing the text on to ``out`` as it comes."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.decoder = codecs.getincrementaldecoder("utf-8")()
        self.ended_line = True

    def write(self, data: bytes) -> int:
        text = self.decoder.decode(data)
        if text:
            self.out.write(text)
            self.ended_line = text.endswith("\n")
        return len(data)

    def flush(self) -> None:
        self.out.flush()


def show(term: object, prefixes: dict[str, str]) -> str:
    """A term as a table cell: a prefixed name, or a literal's text on one line."""
    from pyoxigraph import NamedNode

    if term is None:
        return ""
    if isinstance(term, NamedNode):
        iri = term.value
        namespace = max((ns for ns in prefixes if iri.startswith(ns)), key=len, default=None)
        text = f"{prefixes[namespace]}:{iri[len(namespace) :]}" if namespace else iri
    else:
        text = " ".join(str(getattr(term, "value", term)).split())
    text = CONTROL.sub(lambda m: f"\\x{ord(m[0]):02x}", text)
    return text if len(text) <= CELL_WIDTH else text[: CELL_WIDTH - 1] + "…"


def table(solutions: QuerySolutions, prefixes: dict[str, str], out: TextIO) -> None:
    """The rows as aligned columns; the widths are those of the first :data:`TABLE_SAMPLE` rows."""
    names = [v.value for v in solutions.variables]
    rows: Iterator[list[str]] = ([show(row[i], prefixes) for i in range(len(names))] for row in solutions)
    sample = list(islice(rows, TABLE_SAMPLE))
    widths = [max([len(name)] + [len(r[i]) for r in sample]) for i, name in enumerate(names)]

    def line(cells: list[str]) -> None:
        out.write("  ".join(cell.ljust(w) for cell, w in zip(cells, widths, strict=True)).rstrip() + "\n")

    line(names)
    line(["-" * w for w in widths])
    count = 0
    for cells in chain(sample, rows):
        line(cells)
        count += 1
    out.write(f"({count} row{'s' if count != 1 else ''})\n")


#: xsd datatypes whose literals become Python numbers and booleans in :func:`to_frame`.
_NUMBERS = {
    **dict.fromkeys(("integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger"), int),
    **dict.fromkeys(("decimal", "double", "float"), float),
}


def python_value(term: object) -> object:
    """A term as a DataFrame cell: numbers and booleans as Python's, IRIs and other literals as strings."""
    from pyoxigraph import BlankNode, Literal

    if term is None:
        return None
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    if isinstance(term, Literal):
        kind = term.datatype.value.rsplit("#", 1)[-1]
        try:
            if kind == "boolean":
                return term.value in ("true", "1")
            return _NUMBERS[kind](term.value) if kind in _NUMBERS else term.value
        except ValueError:  # an ill-typed literal ("abc"^^xsd:integer) stays text
            return term.value
    return getattr(term, "value", str(term))


def to_frame(result: QueryResult) -> pd.DataFrame:
    """A query's answer as a DataFrame: a column per variable; ``subject, predicate, object`` for
    CONSTRUCT and DESCRIBE; one ``boolean`` cell for ASK."""
    import pandas as pd
    from pyoxigraph import QueryBoolean, QueryTriples

    if isinstance(result, QueryBoolean):
        return pd.DataFrame({"boolean": [bool(result)]})
    if isinstance(result, QueryTriples):
        rows = [tuple(map(python_value, (t.subject, t.predicate, t.object))) for t in result]
        return pd.DataFrame(rows, columns=["subject", "predicate", "object"])
    names = [v.value for v in result.variables]
    return pd.DataFrame([[python_value(row[i]) for i in range(len(names))] for row in result], columns=names)


def query_graph(graph: Path, query: str, out: TextIO, fmt: str = "table", timeout: float = TIMEOUT) -> None:
    """What ``kg query GRAPH QUERY --format FMT --timeout SECONDS`` prints, written to ``out``.

    A query still running after ``timeout`` seconds raises :class:`QueryError`
    while it goes on in a thread of its own: the caller should end the process.
    """
    text, name = read_query(query)
    store = load(find_graph(graph))
    _within(timeout, name, lambda: write(run(store, text, name), fmt, prefixes_of(text), out))


def _within(timeout: float, name: str, work: Callable[[], None]) -> None:
    """Run ``work`` on a daemon thread; raise what it raised, or a :class:`QueryError` after ``timeout`` s."""
    failed: list[BaseException] = []

    def attempt() -> None:
        try:
            work()
        except BrokenPipeError as err:
            # The reader went away ("| head"). Its traceback would keep the query's solutions alive
            # into the main thread, and pyoxigraph objects may only be dropped where they were made.
            failed.append(err.with_traceback(None))
        except BaseException as err:
            failed.append(err)

    thread = threading.Thread(target=attempt, name="kg-query", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise QueryError(f"{name}: stopped after {timeout:g} s (kg query --timeout SECONDS allows longer)")
    if failed:
        raise failed[0]
