# install.mk - make install / make uninstall, with PREFIX (default /usr/local) and DESTDIR:
# the binary, kb.1 and kb.5, the index compiled from $(NOTES) where kb looks by default
# ($(PREFIX)/share/kb/kb.db, compiled into kb as KB_PREFIX), and bash and zsh completion.
# tests/install.test.sh installs into a DESTDIR and runs the result.

BINDIR      = $(PREFIX)/bin
MANDIR      = $(PREFIX)/share/man
KBDATADIR   = $(PREFIX)/share/kb
BASHCOMPDIR = $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  = $(PREFIX)/share/zsh/site-functions
INSTALLED   = $(BINDIR)/kb $(MANDIR)/man1/kb.1 $(MANDIR)/man5/kb.5 $(KBDATADIR)/kb.db \
              $(BASHCOMPDIR)/kb $(ZSHCOMPDIR)/_kb

.PHONY: install uninstall kb-always

# kb looks for PREFIX/share/kb/kb.db: cli.c gets PREFIX as KB_PREFIX, and is compiled again
# whenever PREFIX differs from the last build's (prefix.stamp is rewritten only then).
$(BUILD)/obj/src/cli.o: KB_CFLAGS += -DKB_PREFIX='"$(PREFIX)"'
$(BUILD)/obj/src/cli.o: $(BUILD)/prefix.stamp
$(BUILD)/prefix.stamp: kb-always
	@mkdir -p $(dir $@)
	@if [ "$$(cat $@ 2>/dev/null)" != "$(PREFIX)" ]; then printf '%s\n' "$(PREFIX)" >$@; fi
kb-always:

# The index of $(NOTES), brought up to date by kb build (incremental) on every install.
# Exit 1 means some notes were skipped (kb said which): the others are installed.
$(BUILD)/kb.db: $(BUILD)/kb kb-always
	@$(BUILD)/kb build -q --db $@ $(NOTES); rc=$$?; \
	if [ $$rc -eq 1 ]; then echo "kb: warning: some notes of $(NOTES) were skipped (above)"; \
	elif [ $$rc -ne 0 ]; then exit $$rc; fi

install: $(BUILD)/kb $(BUILD)/kb.db
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
	  $(DESTDIR)$(KBDATADIR) $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR)
	install -m 755 $(BUILD)/kb $(DESTDIR)$(BINDIR)/kb
	sed 's,/usr/local/,$(PREFIX)/,g' man/kb.1 >$(BUILD)/kb.1
	install -m 644 $(BUILD)/kb.1 $(DESTDIR)$(MANDIR)/man1/kb.1
	install -m 644 man/kb.5 $(DESTDIR)$(MANDIR)/man5/kb.5
	install -m 644 $(BUILD)/kb.db $(DESTDIR)$(KBDATADIR)/kb.db
	install -m 644 completion/kb.bash $(DESTDIR)$(BASHCOMPDIR)/kb
	install -m 644 completion/_kb $(DESTDIR)$(ZSHCOMPDIR)/_kb

# Removes what install put there, and kb's own directory if nothing else is in it.
uninstall:
	rm -f $(INSTALLED:%=$(DESTDIR)%)
	@rmdir $(DESTDIR)$(KBDATADIR) 2>/dev/null || true
