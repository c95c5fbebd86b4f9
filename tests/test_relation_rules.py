"""The relation rules one at a time, each on a short abstract written for the test (docs/relations.md).

The names are made up ("GlideNet", "LinkFormer") so that what is checked is the sentence's
shape, not a name kg happens to know.
"""

from __future__ import annotations

import json

from kg.extract.summary import paper_summaries
from kg.pipeline import ExtractOptions, extract_mentions
from kg.records import Paper

OPTIONS = ExtractOptions(jobs=1, progress=False)


def relations(title: str, abstract: str) -> list[list[str]]:
    [line] = list(paper_summaries(extract_mentions([Paper(id="p", title=title, abstract=abstract)], OPTIONS)))
    return json.loads(line)["relations"]


def of_type(found: list[list[str]], kind: str) -> set[tuple[str, str]]:
    return {(h, t) for h, r, t in found if r == kind}


def test_our_model_beside_a_name_is_that_name() -> None:
    found = relations(
        "GlideNet: Compact Networks for Scene Parsing",
        "We present GlideNet, a compact network for scene parsing. "
        "Our largest model GlideNet-L reaches 81.2% mIoU on Cityscapes. "
        "GlideNet-S, one of our smaller models, runs 2x faster than BiSeNet.",
    )
    assert ("GlideNet-L", "Cityscapes") in of_type(found, "evaluatedOn")
    assert ("GlideNet", "Cityscapes") not in of_type(found, "evaluatedOn")
    assert of_type(found, "comparedTo") == {("GlideNet-S", "BiSeNet")}


def test_a_comparison_that_opens_the_sentence() -> None:
    found = relations(
        "Better Node Classification",
        "We present LinkFormer, a graph model for node classification. "
        "Compared to GAT, our model achieves 2.1% higher accuracy on Cora. "
        "Unlike GraphSAGE, our model reaches 80.2% accuracy on PubMed.",
    )
    # The baseline before the comma is measured against, not evaluated; the subject after it is.
    assert of_type(found, "evaluatedOn") == {("LinkFormer", "Cora"), ("LinkFormer", "PubMed")}
    # "Unlike" sets two methods apart without saying which does better: no comparison.
    assert of_type(found, "comparedTo") == {("LinkFormer", "GAT")}


def test_parts_of_a_combination_are_not_the_combination() -> None:
    found = relations(
        "Pairing Encoders",
        "We study how encoders pair with taggers. On CoNLL-2003, BERT + CRF outperforms ELMo and reaches 92.8% F1.",
    )
    assert not [r for r in found if r[0] == "BERT" or r[2] == "BERT"]


def test_a_family_at_the_start_of_a_sentence_is_compared_with_nothing() -> None:
    found = relations(
        "Attention for Images",
        "Self-attention layers are slower than MobileNetV2 on phones. "
        "Graph neural networks outperform ResNet-50 on molecules.",
    )
    assert not of_type(found, "comparedTo")


def test_a_title_phrase_the_abstract_never_repeats_is_not_the_method() -> None:
    found = relations(
        "Neural Texture Synthesis with Wavelet Pooling",
        "We propose WavePool, a pooling scheme that mixes wavelet bands. "
        "On DTD, our model achieves 0.31 LPIPS, better than prior generators.",
    )
    # Title Case made "Wavelet Pooling" look like a name; the abstract's method is WavePool.
    assert of_type(found, "evaluatedOn") == {("WavePool", "DTD")}


def test_a_title_name_with_capitals_of_its_own_is_the_method() -> None:
    found = relations(
        "GridTune: Fast Hyperparameter Search for Image Classification",
        "We propose a search method that prunes bad trials early. "
        "Our method reaches 76.5% accuracy on ImageNet and is faster than Hyperband. "
        "It is built for image classification.",
    )
    assert ("GridTune", "ImageNet") in of_type(found, "evaluatedOn")
    assert ("GridTune", "Hyperband") in of_type(found, "comparedTo")
    assert ("GridTune", "Image Classification") in of_type(found, "usedFor")


def test_we_must_be_evaluating_for_an_evaluation() -> None:
    found = relations(
        "HopNet",
        "We propose HopNet, a search method for graph networks. "
        "In our experiments, we search for the best cell on Cora and then transfer it to larger graphs. "
        "We achieve 85.1% accuracy on PubMed.",
    )
    assert of_type(found, "evaluatedOn") == {("HopNet", "PubMed")}


def test_what_we_make_for_a_task_is_not_always_the_method() -> None:
    found = relations(
        "FooNet: Fast Detection",
        "We propose FooNet, a compact network. We also release a large benchmark for image captioning. "
        "We propose a novel framework for object detection.",
    )
    assert of_type(found, "usedFor") == {("FooNet", "object detection")}


def test_used_for_by_what_the_method_is() -> None:
    found = relations(
        "Detecting Things Fast",
        "We propose FooNet, a novel object detection framework. "
        "BarNet is a semantic segmentation network built for speed. "
        "We introduce QuxNet, a new approach to image captioning. "
        "Our method, KeyNet, tackles keyword spotting with few parameters. "
        "We design a new image classification network, called LeafNet.",
    )
    assert {
        ("FooNet", "object detection"),
        ("BarNet", "semantic segmentation"),
        ("QuxNet", "image captioning"),
        ("KeyNet", "keyword spotting"),
        ("LeafNet", "image classification"),
    } <= of_type(found, "usedFor")


def test_based_on_cues() -> None:
    found = relations(
        "Sparse Routers for Long Documents",
        "We introduce RouteFormer, which builds on top of Longformer and adds sparse routing. "
        "Our HopNet extends the recent GraphSAGE with hop attention. "
        "Based on Mamba, we propose DocMamba, a selective model for long document classification. "
        "We present QuickBERT, a distilled version of RoBERTa. "
        "TinyGPT is built on top of GPT-2. "
        "We present ZetaNet, an improved ResNet with gated skips. "
        "We build KiteNet upon EfficientNet. "
        "We also propose a Transformer-based framework, FooNet, for retrieval.",
    )
    assert of_type(found, "basedOn") == {
        ("RouteFormer", "Longformer"),
        ("HopNet", "GraphSAGE"),
        ("DocMamba", "Mamba"),
        ("QuickBERT", "RoBERTa"),
        ("TinyGPT", "GPT-2"),
        ("ZetaNet", "ResNet"),
        ("KiteNet", "EfficientNet"),
        ("FooNet", "Transformer"),
    }


def test_based_on_only_where_the_cue_is_the_method_s() -> None:
    found = relations(
        "Long Sequences",
        "MegaNet is an architecture whose parallel scan, based on the FFT, is fast. "
        "When put into a Transformer-based pipeline, GPT-2 works well.",
    )
    assert not of_type(found, "basedOn")


def test_evaluated_on_a_benchmark_named_with_its_metric() -> None:
    found = relations(
        "ColNet",
        "We propose ColNet. After pre-training on ImageNet-22K, ColNet-XL obtains 88.2% ImageNet-1K accuracy.",
    )
    assert ("ColNet-XL", "ImageNet-1K") in of_type(found, "evaluatedOn")
    assert not [t for _, t in of_type(found, "evaluatedOn") if t == "ImageNet-22K"]


def test_an_opening_phrase_before_the_dataset() -> None:
    found = relations(
        "PathNet",
        "We propose PathNet for retrosynthesis. "
        "In particular, on the widely used USPTO dataset, our PathNet finds routes for 99.5% of the molecules. "
        "Further experiments on the public reaction benchmark like ORD also support PathNet.",
    )
    assert {("PathNet", "USPTO"), ("PathNet", "ORD")} <= of_type(found, "evaluatedOn")


def test_an_opening_comma_is_no_list_for_respectively() -> None:
    found = relations(
        "SLT",
        "We propose Spatial Learning Through Time (SLT), and a variant of it, SLT-K. "
        "In particular, our method achieves 71.2% accuracy on ImageNet, while memory and time drop by 70% and "
        "50%, respectively.",
    )
    assert [r for r in found if r[1] == "evaluatedOn" and r[2] == "ImageNet" and "SLT" in r[0]]


def test_a_baseline_between_a_method_and_its_task() -> None:
    found = relations(
        "KiteNet",
        "We propose KiteNet, a pruning scheme for sparse networks. "
        "KiteNet improves upon SNIP by 2% on CIFAR-10. "
        "KiteNet achieves better accuracy than GraSP in image classification. "
        "We present ZapNet, a lossless compression tailored to weights.",
    )
    assert {("KiteNet", "SNIP"), ("KiteNet", "GraSP")} <= of_type(found, "comparedTo")
    assert {("KiteNet", "image classification"), ("ZapNet", "lossless compression")} <= of_type(found, "usedFor")
    assert not [h for h, _ in of_type(found, "usedFor") if h == "GraSP"]


def test_what_our_method_builds_on() -> None:
    found = relations(
        "DocFormer: Reading Long Documents",
        "We propose DocFormer for document classification. Our Transformer-based model reads 16k tokens. "
        "We build upon Longformer's attention pattern. We compare with BigBird and extend GPT-2 to long inputs.",
    )
    assert of_type(found, "basedOn") == {("DocFormer", "Transformer"), ("DocFormer", "Longformer")}


def test_a_tool_of_the_sentence_is_not_what_it_evaluates() -> None:
    found = relations(
        "KiteNet",
        "We propose KiteNet, a pruning scheme for sparse networks. "
        "Using a ResNet-50 backbone on ImageNet, KiteNet keeps 76.1% top-1 accuracy at 90% sparsity. "
        "When pre-trained on JFT, KiteNet reaches 80.1% on CIFAR-100.",
    )
    assert of_type(found, "evaluatedOn") == {("KiteNet", "ImageNet"), ("KiteNet", "CIFAR-100")}


def test_digits_of_a_dataset_name_report_no_score() -> None:
    found = relations(
        "KiteNet",
        "We propose KiteNet, an agent for video games. KiteNet stores its frame buffer on the Atari 2600 console. "
        "KiteNet is further verified on the Places365 dataset.",
    )
    # "2600" is the console's name, not a number the sentence reports; "verified" reports an evaluation.
    assert of_type(found, "evaluatedOn") == {("KiteNet", "Places365")}


def test_a_method_listed_with_the_dataset_is_not_evaluated_on_it() -> None:
    found = relations(
        "Pedestrian Retrieval",
        "We study retrieval. Results on Market-1501 and ResNet-50 features are reported in Table 2.",
    )
    assert not of_type(found, "evaluatedOn")


def test_after_on_d_another_subject_takes_the_method_as_its_object() -> None:
    found = relations(
        "Detection Backbones",
        "To ease the ablation experiments on VOC, we adopt a pre-trained ResNet-50 as the backbone. "
        "On COCO, we compare GlideNet to SNIP.",
    )
    # The backbone "we" adopt is a tool; "we compare GlideNet" evaluates it.
    assert of_type(found, "evaluatedOn") == {("GlideNet", "COCO")}


def test_another_clause_has_its_own_subject() -> None:
    found = relations(
        "KiteNet",
        "We propose KiteNet, a pruning scheme. KiteNet is compact, while the teacher reaches 80.2% accuracy on "
        "ImageNet. KiteNet is small, whereas the teacher network is designed for image classification. "
        "KiteNet halves the parameters while keeping 76.1% accuracy on CIFAR-100.",
    )
    assert of_type(found, "evaluatedOn") == {("KiteNet", "CIFAR-100")}
    assert not of_type(found, "usedFor")


def test_a_kind_of_task_is_not_a_method_for_it() -> None:
    found = relations("Template Pooling", "We study KiteNet, a form of transfer learning that pools templates.")
    assert not of_type(found, "usedFor")


def test_for_after_a_gerund_s_object_is_that_object_s_purpose() -> None:
    found = relations(
        "Segmentation",
        "Our system is trained end-to-end with back-propagation, avoiding offline post-processing methods for "
        "semantic segmentation. We present GlideNet, a network addressing the main bottleneck for "
        "semantic segmentation.",
    )
    assert of_type(found, "usedFor") == {("GlideNet", "semantic segmentation")}


def test_based_on_a_method_named_in_brackets_before_the_cue() -> None:
    found = relations(
        "Time Series",
        "Vertical KiteNet (KiteNet-V) is a variant of KiteNet that also models temporal signals. "
        "We apply a conditional random field (CRF) on top of a BiLSTM.",
    )
    assert of_type(found, "basedOn") == {("KiteNet-V", "KiteNet")}


def test_based_on_a_y_based_noun_at_the_end_of_the_sentence() -> None:
    found = relations(
        "Traffic Models", "This paper introduces a novel transformer-based network foundation model, KiteNet."
    )
    assert of_type(found, "basedOn") == {("KiteNet", "transformer")}


def test_based_on_what_the_method_is_a_kind_of() -> None:
    found = relations(
        "Predictive Coding",
        "This study introduces KiteNet, a novel variational RNN inspired by predictive coding. "
        "The embedding module of our GlideNet is a deep CNN. "
        "The resulting model is called KCNA, a Kite Convolutional Network with Attention.",
    )
    assert of_type(found, "basedOn") == {("KiteNet", "RNN")}
