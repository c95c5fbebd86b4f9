"""Acronym definitions, tested on the plain-text functions (no pipeline needed)."""

from __future__ import annotations

import pytest

from kg.extract.acronyms import find_acronyms, is_short_form, match_long_form


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
        # Letters taken from inside words, which their authors mark with a capital.
        (
            "we propose eXtreme Gradient Boosting (XGBoost), a scalable end-to-end tree boosting system",
            ("XGBoost", "eXtreme Gradient Boosting"),
        ),
        ("we use XGBoost (eXtreme Gradient Boosting) as the classifier", ("XGBoost", "eXtreme Gradient Boosting")),
        (
            "called inTerpretable nEuraL cLustering (TELL). Our contributions",
            ("TELL", "inTerpretable nEuraL cLustering"),
        ),
        (
            "a novel regularizer, namely BEllman Equation-based automatic rank Regularizer (BEER), which",
            ("BEER", "BEllman Equation-based automatic rank Regularizer"),
        ),
        # A letter found inside a later word must not cut the long form short.
        ("trained with Proximal Policy Optimization (PPO) and", ("PPO", "Proximal Policy Optimization")),
        ("for sparse Mixture of Expert models (MoEs), that", ("MoEs", "Mixture of Expert models")),
        ("We present a Robustly optimized BERT approach (RoBERTa)", ("RoBERTa", "Robustly optimized BERT approach")),
        # A plural "s" the long form does not spell; quotes around the long form.
        ("we design a Pyramid Residual Module (PRMs) to enhance", ("PRMs", "Pyramid Residual Module")),
        ("the “exponential linear unit” (ELU) which", ("ELU", "exponential linear unit")),
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
        # A long form no longer than the short form.
        "and a deeper DPN (DPN-131) further pushes",
        # The expansion in the parenthesis must begin with the acronym's first letter.
        "XGBoost (gradient boosting trees) is",
    ],
)
def test_non_definitions(text: str) -> None:
    assert pairs(text) == []


def test_short_form_shape() -> None:
    assert is_short_form("GCNs") and is_short_form("2D-DWT") and is_short_form("NeuMeta")
    assert not is_short_form("see Table 1") and not is_short_form("2021") and not is_short_form("a")


def test_letters_must_mostly_start_words_or_be_capitals() -> None:
    assert match_long_form("LoRA", ["Low-Rank", "Adaptation"]) == 2
    assert match_long_form("XGBoost", ["We", "propose", "eXtreme", "Gradient", "Boosting"]) == 3
    assert match_long_form("XGBoost", ["We", "propose", "extreme", "Gradient", "Boosting"]) is None
    assert match_long_form("GCN", ["graph", "signal", "processing"]) is None
