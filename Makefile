# `make test` is the one command CI runs (.ci/run) and the README gives.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: test lint demo install record record-local record-provider clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Offline: cassettes replay only, any other network access fails the test.
test: $(STAMP)
	$(BIN)/python -m pytest --record-mode=none --block-network $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check minerals_summ tests
	$(BIN)/ruff format --check minerals_summ tests
	$(BIN)/mypy

# The main job, offline: the seed article, answered from its recorded cassette.
demo: $(STAMP)
	$(BIN)/minerals-summ summarise seeds/us-pakistan-critical-minerals.txt --published 2025-09-09 --replay --format table

# Re-record the reference cassettes (answers written by hand, served over loopback HTTP).
record: $(STAMP)
	$(BIN)/python -m pytest tests/test_cassettes.py --record-mode=rewrite -p no:cacheprovider -q

# Re-record the real SmolLM2-135M cassettes: builds llama-cpp-python once (about 6 minutes),
# starts its OpenAI-compatible server on loopback, records through it.
LOCAL_URL := http://127.0.0.1:$${LOCAL_MODEL_PORT:-8081}/v1
record-local: $(STAMP)
	scripts/local-model.sh setup
	scripts/local-model.sh start
	MINERALS_SUMM_LOCAL_URL=$(LOCAL_URL) $(BIN)/python -m pytest tests/test_local_model.py -k smollm2 \
		--record-mode=rewrite -p no:cacheprovider -q

# Re-record against a provider (needs OPENAI_API_KEY; MINERALS_SUMM_MODEL picks the model).
record-provider: $(STAMP)
	$(BIN)/python -m pytest tests/test_local_model.py -k provider --record-mode=rewrite \
		-p no:cacheprovider -q

clean:
	rm -rf $(VENV) build dist *.egg-info
