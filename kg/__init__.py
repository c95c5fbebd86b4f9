"""kg: turn research-paper abstracts into a knowledge graph.

The data flows one way: read (``kg.ingest``) -> extract (``kg.extract``) ->
resolve entities (``kg.resolve``) -> graph (``kg.graph``) -> export (``kg.export``).
:func:`kg.build` runs them all (see :mod:`kg.api`). Nothing heavy is imported
here (no spaCy, rdflib or pandas) so that ``kg --help`` stays fast.
"""

__version__ = "0.1.0"

from kg.api import Build, BuildError, NoPapers, build
from kg.export import ExportOptions
from kg.pipeline import ExtractOptions
from kg.problems import Problems

__all__ = ["Build", "BuildError", "ExportOptions", "ExtractOptions", "NoPapers", "Problems", "__version__", "build"]
