"""The RDF vocabulary of kg exports: namespaces and how records map onto terms.

kg's own terms live under one fixed namespace (``kg:``), documented in
``ontology/kg.ttl``; it does not follow ``--base-iri``, so the same queries
work on every export. Everything else reuses standard vocabularies (DCTERMS,
SKOS, PROV-O, Web Annotation, schema.org, FaBiO). Only strings live here;
the exporter turns them into pyoxigraph terms.
"""

from __future__ import annotations

from kg.records import EntityType, Relation, RelationType

KG = "https://w3id.org/kg-papers/ontology#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
DC = "http://purl.org/dc/elements/1.1/"
SCHEMA = "https://schema.org/"
FABIO = "http://purl.org/spar/fabio/"
OA = "http://www.w3.org/ns/oa#"
PROV = "http://www.w3.org/ns/prov#"
PRISM = "http://prismstandard.org/namespaces/basic/2.0/"
ARXIV = "https://arxiv.org/abs/"

#: Prefixes written into Turtle (the data prefixes under the base IRI are added per export).
PREFIXES: dict[str, str] = {
    "kg": KG,
    "rdfs": RDFS,
    "xsd": XSD,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "dc": DC,
    "schema": SCHEMA,
    "fabio": FABIO,
    "oa": OA,
    "prov": PROV,
    "prism": PRISM,
    "arxiv": ARXIV,
}

#: The property of the plain paper -> entity triple for each relation.
RELATION_PROPERTY: dict[Relation, str] = {
    Relation.PROPOSES: KG + "proposes",
    Relation.USES: KG + "uses",
    Relation.EVALUATES_ON: KG + "evaluatesOn",
    Relation.ADDRESSES: KG + "addresses",
    Relation.HAS_CODE: KG + "hasCode",
    Relation.MENTIONS: KG + "mentions",
    Relation.ABOUT: KG + "about",
}

#: The property of the plain entity -> entity triple for each relation between entities; the
#: task hierarchy is SKOS's, so ``kg:addresses/skos:broader*`` walks down from a task.
ENTITY_RELATION_PROPERTY: dict[RelationType, str] = {
    RelationType.USED_FOR: KG + "usedFor",
    RelationType.EVALUATED_ON: KG + "evaluatedOn",
    RelationType.BENCHMARK_FOR: KG + "benchmarkFor",
    RelationType.BASED_ON: KG + "basedOn",
    RelationType.COMPARED_TO: KG + "comparedTo",
    RelationType.BROADER: SKOS + "broader",
}
#: The super-property of every relation: each paper -> entity link is also stated with it, once
#: per entity, so "everything this paper links to" is one triple pattern in any store (pyoxigraph
#: and most triple stores do no RDFS inference).
LINKS_TO = KG + "linksTo"

#: The classes an entity of each type is an instance of. Concepts are SKOS
#: concepts too, so SKOS tools can browse them without the ontology.
ENTITY_CLASSES: dict[EntityType, tuple[str, ...]] = {
    EntityType.METHOD: (KG + "Method",),
    EntityType.DATASET: (KG + "Dataset",),
    EntityType.TASK: (KG + "Task",),
    EntityType.CONCEPT: (KG + "Concept", SKOS + "Concept"),
    EntityType.REPOSITORY: (KG + "Repository",),
    EntityType.URL: (KG + "URL",),
}
