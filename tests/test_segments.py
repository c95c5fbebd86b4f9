"""Incremental exports: a rebuild that reuses the previous files writes the same bytes as a fresh one.

The seed pages are built twice: first 80% of the papers, then all of them,
the way a user adds papers to a collection. Resolution over more papers
changes some old papers' links (an acronym defined in a new abstract merges
two entities, a label changes), so this exercises both reuse and
invalidation on real data. Whatever a rebuild reuses, every output must equal
a build that wrote everything afresh.
"""

from __future__ import annotations

import io
import os
import signal
import sys
from collections.abc import Iterator
from dataclasses import fields, replace
from pathlib import Path

import pytest
from pyoxigraph import Triple

from kg.export import EXPORTERS, ExportOptions, export_all
from kg.export.segments import INDEX_FOLDER, segmented
from kg.export.tables import TABLES
from kg.graph import KnowledgeGraph
from kg.iri import KINDS
from kg.lock import LOCK_FILE
from kg.rdf_triples import TripleWriter
from kg.records import Entity, EntityType, Link, Paper, Relation, Source


def files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir()) if path.is_file()}


@pytest.fixture
def counted_papers(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Ids of the papers whose RDF block was rendered rather than copied."""
    rendered: list[str] = []
    original = TripleWriter.paper

    def paper(self: TripleWriter, paper: Paper, links: list[Link]) -> Iterator[Triple]:
        rendered.append(paper.id)
        return original(self, paper, links)

    monkeypatch.setattr(TripleWriter, "paper", paper)
    return rendered


@pytest.mark.parametrize("rdf_format", ["ttl", "nt", "jsonld"])
def test_rebuild_after_adding_papers_equals_a_fresh_build(
    grown_seed_kgs: tuple[KnowledgeGraph, KnowledgeGraph], tmp_path: Path, counted_papers: list[str], rdf_format: str
) -> None:
    before, after = grown_seed_kgs
    options = ExportOptions(rdf_format=rdf_format)
    incremental, fresh = tmp_path / "incremental", tmp_path / "fresh"
    reuse = ExportOptions(rdf_format=rdf_format, cache_dir=incremental / ".kg-cache")

    export_all(before, incremental, reuse)
    counted_papers.clear()
    export_all(after, incremental, reuse)
    rendered_in_rebuild = set(counted_papers)
    export_all(after, fresh, options)

    assert files(incremental) == files(fresh)
    new = set(after.paper_by_id) - set(before.paper_by_id)
    assert new <= rendered_in_rebuild, "every new paper is rendered"
    changed = rendered_in_rebuild - new
    # Old papers are re-rendered exactly when their links changed under the larger resolution.
    assert changed == {p.id for p in before.papers if before.paper_keys[p.id] != after.paper_keys[p.id]}
    assert len(changed) < len(before.papers) // 4, "most old papers are copied, not rendered"


def test_unchanged_rebuild_renders_nothing(seed_kg: KnowledgeGraph, tmp_path: Path, counted_papers: list[str]) -> None:
    options = ExportOptions(cache_dir=tmp_path / ".kg-cache")
    export_all(seed_kg, tmp_path, options)
    first = files(tmp_path)
    counted_papers.clear()
    export_all(seed_kg, tmp_path, options)
    assert counted_papers == []
    assert files(tmp_path) == first
    tables = [f"{table}.{suffix}" for table in TABLES for suffix in ("csv", "parquet")]
    assert sorted(p.name for p in (tmp_path / ".kg-cache" / INDEX_FOLDER).iterdir()) == sorted(
        f"{name}.idx" for name in ("graph.ttl", "graph.graphml", "graph.gexf", *tables)
    )


def test_a_file_changed_since_the_build_is_written_in_full(
    seed_kg: KnowledgeGraph, tmp_path: Path, counted_papers: list[str]
) -> None:
    options = ExportOptions(cache_dir=tmp_path / ".kg-cache")
    export_all(seed_kg, tmp_path, options, ["rdf"])
    expected = (tmp_path / "graph.ttl").read_bytes()
    # Same size, other bytes: only the modification time tells, and it must be enough.
    damaged = expected.replace(b"dcterms:title", b"dcterms:TITLE")
    (tmp_path / "graph.ttl").write_bytes(damaged)
    counted_papers.clear()
    export_all(seed_kg, tmp_path, options, ["rdf"])
    assert len(counted_papers) == len(seed_kg.papers)
    assert (tmp_path / "graph.ttl").read_bytes() == expected


def test_other_options_do_not_reuse_segments(seed_kg: KnowledgeGraph, tmp_path: Path) -> None:
    """The base IRI is in every file that shows IRIs (the tables' iri columns, the Gephi files' iri attribute)."""
    names = ["rdf", "tables", "parquet", "graphml", "gexf"]
    export_all(seed_kg, tmp_path, ExportOptions(cache_dir=tmp_path / ".kg-cache"), names)
    other = ExportOptions(base_iri="https://example.org/kg/", cache_dir=tmp_path / ".kg-cache")
    written = export_all(seed_kg, tmp_path, other, names)
    text = (tmp_path / "graph.ttl").read_text(encoding="utf-8")
    assert "<https://w3id.org/kg-papers/method/" not in text and "@prefix method: <https://w3id.org" not in text
    export_all(seed_kg, tmp_path / "fresh", ExportOptions(base_iri="https://example.org/kg/"), names)
    minted = [f"{ExportOptions().base_iri}{kind}/".encode() for kind in KINDS]
    for path in written:
        assert not any(old in path.read_bytes() for old in minted), path.name
        assert path.read_bytes() == (tmp_path / "fresh" / path.name).read_bytes(), path.name


@pytest.mark.parametrize("damage", [b"", b"not an index", b'{"format": 1}\n', b"\x00" * 64])
def test_a_damaged_index_means_a_full_write(seed_kg: KnowledgeGraph, tmp_path: Path, damage: bytes) -> None:
    options = ExportOptions(cache_dir=tmp_path / ".kg-cache")
    export_all(seed_kg, tmp_path, options, ["graphml"])
    expected = (tmp_path / "graph.graphml").read_bytes()
    (tmp_path / ".kg-cache" / INDEX_FOLDER / "graph.graphml.idx").write_bytes(damage)
    export_all(seed_kg, tmp_path, options, ["graphml"])
    assert (tmp_path / "graph.graphml").read_bytes() == expected


def test_a_failed_write_keeps_the_previous_file_and_its_index(tmp_path: Path) -> None:
    cache = tmp_path / ".kg-cache"
    dest = tmp_path / "out.txt"
    with segmented(dest, "test", cache) as out:
        out.write(b"head\n")
        for key in "abc":
            out.segment(key, lambda k: f"segment {k}\n".encode(), key)
    before = dest.read_bytes()
    with pytest.raises(RuntimeError), segmented(dest, "test", cache) as out:
        out.segment("a", lambda: b"never used")
        raise RuntimeError("disk full")
    assert dest.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.txt")] == []
    with segmented(dest, "test", cache) as out:
        out.write(b"head\n")
        for key in "cab":
            out.segment(key, lambda k: pytest.fail(f"segment {k} was rendered, not copied"), key)
        assert (out.reused, out.rendered) == (3, 0)
    assert dest.read_bytes() == b"head\nsegment c\nsegment a\nsegment b\n"


def test_without_a_cache_folder_nothing_is_kept(seed_kg: KnowledgeGraph, tmp_path: Path) -> None:
    export_all(seed_kg, tmp_path, ExportOptions(), list(EXPORTERS))
    assert [name for name in os.listdir(tmp_path) if name.startswith(".")] == [LOCK_FILE]


def test_copies_without_copy_file_range(
    seed_kg: KnowledgeGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the kernel refuses to copy between files (or the call is missing), bytes are read and written."""
    options = ExportOptions(cache_dir=tmp_path / ".kg-cache")
    export_all(seed_kg, tmp_path, options, ["graphml"])
    expected = (tmp_path / "graph.graphml").read_bytes()

    refused = []

    def refuse(*args: object) -> int:
        refused.append(args)
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(os, "copy_file_range", refuse, raising=False)
    monkeypatch.setattr("kg.export.segments.READ_SIZE", 1000)
    export_all(seed_kg, tmp_path, options, ["graphml"])
    assert refused, "the rebuild copied segments"
    assert (tmp_path / "graph.graphml").read_bytes() == expected


def test_exporters_in_parallel_write_what_they_write_one_by_one(seed_kg: KnowledgeGraph, tmp_path: Path) -> None:
    one = export_all(seed_kg, tmp_path / "one", ExportOptions(jobs=1))
    three = export_all(seed_kg, tmp_path / "three", ExportOptions(jobs=3))
    assert [path.name for path in three] == [path.name for path in one]
    # The GEXF header carries the date, so both builds must run on the same day for bytes to match.
    assert files(tmp_path / "one") == files(tmp_path / "three")


def test_an_error_in_a_parallel_exporter_reaches_the_caller(seed_kg: KnowledgeGraph, tmp_path: Path) -> None:
    blocked = tmp_path / "a file, not a folder"
    blocked.write_text("")
    with pytest.raises(OSError):
        export_all(seed_kg, blocked, ExportOptions(jobs=2))


def html_that_dies_in_a_worker(kg: KnowledgeGraph, out_dir: Path, options: ExportOptions) -> list[Path]:
    """The HTML exporter, but a worker process running it dies half-way, as the kernel's OOM killer does it."""
    import multiprocessing

    from kg.export import html

    if multiprocessing.parent_process() is not None:
        (out_dir / ".graph.html.half-written.tmp").write_text("<html>")
        os.kill(os.getpid(), signal.SIGKILL)
    return html.write(kg, out_dir, options)


def test_an_export_whose_worker_dies_is_written_in_this_process(
    seed_kg: KnowledgeGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Pool replaced the dead worker and waited for its work forever; now the build ends, complete."""
    one = export_all(seed_kg, tmp_path / "one", ExportOptions(jobs=1))
    monkeypatch.setitem(EXPORTERS, "html", f"{__name__}:html_that_dies_in_a_worker")

    def hung(*_: object) -> None:
        raise TimeoutError("export_all waits for a dead worker")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(120)
    try:
        two = export_all(seed_kg, tmp_path / "two", ExportOptions(jobs=2))
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert [path.name for path in two] == [path.name for path in one]
    assert files(tmp_path / "one") == files(tmp_path / "two")
    assert not list((tmp_path / "two").glob(".*.tmp")), "the dead worker's temporary file is removed"


def test_exports_run_one_after_another_when_memory_is_short(
    seed_kg: KnowledgeGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kg.export

    assert kg.export.workers_memory_allows(2) == 2, "this machine has room for two copies of a test process"
    export_all(seed_kg, tmp_path / "one", ExportOptions(jobs=1), ["rdf", "tables"])
    real_open = open

    def short_of_memory(path: str, *args: object, **kwargs: object) -> object:
        if path == "/proc/meminfo":  # 1.5 times what this process holds is available
            with real_open("/proc/self/statm") as statm:
                resident_kb = int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
            return io.StringIO(f"MemTotal: 99999999 kB\nMemAvailable: {resident_kb * 3 // 2} kB\n")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr("builtins.open", short_of_memory)
    assert kg.export.workers_memory_allows(2) == 1
    monkeypatch.setattr(kg.export, "ProcessPoolExecutor", None)  # fails if a pool starts
    export_all(seed_kg, tmp_path / "alone", ExportOptions(jobs=2), ["rdf", "tables"])
    assert files(tmp_path / "alone") == files(tmp_path / "one")


def test_every_field_a_segment_shows_is_in_its_key() -> None:
    """A segment is reused only if nothing it renders changed: each field of the paper, its links and entities."""
    paper = Paper("p1", "Title", "Abstract.", "2401.00001", "https://arxiv.org/abs/2401.00001", "2024-01-02", ["Ann"])
    paper.sources.append(Source("a.jsonl", 1))
    paper.doi, paper.categories, paper.primary_category = "10.1/x", ["cs.CV"], "cs.CV"
    paper.source_links.append(("https://github.com/o/n", "githubRepo of an API"))
    entity = Entity("method:x", EntityType.METHOD, "X-Net", ["XN"])
    link = Link("p1", "method:x", Relation.USES, "We use X-Net.", 7, 12, "methods:lexicon", 0.9, "X-Net")

    def keys(paper: Paper, entity: Entity, link: Link) -> tuple[str, str, str]:
        kg = KnowledgeGraph([paper], [entity], [link])
        return kg.paper_keys[paper.id], kg.mention_keys[paper.id], kg.entity_keys[entity.id]

    base = keys(paper, entity, link)
    changed = {
        **{f"paper.{f.name}": replace(paper, **{f.name: other(getattr(paper, f.name))}) for f in fields(Paper)},
        **{f"link.{f.name}": replace(link, **{f.name: other(getattr(link, f.name))}) for f in fields(Link)},
    }
    for name, record in changed.items():
        if name in ("paper.id", "link.paper_id"):
            continue  # a paper with another id is another paper
        args = (record, entity, link) if name.startswith("paper.") else (paper, entity, record)
        if name == "link.entity_id":
            args = (paper, replace(entity, id=record.entity_id), record)
        paper_key, mention_key, _ = keys(*args)
        assert paper_key != base[0] and mention_key != base[1], name
    for name, value in (("type", EntityType.DATASET), ("label", "X Net"), ("aliases", ["XN", "X"])):
        assert keys(paper, replace(entity, **{name: value}), link)[2] != base[2], name
    # Papers show their entities' types (in IRIs); the mentions tables their labels too; nothing shows aliases.
    assert keys(paper, replace(entity, type=EntityType.DATASET), link)[:2] != base[:2]
    relabelled = keys(paper, replace(entity, label="X Net"), link)
    assert relabelled[0] == base[0] and relabelled[1] != base[1]
    assert keys(paper, replace(entity, aliases=["XN", "X"]), link)[:2] == base[:2]


def test_keys_depend_on_values_not_on_which_objects_hold_them() -> None:
    """Two builds hold equal strings in different objects (shared, interned or not); their keys must match."""

    def graph(sentence: str, other_sentence: str, extractor: str) -> KnowledgeGraph:
        paper = Paper("p1", "Title", f"{sentence} {other_sentence}")
        entities = [Entity("method:x", EntityType.METHOD, "X"), Entity("method:y", EntityType.METHOD, "Y")]
        links = [
            Link("p1", "method:x", Relation.USES, sentence, 0, 1, extractor, 0.9, "X"),
            Link("p1", "method:y", Relation.USES, other_sentence, 20, 21, extractor, 0.9, "Y"),
        ]
        return KnowledgeGraph([paper], entities, links)

    text = "We use X and Y together."
    shared = graph(text, text, sys.intern("methods:lexicon"))
    copies = graph("".join(list(text)), "".join(list(text)), "".join(list("methods:lexicon")))
    assert shared.paper_keys == copies.paper_keys
    assert shared.mention_keys == copies.mention_keys


def test_a_new_label_is_rendered_only_where_it_shows(
    seed_kg: KnowledgeGraph, tmp_path: Path, counted_papers: list[str]
) -> None:
    """An entity relabelled by resolution elsewhere (an acronym vote tipping) leaves its papers' RDF copied."""
    incremental = tmp_path / "incremental"
    options = ExportOptions(cache_dir=incremental / ".kg-cache")
    export_all(seed_kg, incremental, options)
    popular = max(seed_kg.entities, key=lambda e: seed_kg.paper_count[e.id])
    entities = [replace(e, label=f"{e.label} (renamed)") if e is popular else e for e in seed_kg.entities]
    relabelled = KnowledgeGraph(seed_kg.papers, entities, seed_kg.links, model=seed_kg.model)
    counted_papers.clear()
    export_all(relabelled, incremental, options)
    assert counted_papers == []
    export_all(relabelled, tmp_path / "fresh", ExportOptions())
    assert files(incremental) == files(tmp_path / "fresh")
    assert b"(renamed)" in files(incremental)["mentions.csv"]


def other(value: object) -> object:
    """A different value of the same kind."""
    if isinstance(value, Relation):
        return Relation.PROPOSES
    if isinstance(value, str):
        return value + "!"
    if isinstance(value, bool | int | float):
        return value + 1
    if isinstance(value, list):
        return [*value, value[0]]
    raise TypeError(value)
