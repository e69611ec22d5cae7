# bundle.mk - make bundle: $(BUILD)/kb-VERSION-linux-ARCH.tar.gz, for jump hosts: the static kb
# (stripped), the index of $(NOTES) beside it, the man pages, completion and a short README
# (mk/bundle.README). Copy, untar, run: kb finds kb.db beside itself, with or without /proc.
# tests/bundle.test.sh untars it into an empty root and runs it there.
#
#   make bundle MAN=1          the index also holds the build machine's manual (kb build
#                              --man), for hosts whose images left man pages out: kb man,
#                              kb search and the browser's Manual screen read it from kb.db
#   make bundle MAN=DIR[:DIR]  ... the man trees DIR (kb build --man=DIR)
# BUNDLE_ROOT and BUNDLE say where it is made (make check makes a second one with the test
# pages of tests/man, beside the first).

ifndef KB_STATIC_PASS
BUNDLE_ARCH := $(shell uname -m)
BUNDLE_NAME := kb-$(VERSION)-linux-$(BUNDLE_ARCH)
BUNDLE_ROOT ?= $(BUILD)/bundle
BUNDLE_DIR   = $(BUNDLE_ROOT)/$(BUNDLE_NAME)
BUNDLE      ?= $(BUILD)/$(BUNDLE_NAME).tar.gz
MAN         ?=
BUNDLE_MAN   = $(if $(MAN),$(if $(filter 1,$(MAN)),--man,--man=$(MAN)))

.PHONY: bundle
# The index is built by the binary that ships, from a fresh file (no state of earlier builds).
bundle: static
	rm -rf $(BUNDLE_ROOT)
	mkdir -p $(BUNDLE_DIR)/man $(BUNDLE_DIR)/completion $(dir $(BUNDLE))
	cp $(BUILD)/static/kb.stripped $(BUNDLE_DIR)/kb
	@$(BUNDLE_DIR)/kb build -q --db $(BUNDLE_DIR)/kb.db $(BUNDLE_MAN) $(NOTES); rc=$$?; \
	if [ $$rc -eq 1 ]; then echo "kb: warning: some notes of $(NOTES) were skipped (above)"; \
	elif [ $$rc -ne 0 ]; then exit $$rc; fi
	cp man/kb.1 man/kb.5 $(BUNDLE_DIR)/man/
	cp completion/kb.bash completion/_kb $(BUNDLE_DIR)/completion/
	sed -e 's/@VERSION@/$(VERSION)/g' -e 's/@ARCH@/$(BUNDLE_ARCH)/g' \
	  $(if $(MAN),,-e '/@MAN@/d') -e 's/@MAN@//' mk/bundle.README >$(BUNDLE_DIR)/README
	chmod 755 $(BUNDLE_DIR)/kb && chmod 644 $(BUNDLE_DIR)/kb.db $(BUNDLE_DIR)/README \
	  $(BUNDLE_DIR)/man/* $(BUNDLE_DIR)/completion/*
	tar -C $(BUNDLE_ROOT) --owner=0 --group=0 --numeric-owner --sort=name -cf - $(BUNDLE_NAME) \
	  | gzip -n -9 >$(BUNDLE).tmp && mv $(BUNDLE).tmp $(BUNDLE)
	@echo "kb: $(BUNDLE): $$(stat -c %s $(BUNDLE)) bytes"
endif
