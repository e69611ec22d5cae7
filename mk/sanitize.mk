# sanitize.mk - the whole test suite under AddressSanitizer and UndefinedBehaviorSanitizer,
# the build's threads under ThreadSanitizer,
# and the CLI tests under valgrind's memcheck.
SAN_FLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all

.PHONY: asan valgrind
asan: test-deps kb-jump-host
	$(MAKE) --no-print-directory LINK=libs WERROR=-Werror BUILD=$(BUILD)/asan CFLAGS="$(SAN_FLAGS)" \
	  LDFLAGS="-fsanitize=address,undefined" $(BUILD)/asan/kb $(BUILD)/asan/unit $(BUILD)/asan/kbrender $(BUILD)/asan/kbevict $(BUILD)/asan/bench/kbgen \
	  $(FUZZ_TARGETS:%=$(BUILD)/asan/fuzz-replay-%)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	KB=$(BUILD)/asan/kb UNIT=$(BUILD)/asan/unit BUILD_DIR=$(BUILD)/asan sh tests/run.sh

# Every kb process the CLI tests start runs under memcheck: any error or definite leak
# makes that process exit 99, which the tests see as a failure.
valgrind: test-deps
	$(MAKE) --no-print-directory LINK=libs WERROR=-Werror BUILD=$(BUILD)/vg CFLAGS="-O1 -g" $(BUILD)/vg/kb $(BUILD)/vg/unit $(BUILD)/vg/kbevict
	$(call need_debs,valgrind,command -v valgrind)
	printf '#!/bin/sh\nexec valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite "%s/$(BUILD)/vg/kb" "$$@"\n' "$$(pwd)" >$(BUILD)/vg/kb-vg
	chmod +x $(BUILD)/vg/kb-vg
	valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite $(BUILD)/vg/unit
	KB=$(BUILD)/vg/kb-vg BUILD_DIR=$(BUILD)/vg sh tests/cli.test.sh
	KB=$(BUILD)/vg/kb-vg sh tests/search.test.sh

# The build's two threads and the browser's search thread under ThreadSanitizer: the CLI
# and hostile-input tests (which build, rebuild concurrently and search) and the browser's
# headless tests (which type while searches run and are stopped) with a kb built with
# -fsanitize=thread.
.PHONY: tsan
tsan: test-deps
	$(MAKE) --no-print-directory LINK=libs WERROR=-Werror BUILD=$(BUILD)/tsan CFLAGS="-O1 -g -fsanitize=thread" \
	  LDFLAGS="-fsanitize=thread" $(BUILD)/tsan/kb $(BUILD)/tsan/kbevict
	TSAN_OPTIONS=halt_on_error=1:exitcode=66 KB=$(BUILD)/tsan/kb BUILD_DIR=$(BUILD)/tsan sh tests/cli.test.sh
	TSAN_OPTIONS=halt_on_error=1:exitcode=66 KB=$(BUILD)/tsan/kb sh tests/hostile.test.sh
	TSAN_OPTIONS=halt_on_error=1:exitcode=66 KB=$(BUILD)/tsan/kb sh tests/tui.test.sh
