"""Running the extractors over papers: one parse per paper, batched, cached, on an engine.

Each process loads the spaCy model once with only the components the chosen
extractors need (:func:`runner` keeps it per process); papers travel to
workers in chunks and come back as plain :class:`~kg.records.Mention` lists,
so nothing spaCy-specific crosses a process boundary. Work happens inside
``nlp.memory_zone()`` so the string store does not grow with every new
abstract. Papers the extraction cache already holds never reach an engine.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass
from itertools import chain, islice
from typing import TYPE_CHECKING

from kg.engines.table import MentionRows, MentionTable
from kg.extract import EXTRACTORS, Extractor, extract, load_extractors, required_components
from kg.extract.links import source_links
from kg.ingest.clean import MAX_TEXT
from kg.lexicons import NO_LEXICON, Lexicon
from kg.progress import progress_bar
from kg.records import Extraction, Mention, Paper

if TYPE_CHECKING:
    from spacy.language import Language

    from kg.cache import ExtractionCache

#: Papers per unit of work sent to a process or Dask worker: large enough that
#: shipping it costs little next to parsing it, small enough to balance load.
CHUNK = 64
#: Makes a cached paper's stored value (:func:`kg.cache.encode`) into its mentions, given the paper's index.
Decode = Callable[[int, str], list[Mention]]
#: Parsed once when a Runner starts, outside any memory zone (see Runner).
WARM_UP = Paper(id="kg:warm-up", title="Warm-up", abstract="A short text that runs every extractor once.")


@dataclass(frozen=True)
class ExtractOptions:
    model: str | None = None
    jobs: int = 1
    #: Texts per spaCy batch. Measured on en_core_web_sm: 16 costs ~3% more CPU
    #: than 64 but halves a worker's resident memory (240 MB instead of 480 MB).
    batch_size: int = 16
    extractors: tuple[str, ...] | None = None
    progress: bool = True
    #: Name of the engine in :data:`kg.engines.ENGINES` that runs extraction.
    engine: str = "local"
    #: Address of a running Dask scheduler; ``None`` starts a local cluster.
    scheduler: str | None = None
    #: Characters of title and abstract a paper keeps when it is read (see :mod:`kg.ingest.clean`).
    max_text: int = MAX_TEXT
    #: The user's names (:func:`kg.lexicons.read_lexicons`), sent to every worker with these options.
    lexicon: Lexicon = NO_LEXICON


def default_jobs() -> int:
    """All cores but one (at least one): the main process merges results meanwhile."""
    return max(1, min(4, (os.cpu_count() or 1) - 1)) if (os.cpu_count() or 1) > 2 else (os.cpu_count() or 1)


class Runner:
    """The model and extractors of one process."""

    def __init__(
        self, model: str | None, extractors: tuple[str, ...] | None, batch_size: int, lexicon: Lexicon = NO_LEXICON
    ) -> None:
        from kg import nlp as nlp_module
        from kg.extract.lexicon import use_lexicon, use_tokenizer

        self.extractors: list[Extractor] = load_extractors(extractors)
        self.nlp: Language = nlp_module.load(model, required_components(self.extractors))
        use_tokenizer(self.nlp.tokenizer)
        self.lexicon = lexicon
        use_lexicon(lexicon)
        self.batch_size = batch_size
        # Extractors may build vocabulary-bound resources (phrase matchers) on
        # first use, and strings interned inside a memory zone are freed when
        # it ends; so that first use happens here, outside any zone.
        extract(self.nlp(WARM_UP.text), WARM_UP, self.extractors)
        # A Dask worker with several threads shares one Runner; spaCy's memory
        # zones are not safe to interleave, so parses in one process take turns.
        self._lock = threading.Lock()

    def run(self, papers: Sequence[Paper]) -> list[list[Mention]]:
        from kg.extract.lexicon import use_lexicon

        with self._lock:
            use_lexicon(self.lexicon)  # another Runner of this process may have used another
            return self._run(papers)

    def _run(self, papers: Sequence[Paper]) -> list[list[Mention]]:
        with self.nlp.memory_zone():
            docs = self.nlp.pipe((p.text for p in papers), batch_size=self.batch_size)
            return [extract(doc, paper, self.extractors) for doc, paper in zip(docs, papers, strict=True)]


RunnerKey = tuple[str | None, tuple[str, ...] | None, int, str]
#: This process's Runners by what loads them, at most two (each holds a model).
_runners: dict[RunnerKey, Runner] = {}


def _runner_key(options: ExtractOptions) -> RunnerKey:
    """What a Runner is made from; the lexicon by its digest, which is cheaper to hash than its entries."""
    return options.model, options.extractors, options.batch_size, options.lexicon.digest


def runner(options: ExtractOptions) -> Runner:
    """This process's Runner for ``options``: the model loads once per process, not per call."""
    key = _runner_key(options)
    if key not in _runners:
        if len(_runners) == 2:
            del _runners[next(iter(_runners))]  # the oldest
        _runners[key] = Runner(options.model, options.extractors, options.batch_size, options.lexicon)
    return _runners[key]


def has_runner(options: ExtractOptions) -> bool:
    """Whether this process has loaded the model for ``options`` already (see :func:`runner`)."""
    return _runner_key(options) in _runners


def chunks(papers: Sequence[Paper], size: int = CHUNK) -> Iterator[list[Paper]]:
    for i in range(0, len(papers), size):
        yield list(papers[i : i + size])


def model_name(options: ExtractOptions) -> str:
    """The name and version of the model the extractors would run on.

    Checked here, in the main process, so a wrong ``--model`` is one line
    before any worker process or Dask cluster starts and fails on it. Only
    the package's ``meta.json`` is read: spaCy itself loads in the workers.
    """
    import json

    from kg import nlp as nlp_module

    name = options.model or nlp_module.default_model_name()
    meta = nlp_module.model_folder(name) / "meta.json"
    version = json.loads(meta.read_text(encoding="utf-8")).get("version", "?") if meta.is_file() else "?"
    return f"{name}-{version}"


def cache_scope(options: ExtractOptions, model: str | None = None) -> str:
    """Everything besides the text that decides what extraction returns.

    Read at call time so a new ``EXTRACTOR_VERSION`` (or another model,
    another set of extractors, another lexicon) invalidates every cached
    result. ``model`` is :func:`model_name` when the caller has it already (a
    build needs it twice). Without a lexicon the scope is what it was before
    lexicons existed, so those caches stay valid.
    """
    from kg.extract import EXTRACTOR_VERSION as version  # from the package, at each call

    names = sorted(options.extractors if options.extractors is not None else EXTRACTORS)
    model = model or model_name(options)
    scope = f"extractor-version={version};model={model};extractors={','.join(names)}"
    return f"{scope};lexicon={options.lexicon.digest}" if options.lexicon.digest else scope


def _extract_fresh(
    papers: list[Paper], options: ExtractOptions, cache: ExtractionCache | None
) -> Iterator[tuple[Paper, list[Mention]]]:
    from kg.engines import get_engine

    if not papers:
        return  # nothing to do: do not start processes or a cluster
    for chunk, results in get_engine(options.engine)(papers, options):
        if cache is not None:
            cache.store(zip(chunk, results, strict=True))
        yield from zip(chunk, results, strict=True)


def _decode_in_background(stored: dict[int, str], decode: Decode) -> Future[dict[int, list[Mention]]]:
    """Cached results (see :meth:`ExtractionCache.lookup`) decoded on a thread of their own.

    Decoding 10,000 cached papers takes a while; on a thread it overlaps the
    engine's start-up (processes that import spaCy and load the model), which
    the main thread mostly waits for. Each stored value is taken out of
    ``stored`` as it is decoded, so that it is freed then: held to the end,
    the encoded values of every paper (3.5 kB a benchmark paper) were most of
    what decoding added to the build's memory at its peak.
    """
    from kg.cache import UNDECODABLE

    def decode_all() -> dict[int, list[Mention]]:
        decoded = {}
        for i in list(stored):
            data = stored.pop(i)
            with suppress(UNDECODABLE):  # a damaged value is extracted again (see extract_mentions)
                decoded[i] = decode(i, data)
        return decoded

    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-decode")
    future = executor.submit(decode_all)
    executor.shutdown(wait=False)  # the thread ends when the decoding does
    return future


def extract_mentions(
    papers: Sequence[Paper], options: ExtractOptions, cache: ExtractionCache | None = None
) -> Iterator[tuple[Paper, list[Mention]]]:
    """Yield each paper with its mentions, in input order.

    Links the papers' source records give are added here, to cached and
    fresh results alike (:func:`kg.extract.links.source_links`). Cached
    papers are answered from ``cache``; the rest go to the engine named
    in ``options`` and are stored in ``cache`` a chunk at a time, so an
    interrupted build keeps what it finished. The engine starts before the
    cached results are decoded, so the two overlap. A cached result that does
    not decode (a damaged row) is extracted again, and stored over the old one.
    """
    from kg.cache import decode

    return _extracted(papers, options, cache, lambda i, data: decode(data, papers[i].id))


def mention_table(
    papers: Sequence[Paper], options: ExtractOptions, cache: ExtractionCache | None = None
) -> MentionTable:
    """Every paper's mentions in one table, and their relations and results: what a build resolves.

    The same as :func:`all_mentions` of :func:`extract_mentions`, but cached
    papers' mentions go from the cache's rows into the table's columns
    without becoming records first.
    """
    from kg.cache import decode_into

    table = MentionRows()
    found = _extracted(papers, options, cache, lambda i, data: decode_into(table, i, data, papers[i].id))
    # The decoding thread has finished with the table before the first paper comes out of _extracted.
    for i, (_, mentions) in enumerate(found):
        table.add(i, mentions)  # a cached paper's are in already: what is left are its source's links
    return table.table()


def _extracted(
    papers: Sequence[Paper], options: ExtractOptions, cache: ExtractionCache | None, decode: Decode
) -> Iterator[tuple[Paper, list[Mention]]]:
    """:func:`extract_mentions`, a cached paper's stored value made into its mentions by ``decode``."""
    stored = cache.lookup(papers) if cache is not None else {}
    cached_at = set(stored)  # before the thread empties it
    decoded = _decode_in_background(stored, decode)
    del stored
    fresh = _extract_fresh([p for i, p in enumerate(papers) if i not in cached_at], options, cache)
    again = _extract_fresh([], options, cache)
    try:
        with progress_bar(len(papers), "extracting", options.progress) as bar:
            started = list(islice(fresh, 1))  # starts the engine; the thread decodes meanwhile
            cached = decoded.result()
            if cache is not None and len(cached) < len(cached_at):
                cache.undecodable(len(cached_at) - len(cached))
                again = _extract_fresh(
                    [p for i, p in enumerate(papers) if i in cached_at and i not in cached], options, cache
                )
            pending = chain(started, fresh)
            for i, paper in enumerate(papers):
                if i in cached:
                    paper, mentions = paper, cached.pop(i)
                else:
                    paper, mentions = next(again if i in cached_at else pending)
                if paper.source_links:
                    # extend, not +: the mentions may be an Extraction carrying relations and results
                    mentions.extend(source_links(paper))
                yield paper, mentions
                bar.update(1)
    finally:
        fresh.close()  # shuts the engine's processes or cluster down
        again.close()


def all_mentions(results: Iterable[tuple[Paper, list[Mention]]]) -> Extraction:
    """Every paper's mentions in one list, and every paper's relations and results beside them."""
    gathered = Extraction()
    for _, mentions in results:
        gathered.extend(mentions)
        gathered.relations.extend(getattr(mentions, "relations", ()))
        gathered.results.extend(getattr(mentions, "results", ()))
    return gathered
