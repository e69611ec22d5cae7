# bundle.mk - make bundle: $(BUILD)/kb-VERSION-linux-ARCH.tar.gz, for jump hosts: the static kb
# (stripped), the index of $(NOTES) beside it, the man pages, completion and a short README
# (mk/bundle.README). Copy, untar, run: kb finds kb.db beside itself, with or without /proc.
# tests/bundle.test.sh untars it into an empty root and runs it there.

ifndef KB_STATIC_PASS
BUNDLE_ARCH := $(shell uname -m)
BUNDLE_NAME := kb-$(VERSION)-linux-$(BUNDLE_ARCH)
BUNDLE_DIR  := $(BUILD)/bundle/$(BUNDLE_NAME)
BUNDLE      := $(BUILD)/$(BUNDLE_NAME).tar.gz

.PHONY: bundle
# The index is built by the binary that ships, from a fresh file (no state of earlier builds).
bundle: static
	rm -rf $(BUILD)/bundle
	mkdir -p $(BUNDLE_DIR)/man $(BUNDLE_DIR)/completion
	cp $(BUILD)/static/kb.stripped $(BUNDLE_DIR)/kb
	@$(BUNDLE_DIR)/kb build -q --db $(BUNDLE_DIR)/kb.db $(NOTES); rc=$$?; \
	if [ $$rc -eq 1 ]; then echo "kb: warning: some notes of $(NOTES) were skipped (above)"; \
	elif [ $$rc -ne 0 ]; then exit $$rc; fi
	cp man/kb.1 man/kb.5 $(BUNDLE_DIR)/man/
	cp completion/kb.bash completion/_kb $(BUNDLE_DIR)/completion/
	sed -e 's/@VERSION@/$(VERSION)/g' -e 's/@ARCH@/$(BUNDLE_ARCH)/g' mk/bundle.README \
	  >$(BUNDLE_DIR)/README
	chmod 755 $(BUNDLE_DIR)/kb && chmod 644 $(BUNDLE_DIR)/kb.db $(BUNDLE_DIR)/README \
	  $(BUNDLE_DIR)/man/* $(BUNDLE_DIR)/completion/*
	tar -C $(BUILD)/bundle --owner=0 --group=0 --numeric-owner --sort=name -cf - $(BUNDLE_NAME) \
	  | gzip -n -9 >$(BUNDLE).tmp && mv $(BUNDLE).tmp $(BUNDLE)
	@echo "kb: $(BUNDLE): $$(stat -c %s $(BUNDLE)) bytes"
endif
