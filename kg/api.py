"""The Python API for notebooks and scripts: :func:`build` (what ``kg build`` runs), :func:`extract`, :func:`query`.

It returns the graph it wrote, so a user can query the networkx graph or
the tables without reading the files back, and a process that calls it
again keeps what the first call loaded (the spaCy model, the libraries):
adding a few papers and building again costs little more than parsing them.
Only light modules are imported here; each step imports what it needs.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.export import EXPORTERS, ExportOptions
from kg.graph import KnowledgeGraph
from kg.lock import WAIT as LOCK_WAIT
from kg.lock import FolderBusy, holding
from kg.pipeline import ExtractOptions
from kg.problems import Problems
from kg.progress import print_line

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    import pandas as pd

    from kg.cache import ExtractionCache
    from kg.engines.table import MentionTable
    from kg.lexicons import Lexicon
    from kg.memory_guard import Shortfall
    from kg.records import Extraction, Paper

#: The steps of a build, as :attr:`Build.seconds` names them.
STEPS = ("read", "extract", "resolve", "export")


class BuildError(Exception):
    """A build cannot go on: an unknown format, or an output or cache folder that cannot be written."""


class NoPapers(BuildError):
    """Every input was skipped or empty: there is nothing to build from."""


class NotEnoughMemory(BuildError):
    """The build would need more memory than is free (see :mod:`kg.memory_guard`); raised before extraction.

    ``shortfall`` holds the estimate: its ``peak``, the ``budget`` it exceeds,
    and the ``fixes`` (options) that make it fit.
    """

    def __init__(self, shortfall: Shortfall) -> None:
        super().__init__(shortfall.message())
        self.shortfall = shortfall


@dataclass
class Build:
    """What a build made, and what it met on the way."""

    #: The papers, entities and links; ``kg.graph`` is them as a networkx ``MultiDiGraph``.
    kg: KnowledgeGraph
    #: Input that was skipped, one problem per file and line.
    problems: Problems
    #: The files written, in the order of the exporters.
    written: list[Path] = field(default_factory=list)
    #: Papers whose mentions came from the extraction cache, and papers parsed (all of them without a cache).
    reused: int = 0
    extracted: int = 0
    #: Where the extraction cache is, if one was used.
    cache_path: Path | None = None
    #: Seconds spent in each of :data:`STEPS`.
    seconds: dict[str, float] = field(default_factory=dict)


def build(
    inputs: str | Path | Iterable[str | Path],
    out: str | Path = "outputs",
    *,
    formats: str | Iterable[str] | None = None,
    extraction: ExtractOptions | None = None,
    export: ExportOptions | None = None,
    cache: bool = True,
    problems: Problems | None = None,
    once: bool = False,
    lexicons: Iterable[str | Path] = (),
    wait: float = LOCK_WAIT,
    memory_check: bool = True,
) -> Build:
    """Read ``inputs``, extract, resolve, and write ``formats`` (default: every exporter) into ``out``.

    ``inputs`` are files or folders, as on the command line (a folder's walk
    leaves ``out`` out); ``formats=[]``
    writes no export, for a caller that wants only the graph. ``extraction``
    defaults to one process and no progress bar, and says how much of a long
    text is kept (``max_text``); ``export.jobs`` follows
    ``extraction.jobs``. With ``cache``, ``out/.kg-cache`` keeps what the
    next build can reuse, as ``kg build`` does. Problems with the input are
    collected in ``problems`` (printed to stderr as they are found, unless
    its stream is None); nothing is raised for them unless no paper is left.

    ``lexicons`` are files of the user's own names (CSV ``name,type[,alias...]``
    or Papers with Code's exports, see :mod:`kg.lexicons`); given, they
    replace ``extraction.lexicon``. A bad row is a problem; a file that
    cannot be read at all raises :class:`BuildError`.

    ``once`` says the process ends with this build, as ``kg build`` does.
    Worker processes then start (and import spaCy) while the input is read,
    and what the build keeps is handed to :func:`gc.freeze`, never walked by
    the garbage collector again. A process that builds again leaves it
    False: a few new papers are then parsed here, with the model loaded on
    the first call kept for the next, and the collector still frees what
    earlier builds left.

    One build at a time writes into ``out`` (see :mod:`kg.lock`): another
    build's is waited for, ``wait`` seconds at most.

    Once the input is read, the build's peak memory is estimated (see
    :mod:`kg.memory_guard`): a build that would not fit in the free memory
    raises :class:`NotEnoughMemory` before extraction starts, rather than
    being killed hours later; ``memory_check=False`` tries anyway. One that
    would barely fit gets a warning where problems are printed.

    Raises :class:`BuildError` (:class:`NoPapers` when no input is usable,
    :class:`NotEnoughMemory`), :class:`kg.nlp.ModelNotFound` and
    :class:`kg.engines.EngineError`.
    """
    from kg.engines import check_main_guard, start_early
    from kg.ingest import read_inputs
    from kg.pipeline import model_name

    check_main_guard()  # before anything starts, or waits for the folder the build itself holds
    extraction = extraction or ExtractOptions(progress=False)
    names = check_formats(formats)
    out = Path(out)
    problems = problems if problems is not None else Problems()
    if lexicons := list(lexicons):
        extraction = replace(extraction, lexicon=read_lexicon_files(lexicons, problems))
    stamps = [time.perf_counter()]
    model = model_name(extraction)  # a wrong model fails here, before any process starts
    if once:
        start_early(extraction)
    papers = read_inputs(_paths(inputs), problems, progress=extraction.progress, max_text=extraction.max_text, out=out)
    if not papers:
        raise NoPapers(f"no usable papers read; {problems.summary()}")
    if memory_check:
        _check_memory(papers, names, extraction, export or ExportOptions(), _say(problems))
    stamps.append(time.perf_counter())
    with ExitStack() as stack:
        try:
            if names or cache:  # a build that writes nothing does not make the folder
                stack.enter_context(holding(out, wait, _say(problems)))
        except FolderBusy as err:
            raise BuildError(str(err)) from None
        except OSError as err:
            raise BuildError(_cannot_write(err, out)) from None
        return _build(papers, out, names, extraction, export, cache, problems, once, model, stamps)


def _build(
    papers: list[Paper],
    out: Path,
    names: list[str],
    extraction: ExtractOptions,
    export: ExportOptions | None,
    cache: bool,
    problems: Problems,
    once: bool,
    model: str,
    stamps: list[float],
) -> Build:
    """Extract, resolve and export: the steps of :func:`build` that write into ``out``."""
    from kg.cache import FOLDER
    from kg.engines import finish
    from kg.export import export_all
    from kg.heap import collector_paused, kept_to_the_end, release_free_memory
    from kg.pipeline import mention_table

    with _open_cache(out, extraction, model, cache, _say(problems)) as store:
        mentions = mention_table(papers, extraction, store)
    finish(extraction)
    stamps.append(time.perf_counter())
    # Not around extraction, which may run spaCy in this process (see kept_to_the_end).
    with kept_to_the_end() if once else collector_paused():
        kg = knowledge_graph(papers, mentions, extraction.lexicon, model)
        del mentions  # the links hold what the exports need
    release_free_memory()  # what decoding and resolution freed, for the long export stage
    stamps.append(time.perf_counter())
    # Segment indexes live in the cache folder, if there is one (a file may be in its place).
    cache_dir = out / FOLDER if cache and (out / FOLDER).is_dir() else None
    export = replace(export or ExportOptions(), cache_dir=cache_dir, jobs=extraction.jobs)
    try:
        written = export_all(kg, out, export, names)
    except OSError as err:
        raise BuildError(_cannot_write(err, out)) from None
    stamps.append(time.perf_counter())
    return Build(
        kg=kg,
        problems=problems,
        written=written,
        reused=store.hits if store is not None else 0,
        extracted=store.misses if store is not None else len(papers),
        cache_path=store.path if store is not None else None,
        seconds={step: end - start for step, (start, end) in zip(STEPS, pairwise(stamps), strict=True)},
    )


def _check_memory(
    papers: list[Paper],
    names: list[str],
    extraction: ExtractOptions,
    export: ExportOptions,
    warn: Callable[[str], None],
) -> None:
    """Raise :class:`NotEnoughMemory` if the build of ``papers`` would not fit; warn if it would barely fit."""
    from kg.memory_guard import Plan, shortfall, tight

    plan = Plan.of(
        papers,
        names,
        rdf_format=export.rdf_format,
        jobs=extraction.jobs,
        remote_extraction=extraction.engine == "dask" and extraction.scheduler is not None,
    )
    if (short := shortfall(plan)) is not None:
        raise NotEnoughMemory(short)
    if (warning := tight(plan)) is not None:
        warn(warning)


def knowledge_graph(
    papers: list[Paper], mentions: Extraction | MentionTable, lexicon: Lexicon | None = None, model: str = ""
) -> KnowledgeGraph:
    """The graph of ``papers`` from their extracted mentions, relations and results.

    ``mentions`` are :func:`kg.pipeline.all_mentions` or :func:`kg.pipeline.mention_table` of them.

    Resolution makes the entities and links; relations and results are then
    tied to the entities their names became, and the task hierarchy is
    added from the tasks' names and the lexicon's parents.
    """
    from kg.hierarchy import broader_links
    from kg.lexicons import NO_LEXICON
    from kg.relate import entity_links, merged, resolved_results
    from kg.resolve import Spans, resolved

    lexicon = lexicon or NO_LEXICON
    spans = Spans()
    entities, links = resolved(mentions, lexicon.groups(), spans)
    by_id = {e.id: e for e in entities}
    relations = entity_links(mentions.relations, spans, by_id) + broader_links(entities, lexicon.parents())
    results = resolved_results(mentions.results, spans, by_id)
    return KnowledgeGraph(papers, entities, links, model=model, relations=merged(relations), results=results)


def extract(
    records: str | Mapping[str, Any] | Iterable[Mapping[str, Any]],
    abstract: str | None = None,
    *,
    extraction: ExtractOptions | None = None,
    lexicons: Iterable[str | Path] = (),
    problems: Problems | None = None,
) -> dict[str, Any] | list[dict[str, Any]]:
    """What ``kg extract`` prints, as dicts with the same keys: for one paper, or a list for many.

    ``kg.extract("Title", "Abstract")`` takes a paper's text; ``kg.extract(record)``
    a record as the JSON readers take it (``title``, ``abstract``, ``arxiv_id``,
    ..., or a Hugging Face, OpenAlex or Semantic Scholar record); a list of
    records gives a list, merged as files are (the same arXiv id, DOI or
    title is one paper). The model loads on the first call and stays loaded
    for the next. An unusable record is a problem, as on the command line
    (``problems=kg.Problems(stream=None)`` collects them silently); when none
    is usable, :class:`NoPapers` is raised.
    """
    from kg.extract.summary import summaries
    from kg.ingest import merge, to_paper
    from kg.pipeline import extract_mentions
    from kg.records import Source

    one = isinstance(records, str | Mapping)
    if isinstance(records, str):
        records = {"title": records, "abstract": abstract or ""}
    items = [records] if isinstance(records, Mapping) else list(records)
    extraction = extraction or ExtractOptions(jobs=1, progress=False)
    problems = problems if problems is not None else Problems()
    if lexicons := list(lexicons):
        extraction = replace(extraction, lexicon=read_lexicon_files(lexicons, problems))
    made = (
        to_paper(dict(item), Source("<python>", i), problems, extraction.max_text) for i, item in enumerate(items, 1)
    )
    papers = merge([paper for paper in made if paper is not None], problems)
    if not papers:
        raise NoPapers(f"no usable papers given; {problems.summary()}")
    found = list(summaries(extract_mentions(papers, extraction), extraction.lexicon.groups()))
    return found[0] if one else found


def query(graph: str | Path | Build, sparql: str) -> pd.DataFrame:
    """The answer to ``sparql`` (SPARQL text or a ``.rq`` file) over an RDF export, as a DataFrame.

    ``graph`` is an RDF file, a build folder (its newest ``graph.*``), or what
    :func:`build` returned. Numbers and booleans come back as Python values,
    IRIs and other literals as strings, unbound values as None; CONSTRUCT
    gives ``subject, predicate, object`` rows, ASK one ``boolean`` cell. Raises
    :class:`kg.query.QueryError` for a missing graph or a syntax error.
    """
    from kg.query import GRAPH_FILES, QueryError, find_graph, load, read_query, run, to_frame

    if isinstance(graph, Build):
        rdf = [path for path in graph.written if path.name in GRAPH_FILES]
        if not rdf:
            raise QueryError("this build wrote no RDF; build with formats including 'rdf'")
        graph = rdf[0]
    text, name = read_query(sparql)
    return to_frame(run(load(find_graph(Path(graph))), text, name))


def read_lexicon_files(paths: Iterable[str | Path], problems: Problems) -> Lexicon:
    """The user's lexicon files as one :class:`~kg.lexicons.Lexicon`; a file that cannot be read is a BuildError."""
    from kg.lexicons import LexiconError, read_lexicons

    try:
        return read_lexicons(paths, problems)
    except LexiconError as err:
        raise BuildError(str(err)) from None


def _cannot_write(err: OSError, out: Path) -> str:
    return f"cannot write to {err.filename or out}: {err.strerror or err}"


def _say(problems: Problems) -> Callable[[str], None]:
    """Where a build says why it waits, or what it does without its cache: where its problems are printed."""
    stream = problems.stream
    if stream is None:
        return lambda message: None
    return lambda message: print_line(f"kg: {message}", stream)


def check_formats(formats: str | Iterable[str] | None) -> list[str]:
    """The exporter names ``formats`` asks for (one name or several), in the registry's order; all when None.

    None at all is allowed: a notebook may want only the graph (and the cache).
    """
    if formats is None:
        return list(EXPORTERS)
    asked = {formats} if isinstance(formats, str) else set(formats)
    if unknown := asked - set(EXPORTERS):
        raise BuildError(f"unknown format {', '.join(sorted(unknown))}; {choose_from()}")
    return [name for name in EXPORTERS if name in asked]


def choose_from() -> str:
    """The end of an error about formats: the names there are."""
    return f"choose from {', '.join(EXPORTERS)}"


def _paths(inputs: str | Path | Iterable[str | Path]) -> list[Path]:
    return [Path(inputs)] if isinstance(inputs, str | Path) else [Path(p) for p in inputs]


def _open_cache(
    out: Path, extraction: ExtractOptions, model: str, cache: bool, warn: Callable[[str], None]
) -> AbstractContextManager[ExtractionCache | None]:
    """The build folder's cache; or, if it cannot be opened (locked, a full disk), none, after one line."""
    import sqlite3
    from contextlib import nullcontext

    from kg.cache import BUSY_WAIT, FILENAME, FOLDER, ExtractionCache, unusable
    from kg.pipeline import cache_scope

    if not cache:
        return nullcontext()
    try:
        return ExtractionCache.in_folder(out, cache_scope(extraction, model), warn=warn)
    except (OSError, sqlite3.Error) as err:
        warn(unusable(out / FOLDER / FILENAME, err, BUSY_WAIT))
        return nullcontext()
