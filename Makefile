# BW-assistent. `make run` and `make test` do all the set-up on a fresh machine.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.10 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MODEL := models/bw-assistent.tar.gz
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export TF_CPP_MIN_LOG_LEVEL := 3
export RASA_TELEMETRY_ENABLED := false
export PYTHONDONTWRITEBYTECODE := 1

TRAINING_INPUTS := config.yml $(filter-out knowledge/triage.yml,$(shell find data domain knowledge -name '*.yml' 2>/dev/null)) \
                   plugins/invoer.py plugins/intent_classifier.py .spacy/nl/bw_source.json

.PHONY: help run test test-fast bench drempel content validate train lint clean

help:
	@echo "make run        installeer wat ontbreekt, train als nodig, start de assistent (Ctrl-C stopt)"
	@echo "make test       installeer wat ontbreekt en draai alle tests"
	@echo "make test-fast  alleen de snelle tests (kern, inhoud, lint)"
	@echo "make content    controleer knowledge/, genereer de trainingsdata en train opnieuw"
	@echo "make bench      meet nauwkeurigheid, trainingstijd en snelheid"
	@echo "make drempel    kies de drempels van de FallbackClassifier (kruisvalidatie)"

# ------------------------------------------------------------------ set-up
$(BIN)/.installed: requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 10) else "Python 3.10 is nodig (Rasa 3.6 werkt niet op 3.11+); gevonden: " + sys.version)'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade 'pip<25' 'setuptools<70' wheel
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

.spacy/nl/bw_source.json: $(BIN)/.installed bot/spacy_model.py
	$(BIN)/python -m bot spacy-model
	touch $@  # also when unchanged, so make does not rebuild it (and retrain) on every run

# ------------------------------------------------------------------ content and training
validate: $(BIN)/.installed
	$(BIN)/python -m bot valideer
	$(BIN)/python -m bot tickets valideer

content: validate
	$(BIN)/python -m bot build
	$(MAKE) train

$(MODEL): $(TRAINING_INPUTS) | $(BIN)/.installed
	$(BIN)/python -m bot valideer
	$(BIN)/python -m bot build --check
	$(BIN)/rasa train --domain domain --data data --config config.yml --out models \
	    --fixed-model-name bw-assistent --quiet

train: $(MODEL)

# ------------------------------------------------------------------ run
run: $(MODEL)
	BW_SKIP_CHROMIUM=1 bash scripts/web_setup.sh
	$(BIN)/python scripts/serve.py

# ------------------------------------------------------------------ tests
lint: $(BIN)/.installed
	$(BIN)/ruff check bot actions plugins tests scripts
	$(BIN)/mypy bot

test-fast: $(BIN)/.installed .spacy/nl/bw_source.json lint
	$(BIN)/python -m bot valideer
	$(BIN)/python -m bot tickets valideer
	$(BIN)/python -m bot build --check
	$(BIN)/python -m pytest -q tests/core

test: test-fast $(MODEL)
	bash scripts/web_setup.sh
	$(BIN)/rasa data validate --domain domain --data data --config config.yml --fail-on-warnings
	$(BIN)/rasa test core --model $(MODEL) --stories tests/stories --out results/stories \
	    --fail-on-prediction-errors
	$(BIN)/python -m pytest -q tests/actions tests/rasa tests/channels tests/web

bench: $(MODEL)
	$(BIN)/python scripts/bench.py

# Kies de drempels van de FallbackClassifier met kruisvalidatie op de trainingsdata.
drempel: .spacy/nl/bw_source.json
	$(BIN)/python -m bot build --check  # data/nlu must match knowledge/ (else: make content)
	$(BIN)/python scripts/drempel.py

clean:
	rm -rf models results .spacy .pytest_cache
