# static.mk - `make static`: one statically linked kb, $(BUILD)/static/kb, for jump hosts with no
# compiler, no shared libraries, no terminfo database and no locale files.
#
# ncursesw, tinfo, SQLite, cmark and libyaml are linked in from Debian's own .a archives (the
# -dev packages ship them). Two things a static glibc + ncurses binary would still take from
# the host are carried inside it, generated at build time from the build machine:
#  - terminal descriptions (STATIC_TERMS) for ncurses's fallback hook: src/static/terminfo.c;
#  - a C.UTF-8 LC_CTYPE (UTF-8 conversion, widths): src/static/locale.c, reached through
#    ld --wrap of the LC_CTYPE functions kb and ncursesw call (STATIC_WRAP).
# See HACKING.md, "The static kb", for why and how it is tested (tests/static.test.sh).
#
# The objects are built by a second make with BUILD=$(BUILD)/static and the top Makefile's
# own rules; only the flags, the libraries and three extra objects differ.

STATIC_TERMS := xterm-256color xterm xterm-color screen screen-256color tmux tmux-256color \
                vt100 vt220 linux rxvt-unicode-256color dumb
STATIC_WRAP_LOCALE := mbrtowc mbrlen __mbrlen mbtowc mblen mbstowcs mbsrtowcs wcrtomb wctomb wcsrtombs \
                      wcstombs btowc wctob wcwidth wcswidth iswprint nl_langinfo setlocale \
                      __ctype_get_mb_cur_max
STATIC_WRAP := $(STATIC_WRAP_LOCALE) $(NODL_WRAP) $(OOM_WRAP)
# glibc functions whose result depends on LC_CTYPE. A linked object that calls one of them
# which is not wrapped would be wrong in the built-in locale: the build stops instead.
STATIC_LOCALE_FUNCS := $(STATIC_WRAP_LOCALE) __mbrtowc mbsnrtowcs wcsnrtombs \
    iswalnum iswalpha iswblank iswcntrl iswdigit iswgraph iswlower iswpunct iswspace \
    iswupper iswxdigit iswctype wctype towlower towupper towctrans wctrans newlocale \
    uselocale duplocale
# Debian's sqlite3.pc lists -lz (for its shell) and -ldl; libsqlite3.a needs neither.
# mandoc's parsers need zlib: MANDOC_LIBS brings it, as a static archive here.
STATIC_PKG_LIBS = $(MANDOC_LIBS) $(filter-out -lz -ldl,$(shell pkg-config --static --libs $(PKGS)))

ifdef KB_STATIC_PASS
# ---- Inside the second make: BUILD is $(BUILD)/static ------------------------------------
STATIC_OBJS := $(BUILD)/obj/src/static/terminfo.o $(BUILD)/obj/src/static/locale.o \
               $(BUILD)/obj/src/static/nodl.o $(BUILD)/obj/src/static/oom.o
# Objects after libkb.a in the link line: they are always linked, and being before
# libtinfo.a, terminfo.o's _nc_fallback2 is the one the linker keeps.
$(BUILD)/kb: $(STATIC_OBJS)

$(BUILD)/obj/src/static/terminfo.o: $(BUILD)/gen/kb_terminfo_data.h
# infocmp -E writes the names of extended capabilities as string literals in char * arrays,
# as ncurses's own generated fallback.c has them.
$(BUILD)/obj/src/static/terminfo.o: KB_CFLAGS += -Wno-write-strings
$(BUILD)/obj/src/static/locale.o: $(BUILD)/gen/kb_width_data.h

$(BUILD)/gen/kb_terminfo_data.h: src/static/mkterminfo.sh mk/static.mk | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	sh src/static/mkterminfo.sh $(STATIC_TERMS) >$@.tmp && mv $@.tmp $@

# mkwidth runs on the build machine: a normal (dynamic) program.
$(BUILD)/gen/mkwidth: src/static/mkwidth.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) -std=c11 $(WARN) $(WERROR) -D_XOPEN_SOURCE=700 $(CFLAGS) -o $@ $<

$(BUILD)/gen/kb_width_data.h: $(BUILD)/gen/mkwidth
	$< >$@.tmp && mv $@.tmp $@

# The built-in LC_CTYPE against glibc's C.UTF-8 (tests/static.test.sh runs it).
$(BUILD)/locale-check: $(BUILD)/obj/tests/tools/locale_check.o $(BUILD)/obj/src/static/locale.o \
                       $(BUILD)/obj/src/static/oom.o
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^

-include $(STATIC_OBJS:.o=.d) $(BUILD)/obj/tests/tools/locale_check.d

else
# ---- The targets -----------------------------------------------------------------------
STATIC_DIR := $(BUILD)/static
.PHONY: static static-info

# The second make always runs (it knows what is up to date); the checks after it are cheap.
static: $(DEPS_STAMP)
	@$(MAKE) --no-print-directory LINK=libs BUILD=$(STATIC_DIR) KB_STATIC_PASS=1 \
	  EXTRA_CFLAGS="$(EXTRA_CFLAGS) -DKB_STATIC -I$(STATIC_DIR)/gen" \
	  LDFLAGS="$(LDFLAGS) -static $(STATIC_WRAP:%=-Wl,--wrap=%)" \
	  PKG_LIBS="$(STATIC_PKG_LIBS)" $(STATIC_DIR)/kb $(STATIC_DIR)/locale-check
	@if readelf -d $(STATIC_DIR)/kb | grep -q 'Dynamic section'; then \
	  echo "kb: $(STATIC_DIR)/kb has a dynamic section"; exit 1; fi
	@libs=""; for l in ncursesw tinfo sqlite3 cmark yaml z; do libs="$$libs $$($(CC) -print-file-name=lib$$l.a)"; done; \
	libs="$$libs $(MANDOC_LIB)"; \
	unwrapped=$$(nm -u $(STATIC_DIR)/obj/src/*.o $$(ls $(STATIC_DIR)/obj/src/tui/*.o 2>/dev/null) \
	    $(STATIC_DIR)/obj/tests/tools/locale_check.o \
	    $$libs 2>/dev/null | awk '{ print $$NF }' | sort -u | \
	  grep -xF "$$(printf '%s\n' $(filter-out $(STATIC_WRAP_LOCALE),$(STATIC_LOCALE_FUNCS)))"); \
	if [ -n "$$unwrapped" ]; then \
	  echo "kb: these LC_CTYPE functions are called but not wrapped in src/static/locale.c:" $$unwrapped; \
	  rm -f $(STATIC_DIR)/kb; exit 1; fi
	@strip -o $(STATIC_DIR)/kb.stripped $(STATIC_DIR)/kb
	@echo "kb: $(STATIC_DIR)/kb: static, $$(stat -c %s $(STATIC_DIR)/kb) bytes;" \
	  "stripped ($(STATIC_DIR)/kb.stripped) $$(stat -c %s $(STATIC_DIR)/kb.stripped) bytes"

# make check tests the static kb and the bundle (tests/static.test.sh, bundle.test.sh):
# they are built first, with -Werror. file(1) and zsh are for the tests.
TEST_DEBS += file zsh
TEST_CMDS += file zsh
$(BUILD)/.test-deps-ok: $(wildcard mk/*.mk)
check: kb-jump-host
.PHONY: kb-jump-host
kb-jump-host: test-deps
	@$(MAKE) --no-print-directory WERROR=-Werror static bundle
	@$(MAKE) --no-print-directory WERROR=-Werror bundle MAN=tests/man BUNDLE_ROOT=$(BUILD)/bundle-man \
	  BUNDLE=$(BUILD)/bundle-man/$(BUNDLE_NAME).tar.gz

# What the static binary is and carries.
static-info: static
	file $(STATIC_DIR)/kb || true
	readelf -d $(STATIC_DIR)/kb
	size $(STATIC_DIR)/kb $(STATIC_DIR)/kb.stripped
	@echo "built-in terminals: $(STATIC_TERMS)"
endif
