"""Repositories and URLs: damaged links from real abstracts come out clean."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.extract.links import clean_url, find_links, repo_name
from kg.ingest import read_inputs
from kg.problems import Problems

DATA = Path(__file__).parent / "data"


def expected_repos() -> set[str]:
    lines = (DATA / "seed_repos.txt").read_text().splitlines()
    return {line for line in lines if line and not line.startswith("#")}


def test_exact_repository_set_of_the_seed_pages(seeds_dir: Path) -> None:
    papers = read_inputs([seeds_dir], Problems(stream=None))
    found = {repo_name(url) for p in papers for _, _, url in find_links(p.text)} - {None}
    assert found == expected_repos()


@pytest.mark.parametrize(
    "text,repo",
    [
        ("Code: https://github.com/GraphPKU/NeuralCommonNeighbor.", "GraphPKU/NeuralCommonNeighbor"),
        ("at https://github.com/THU-DA-6D-Pose-Group/self6dpp.git.", "THU-DA-6D-Pose-Group/self6dpp"),
        ("(https://github.com/facebookresearch/mowst-gnn).", "facebookresearch/mowst-gnn"),
        ("https://github.com/masa-ue/SVDD{https://github.com/masa-ue/SVDD}.", "masa-ue/SVDD"),
        (
            "code: https: //github.com/Graph-COM/Neighborhood-Aware-Temporal-Network.",
            "Graph-COM/Neighborhood-Aware-Temporal-Network",
        ),
        ("see github.com/IBM/EvolveGCN/tree/main for code", "IBM/EvolveGCN"),
    ],
)
def test_damaged_repository_links(text: str, repo: str) -> None:
    urls = [url for _, _, url in find_links(text)]
    assert urls and all(repo_name(u) == repo for u in urls)


def test_doubled_url_gives_two_clean_links() -> None:
    text = "https://github.com/AngusDujw/Diversity-Driven-Synthesis.https://github.com/AngusDujw/Diversity-Driven-Synthesis."
    assert [url for _, _, url in find_links(text)] == ["https://github.com/AngusDujw/Diversity-Driven-Synthesis"] * 2


@pytest.mark.parametrize(
    "url",
    ["https://yufu-wang.github.io/refit_humans/", "http://optigrasp.github.io", "https://github.com/orgs"],
)
def test_project_pages_are_not_repositories(url: str) -> None:
    assert repo_name(url) is None


@pytest.mark.parametrize(
    "raw,clean",
    [
        ("https://seas.upenn.edu/~nkolot/projects/spin.", "https://seas.upenn.edu/~nkolot/projects/spin"),
        ("www.pengxi.me.", "www.pengxi.me"),
        ("https://en.wikipedia.org/wiki/Adam_(optimizer))", "https://en.wikipedia.org/wiki/Adam_(optimizer)"),
    ],
)
def test_trailing_punctuation(raw: str, clean: str) -> None:
    assert clean_url(raw) == clean


def test_latex_braces_and_tilde_are_not_part_of_urls() -> None:
    text = "available~https://anonymous.4open.science/r/BIB-ICLR2023-Submission/README.md{here.}"
    assert [url for _, _, url in find_links(text)] == [
        "https://anonymous.4open.science/r/BIB-ICLR2023-Submission/README.md"
    ]


def test_offsets_point_at_the_link() -> None:
    text = "Our code is at https://github.com/sidak/otfusion."
    ((start, end, _),) = find_links(text)
    assert text[start:end] == "https://github.com/sidak/otfusion"
