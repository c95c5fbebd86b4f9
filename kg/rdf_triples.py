"""The triples of a knowledge graph, generated straight from its tables.

No intermediate rdflib graph is built: triples stream out of the papers,
entities and links lists, so memory stays flat and every serialiser
(N-Triples especially) can write them as they come. Triples come in groups:
the provenance, one paper with its links and their evidence, the concept
scheme, one entity. :mod:`kg.export.rdf` writes the groups in a fixed order
(so Turtle comes out readable and byte-identical between runs), and each
paper's and each entity's group on its own, which is what lets it reuse them
between builds.

Entity -> entity relations are a plain triple too (``method kg:usedFor task``,
``task skos:broader task``) and a ``kg:EntityRelation`` statement with its
count and one ``kg:RelationEvidence`` annotation per paper that states it.
Results are ``kg:Result`` annotations of their paper: method, dataset,
metric, value, unit, kind and sentence.

Each link is a plain triple (``paper kg:evaluatesOn dataset``), stated again
with the super-property ``kg:linksTo``, and an ``oa:Annotation`` holding the
evidence: the sentence, the quote as written
and its character offsets into ``title + "\\n\\n" + abstract``
(:attr:`kg.records.Paper.text`), the confidence, and which extractor and
which model made it (PROV-O).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from pyoxigraph import Literal, NamedNode, Triple

from kg import __version__
from kg.graph import KnowledgeGraph
from kg.ingest.values import iso_date
from kg.iri import Iris
from kg.rdf_vocab import (
    DC,
    DCTERMS,
    ENTITY_CLASSES,
    ENTITY_RELATION_PROPERTY,
    FABIO,
    KG,
    LINKS_TO,
    OA,
    PRISM,
    PROV,
    RDF,
    RDFS,
    RELATION_PROPERTY,
    SCHEMA,
    SKOS,
    XSD,
)
from kg.records import Entity, EntityLink, EntityType, Link, Paper, Result

#: The agent results are attributed to (see :mod:`kg.extract.results`).
RESULTS_EXTRACTOR = "results"


class _Terms:
    """Named nodes for the vocabulary, made once instead of once per triple."""

    def __init__(self) -> None:
        self._cache: dict[str, NamedNode] = {}

    def __call__(self, iri: str) -> NamedNode:
        node = self._cache.get(iri)
        if node is None:
            node = self._cache[iri] = NamedNode(iri)
        return node


def _typed(value: str, datatype: str) -> Literal:
    return Literal(value, datatype=NamedNode(XSD + datatype))


def _date(value: str) -> Literal:
    """Full dates are ``xsd:date``; page dates without a year ("Oct 3") and bare years stay plain strings."""
    return _typed(value, "date") if iso_date(value) == value else Literal(value)


class TripleWriter:
    """Generates the triples of one export; ``iris`` decides every minted IRI."""

    def __init__(self, kg: KnowledgeGraph, iris: Iris) -> None:
        self.kg = kg
        self.iris = iris
        self.t = _Terms()
        self.activity = NamedNode(iris.activity(__version__, kg.model))
        self.software = NamedNode(iris.software(__version__))
        self.entity_iri = {e.id: NamedNode(iris.entity(e)) for e in kg.entities}

    def provenance(self) -> Iterator[Triple]:
        t = self.t
        yield Triple(self.software, t(RDF + "type"), t(PROV + "SoftwareAgent"))
        yield Triple(self.software, t(RDFS + "label"), Literal(f"kg {__version__}"))
        yield Triple(self.software, t(SCHEMA + "softwareVersion"), Literal(__version__))
        yield Triple(self.activity, t(RDF + "type"), t(PROV + "Activity"))
        described = f" with {self.kg.model}" if self.kg.model else ""
        yield Triple(self.activity, t(RDFS + "label"), Literal(f"extraction by kg {__version__}{described}"))
        yield Triple(self.activity, t(PROV + "wasAssociatedWith"), self.software)
        if self.kg.model:
            model = NamedNode(self.iris.model(self.kg.model))
            yield Triple(self.activity, t(PROV + "used"), model)
            yield Triple(model, t(RDF + "type"), t(PROV + "Entity"))
            yield Triple(model, t(RDFS + "label"), Literal(self.kg.model))
        names = set(self.kg.link_table.extractors)
        names |= {e.extractor for edge in self.kg.relations for e in edge.evidence}
        names |= {RESULTS_EXTRACTOR} if self.kg.results else set()
        for name in sorted(names):
            agent = NamedNode(self.iris.extractor(name))
            yield Triple(agent, t(RDF + "type"), t(PROV + "SoftwareAgent"))
            yield Triple(agent, t(RDFS + "label"), Literal(name))
            yield Triple(agent, t(PROV + "actedOnBehalfOf"), self.software)

    def paper(self, paper: Paper, links: Iterable[Link]) -> Iterator[Triple]:
        t = self.t
        node = NamedNode(self.iris.paper(paper))
        yield Triple(node, t(RDF + "type"), t(KG + "Paper"))
        yield Triple(node, t(DCTERMS + "title"), Literal(paper.title))
        yield Triple(node, t(DCTERMS + "abstract"), Literal(paper.abstract))
        if paper.arxiv_id:
            yield Triple(node, t(FABIO + "hasArXivId"), Literal(paper.arxiv_id))
        if paper.date:
            yield Triple(node, t(DCTERMS + "date"), _date(paper.date))
        if paper.url:
            yield Triple(node, t(SCHEMA + "url"), _typed(paper.url, "anyURI"))
        for author in paper.authors:
            yield Triple(node, t(DC + "creator"), Literal(author))
        if paper.doi:
            yield Triple(node, t(PRISM + "doi"), Literal(paper.doi))
        for category in paper.categories:
            yield Triple(node, t(KG + "category"), Literal(category))
        if paper.primary_category:
            yield Triple(node, t(KG + "primaryCategory"), Literal(paper.primary_category))
        for source in paper.sources:
            yield Triple(node, t(DCTERMS + "source"), Literal(f"{source.path}:{source.line}"))
        links = list(links)
        for link in links:
            yield Triple(node, t(RELATION_PROPERTY[link.relation]), self.entity_iri[link.entity_id])
        for entity_id in dict.fromkeys(link.entity_id for link in links):
            yield Triple(node, t(LINKS_TO), self.entity_iri[entity_id])
        text = paper.text
        for link in links:
            yield from self.evidence(link, node, text)

    def evidence(self, link: Link, paper: NamedNode, text: str) -> Iterator[Triple]:
        t = self.t
        iri = self.iris.mention(link)
        mention, target = NamedNode(iri), NamedNode(iri + "-target")
        quote, position = NamedNode(iri + "-quote"), NamedNode(iri + "-position")
        yield Triple(mention, t(RDF + "type"), t(OA + "Annotation"))
        yield Triple(mention, t(OA + "motivatedBy"), t(OA + "identifying"))
        yield Triple(mention, t(OA + "hasBody"), self.entity_iri[link.entity_id])
        yield Triple(mention, t(OA + "hasTarget"), target)
        yield Triple(mention, t(KG + "relation"), t(RELATION_PROPERTY[link.relation]))
        yield Triple(mention, t(KG + "sentence"), Literal(link.sentence))
        yield Triple(mention, t(KG + "confidence"), Literal(float(link.confidence)))
        yield Triple(mention, t(PROV + "wasAttributedTo"), t(self.iris.extractor(link.extractor)))
        yield Triple(mention, t(PROV + "wasGeneratedBy"), self.activity)
        yield Triple(target, t(RDF + "type"), t(OA + "SpecificResource"))
        yield Triple(target, t(OA + "hasSource"), paper)
        if link.start == link.end:  # given by the source record, not quoted from the text
            return
        yield Triple(target, t(OA + "hasSelector"), quote)
        yield Triple(target, t(OA + "hasSelector"), position)
        yield Triple(quote, t(RDF + "type"), t(OA + "TextQuoteSelector"))
        yield Triple(quote, t(OA + "exact"), Literal(text[link.start : link.end]))
        yield Triple(position, t(RDF + "type"), t(OA + "TextPositionSelector"))
        yield Triple(position, t(OA + "start"), _typed(str(link.start), "nonNegativeInteger"))
        yield Triple(position, t(OA + "end"), _typed(str(link.end), "nonNegativeInteger"))

    def concept_scheme(self) -> Iterator[Triple]:
        """The scheme every concept is in; nothing when the graph has no concepts."""
        if not any(e.type is EntityType.CONCEPT for e in self.kg.entities):
            return
        scheme = self.t(self.iris.concept_scheme())
        yield Triple(scheme, self.t(RDF + "type"), self.t(SKOS + "ConceptScheme"))
        yield Triple(scheme, self.t(SKOS + "prefLabel"), Literal("Concepts the papers are about"))

    def entity(self, entity: Entity) -> Iterator[Triple]:
        t = self.t
        node = self.entity_iri[entity.id]
        for cls in ENTITY_CLASSES[entity.type]:
            yield Triple(node, t(RDF + "type"), t(cls))
        yield Triple(node, t(SKOS + "prefLabel"), Literal(entity.label))
        for alias in entity.aliases:
            yield Triple(node, t(SKOS + "altLabel"), Literal(alias))
        if entity.type is EntityType.CONCEPT:
            yield Triple(node, t(SKOS + "inScheme"), t(self.iris.concept_scheme()))
        if entity.type is EntityType.URL:
            yield Triple(node, t(SCHEMA + "url"), _typed(entity.label, "anyURI"))

    def entity_relation(self, edge: EntityLink) -> Iterator[Triple]:
        t = self.t
        head, tail = self.entity_iri[edge.head], self.entity_iri[edge.tail]
        prop = t(ENTITY_RELATION_PROPERTY[edge.type])
        yield Triple(head, prop, tail)
        iri = self.iris.relation(edge)
        node = NamedNode(iri)
        yield Triple(node, t(RDF + "type"), t(KG + "EntityRelation"))
        yield Triple(node, t(RDF + "subject"), head)
        yield Triple(node, t(RDF + "predicate"), prop)
        yield Triple(node, t(RDF + "object"), tail)
        yield Triple(node, t(KG + "count"), _typed(str(edge.count), "nonNegativeInteger"))
        yield Triple(node, t(KG + "confidence"), Literal(float(edge.confidence)))
        for source in sorted({e.extractor for e in edge.evidence}):
            yield Triple(node, t(PROV + "wasAttributedTo"), t(self.iris.extractor(source)))
        for k, e in enumerate(e for e in edge.evidence if e.paper_id):
            evidence = NamedNode(f"{iri}-evidence-{k}")
            yield Triple(evidence, t(RDF + "type"), t(KG + "RelationEvidence"))
            yield Triple(evidence, t(OA + "hasBody"), node)
            yield Triple(evidence, t(OA + "hasTarget"), NamedNode(self.iris.paper(self.kg.paper_by_id[e.paper_id])))
            yield Triple(evidence, t(KG + "relation"), prop)
            yield Triple(evidence, t(KG + "sentence"), Literal(e.sentence))
            yield Triple(evidence, t(KG + "confidence"), Literal(float(e.confidence)))
            yield Triple(evidence, t(PROV + "wasAttributedTo"), t(self.iris.extractor(e.extractor)))

    def result(self, result: Result) -> Iterator[Triple]:
        t = self.t
        node = NamedNode(self.iris.result(result))
        yield Triple(node, t(RDF + "type"), t(KG + "Result"))
        yield Triple(node, t(OA + "hasTarget"), NamedNode(self.iris.paper(self.kg.paper_by_id[result.paper_id])))
        yield Triple(node, t(KG + "dataset"), self.entity_iri[result.dataset_id])
        if result.method_id:
            yield Triple(node, t(KG + "method"), self.entity_iri[result.method_id])
        yield Triple(node, t(KG + "metric"), Literal(result.metric))
        yield Triple(node, t(KG + "value"), _typed(repr(result.value), "double"))
        if result.unit:
            yield Triple(node, t(KG + "unit"), Literal(result.unit))
        yield Triple(node, t(KG + "resultKind"), Literal(result.kind))
        yield Triple(node, t(KG + "sentence"), Literal(result.sentence))
        yield Triple(node, t(PROV + "wasAttributedTo"), t(self.iris.extractor(RESULTS_EXTRACTOR)))
