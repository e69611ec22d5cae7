# fuzz.mk - libFuzzer targets (clang, with ASan and UBSan) for the compiler, the query
# layer, the normaliser, the tokenizer, the renderer and an entry's packed fields; and the replay of every input
# that ever crashed one, which make check runs (tests/fuzz.test.sh).
#   make fuzz FUZZ_SECONDS=N      run each target N seconds (default 60)
#   make fuzz-TARGET              run one
# Crashes land in $(BUILD)/fuzz/crash-TARGET-*; copy each to tests/fuzz/regress/TARGET/
# once fixed, so that it stays fixed.
FUZZ_TARGETS := compile query normalize tokenizer render pack
FUZZ_SECONDS ?= 60
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_DIR := $(BUILD)/fuzz

.PHONY: fuzz $(FUZZ_TARGETS:%=fuzz-%) fuzz-build
fuzz: $(FUZZ_TARGETS:%=fuzz-%)

fuzz-build: $(DEPS_STAMP)
	$(call need_debs,clang libclang-rt-14-dev)
	$(MAKE) --no-print-directory CC=clang BUILD=$(FUZZ_DIR) WERROR= \
	  CFLAGS="-g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer-no-link $(FUZZ_SAN)" $(FUZZ_DIR)/libkb.a
	for t in $(FUZZ_TARGETS); do \
	  clang -std=c11 -g -O1 -Iinclude -D_XOPEN_SOURCE=700 -D_DEFAULT_SOURCE \
	    -fsanitize=fuzzer $(FUZZ_SAN) tests/fuzz/fuzz_$$t.c $(FUZZ_DIR)/libkb.a $(PKG_LIBS) -lm \
	    -o $(FUZZ_DIR)/fuzz_$$t || exit 1; \
	done

# Seed corpora: the notes, a sample of ../shared/corpora, the regression inputs, for the
# line-sized targets the lines of code blocks, and for pack a few entries as kb packs them.
$(FUZZ_TARGETS:%=fuzz-%): fuzz-%: fuzz-build
	mkdir -p $(FUZZ_DIR)/corpus/$*
	sh tests/fuzz/seed.sh $* $(FUZZ_DIR)/corpus/$*
	$(FUZZ_DIR)/fuzz_$* -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
	  -max_len=$$(case $* in compile|render|tokenizer) echo 65536;; *) echo 4096;; esac) \
	  -artifact_prefix=$(FUZZ_DIR)/crash-$*- $(FUZZ_DIR)/corpus/$* tests/fuzz/regress/$*

# The replay drivers make check runs: the same targets, built with the normal compiler.
$(BUILD)/fuzz-replay-%: $(BUILD)/obj/tests/fuzz/fuzz_%.o $(BUILD)/obj/tests/fuzz/replay.o $(BUILD)/libkb.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm
-include $(FUZZ_TARGETS:%=$(BUILD)/obj/tests/fuzz/fuzz_%.d) $(BUILD)/obj/tests/fuzz/replay.d
