"""Deterministic, ASCII-safe IRIs for everything an RDF export describes.

An IRI depends only on stable keys of the input (a paper's id, an entity's
id, a link's paper/entity/relation), never on processing order, the machine
or the time, so two builds of the same input give the same IRIs and users
can keep links into a graph across rebuilds. Minted IRIs are
``BASE + kind + "/" + 16 hex digits of a SHA-1``: readable names live in
labels, because labels may hold any character and change when the resolver
picks a better one. Real identifiers are reused where they exist: a paper
with an arXiv id is its ``https://arxiv.org/abs/ID`` page and a repository
is its (lower-cased, as GitHub is case-insensitive) GitHub URL.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from urllib.parse import quote

from kg.rdf_vocab import ARXIV
from kg.records import Entity, EntityLink, EntityType, Link, Paper, Result

GITHUB = "https://github.com/"
#: Path segments of minted IRIs, one per kind of resource (also Turtle prefixes).
KINDS = (
    "paper",
    "method",
    "dataset",
    "task",
    "concept",
    "url",
    "mention",
    "agent",
    "activity",
    "model",
    "scheme",
    "relation",
    "result",
)
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
#: Characters that may not appear in an IRI, or that would need escaping.
FORBIDDEN = re.compile(r"[\x00-\x20<>\"{}|\\^`\x7f]")


def digest(*key: str) -> str:
    """16 hex digits of the SHA-1 of ``key``; parts are joined by a byte no key holds."""
    return hashlib.sha1("\x1f".join(key).encode("utf-8")).hexdigest()[:16]


def check_base(base: str) -> str:
    """``base`` as an absolute ASCII IRI ending in ``/`` or ``#``, or ValueError saying why."""
    if not base.isascii() or FORBIDDEN.search(base):
        raise ValueError(f'base IRI {base!r} must be ASCII without spaces or any of <>"{{}}|\\^`')
    if not SCHEME.match(base):
        raise ValueError(f"base IRI {base!r} must be absolute, e.g. https://example.org/kg/")
    return base if base.endswith(("/", "#")) else base + "/"


@dataclass(frozen=True)
class Iris:
    """The IRIs of one export under ``base`` (already checked with :func:`check_base`)."""

    base: str

    def minted(self, kind: str, *key: str) -> str:
        return f"{self.base}{kind}/{digest(*key)}"

    def prefixes(self) -> dict[str, str]:
        return {kind: f"{self.base}{kind}/" for kind in KINDS}

    def paper(self, paper: Paper) -> str:
        if paper.arxiv_id:
            return ARXIV + quote(paper.arxiv_id, safe="/.-")
        return self.minted("paper", paper.id)

    def entity(self, entity: Entity) -> str:
        if entity.type is EntityType.REPOSITORY:
            # Repository labels are "owner/name" (see kg.extract.links).
            return GITHUB + quote(entity.label.lower(), safe="/.-_~")
        return self.minted(entity.type.value.lower(), entity.id)

    def mention(self, link: Link) -> str:
        """The evidence node of a link; its target and selectors append ``-target``, ``-quote``, ``-position``."""
        return self.minted("mention", link.paper_id, link.entity_id, link.relation.value)

    def relation(self, edge: EntityLink) -> str:
        """The statement node of an entity -> entity edge; its evidence nodes append ``-evidence-N``."""
        return self.minted("relation", edge.head, edge.type.value, edge.tail)

    def result(self, result: Result) -> str:
        return self.minted("result", result.paper_id, str(result.start), result.metric)

    def extractor(self, name: str) -> str:
        return self.minted("agent", "extractor", name)

    def software(self, version: str) -> str:
        return self.minted("agent", "kg", version)

    def model(self, name: str) -> str:
        return self.minted("model", name)

    def activity(self, version: str, model: str) -> str:
        return self.minted("activity", version, model)

    def concept_scheme(self) -> str:
        return f"{self.base}scheme/concepts"
