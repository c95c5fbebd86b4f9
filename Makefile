# Two entry points for a fresh machine: `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
SAMPLE := examples/daily_papers_mar12.txt

.PHONY: demo test train lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

demo: $(VENV)/.installed
	$(BIN)/kg build $(SAMPLE) --out outputs
	@echo "open outputs/graph.html in a browser; RDF, GraphML and CSV tables are beside it"

test: $(VENV)/.installed-test
	$(BIN)/ruff check kg tests benchmarks training
	$(BIN)/ruff format --check kg tests benchmarks training
	$(BIN)/python -m pytest

# Rebuild kg/data/name_types.npz and word_df.tsv from ../shared/corpus (fixed seeds: the same weights every run).
train: $(VENV)/.installed
	$(BIN)/python training/train_name_types.py --shared ../shared
	$(BIN)/python training/word_specificity.py --shared ../shared

clean:
	rm -rf $(VENV) outputs/*.ttl outputs/*.nt outputs/*.jsonld outputs/*.graphml outputs/*.gexf outputs/*.html outputs/*.csv
