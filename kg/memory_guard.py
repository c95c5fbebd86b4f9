"""Whether a build fits in memory, said before extraction starts instead of by the kernel's OOM killer.

A build holds every paper and entity as Python objects from extraction to
the last export, and every mention and link as a row of a table, so its peak
grows with the text it reads.
:data:`MEASURED` says what each stage holds per character of title and
abstract; :func:`shortfall` applies it to the papers read, with the jobs and
formats asked for, and compares the peak with what Linux says is available
(``MemAvailable`` in ``/proc/meminfo``, plus what the build already holds).
Elsewhere nothing is checked. The check runs once the input is read: reading
is under 1% of a build, and the papers then give the exact amount of text
rather than a guess from file sizes (a CSV's other columns, a JSON record's
metadata).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kg.records import Paper

GB = 1024**3
#: A build estimated to need more than this share of its memory is warned about (the
#: estimate comes from benchmark abstracts; other text, or another process growing, may need more).
TIGHT = 0.8


@dataclass(frozen=True)
class Costs:
    """What a build holds by stage: fixed costs in bytes, the rest in bytes per character of title and abstract."""

    #: The build's own process before any paper: interpreter, kg and the libraries it imports.
    base: int
    #: One spaCy extraction process (model loaded); ``--jobs N`` starts N of them.
    extraction_worker: int
    #: The papers as read: what a build holds when the check runs.
    read: float
    #: Papers and their mentions: what extraction leaves for resolution.
    extracted: float
    #: Papers, mentions, entities, links and their indexes: the peak of resolution.
    held: float
    #: The peak of the exports when each exporter runs alone (what is held included); ``rdf`` by serialisation.
    export: dict[str, float] = field(default_factory=dict)
    #: What writing several formats adds: the indexes and the map they share stay until the last one.
    shared: float = 0.0
    #: Each export worker beyond the first (pages of the graph a forked worker copies).
    worker_copy: float = 0.0
    #: And what each such worker holds, in bytes, whatever the size of the graph.
    worker_base: int = 0

    def exporter(self, name: str, rdf_format: str) -> float:
        """The peak of exporter ``name`` alone; one not measured yet counts as the costliest."""
        return self.export.get(f"rdf:{rdf_format}" if name == "rdf" else name, max(self.export.values(), default=0.0))


#: Measured with ``benchmarks/bench_build.py --stages --sizes 10000 100000`` on 2026-12-05
#: (the 2-core, 24 GB machine of the README's *Planning a large build*, whose tables these
#: come from). Each slope is the growth of a stage's peak summed PSS from 9,998 to 99,726
#: benchmark papers (12.9 to 128.5 million characters); ``base`` is the largest intercept
#: those lines leave but that of two export workers (128 MB, the Parquet export's, which
#: loads pyarrow), and ``worker_base`` what the second worker's line adds to it (140 MB).
#: The spaCy process is the peak of extracting 1,000 papers with ``--jobs 2`` (479 MB) less
#: the build's own share, halved (measured on 2026-12-04).
#: Not measured again since the links became columns and the HTML page is written in
#: pieces (README, *Planning a large build*): the export figures are now above the peaks.
MEASURED = Costs(
    base=130 * 1024**2,
    extraction_worker=215 * 1024**2,
    read=2.03,
    extracted=6.30,
    held=8.38,
    export={
        "rdf:ttl": 8.24,
        "rdf:nt": 8.53,
        "rdf:jsonld": 8.76,
        "graphml": 9.92,
        "gexf": 10.01,
        "html": 21.99,
        "tables": 8.27,
        "parquet": 8.29,
    },
    shared=0.24,
    worker_copy=12.87,
    worker_base=140 * 1024**2,
)


@dataclass(frozen=True)
class Plan:
    """A build's options that decide its peak."""

    papers: int
    chars: int
    formats: tuple[str, ...]
    rdf_format: str = "ttl"
    #: Extraction processes (or local Dask workers) and export workers at most.
    jobs: int = 1
    #: Extraction runs on a Dask cluster elsewhere (``--scheduler``): no model is loaded here.
    remote_extraction: bool = False

    @classmethod
    def of(
        cls,
        papers: Sequence[Paper],
        formats: Iterable[str],
        *,
        rdf_format: str = "ttl",
        jobs: int = 1,
        remote_extraction: bool = False,
    ) -> Plan:
        """The plan of a build of ``papers`` (the rest as the fields say)."""
        chars = sum(len(paper.title) + len(paper.abstract) for paper in papers)
        return cls(len(papers), chars, tuple(formats), rdf_format, jobs, remote_extraction)

    def scaled(self, papers: int) -> Plan:
        """The same build with ``papers`` of the same mean length: one part of a split input."""
        return replace(self, papers=papers, chars=self.chars * papers // max(self.papers, 1))


@dataclass(frozen=True)
class Peak:
    """Where a build's memory peaks, and how high (bytes)."""

    stage: str
    size: int


def peak(plan: Plan, budget: int, costs: Costs = MEASURED) -> Peak:
    """The highest of the stages' peaks, with the export workers kg would start within ``budget``.

    Exports run side by side only if the budget holds a copy of the build
    per worker (see :func:`kg.export.workers_memory_allows`), so a short
    budget means one export after another, not a larger peak.
    """
    held = costs.base + costs.held * plan.chars
    models = 0 if plan.remote_extraction else plan.jobs
    extract = costs.base + models * costs.extraction_worker + costs.extracted * plan.chars
    stages = [Peak("extract", int(extract)), Peak("resolve", int(held))]
    if plan.formats:
        workers = max(1, min(plan.jobs, len(plan.formats), budget // max(int(held), 1) - 1))
        export = max(costs.exporter(name, plan.rdf_format) for name in plan.formats)
        export += costs.shared if len(plan.formats) > 1 else 0.0
        fixed = costs.base + (workers - 1) * costs.worker_base
        stages.append(Peak("export", int(fixed + (export + (workers - 1) * costs.worker_copy) * plan.chars)))
    return max(stages, key=lambda stage: stage.size)


def available() -> int | None:
    """Bytes of memory Linux can give without swapping (``MemAvailable``); None where it does not say."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            return next(int(line.split()[1]) * 1024 for line in meminfo if line.startswith("MemAvailable:"))
    except (OSError, StopIteration, ValueError, IndexError):
        return None


def resident() -> int | None:
    """Bytes of this process in memory; None where Linux does not say."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


@dataclass(frozen=True)
class Shortfall:
    """A build that will not fit: its peak, the memory it may use, and the options that make it fit."""

    plan: Plan
    peak: Peak
    budget: int
    fixes: list[str]

    def message(self) -> str:
        fixes = " or with ".join([", with ".join(self.fixes[:-1]), self.fixes[-1]] if self.fixes[1:] else self.fixes)
        return (
            f"this build of {self.plan.papers:,} papers would need about {_gb(self.peak.size)} at its peak "
            f"({self.peak.stage}) but has {_gb(self.budget)}; it fits with {fixes} "
            f"(or --no-memory-check to try anyway)"
        )


def _estimate(plan: Plan, costs: Costs) -> tuple[Peak, int] | None:
    """``plan``'s peak and the memory it may use; None where Linux does not say."""
    budget = _budget(plan, costs)
    return None if budget is None else (peak(plan, budget, costs), budget)


def shortfall(plan: Plan, costs: Costs = MEASURED) -> Shortfall | None:
    """Why ``plan`` will not fit in this machine's free memory; None when it fits or Linux does not say."""
    estimate = _estimate(plan, costs)
    if estimate is None or estimate[0].size <= estimate[1]:
        return None
    highest, budget = estimate
    return Shortfall(plan, highest, budget, fixes(plan, budget, costs))


def tight(plan: Plan, costs: Costs = MEASURED) -> str | None:
    """A warning for a build that fits, but with little to spare (see :data:`TIGHT`); None otherwise."""
    estimate = _estimate(plan, costs)
    if estimate is None or estimate[0].size <= TIGHT * estimate[1]:
        return None
    highest, budget = estimate
    return (
        f"this build may need about {_gb(highest.size)} of the {_gb(budget)} it has at its peak "
        f"({highest.stage}); the estimate is from benchmark abstracts, so other processes should not grow meanwhile"
    )


def fixes(plan: Plan, budget: int, costs: Costs = MEASURED) -> list[str]:
    """Options that bring ``plan`` within ``budget``, the least change first; splitting the input always does."""
    found = []

    def fits(changed: Plan) -> bool:
        return peak(changed, budget, costs).size <= budget

    if plan.jobs > 1 and fits(replace(plan, jobs=1)):
        found.append("--jobs 1")
    if "rdf" in plan.formats and plan.rdf_format != "nt" and fits(replace(plan, rdf_format="nt")):
        found.append("--rdf-format nt")
    kept = list(plan.formats)
    while len(kept) > 1 and not fits(replace(plan, formats=tuple(kept))):
        kept.remove(max(kept, key=lambda name: costs.exporter(name, plan.rdf_format)))
    if len(kept) < len(plan.formats) and fits(replace(plan, formats=tuple(kept))):
        found.append(f"--formats {','.join(kept)}")
    if plan.jobs > 1 and not plan.remote_extraction and fits(replace(plan, remote_extraction=True)):
        found.append("--engine dask --scheduler ADDRESS (extraction on a cluster)")
    most = _most_papers(plan, budget, costs)
    found.append(f"the input split into builds of at most {most:,} papers" if most else "more memory")
    return found


def _most_papers(plan: Plan, budget: int, costs: Costs) -> int:
    """The most papers (of this input's mean length) a build with ``plan``'s options fits in ``budget``."""
    low, high = 0, plan.papers
    while low < high:
        middle = (low + high + 1) // 2
        if peak(plan.scaled(middle), budget, costs).size <= budget:
            low = middle
        else:
            high = middle - 1
    return low


def _budget(plan: Plan, costs: Costs) -> int | None:
    """What a build may hold at its peak: the free memory, and what it holds already (the papers read).

    Not all this process holds: a notebook's other data stays where it is.
    """
    free, own = available(), resident()
    if free is None or own is None:
        return None
    return free + min(own, int(costs.base + costs.read * plan.chars))


def _gb(size: float) -> str:
    return f"{size / GB:.1f} GB"
