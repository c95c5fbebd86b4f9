"""Lazy "module:attribute" references, the form every kg registry uses.

Readers, extractors, engines and exporters are named in plain dicts and only
imported when used, so heavy libraries (spaCy, pyoxigraph, dask) load only for
the commands that need them and ``kg --help`` stays fast.
"""

from __future__ import annotations

import importlib
from typing import Any


def load_named(table: dict[str, str], name: str, kind: str, error: type[Exception] = ValueError) -> Any:
    """The object registered as ``name`` in ``table``; an unknown name lists the valid ones."""
    try:
        target = table[name]
    except KeyError:
        raise error(f"unknown {kind} {name!r}; choose from {', '.join(table)}") from None
    return load(target)


def load(target: str) -> Any:
    """The object ``target`` ("package.module:attribute") names."""
    module, _, attr = target.partition(":")
    return getattr(importlib.import_module(module), attr)
