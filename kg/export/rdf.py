"""RDF: ``graph.ttl`` (Turtle, default), ``graph.nt`` (N-Triples) or ``graph.jsonld``.

Triples come from :mod:`kg.rdf_triples` and go straight into pyoxigraph's
serialisers, a paper or an entity at a time: nothing holds the whole graph in
memory, and each paper's and entity's block is a segment that a rebuild
copies from the previous file when its records did not change (see
:mod:`kg.export.segments`). Turtle gets the vocabulary prefixes and one
prefix per kind of minted IRI (``paper:``, ``method:``, ``mention:`` ...) so
it stays readable; N-Triples is for bulk loaders; JSON-LD is written in
expanded form (no ``@context``), which every JSON-LD processor reads.

The vocabulary is ``ontology/kg.ttl``, the shapes a well-formed export
satisfies ``ontology/shapes.ttl``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kg import __version__
from kg.export.segments import segmented
from kg.graph import KnowledgeGraph
from kg.rdf_triples import TripleWriter
from kg.rdf_vocab import PREFIXES
from kg.records import Entity, Paper

if TYPE_CHECKING:
    from pyoxigraph import RdfFormat, Triple

    from kg.export import ExportOptions

#: ``--rdf-format`` value -> pyoxigraph ``RdfFormat`` attribute; the file is ``graph.<value>``.
FORMATS = {"ttl": "TURTLE", "nt": "N_TRIPLES", "jsonld": "JSON_LD"}


@dataclass(frozen=True)
class Syntax:
    """How blocks of triples serialised on their own join into one document.

    pyoxigraph writes a whole document per call: Turtle starts with every
    prefix, JSON-LD is one array. A block keeps only its statements (its
    array items), and the document gets the prefixes (the brackets and
    commas) once.
    """

    format: RdfFormat
    prefixes: dict[str, str]

    @property
    def is_turtle(self) -> bool:
        from pyoxigraph import RdfFormat

        return self.format == RdfFormat.TURTLE

    @property
    def is_json(self) -> bool:
        from pyoxigraph import RdfFormat

        return self.format == RdfFormat.JSON_LD

    def header(self) -> bytes:
        if self.is_turtle:
            return "".join(f"@prefix {name}: <{iri}> .\n" for name, iri in sorted(self.prefixes.items())).encode()
        return b"[" if self.is_json else b""

    def footer(self) -> bytes:
        return b"]" if self.is_json else b""

    def separator(self) -> bytes:
        """Written between two non-empty blocks."""
        return b"," if self.is_json else b""

    def block(self, triples: Iterable[Triple]) -> bytes:
        from pyoxigraph import serialize

        data = serialize(triples, format=self.format, prefixes=self.prefixes if self.is_turtle else None)
        if self.is_json:
            return data[1:-1]
        if self.is_turtle and data:
            lines = data.split(b"\n", len(self.prefixes))
            if len(lines) <= len(self.prefixes) or not all(line.startswith(b"@prefix ") for line in lines[:-1]):
                raise RuntimeError("pyoxigraph's Turtle did not start with the prefixes it was given")
            return lines[-1]
        return data


def write(kg: KnowledgeGraph, out_dir: Path, options: ExportOptions) -> list[Path]:
    from pyoxigraph import RdfFormat

    if options.rdf_format not in FORMATS:
        raise ValueError(f"unknown RDF format {options.rdf_format!r}; choose from {', '.join(FORMATS)}")
    iris = options.iris
    syntax = Syntax(getattr(RdfFormat, FORMATS[options.rdf_format]), {**PREFIXES, **iris.prefixes()})
    triples = TripleWriter(kg, iris)
    dest = out_dir / f"graph.{options.rdf_format}"
    # Paper blocks hold the activity (kg version and model) and the base IRI; nothing else outside their keys.
    context = f"rdf;format={options.rdf_format};base={iris.base};kg={__version__};model={kg.model}"

    def paper_block(paper: Paper) -> bytes:
        return syntax.block(triples.paper(paper, kg.links_of(paper.id)))

    def entity_block(entity: Entity) -> bytes:
        return syntax.block(triples.entity(entity))

    with segmented(dest, context, options.cache_dir) as out:
        out.write(syntax.header())
        out.write(syntax.block(triples.provenance()))
        for paper in kg.papers:
            out.write(syntax.separator())
            out.segment(kg.paper_keys[paper.id], paper_block, paper)
        scheme = syntax.block(triples.concept_scheme())
        if scheme:
            out.write(syntax.separator() + scheme)
        for entity in kg.entities:
            out.write(syntax.separator())
            out.segment(kg.entity_keys[entity.id], entity_block, entity)
        # Relations and results are few next to links, and depend on many papers each: written afresh.
        for block in (
            syntax.block(t for edge in kg.relations for t in triples.entity_relation(edge)),
            syntax.block(t for result in kg.results for t in triples.result(result)),
        ):
            if block:
                out.write(syntax.separator() + block)
        out.write(syntax.footer())
    return [dest]
