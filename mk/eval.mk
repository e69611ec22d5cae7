# eval.mk - `make eval`: how often kb search finds the right document, side by side with
# plain FTS5 unicode61 and grep -F, on the seed note and the corpora in ../shared/corpora.
# Not part of `make check` (it needs the corpora). See tests/eval/README.md.
#
#   make eval                      every corpus present; tables on stdout
#   make eval MISSES=1             ... and every query kb does not rank first
#   make eval EVAL_ONLY='seed tldr'  only these (seed tldr k8s-docs tidb-docs-cn)
#   make eval-misses               kb's misses of the last run, without running again
#
# Indexes are cached in $(BUILD)/eval/ and rebuilt when older than kb or their corpus;
# per-query results go to $(BUILD)/eval/NAME.results.

EVAL_CORPORA ?= ../shared/corpora
EVAL_REPEAT  ?= 3
EVAL_ONLY    ?=
MISSES       ?=
EVAL_DIR     := $(BUILD)/eval

.PHONY: eval eval-misses
eval: $(BUILD)/kb $(EVAL_DIR)/runq
	@KB=$(BUILD)/kb RUNQ=$(EVAL_DIR)/runq OUT=$(EVAL_DIR) CORPORA='$(EVAL_CORPORA)' \
	  REPEAT='$(EVAL_REPEAT)' ONLY='$(EVAL_ONLY)' MISSES='$(MISSES)' sh tests/eval/run.sh

eval-misses:
	@sh tests/eval/report.sh $(EVAL_DIR) --misses

$(EVAL_DIR)/runq: tests/eval/runq.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -D_XOPEN_SOURCE=700 -D_DEFAULT_SOURCE $(WARN) -O2 -o $@ $<
