"""``kg query``: SPARQL over an export, on pyoxigraph.

pyoxigraph parses and answers in native code, so a query over a large build
takes a second where rdflib takes minutes; the rows are the same (the tests
check the example queries against rdflib). ``csv`` and ``json`` are the
standard SPARQL 1.1 result formats, written by pyoxigraph; ``table`` is for
people: IRIs are shortened with the query's own ``PREFIX`` lines and the
usual vocabulary prefixes, and long values are cut (use csv or json for the
full text). CONSTRUCT and DESCRIBE results are printed as N-Triples.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

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


def run(store: Store, text: str, name: str = "query") -> QueryResult:
    try:
        return store.query(text)
    except SyntaxError as err:
        raise QueryError(f"{name}: SPARQL syntax error {err.msg.removeprefix('error ')}") from None


def prefixes_of(text: str) -> dict[str, str]:
    """Namespace -> prefix for shortening IRIs: the query's own declarations win."""
    declared = {prefix: iri for prefix, iri in PREFIX_LINE.findall(text)}
    return {iri: prefix for prefix, iri in {**PREFIXES, **declared}.items()}


def render(result: QueryResult, fmt: str, prefixes: dict[str, str]) -> str:
    from pyoxigraph import QueryBoolean, QueryResultsFormat, QueryTriples, RdfFormat

    if isinstance(result, QueryTriples):
        return result.serialize(format=RdfFormat.N_TRIPLES).decode("utf-8")
    if fmt == "table" and isinstance(result, QueryBoolean):
        return "true\n" if bool(result) else "false\n"
    if fmt == "table":
        return table(result, prefixes)
    results_format = QueryResultsFormat.CSV if fmt == "csv" else QueryResultsFormat.JSON
    text = result.serialize(format=results_format).decode("utf-8")
    return text if text.endswith("\n") else text + "\n"


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
    return text if len(text) <= CELL_WIDTH else text[: CELL_WIDTH - 1] + "…"


def table(solutions: QuerySolutions, prefixes: dict[str, str]) -> str:
    names = [v.value for v in solutions.variables]
    rows = [[show(row[i], prefixes) for i in range(len(names))] for row in solutions]
    widths = [max([len(name)] + [len(r[i]) for r in rows]) for i, name in enumerate(names)]
    lines = [names, ["-" * w for w in widths], *rows]
    body = "\n".join("  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip() for line in lines)
    return f"{body}\n({len(rows)} row{'s' if len(rows) != 1 else ''})\n"


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


def query_graph(graph: Path, query: str, fmt: str = "table") -> str:
    """What ``kg query GRAPH QUERY --format FMT`` prints."""
    text, name = read_query(query)
    store = load(find_graph(graph))
    return render(run(store, text, name), fmt, prefixes_of(text))
