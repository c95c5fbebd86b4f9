"""Acronym definitions, tested on the plain-text functions (no pipeline needed)."""

from __future__ import annotations

import pytest

from kg.extract.acronyms import find_acronyms, initials_agree, is_short_form


def pairs(text: str) -> list[tuple[str, str]]:
    return [(a.short, a.long) for a in find_acronyms(text)]


@pytest.mark.parametrize(
    "text,expected",
    [
        # Forms taken from the seed abstracts.
        (
            "we propose Deep Adaptive Graph Neural Network (DAGNN) to adaptively",
            ("DAGNN", "Deep Adaptive Graph Neural Network"),
        ),
        ("Differentiable architecture search (DARTS) is", ("DARTS", "Differentiable architecture search")),
        ("such as Low-Rank Adaptation (LoRA; Hu et al.)", ("LoRA", "Low-Rank Adaptation")),
        ("we propose neuro-modulated Hebbian learning (NHL) method", ("NHL", "neuro-modulated Hebbian learning")),
        ("a binary periodic (BiPer) approach", ("BiPer", "binary periodic")),
        ("our proposed approach SPIN (SMPL oPtimization IN the loop).", ("SPIN", "SMPL oPtimization IN the loop")),
        (
            "two-dimensional discrete wavelet transform (2D-DWT) in",
            ("2D-DWT", "two-dimensional discrete wavelet transform"),
        ),
        ("by introducing Gradient-Boosting RL (GBRL), a framework", ("GBRL", "Gradient-Boosting RL")),
        ("graph convolutional networks (GCNs)", ("GCNs", "graph convolutional networks")),
    ],
)
def test_definitions(text: str, expected: tuple[str, str]) -> None:
    assert pairs(text) == [expected]


def test_offsets_point_at_both_parts() -> None:
    text = "Here, Open Graph Benchmark (OGB) graphs."
    (acronym,) = find_acronyms(text)
    assert text[acronym.short_start : acronym.short_end] == "OGB"
    assert text[acronym.long_start : acronym.long_end] == "Open Graph Benchmark"


@pytest.mark.parametrize(
    "text",
    [
        "results (see Table 1) show",
        "trained with (AdamW) only",
        "a model (M) that",
        # Letters found inside words but not at their starts: not an expansion.
        "from the perspectives of graph signal processing (GCN), function",
        # The long form stays inside its clause and never swallows a parenthesis.
        "function approximation (GraphSAGE) and topological learning (GIN).",
    ],
)
def test_non_definitions(text: str) -> None:
    assert pairs(text) == []


def test_short_form_shape() -> None:
    assert is_short_form("GCNs") and is_short_form("2D-DWT") and is_short_form("NeuMeta")
    assert not is_short_form("see Table 1") and not is_short_form("2021") and not is_short_form("a")


def test_initials_must_mostly_start_words() -> None:
    assert initials_agree("LoRA", "Low-Rank Adaptation")
    assert not initials_agree("GCN", "graph signal processing")
