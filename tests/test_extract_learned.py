"""The name-type model and the decisions it takes part in.

The abstracts here are written for these tests, some after the wording of
published abstracts, none copied from the corpora in ../shared; the last test
reads the real seed pages.
"""

from __future__ import annotations

import importlib.util
import json
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from kg.extract.nametype import CLASSES, features, probabilities
from kg.extract.summary import paper_summaries
from kg.ingest import read_inputs
from kg.pipeline import ExtractOptions, extract_mentions
from kg.problems import Problems
from kg.records import Paper

OPTIONS = ExtractOptions(jobs=1, progress=False)

ANTI_SPOOFING = Paper(
    id="paper:antispoofing",
    title="Learning Deep Models for Face Anti-Spoofing: Binary or Auxiliary Supervision",
    abstract=(
        "Face anti-spoofing is crucial to prevent face recognition systems from a security breach. "
        "We argue the importance of auxiliary supervision to guide the learning toward discriminative and "
        "generalizable cues. A CNN-RNN model is learned to estimate the face depth with pixel-wise supervision. "
        "Experiments on OULU-NPU show that our model achieves an APCER of 1.6% and an ACER of 1.6%."
    ),
)
GAT = Paper(
    id="paper:gat",
    title="Attention over Neighbours for Citation Graphs",
    abstract=(
        "We study node classification on citation graphs, where labels are scarce. Our attention model "
        "improves node classification accuracy on Cora, Citeseer and Pubmed, where classification of "
        "nodes uses few labels."
    ),
)
POSE = Paper(
    id="paper:pose",
    title="Self-Supervised Monocular 6D Object Pose Estimation",
    abstract=(
        "While 6D object pose estimation from a single image is a fundamental problem, learning it needs "
        "annotated real data. We propose to train a pose estimator with unannotated RGB-D data and report "
        "results on LineMOD and Occlusion."
    ),
)


def summary(paper: Paper) -> dict:
    [line] = list(paper_summaries(extract_mentions([paper], OPTIONS)))
    return json.loads(line)


def test_the_model_gives_the_same_features_and_a_distribution() -> None:
    assert features("ImageNet-22K").tolist() == features("ImageNet-22K").tolist()
    p = probabilities("top-1 accuracy")
    assert set(p) == set(CLASSES) and abs(sum(p.values()) - 1) < 1e-5
    assert max(p, key=p.get) == "Metric"
    assert max(probabilities("MiniImagenet"), key=probabilities("MiniImagenet").get) == "Dataset"
    assert max(probabilities("node classification"), key=probabilities("node classification").get) == "Task"


def test_a_metric_is_never_a_method_and_a_dataset_name_after_on_is_a_dataset() -> None:
    record = summary(ANTI_SPOOFING)
    assert "OULU-NPU" in record["datasets"]
    named = record["methods"] + record["datasets"]
    assert "APCER" not in named and "ACER" not in named


def test_a_paper_that_says_node_classification_is_not_about_classification() -> None:
    record = summary(GAT)
    assert "node classification" in record["tasks"]
    assert "classification" not in [t.lower() for t in record["tasks"]]
    assert {"Cora", "Citeseer", "Pubmed"} <= set(record["datasets"])


def test_a_title_is_not_a_task_unless_the_abstract_names_it() -> None:
    tasks = [t.lower() for t in summary(POSE)["tasks"]]
    assert "self-supervised monocular 6d object pose estimation" not in tasks
    assert not any(t.startswith("self-supervised") for t in tasks)


@pytest.fixture(scope="module")
def seed_records(seeds_dir: Path) -> list[dict]:
    papers = read_inputs([seeds_dir], Problems(stream=None))
    wanted = [p for p in papers if "node classification" in p.abstract.lower()]
    return [json.loads(line) for line in paper_summaries(extract_mentions(wanted, OPTIONS))]


def test_seed_papers_on_node_classification_get_the_specific_task(seed_records: list[dict]) -> None:
    assert len(seed_records) >= 5
    for record in seed_records:
        tasks = [t.lower() for t in record["tasks"]]
        assert "classification" not in tasks, record["title"]


MEMORY_NETWORKS = Paper(
    id="paper:routing",
    title="End-To-End Routing Memory Networks",
    abstract=(
        "We introduce a recurrent controller that reads from a large external memory through learned "
        "routing. Unlike earlier memory models, it is trained end to end with little supervision. On "
        "language modeling it matches LSTM baselines on the Penn TreeBank and Text8 datasets."
    ),
)
SWIN = Paper(
    id="paper:swin",
    title="Learning Embeddings for Face Verification",
    abstract=(
        "With ImageNet-22K pre-training, the backbone reaches 87.1% top-1 accuracy. We then train a "
        "triplet network with the triplet loss and spectral normalization, and evaluate on the WMT 2014 "
        "and WIDER FACE benchmarks."
    ),
)


def test_a_title_that_opens_with_a_method_name_proposes_it_and_datasets_keep_their_whole_name() -> None:
    record = summary(MEMORY_NETWORKS)
    assert record["proposed"] == ["End-To-End Routing Memory Networks"]
    assert "Penn TreeBank" in record["datasets"] and "Text8" in record["datasets"]


def test_lowercase_techniques_are_methods_and_names_keep_their_pieces() -> None:
    record = summary(SWIN)
    assert "ImageNet-22K" in record["datasets"]
    assert not any(m.startswith("ImageNet") for m in record["methods"])
    assert "spectral normalization" in record["methods"]
    assert {"WMT 2014", "WIDER FACE"} <= set(record["datasets"])


VARIANTS = Paper(
    id="paper:variants",
    title="Repulsive Training for Detectors and Generators",
    abstract=(
        "Two-stage detectors such as Fast R-CNN and segmenters such as the 3D U-Net share one weakness. "
        "We train an MMD-GAN with a repulsive loss and compare it with variational Bayes RNNs. "
        "On the English-to-German WMT 2014 task our Scale-Aware Fast R-CNN variant keeps its accuracy."
    ),
)


def test_a_listed_name_takes_the_words_that_make_it_a_variant() -> None:
    record = summary(VARIANTS)
    assert {"Fast R-CNN", "3D U-Net", "MMD-GAN"} <= set(record["methods"])
    assert not {"R-CNN", "U-Net", "GAN"} & set(record["methods"])
    # A word that ends a compound qualifies nothing on its own: "variational Bayes", "English-to-German".
    assert not any("Bayes" in m or "Aware" in m for m in record["methods"])
    assert "WMT 2014" in record["datasets"] and not any("German" in d for d in record["datasets"])


DESCRIBED = Paper(
    id="paper:described",
    title="Stable Training of Generators",
    abstract=(
        "We propose a spectral weight normalization that keeps the discriminator smooth. "
        "We also introduce a novel method-of-moments estimator, and we propose a graph embedding technique."
    ),
)
DESCRIBED_AND_NAMED = Paper(
    id="paper:described-and-named",
    title="Stable Training of Generators",
    abstract=(
        "This paper introduces an end-to-end residual network for generators. "
        "We present a new selection mechanism, called FiT, built on the celebrated residual network."
    ),
)


def test_a_contribution_described_by_its_kind_is_proposed_when_the_paper_names_none() -> None:
    record = summary(DESCRIBED)
    assert {"spectral weight normalization", "method-of-moments estimator"} <= set(record["proposed"])
    # A category word says what kind of thing it is, not its name.
    assert "graph embedding technique" not in record["methods"]
    record = summary(DESCRIBED_AND_NAMED)
    # The paper names its contribution, so the descriptions are no names.
    assert record["proposed"] == ["FiT"]
    assert "residual network" in record["methods"] and "selection mechanism" not in record["methods"]


SHOUTED = Paper(
    id="paper:shouted",
    title="SHARING INPUT AND OUTPUT EMBEDDINGS WITH A NEW LOSS FOR LANGUAGE MODELS",
    abstract=(
        "Language models predict the next word from the words before it. "
        "We train an LSTM with the new loss on the Penn Treebank and report perplexity."
    ),
)


def test_a_title_in_capitals_names_nothing_by_its_capitals() -> None:
    record = summary(SHOUTED)
    assert "LSTM" in record["methods"] and "Penn Treebank" in record["datasets"]
    assert not any(m.isupper() and " " not in m and m != "LSTM" for m in record["methods"])
    assert record["proposed"] == []


EVALUATED = Paper(
    id="paper:evaluated",
    title="Scale-Aware Pedestrian Detection",
    abstract=(
        "Our detector gives the best results on Caltech, INRIA, and ETH. "
        "It also ranks first on the WIDER FACE validation dataset. "
        "We support our conclusions with experiments on RoBERTa, BART-Large, LLaMA-2, and ViTs."
    ),
)


def test_names_listed_after_results_on_are_datasets_unless_the_list_holds_models() -> None:
    record = summary(EVALUATED)
    assert {"Caltech", "INRIA", "ETH", "WIDER FACE"} <= set(record["datasets"])
    assert not {"RoBERTa", "BART-Large", "LLaMA-2"} & set(record["datasets"])


TASKS = Paper(
    id="paper:tasks",
    title="One Encoder for Many Language Tasks",
    abstract=(
        "We study grammatical error correction and relation extraction with one encoder. "
        "The same encoder gives strong MS COCO object detection results and improves POS tagging."
    ),
)


def test_task_words_of_many_task_names_and_a_dataset_before_a_task_is_cut_off() -> None:
    record = summary(TASKS)
    assert {"grammatical error correction", "relation extraction", "object detection", "POS tagging"} <= set(
        record["tasks"]
    )
    assert "MS COCO" in record["datasets"] and not any("COCO" in task for task in record["tasks"])


SIZES = Paper(
    id="paper:sizes",
    title="FlexiBERT: Heterogeneous Transformer Architectures",
    abstract=(
        "We introduce the Reversible Column Network (RevCol), a backbone of reversible columns. "
        "Our RevCol-H reaches 90.0% top-1 accuracy on ImageNet-1K, and FlexiBERT-Mini outperforms BERT-Mini "
        "on GLUE."
    ),
)


def test_a_model_size_is_a_variant_of_its_own() -> None:
    record = summary(SIZES)
    assert {"RevCol-H", "FlexiBERT-Mini"} <= set(record["methods"])
    assert "FlexiBERT" in record["proposed"]


COINED_TITLE = Paper(
    id="paper:coined",
    title="DeepFlux for Skeletons in the Wild",
    abstract="Computing object skeletons in natural images is hard. We learn a flux field that runs fast.",
)
APPLIED_TITLE = Paper(
    id="paper:applied",
    title="BERT for Joint Intent Classification and Slot Filling",
    abstract="Intent classification and slot filling are two tasks of language understanding.",
)


def test_a_coined_word_opening_the_title_is_the_paper_s_method_and_a_listed_one_is_not() -> None:
    assert summary(COINED_TITLE)["proposed"] == ["DeepFlux"]
    assert summary(APPLIED_TITLE)["proposed"] == []


CALLED = Paper(
    id="paper:called",
    title="Regularising Fine-Grained Classifiers",
    abstract=(
        "We train image classifiers at scale. Our procedure, called Pairwise Confusion (PC), "
        "reduces overfitting by confusing the network."
    ),
)


def test_a_name_the_authors_give_is_not_vetoed_as_a_metric() -> None:
    assert summary(CALLED)["proposed"] == ["Pairwise Confusion (PC)"]


KIND_OF_LISTED = Paper(
    id="paper:kind-of-listed",
    title="Multilingual Tagging",
    abstract="Bidirectional long short-term memory (bi-LSTM) networks tag words in many languages.",
)


def test_an_acronym_whose_expansion_ends_in_a_listed_method_is_a_method() -> None:
    assert "Bidirectional long short-term memory (bi-LSTM)" in summary(KIND_OF_LISTED)["methods"]


NAMED_IN_QUOTES = Paper(
    id="paper:quotes",
    title="A Large-Scale Car Dataset for Fine-Grained Categorization",
    abstract=(
        "We present our effort in collecting a large-scale dataset, \u201cCompCars\u201d, that covers car views. "
        "We fine-tune each layer with a small LoRA-rank and compare with ResNet-152."
    ),
)


def test_a_name_in_quotes_after_a_cue_is_a_dataset_and_a_lowercase_piece_makes_no_variant() -> None:
    record = summary(NAMED_IN_QUOTES)
    assert "CompCars" in record["datasets"] and "CompCars" not in record["methods"]
    assert "LoRA" in record["methods"] and "ResNet-152" in record["methods"]
    assert not any("rank" in m for m in record["methods"])


SPECIFIC_TASK = Paper(
    id="paper:specific-task",
    title="Ensembles for Infant Brain Images",
    abstract="We study infant brain MRI segmentation with ensembles, as segmentation of such images is hard.",
)


def test_a_bare_task_word_is_the_specific_phrase() -> None:
    assert "segmentation" not in summary(SPECIFIC_TASK)["tasks"]


KIND_SUFFIX = Paper(
    id="paper:kind-suffix",
    title="Reduced Precision Training on Microcontrollers",
    abstract="We optimise training primitives on MCU-class devices and on medical-grade sensors.",
)


def test_a_kind_suffix_is_not_part_of_a_name() -> None:
    record = summary(KIND_SUFFIX)
    assert not any("-class" in name or "-grade" in name for name in record["datasets"] + record["methods"])


WE_CALL = Paper(
    id="paper:we-call",
    title="Sparse Lookups for Neural Memories",
    abstract=(
        "Memory networks read every slot at each step. We present a memory access scheme, which we call "
        "Sparse Slot Access (SSA), that touches a handful of slots. Unlike the earlier NeuroStore approach, "
        "SSA scales to long sequences, and NeuroStore does not."
    ),
)
OUR_NAME = Paper(
    id="paper:our-name",
    title="Flow Estimation with Stacked Pyramids",
    abstract=(
        "We compute flow with one small network per pyramid level. Unlike the earlier DeepWarp approach, "
        "our Stacked Pyramid Flow Network (SPFN) is much smaller than DeepWarp."
    ),
)


def test_a_name_the_authors_call_or_write_as_ours_is_proposed() -> None:
    # Without these, the coined name used twice (a baseline here) would be taken for the paper's own.
    assert summary(WE_CALL)["proposed"] == ["Sparse Slot Access (SSA)"]
    assert summary(OUR_NAME)["proposed"] == ["Stacked Pyramid Flow Network (SPFN)"]


NAMED_VARIANT = Paper(
    id="paper:named-variant",
    title="Finding Cars Fast",
    abstract=(
        "We propose a car detector built on region networks, named Car R-DCN. Based on Region-based Dilated "
        "Convolution Networks (R-DCN), the detector is fast, and Car R-DCN beats earlier detectors."
    ),
)


def test_a_variant_of_a_defined_acronym_is_a_method_whatever_its_letters_look_like() -> None:
    # The name-type model reads "R-DCN"-like letters as a metric; built on a defined method, it is a method.
    record = summary(NAMED_VARIANT)
    assert record["proposed"] == ["Car R-DCN"]
    assert "Region-based Dilated Convolution Networks (R-DCN)" in record["methods"]


TASK_CUES = Paper(
    id="paper:task-cues",
    title="One Model, Many Problems",
    abstract=(
        "We study the problem of crowd counting and report gains on the shelf inspection task and on tasks "
        "such as summarization and legal search. Results on vision tasks and graph learning tasks follow, "
        "and on two more tasks, i.e., music tagging and lane marking."
    ),
)


def test_a_phrase_the_sentence_calls_a_task_is_one_but_a_kind_of_tasks_is_not() -> None:
    tasks = set(summary(TASK_CUES)["tasks"])
    assert {"crowd counting", "shelf inspection", "summarization", "music tagging", "lane marking"} <= tasks
    assert not tasks & {"vision", "graph learning", "legal search"}


LISTED_TAIL = Paper(
    id="paper:listed-tail",
    title="Ranking Product Reviews with Convolutional Neural Networks",
    abstract="We rank product reviews by helpfulness with convolutional neural networks (CNNs) over word windows.",
)


def test_a_listed_method_at_the_end_of_the_title_is_used_not_proposed() -> None:
    record = summary(LISTED_TAIL)
    assert record["proposed"] == [] and "convolutional neural networks (CNNs)" in record["methods"]


COMPONENTS = Paper(
    id="paper:components",
    title="Sharper Features for Scene Parsing",
    abstract=(
        "We design a Channel Gating Block that reweights features, and train the sampler with the "
        "reparameterization trick instead of the straight-through estimator."
    ),
)


def test_blocks_cells_and_tricks_are_methods() -> None:
    assert {"Channel Gating Block", "reparameterization trick"} <= set(summary(COMPONENTS)["methods"])


def _titled(title: str) -> Paper:
    return Paper(id="paper:titled", title=title, abstract="We study tabular data and report results on five tables.")


def test_a_title_opening_with_a_specific_model_of_a_family_proposes_it_and_the_family_is_not() -> None:
    assert summary(_titled("Lattice Mixture Neural Networks for Tabular Data"))["proposed"] == [
        "Lattice Mixture Neural Networks"
    ]
    assert summary(_titled("Deep Graph Neural Networks for Tabular Data"))["proposed"] == []
    assert summary(_titled("Scaling Memory-Augmented Neural Networks to Tabular Data"))["proposed"] == []


def test_a_specific_model_of_a_family_at_the_end_of_the_title_is_proposed() -> None:
    assert summary(_titled("Tabular Learning with Column Routing Hypernetworks"))["proposed"] == [
        "Column Routing Hypernetworks"
    ]
    assert summary(_titled("Tabular Learning with Deep Hypernetworks"))["proposed"] == []


def test_a_cue_in_the_title_names_no_dataset_by_a_capital_alone_and_a_kind_of_model_is_no_data() -> None:
    assert summary(_titled("A Benchmark Study of Tabular Models"))["datasets"] == []
    record = summary(
        Paper(id="paper:isa", title="Fast Kernels", abstract="We build on advances in PULP-V8 architectures.")
    )
    assert record["datasets"] == []


def test_a_lone_word_such_as_learning_after_for_in_the_title_is_no_task() -> None:
    paper = Paper(
        id="paper:lone",
        title="Mixtures of Supernets for Learning the Pooling Layer",
        abstract="Learning the pooling layer is hard. We train a mixture of supernets and rank pooling layers.",
    )
    assert summary(paper)["tasks"] == []


def test_the_task_of_doing_something_is_a_task() -> None:
    paper = Paper(
        id="paper:gerund-task",
        title="Parsing with Small Networks",
        abstract="We consider the task of parsing long sentences with two-layer networks and bound its sample cost.",
    )
    assert summary(paper)["tasks"] == ["parsing long sentences"]


def test_the_subject_of_is_a_problem_is_a_task() -> None:
    paper = Paper(
        id="paper:subject-task",
        title="Counting Fish in Murky Water",
        abstract="Counting fish schools is a hard and open problem. We train a small detector for it.",
    )
    assert summary(paper)["tasks"] == ["Counting fish schools"]


def test_a_variant_of_a_listed_dataset_is_a_dataset() -> None:
    paper = Paper(
        id="paper:dataset-variant",
        title="Cells for Small Images",
        abstract="Our cell reaches 2.1% error on CIFAR-10 and 5.6% error on the newer CIFAR-10.2 test set.",
    )
    record = summary(paper)
    assert "CIFAR-10.2" in record["datasets"] and "CIFAR-10.2" not in record["methods"]


def test_a_title_head_with_a_verb_the_tagger_reads_as_a_plural_names_nothing() -> None:
    paper = Paper(
        id="paper:meets",
        title="Decoder Meets Equilibrium View: A Warm Start for Diffusion",
        abstract="Diffusion samplers restart from noise. We propose WarmDiff, which restarts from the last sample.",
    )
    assert summary(paper)["proposed"] == ["WarmDiff"]


def test_a_task_cue_gives_the_task_without_the_dataset_in_front() -> None:
    paper = Paper(
        id="paper:task-after-data",
        title="Kernels for Shelves",
        abstract="We report gains on the COCO shelf inspection task with a small kernel.",
    )
    assert summary(paper)["tasks"] == ["shelf inspection"]


def test_what_a_model_is_for_is_a_task_when_it_names_an_activity_in_several_words() -> None:
    paper = Paper(
        id="paper:purpose",
        title="Small Networks at the Edge",
        abstract="We design a network for pallet damage inspection and a second model for prediction.",
    )
    assert summary(paper)["tasks"] == ["pallet damage inspection"]


def test_a_name_after_parts_in_it_is_a_model_not_data() -> None:
    paper = Paper(
        id="paper:parts-in",
        title="Scaling a Segmenter",
        abstract="Our network is based on the nnSeg framework. We refine the default convolutional blocks in nnSeg.",
    )
    [(_, mentions)] = list(extract_mentions([paper], OPTIONS))
    assert {m.type.value for m in mentions if m.text == "nnSeg"} == {"Method"}
    data = Paper(id="paper:task-in", title="Spoof Checks", abstract="We report the best spoof detection in OULU-NPU.")
    assert "OULU-NPU" in summary(data)["datasets"]  # a task "in" a name is evaluated on it


def test_a_name_in_apposition_to_our_approach_is_the_papers_own() -> None:
    paper = Paper(
        id="paper:apposition",
        title="Learning over Weight Spaces",
        abstract=(
            "Many tasks treat trained networks as inputs. Our approach, Weight Graph Encoders (WGEs), "
            "processes the weights as graphs and generalises across architectures."
        ),
    )
    assert summary(paper)["proposed"] == ["Weight Graph Encoders (WGEs)"]


def test_a_lone_plural_after_an_introducing_verb_is_no_contribution() -> None:
    paper = Paper(
        id="paper:lone-plural",
        title="Reading Networks as Data",
        abstract="We carefully build graphs from the layers of each network and classify them with a GNN.",
    )
    assert summary(paper)["proposed"] == []
    named = Paper(id="paper:coined", title="Walks on Graphs", abstract="Here we propose walk2vec, a node embedding.")
    assert summary(named)["proposed"] == ["walk2vec"]  # the tagger reads a coined name as a plural


def test_a_participle_glued_into_a_title_name_keeps_the_name() -> None:
    paper = Paper(
        id="paper:glued-participle",
        title="Curvature-Guided Sampling: Faster Dataset Distillation for Small Images",
        abstract="We distil large image collections into a few synthetic images with a curvature-based sampler.",
    )
    found = summary(paper)
    assert found["proposed"] == ["Curvature-Guided Sampling"]
    assert found["datasets"] == []  # "Dataset Distillation" is a task, not a dataset paper


def test_a_verb_on_a_method_after_a_preposition_is_no_technique() -> None:
    paper = Paper(
        id="paper:verb-on-method",
        title="Fast Training of Sequence Models",
        abstract="We give a recipe for training sparse transformers on long sequences.",
    )
    assert "training sparse transformers" not in summary(paper)["methods"]


def test_a_title_that_opens_with_what_is_done_to_a_method_names_none() -> None:
    done = Paper(
        id="paper:title-verb",
        title="Scaling Sparse Mixture Layers for Cheaper Inference",
        abstract="Sparse layers cut inference cost. We scale them to larger models and measure the speed.",
    )
    assert summary(done)["proposed"] == []
    of = Paper(
        id="paper:title-of",
        title="Adaptive Regularization of Feature Norms in Deep Q-Learning",
        abstract="Feature norms grow during training. We bound them with a penalty tied to the Bellman error.",
    )
    assert summary(of)["proposed"] == []
    named = Paper(
        id="paper:title-name",
        title="Gated Mixture Networks for Cheaper Inference",
        abstract="We route tokens to a few experts and measure the speed.",
    )
    assert summary(named)["proposed"] == ["Gated Mixture Networks"]


def test_a_title_that_is_one_noun_phrase_taken_up_again_names_the_method() -> None:
    paper = Paper(
        id="paper:whole-title",
        title="Sparse Channel Routing",
        abstract="Convolutional layers mix every channel. Our sparse channel routing sends each one to a few filters.",
    )
    assert summary(paper)["proposed"] == ["Sparse Channel Routing"]
    once = Paper(id="paper:whole-title-once", title="Sparse Channel Routing", abstract="Layers mix every channel.")
    assert summary(once)["proposed"] == []


def test_a_task_said_more_specifically_than_its_list_entry_is_kept_whole() -> None:
    paper = Paper(
        id="paper:specific-task",
        title="Kernel Critics for GAN Training",
        abstract="We apply the critic to the unsupervised image generation tasks on two benchmarks.",
    )
    assert summary(paper)["tasks"] == ["unsupervised image generation"]
    activity = Paper(
        id="paper:activity-on-task",
        title="Reading Between Sentences",
        abstract="We study modeling natural language inference tasks with small encoders.",
    )
    assert summary(activity)["tasks"] == ["natural language inference"]


def test_an_acronym_defined_twice_keeps_its_tightest_expansion() -> None:
    paper = Paper(
        id="paper:twice-defined",
        title="Sparse Attention Routing Networks For Long Document Understanding (SARN)",
        abstract="We propose a model named Sparse Attention Routing Network (SARN). SARN reads long documents.",
    )
    assert summary(paper)["proposed"] == ["Sparse Attention Routing Network (SARN)"]


def test_a_task_after_for_is_named_without_the_words_that_praise_it() -> None:
    paper = Paper(
        id="paper:praised-task",
        title="Sparse Routing for Efficient Image Recognition",
        abstract="Image recognition needs large models. We route features through few experts.",
    )
    assert summary(paper)["tasks"] == ["Image Recognition"]
    body = Paper(
        id="paper:praised-purpose",
        title="Echo Removal",
        abstract="We design a network for robust acoustic echo cancellation on phones.",
    )
    assert summary(body)["tasks"] == ["acoustic echo cancellation"]


def test_a_name_described_as_data_in_apposition_is_a_dataset() -> None:
    built = Paper(
        id="paper:apposed-data",
        title="Learning over Linked Tables",
        abstract="We develop TabLinks, a set of benchmark datasets, and train graph models on it.",
    )
    assert summary(built)["datasets"] == ["TabLinks"]
    titled = Paper(
        id="paper:apposed-title",
        title="PrefPairs: Preferences for Multimodal Assistants",
        abstract="We introduce PrefPairs, a dataset containing 90k ranked answer pairs.",
    )
    found = summary(titled)
    assert (found["datasets"], found["proposed"]) == (["PrefPairs"], [])
    study = Paper(id="paper:study", title="Routing", abstract="We present RouteNet, a benchmark study of routers.")
    assert summary(study)["datasets"] == []


def test_make_train_rebuilds_the_shipped_name_type_weights(tmp_path: Path) -> None:
    """The model learns from kg's own noun phrases, so a change to the chunker or its word lists
    changes what it is trained on: the shipped weights must be what ``make train`` writes today."""
    root = Path(__file__).resolve().parents[1]
    spec = importlib.util.spec_from_file_location("train_name_types", root / "training" / "train_name_types.py")
    assert spec is not None and spec.loader is not None
    trainer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(trainer)
    out = tmp_path / "name_types.npz"
    assert trainer.main(["--shared", str(root.parent / "shared"), "--out", str(out)]) == 0
    with resources.files("kg").joinpath("data", "name_types.npz").open("rb") as handle:
        shipped = np.load(handle)
        rebuilt = np.load(out)
        # Float sums may round differently on another CPU: the same features but for a few at the
        # cut-off, the same weights to a tolerance. A changed chunker moves hundreds of features.
        common, here, there = np.intersect1d(rebuilt["slots"], shipped["slots"], return_indices=True)
        assert len(rebuilt["slots"]) + len(shipped["slots"]) - 2 * len(common) <= 10
        assert np.allclose(rebuilt["weights"][here], shipped["weights"][there], atol=0.01)
        assert np.allclose(rebuilt["bias"], shipped["bias"], atol=0.01)


def test_a_name_in_apposition_to_what_the_authors_describe_is_theirs() -> None:
    paper = Paper(
        id="paper:described-then-named",
        title="Local Attention at Scale",
        abstract=(
            "We develop a new family of parameter-efficient local attention models, HaloNets, which "
            "reach strong accuracy. Earlier work studied global attention, the Transformer, at length."
        ),
    )
    assert summary(paper)["proposed"] == ["HaloNets"]
