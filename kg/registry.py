"""Lazy "module:attribute" references, the form every kg registry uses.

Readers, extractors, engines and exporters are named in plain dicts and only
imported when used, so heavy libraries (spaCy, pyoxigraph, dask) load only for
the commands that need them and ``kg --help`` stays fast.
"""

from __future__ import annotations

import importlib
from typing import Any


def load(target: str) -> Any:
    """The object ``target`` ("package.module:attribute") names."""
    module, _, attr = target.partition(":")
    return getattr(importlib.import_module(module), attr)
