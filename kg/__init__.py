"""kg: turn research-paper abstracts into a knowledge graph.

The data flows one way: read (``kg.ingest``) -> extract (``kg.extract``) ->
resolve entities (``kg.resolve``) -> graph (``kg.graph``) -> export (``kg.export``).
:func:`kg.build` runs them all, :func:`kg.extract` returns what one paper or a
few hold, :func:`kg.query` asks SPARQL of an export (see :mod:`kg.api`). Nothing heavy is imported
here (no spaCy, rdflib or pandas) so that ``kg --help`` stays fast.
"""

__version__ = "0.1.0"

# kg.extract and kg.query are functions, named like the package kg.extract and the module
# kg.query, which are imported first: importing a submodule the first time sets it as an
# attribute of kg, which would hide the function. Code that needs the modules imports names
# from them (from kg.extract import EXTRACTORS), or looks them up in sys.modules.
from kg.query import QueryError  # isort: skip
from kg.api import Build, BuildError, NoPapers, NotEnoughMemory, build, extract, query
from kg.export import ExportOptions
from kg.pipeline import ExtractOptions
from kg.problems import Problems

__all__ = [
    "Build",
    "BuildError",
    "ExportOptions",
    "ExtractOptions",
    "NoPapers",
    "NotEnoughMemory",
    "Problems",
    "QueryError",
    "__version__",
    "build",
    "extract",
    "query",
]
