# tui.mk - the browser's targets: man-keys writes the KEYS section of man/kb.1 from the action
# table (src/tui/keys.c), between the lines .\" KEYS BEGIN and .\" KEYS END; tui-golden
# rewrites the browser's golden files (tests/tui/) for review.
.PHONY: man-keys tui-golden
man-keys: $(BUILD)/kb
	@set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	$(BUILD)/kb build -q --db "$$tmp/kb.db" tests/tui/notes; \
	printf 'keys-mdoc %s/keys\n' "$$tmp" >"$$tmp/script"; \
	KB_TUI_SCRIPT="$$tmp/script" $(BUILD)/kb --db "$$tmp/kb.db"; \
	awk -v keys="$$tmp/keys" ' \
	  /^\.\\" KEYS END/ { skip = 0 } \
	  !skip { print } \
	  /^\.\\" KEYS BEGIN/ { while ((getline l < keys) > 0) print l; skip = 1 }' man/kb.1 >"$$tmp/kb.1"; \
	grep -q '^\.\\" KEYS BEGIN' man/kb.1 || { echo "man/kb.1 has no .\\\" KEYS BEGIN line"; exit 1; }; \
	cp "$$tmp/kb.1" man/kb.1; echo "man/kb.1: KEYS section written"

tui-golden: $(BUILD)/kb
	UPDATE=1 KB=$(BUILD)/kb sh tests/tui.test.sh
