"""kg: turn research-paper abstracts into a knowledge graph.

The data flows one way: read (``kg.ingest``) -> extract (``kg.extract``) ->
resolve entities (``kg.resolve``) -> graph (``kg.graph``) -> export (``kg.export``).
Nothing heavy is imported here so that ``kg --help`` stays fast.
"""

__version__ = "0.1.0"
