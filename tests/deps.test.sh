# deps.test.sh - how make finds libraries: pkg-config first, Debian's packages only for what
# is missing. Runs `make deps` in a scratch build directory with dpkg-query and apt-get
# replaced by stubs that record being called.
. tests/lib.sh

mkdir -p "$TMP/bin"
for c in dpkg-query apt-get; do
	printf '#!/bin/sh\necho "%s $*" >>"%s/called"\nexit 1\n' "$c" "$TMP" >"$TMP/bin/$c"
	chmod +x "$TMP/bin/$c"
done
STUBS="$TMP/bin:$PATH"
NODPKG="$TMP/nodpkg"
mkdir -p "$NODPKG"
# A PATH with the real tools but neither dpkg-query nor apt-get.
for c in sh make cc gcc pkg-config mkdir touch cat grep id echo uname; do
	p=$(command -v $c 2>/dev/null) && ln -sf "$p" "$NODPKG/$c"
done

# Every library found by pkg-config: nothing Debian-specific is asked.
rm -f "$TMP/called"
status 0 env PATH="$STUBS" make --no-print-directory -s deps BUILD="$TMP/b1"
check "dpkg-query and apt-get are not called when pkg-config finds every library" \
	test ! -e "$TMP/called"
check "the deps stamp is made" test -e "$TMP/b1/.deps-ok"

# The same with no dpkg-query or apt-get on PATH at all.
status 0 env PATH="$NODPKG" make --no-print-directory -s deps BUILD="$TMP/b2"

# A library pkg-config does not know: without apt-get, make names it and stops (make exits 2).
status 2 env PATH="$NODPKG" make --no-print-directory -s deps BUILD="$TMP/b3" \
	PKGS='sqlite3 kb-no-such-library'
contains "the missing library is named" "$TMP/out" "kb-no-such-library"
check "no stamp when a library is missing" test ! -e "$TMP/b3/.deps-ok"

# With dpkg-query there, the missing packages are looked up (and apt-get asked as root).
rm -f "$TMP/called"
status 2 env PATH="$STUBS" make --no-print-directory -s deps BUILD="$TMP/b4" \
	PKGS='kb-no-such-library'
contains "dpkg-query is asked once pkg-config misses" "$TMP/called" "dpkg-query"

finish
