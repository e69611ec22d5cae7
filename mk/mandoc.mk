# mandoc.mk - mandoc's parser library (libmandoc: the roff, man, mdoc, tbl and eqn parsers),
# built from Debian's source package mdocml, which is where Debian ships it.
#
# No mandoc code is committed. The first build fetches the source package with apt, through
# a sources list and state of its own under $(MANDOC_DIR)/apt (the system's apt setup is left
# as it is; its apt.conf.d settings, proxies included, still apply):
#  - apt checks the suite's InRelease signature against debian-archive-keyring, the Sources
#    index against the hash InRelease gives, and each downloaded file (.dsc, .orig.tar,
#    .debian.tar) against the size and SHA256 the Sources index gives;
#  - dpkg-source -x then checks the files against the checksums the .dsc lists.
# The .dsc's own OpenPGP signature (the uploader's) is checked only when debian-keyring is
# installed; the chain above does not need it.
# The fetched files stay in $(MANDOC_FETCH): `make clean` keeps them, so that make works
# offline once they are there (`make distclean` removes them too).
#
# The parser objects are built by mandoc's own configure and Makefile (its flags, not kb's
# warnings) into $(MANDOC_DIR)/src; every build of kb (check, asan, static ...) links the one
# libmandoc.a, with zlib (mandoc's reader opens gzip'd pages).

MANDOC_DIR    ?= $(BUILD)/mandoc
MANDOC_FETCH  ?= $(BUILD)/mandoc-fetch
MANDOC_SUITE  ?= bookworm
# The mirror: the one this host's apt already uses for the suite's main component (apt's
# own list of index targets), so that a host's mirror or proxy set-up is followed.
MANDOC_MIRROR ?= $(shell apt-get indextargets --format '$$(REPO_URI) $$(RELEASE) $$(COMPONENT)' \
                   2>/dev/null | awk '$$2 == "$(MANDOC_SUITE)" && $$3 == "main" { print $$1; exit }')
export MANDOC_DIR MANDOC_FETCH
MANDOC_LIB    := $(MANDOC_DIR)/src/libmandoc.a
MANDOC_LIBS    = $(MANDOC_LIB) -lz
MANDOC_CFLAGS  = -I$(MANDOC_DIR)/src
DEBS          += zlib1g-dev
LIB_PROBE     += && pkg-config --exists zlib
# What the fetch needs: apt-get source's dpkg-source, and the archive's key.
MANDOC_FETCH_DEBS  := dpkg-dev debian-archive-keyring
MANDOC_FETCH_PROBE  = command -v dpkg-source && test -r /usr/share/keyrings/debian-archive-keyring.gpg

MANDOC_APT = -q -o Dir::Etc::SourceList=$(abspath $(MANDOC_DIR))/apt/sources.list \
             -o Dir::Etc::SourceParts=$(abspath $(MANDOC_DIR))/apt/sources.list.d \
             -o Dir::State::Lists=$(abspath $(MANDOC_DIR))/apt/lists \
             -o Dir::Cache=$(abspath $(MANDOC_DIR))/apt/cache \
             -o Debug::NoLocking=1 -o APT::Get::Only-Source=1

.PHONY: mandoc-fetch
mandoc-fetch: $(MANDOC_FETCH)/.ok

# apt-get update and source against the private list; the archives land in $(MANDOC_FETCH).
$(MANDOC_FETCH)/.ok: | $(DEPS_STAMP)
	$(call need_debs,$(MANDOC_FETCH_DEBS),$(MANDOC_FETCH_PROBE))
	@rm -rf $(MANDOC_DIR)/apt $(MANDOC_FETCH)
	@mkdir -p $(MANDOC_DIR)/apt/sources.list.d $(MANDOC_DIR)/apt/lists/partial \
	  $(MANDOC_DIR)/apt/cache/archives/partial $(MANDOC_FETCH)
	@test -n "$(MANDOC_MIRROR)" || { echo "kb: apt has no source for Debian $(MANDOC_SUITE) main:" \
	  "set MANDOC_MIRROR to a Debian mirror's URL"; exit 1; }
	@echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg]" \
	  "$(MANDOC_MIRROR) $(MANDOC_SUITE) main" >$(MANDOC_DIR)/apt/sources.list
	@echo "kb: fetching Debian's source package mdocml (mandoc's parsers) with apt"
	apt-get $(MANDOC_APT) update
	cd $(MANDOC_FETCH) && apt-get $(MANDOC_APT) --download-only source mdocml
	@ls $(MANDOC_FETCH)/mdocml_*.dsc >/dev/null && touch $@

# Unpacked (and checked) by dpkg-source, configured and built by mandoc's own files.
$(MANDOC_LIB): $(MANDOC_FETCH)/.ok
	@rm -rf $(MANDOC_DIR)/src $(MANDOC_DIR)/unpack
	@mkdir -p $(MANDOC_DIR)
	cd $(MANDOC_FETCH) && dpkg-source -q -x $$(ls mdocml_*.dsc | tail -n 1) $(abspath $(MANDOC_DIR))/unpack
	mv $(MANDOC_DIR)/unpack $(MANDOC_DIR)/src
	cd $(MANDOC_DIR)/src && ./configure >configure.out 2>&1 || { cat configure.out; exit 1; }
	$(MAKE) -C $(MANDOC_DIR)/src --no-print-directory -s libmandoc.a

# Only the roff format's files see mandoc's headers.
MANDOC_USERS := $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard src/compile_man*.c src/render_man*.c))
$(MANDOC_USERS): KB_CFLAGS += $(MANDOC_CFLAGS)
$(MANDOC_USERS): | $(MANDOC_LIB)

# Every program that links libkb.a links libmandoc.a after it (PKG_LIBS, KB_LIBS).
$(BUILD)/libkb.a: | $(MANDOC_LIB)
