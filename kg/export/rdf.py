"""RDF: ``graph.ttl`` (Turtle, default), ``graph.nt`` (N-Triples) or ``graph.jsonld``.

Triples come from :mod:`kg.rdf_triples` and go straight into pyoxigraph's
serialisers, which stream: nothing holds the whole graph in memory and a
large build serialises in seconds where rdflib's Turtle writer takes minutes.
Turtle gets the vocabulary prefixes and one prefix per kind of minted IRI
(``paper:``, ``method:``, ``mention:`` ...) so it stays readable; N-Triples is
for bulk loaders; JSON-LD is written in expanded form (no ``@context``), which
every JSON-LD processor reads.

The vocabulary is ``ontology/kg.ttl``, the shapes a well-formed export
satisfies ``ontology/shapes.ttl``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from kg.atomic import atomic_path
from kg.graph import KnowledgeGraph
from kg.iri import Iris, check_base
from kg.rdf_triples import triples
from kg.rdf_vocab import PREFIXES

if TYPE_CHECKING:
    from kg.export import ExportOptions

#: ``--rdf-format`` value -> pyoxigraph ``RdfFormat`` attribute; the file is ``graph.<value>``.
FORMATS = {"ttl": "TURTLE", "nt": "N_TRIPLES", "jsonld": "JSON_LD"}


def write(kg: KnowledgeGraph, out_dir: Path, options: ExportOptions) -> list[Path]:
    from pyoxigraph import RdfFormat, serialize

    if options.rdf_format not in FORMATS:
        raise ValueError(f"unknown RDF format {options.rdf_format!r}; choose from {', '.join(FORMATS)}")
    iris = Iris(check_base(options.base_iri))
    dest = out_dir / f"graph.{options.rdf_format}"
    with atomic_path(dest) as tmp, tmp.open("wb") as stream:
        serialize(
            triples(kg, iris),
            stream,
            getattr(RdfFormat, FORMATS[options.rdf_format]),
            prefixes={**PREFIXES, **iris.prefixes()},
        )
    return [dest]
