# vanban workflow. `make demo` and `make test` do all set-up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
OUT := out
SAMPLES := $(sort $(wildcard samples/*.txt samples/*.docx samples/*.pdf))
# The shared corpus sits next to the repository (../shared/corpus), also on a CI clone.
CORPUS ?= ../shared/corpus

.PHONY: setup demo test lint format bench eval train constraints clean fuzz

ANNOTATION_FILES := $(shell find annotations -name '*.json' -o -name '*.txt' | sort)
CLASSIFY_CODE := $(wildcard extractor/classify/*.py)

# The venv is rebuilt only when the declared dependencies change.
$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[dev]"
	touch $(STAMP)

setup: $(STAMP)

demo: setup
	@mkdir -p $(OUT)/read
	@for f in $(SAMPLES); do \
	  name=$$(basename $$f); \
	  $(BIN)/vanban read --json $$f > $(OUT)/read/$$name.json || exit 1; \
	done
	$(BIN)/vanban extract $(SAMPLES) -o $(OUT)/records.jsonl --show $(OUT)/records.html
	$(BIN)/python scripts/summarize.py $(OUT)/records.jsonl
	@echo
	@echo "Records (JSON Lines):              $(OUT)/records.jsonl"
	@echo "Values highlighted in the text:    $(OUT)/records.html"
	@echo "Zones and section trees:           $(OUT)/read/*.json  (try: $(BIN)/vanban read samples/002_7956c4d43d58e490.pdf)"
	$(BIN)/vanban diff samples/001_533e6cb4db5af385.txt samples/000_df7a9d44ea93c9c4.txt -o $(OUT)/diff.html
	@echo "Adaptation diff (province → district): $(OUT)/diff.html"
	@if [ -d $(CORPUS) ]; then \
	  $(BIN)/vanban lineage samples $(CORPUS) --include '*.txt' -o $(OUT)/lineage.html || exit 1; \
	else \
	  echo "lineage: no corpus at $(CORPUS); the graph covers samples/ only"; \
	  $(BIN)/vanban lineage samples --include '*.txt' -o $(OUT)/lineage.html || exit 1; \
	fi
	@echo "Citation graph and campaigns:      $(OUT)/lineage.html  (diffs of each child: $(OUT)/lineage_diffs/)"

lint: setup
	$(BIN)/ruff check extractor tests scripts benchmarks fuzz
	$(BIN)/ruff format --check extractor tests scripts benchmarks fuzz
	$(BIN)/mypy extractor

format: setup
	$(BIN)/ruff check --fix extractor tests scripts benchmarks fuzz
	$(BIN)/ruff format extractor tests scripts benchmarks fuzz

test: lint
	bash scripts/ensure_chromium.sh  # Debian's chromium for the HTML report's browser tests
	$(BIN)/pytest -q

# Coverage-guided fuzzing (atheris) of extract (bytes, text) and each reader
# (txt, docx, pdf), FUZZ_SECONDS in all, shared between the five targets. A
# crash (an exception that is no VanbanError) or a hang (one input past
# FUZZ_TIMEOUT s) fails the run; the input is kept in out/fuzz/crashes/.
FUZZ_SECONDS ?= 600
FUZZ_TIMEOUT ?= 30
fuzz: setup
	$(BIN)/python -m fuzz.run --seconds $(FUZZ_SECONDS) --timeout $(FUZZ_TIMEOUT)

bench: setup
	$(BIN)/python benchmarks/bench.py
	$(BIN)/python benchmarks/bench_batch.py
	$(BIN)/python benchmarks/bench_diff.py

# Rebuild models/ from annotations/ (deterministic; the card records the data hash).
train: setup models/.trained

models/.trained: $(ANNOTATION_FILES) $(CLASSIFY_CODE) extractor/structure/*.py
	$(BIN)/python -m extractor.classify.train
	touch $@

# Per-field scores on the fixed dev split (annotations/split.json), and the
# line-role classifier against the rules on the same split (from its card).
eval: setup
	$(BIN)/python -m extractor.evaluate --split dev
	@echo "Test split (annotated from the text after the rules were written; out of training):"
	$(BIN)/python -m extractor.evaluate --split test
	@for card in models/*/card.json; do \
	  $(BIN)/python -c "import json,sys; c=json.load(open(sys.argv[1])); m=c['dev_metrics']; print(c['task'], '(dev): rules', m['rules'], '| model', m['model'])" $$card; \
	done

constraints: setup
	{ head -n 2 constraints.txt; $(BIN)/python -m pip freeze --exclude-editable; } > constraints.new
	mv constraints.new constraints.txt

clean:
	rm -rf $(OUT) .mypy_cache .ruff_cache
