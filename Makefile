# kb - build, test and install.  `make run` and `make check` are the two commands to know.

BUILD    ?= build
PREFIX   ?= /usr/local
DESTDIR  ?=
CC       ?= cc
CFLAGS   ?= -O2 -g
LDFLAGS  ?=
NOTES    ?= kb

# Libraries, found through pkg-config, and the Debian packages that provide them.
PKGS      := ncursesw sqlite3 libcmark yaml-0.1 libzstd
DEBS      := gcc libc6-dev make pkg-config libncurses-dev libsqlite3-dev libcmark-dev libyaml-dev \
             libzstd-dev
TEST_DEBS := tmux mandoc man-db less sqlite3 time

WARN := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
        -Wold-style-definition -Wpointer-arith -Wcast-qual -Wwrite-strings -Wformat=2 \
        -Wundef -Wvla -Wimplicit-fallthrough -Wnull-dereference

# Recursive on purpose: pkg-config is asked only when a recipe runs, after `deps`.
PKG_CFLAGS = $(filter-out -D_XOPEN_SOURCE=% -D_DEFAULT_SOURCE,$(shell pkg-config --cflags $(PKGS)))
# How kb is linked. LINK=static (the default): one static-pie executable, the libraries from
# Debian's own static archives and glibc with them. A process then maps no shared object and
# relocates only itself, which is a measurable part of a short `kb search` (bench/PROFILE.md),
# and position independence keeps its addresses random. SQLite's dlopen() (extension
# loading, which kb never does) is answered by src/static/nodl.c, as in the jump-host kb
# (mk/static.mk), which also carries its own terminfo and LC_CTYPE; this one reads the
# host's. LINK=libs: the libraries static, glibc shared (the sanitizer and valgrind builds,
# which need a shared libc, and the test programs). LINK=shared: all shared (a host whose
# libraries have no static archives).
LINK      ?= static
# mandoc's parser library comes first: it is built here from Debian's source (mk/mandoc.mk).
ifeq ($(LINK),shared)
PKG_LIBS   = $(MANDOC_LIBS) $(shell pkg-config --libs $(PKGS))
else
PKG_LIBS   = -Wl,-Bstatic $(MANDOC_LIBS) $(STATIC_LIBS) -Wl,-Bdynamic -ldl
endif
STATIC_LIBS = $(filter-out -lm -ldl -lz -pthread,$(shell pkg-config --static --libs $(PKGS)))
ifeq ($(LINK),static)
KB_LINK      = -static-pie $(NODL_WRAP:%=-Wl,--wrap=%) $(OOM_WRAP:%=-Wl,--wrap=%)
KB_LINK_OBJS = $(BUILD)/obj/src/static/nodl.o $(BUILD)/obj/src/static/oom.o
KB_LIBS      = $(MANDOC_LIBS) $(STATIC_LIBS)
else
KB_LIBS      = $(PKG_LIBS)
endif
NODL_WRAP := dlopen dlsym dlclose dlerror
# Every allocation checked, the libraries' too (src/static/oom.c): out of memory is kb's
# message, never a crash in a library that did not look.
OOM_WRAP := malloc calloc realloc
KB_CFLAGS  = -std=c11 $(WARN) $(WERROR) -Iinclude -D_XOPEN_SOURCE=700 -D_DEFAULT_SOURCE \
             -DKB_VERSION='"$(VERSION)"' $(PKG_CFLAGS) $(CFLAGS) $(EXTRA_CFLAGS)

VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)

LIB_SRCS := $(filter-out src/main.c,$(wildcard src/*.c)) $(wildcard src/tui/*.c)
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/obj/%.o)
UNIT_SRCS := $(wildcard tests/unit/*.c)
UNIT_OBJS := $(UNIT_SRCS:%.c=$(BUILD)/obj/%.o)

DEPS_STAMP := $(BUILD)/.deps-ok

.PHONY: all run check deps test-deps clean distclean install uninstall
all: $(BUILD)/kb

# ---- Libraries and tools ---------------------------------------------------------
# $(call need_debs,PACKAGES,PROBE): when the shell command PROBE succeeds (pkg-config finds
# the libraries, the tools are on PATH) nothing more is asked, on any system. Otherwise the
# Debian packages missing from PACKAGES are installed (as root: apt-get update once, then
# apt-get install -y) and named; without root, the apt-get line is printed and make stops;
# without apt-get, the packages are named as what to install.
define need_debs
	@$(if $(2),if ( $(2) ) >/dev/null 2>&1; then exit 0; fi;) \
	missing=""; \
	if command -v dpkg-query >/dev/null 2>&1; then \
	  for p in $(1); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed$$' \
	      || missing="$$missing $$p"; \
	  done; \
	else missing=" $(strip $(1))"; fi; \
	if [ -n "$$missing" ]; then \
	  if ! command -v apt-get >/dev/null 2>&1; then \
	    echo "kb: pkg-config or PATH lacks what these Debian packages provide:$$missing"; \
	    echo "kb: install their equivalents (libraries: $(PKGS))"; exit 1; \
	  elif [ "$$(id -u)" -eq 0 ]; then \
	    echo "kb: installing Debian packages:$$missing"; \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
	      --no-install-recommends $$missing || exit 1; \
	  else \
	    echo "kb: missing Debian packages:$$missing"; \
	    echo "kb: as root, run:  apt-get update && apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi
endef

# What the build and the tests look for before they ask for packages.
LIB_PROBE  = command -v $(CC) && command -v pkg-config && pkg-config --exists $(PKGS)
TEST_CMDS := tmux mandoc man less sqlite3
TEST_PROBE = $(LIB_PROBE) && test -x /usr/bin/time && for c in $(TEST_CMDS); do command -v $$c || exit 1; done

deps: $(DEPS_STAMP)
$(DEPS_STAMP):
	$(call need_debs,$(DEBS),$(LIB_PROBE))
	@mkdir -p $(BUILD) && touch $@

# One apt-get run for everything make check needs.
test-deps: $(BUILD)/.test-deps-ok
$(BUILD)/.test-deps-ok:
	$(call need_debs,$(DEBS) $(TEST_DEBS),$(TEST_PROBE))
	@mkdir -p $(BUILD) && touch $(DEPS_STAMP) $@

# ---- Build -----------------------------------------------------------------------
$(BUILD)/obj/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(KB_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/libkb.a: $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/kb: $(BUILD)/obj/src/main.o $(BUILD)/libkb.a $(KB_LINK_OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) $(KB_LINK) -o $@ $^ $(KB_LIBS) -lm -pthread

$(BUILD)/unit: $(UNIT_OBJS) $(BUILD)/libkb.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm -pthread

-include $(LIB_OBJS:.o=.d) $(UNIT_OBJS:.o=.d) $(BUILD)/obj/src/main.d

# kbrender: the render module's test driver (golden files, corpus width check).
$(BUILD)/kbrender: $(BUILD)/obj/tests/tools/render.o $(BUILD)/libkb.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm
-include $(BUILD)/obj/tests/tools/render.d

# kbevict: drops files from the page cache (the test of kb build's reading ahead).
$(BUILD)/kbevict: $(BUILD)/obj/tests/tools/evict.o
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^

# ---- Use -------------------------------------------------------------------------
# The build is incremental: unchanged notes are not compiled again.
run: $(BUILD)/kb
	$(BUILD)/kb build --db $(BUILD)/kb.db $(NOTES)
	$(BUILD)/kb --db $(BUILD)/kb.db

# ---- Tests -----------------------------------------------------------------------
# -Werror here: the tree must build without a single warning.
check: test-deps
	$(MAKE) --no-print-directory WERROR=-Werror BUILD=$(BUILD)/check $(BUILD)/check/kb $(BUILD)/check/unit \
	  $(BUILD)/check/kbrender $(BUILD)/check/kbevict $(BUILD)/check/bench/kbgen \
	  $(FUZZ_TARGETS:%=$(BUILD)/check/fuzz-replay-%)
	KB=$(BUILD)/check/kb UNIT=$(BUILD)/check/unit BUILD_DIR=$(BUILD)/check sh tests/run.sh

# clean keeps the fetched mandoc source (mk/mandoc.mk): make works offline after it.
clean:
	@[ ! -d $(BUILD) ] || find $(BUILD) -mindepth 1 -maxdepth 1 ! -name mandoc-fetch -exec rm -rf {} +
distclean:
	rm -rf $(BUILD)

# Features with targets of their own (eval, bench, static, fuzz ...) live in mk/.
include $(sort $(wildcard mk/*.mk))
