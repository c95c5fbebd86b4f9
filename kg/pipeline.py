"""Running the extractors over papers: one parse per paper, batched, in N processes.

Each process loads the spaCy model once with only the components the chosen
extractors need; papers travel to workers in chunks and come back as plain
:class:`~kg.records.Mention` lists, so nothing spaCy-specific crosses a
process boundary. Work happens inside ``nlp.memory_zone()`` so the string
store does not grow with every new abstract.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.extract import Extractor, extract, load_extractors, required_components
from kg.records import Mention, Paper

if TYPE_CHECKING:
    from spacy.language import Language

CHUNK = 64


@dataclass(frozen=True)
class ExtractOptions:
    model: str | None = None
    jobs: int = 1
    batch_size: int = 64
    extractors: tuple[str, ...] | None = None
    progress: bool = True


def default_jobs() -> int:
    """All cores but one (at least one): the main process merges results meanwhile."""
    return max(1, min(4, (os.cpu_count() or 1) - 1)) if (os.cpu_count() or 1) > 2 else (os.cpu_count() or 1)


class Runner:
    """The model and extractors of one process."""

    def __init__(self, options: ExtractOptions) -> None:
        from kg import nlp as nlp_module

        self.extractors: list[Extractor] = load_extractors(options.extractors)
        self.nlp: Language = nlp_module.load(options.model, required_components(self.extractors))
        self.batch_size = options.batch_size

    @property
    def model_name(self) -> str:
        meta = self.nlp.meta
        return f"{meta.get('lang', 'en')}_{meta.get('name', '?')}-{meta.get('version', '?')}"

    def run(self, papers: Sequence[Paper]) -> list[list[Mention]]:
        with self.nlp.memory_zone():
            docs = self.nlp.pipe((p.text for p in papers), batch_size=self.batch_size)
            return [extract(doc, paper, self.extractors) for doc, paper in zip(docs, papers, strict=True)]


_RUNNER: Runner | None = None


def _init_worker(options: ExtractOptions) -> None:
    global _RUNNER
    _RUNNER = Runner(options)


def _run_chunk(papers: list[Paper]) -> list[list[Mention]]:
    assert _RUNNER is not None, "worker used before initialisation"
    return _RUNNER.run(papers)


def _chunks(papers: Sequence[Paper], size: int) -> Iterator[list[Paper]]:
    for i in range(0, len(papers), size):
        yield list(papers[i : i + size])


def _progress(total: int, enabled: bool, desc: str):
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit="paper", disable=None if enabled else True, leave=False)


def model_name(options: ExtractOptions) -> str:
    """The name and version of the model the extractors would run on."""
    import spacy.util

    from kg import nlp as nlp_module

    name = options.model or nlp_module.default_model_name()
    try:
        meta = spacy.util.get_package_path(name)
        version = spacy.util.load_meta(meta / "meta.json").get("version", "?")
    except Exception:  # a model given as a path has no package meta
        version = "?"
    return f"{name}-{version}"


def extract_mentions(papers: Sequence[Paper], options: ExtractOptions) -> Iterator[tuple[Paper, list[Mention]]]:
    """Yield each paper with its mentions, in input order."""
    with _progress(len(papers), options.progress, "extracting") as bar:
        if options.jobs <= 1 or len(papers) <= CHUNK:
            runner = Runner(options)
            for chunk in _chunks(papers, CHUNK):
                yield from zip(chunk, runner.run(chunk), strict=True)
                bar.update(len(chunk))
            return
        context = multiprocessing.get_context("spawn" if os.name == "nt" else "forkserver")
        with context.Pool(options.jobs, initializer=_init_worker, initargs=(options,)) as pool:
            chunks = list(_chunks(papers, CHUNK))
            for chunk, results in zip(chunks, pool.imap(_run_chunk, chunks), strict=True):
                yield from zip(chunk, results, strict=True)
                bar.update(len(chunk))


def all_mentions(results: Iterable[tuple[Paper, list[Mention]]]) -> list[Mention]:
    return [m for _, mentions in results for m in mentions]
