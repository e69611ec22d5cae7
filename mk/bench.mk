# bench.mk - make bench: kb against its speed and memory targets (bench/README.md).
#   make bench                          1k, 10k and 100k entries; writes bench/RESULTS.md
#   make bench BENCH_SIZES=1k,10k       a subset (results stay in $(BENCH_DIR)/RESULTS.md)
#   make bench-profile                  callgrind profiles of the slow paths ($(BENCH_DIR)/profile)
# Corpora are generated from $(BENCH_CORPORA) into $(BENCH_DIR) (under the git-ignored build
# directory), once per size and seed; nothing generated enters the repository.
# Benchmarks are not tests: make check never runs any of this.
BENCH_SIZES   ?= 1k,10k,100k
BENCH_SEED    ?= 20240601
BENCH_CORPORA ?= ../shared/corpora
BENCH_DIR     ?= $(BUILD)/bench
# Optional, for make bench-profile: an SQLite 3.40 amalgamation (sqlite3.c) to build a
# libsqlite3 with symbols, so that profiles name FTS5's internal functions.
BENCH_SQLITE_SRC ?=
# Another command for the browser's first screen (sh -c, with KB, DB and NOTES set); empty:
# bench/run.sh times kb's own headless mode.
BENCH_BROWSER_CMD ?=
BENCH_DEBS    := ripgrep sqlite3

BENCH_TOOLS := $(BENCH_DIR)/kbgen $(BENCH_DIR)/kbbench $(BENCH_DIR)/kbtok.so $(BENCH_DIR)/kbevict

.PHONY: bench bench-tools bench-deps bench-profile
bench: export BENCH_BROWSER_CMD := $(BENCH_BROWSER_CMD)
bench: bench-tools
	BENCH_SIZES='$(BENCH_SIZES)' BENCH_SEED='$(BENCH_SEED)' BENCH_CORPORA='$(BENCH_CORPORA)' \
	BENCH_DIR='$(BENCH_DIR)' KB='$(BUILD)/kb' sh bench/run.sh

bench-profile: bench-tools
	$(call need_debs,valgrind,command -v valgrind)
	BENCH_DIR='$(BENCH_DIR)' BENCH_SQLITE_SRC='$(BENCH_SQLITE_SRC)' CC='$(CC)' \
	KB='$(BUILD)/kb' sh bench/profile.sh

bench-deps: $(BUILD)/.bench-deps-ok
$(BUILD)/.bench-deps-ok:
	$(call need_debs,$(DEBS) $(BENCH_DEBS),$(LIB_PROBE) && command -v rg && command -v sqlite3)
	@mkdir -p $(BUILD) && touch $(DEPS_STAMP) $@

bench-tools: bench-deps $(BUILD)/kb $(BENCH_TOOLS)

$(BENCH_DIR)/kbgen: bench/gen.c $(BUILD)/libkb.a | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(KB_CFLAGS) -o $@ bench/gen.c $(BUILD)/libkb.a $(PKG_LIBS) -lm

$(BENCH_DIR)/kbbench: bench/kbbench.c $(BUILD)/libkb.a | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(KB_CFLAGS) -o $@ bench/kbbench.c $(BUILD)/libkb.a $(PKG_LIBS) -lm

# Drops notes from the page cache, for the builds of notes read from the disk.
$(BENCH_DIR)/kbevict: tests/tools/evict.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(KB_CFLAGS) -o $@ tests/tools/evict.c

# The kb tokenizer as a loadable SQLite extension, for the sqlite3 shell (.load …/kbtok):
# src/tokenizer.c compiled into it (with the sqlite3ext.h API) with width.c and util.c.
$(BENCH_DIR)/kbtok.so: bench/kbtok_ext.c src/tokenizer.c src/index_pack.c src/index_rank.c src/index_sql.c src/entry.c src/width.c src/util.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(KB_CFLAGS) -fPIC -shared -o $@ bench/kbtok_ext.c src/entry.c src/width.c src/util.c -lzstd -lm
