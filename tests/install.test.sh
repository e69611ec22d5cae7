#!/bin/sh
# install.test.sh - make install and make uninstall with PREFIX and DESTDIR: every file lands
# where it should, the installed kb finds the installed index through the PREFIX compiled into
# it, the man page names that path, and uninstall leaves no file behind.
. tests/lib.sh
# Its own build directory, kept between runs: kb is compiled with this test's PREFIX.
B=$(pwd)/${BUILD_DIR:-build}/install-test
PREFIX=$TMP/prefix
DEST=$TMP/dest
mk() { env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make --no-print-directory -s "$@"; }

mk install BUILD="$B" PREFIX="$PREFIX" DESTDIR="$DEST" WERROR=-Werror >"$TMP/out" 2>&1
same "make install PREFIX=... DESTDIR=... exits 0" $? 0
sed 's/^/    /' "$TMP/out" | head -20
P=$DEST$PREFIX
cat >"$TMP/want" <<LIST
$P/bin/kb
$P/share/bash-completion/completions/kb
$P/share/kb/kb.db
$P/share/man/man1/kb.1
$P/share/man/man5/kb.5
$P/share/zsh/site-functions/_kb
LIST
find "$DEST" -type f -o -type l | sort >"$TMP/got"
check "installed exactly the binary, the index, two man pages and two completions" \
	diff -u "$TMP/want" "$TMP/got"
check "nothing outside DESTDIR/PREFIX" test "$(ls -A "$DEST$TMP")" = prefix
check "kb is executable" test -x "$P/bin/kb"
check "kb.1 is readable by all" test "$(stat -c %a "$P/share/man/man1/kb.1")" = 644

# The compiled-in PREFIX: make PREFIX what it will be on the target (a link to the DESTDIR
# copy), run kb from there, and it must find PREFIX/share/kb/kb.db on its own.
ln -s "$P" "$PREFIX"
"$PREFIX/bin/kb" --version >"$TMP/out" 2>&1
contains "the installed kb finds the installed index" "$TMP/out" \
	"index $PREFIX/share/kb/kb.db: 11 entries"
"$PREFIX/bin/kb" search 镜像 >"$TMP/out" 2>&1
contains "and searches it" "$TMP/out" "paas/deployment-issues.md#1"
rm "$PREFIX"
"$P/bin/kb" --version >"$TMP/out" 2>&1
contains "without that PREFIX it finds none (it was not found another way)" "$TMP/out" \
	"index: none found"
check "the binary holds the PREFIX path" grep -q "$PREFIX/share/kb/kb.db" "$P/bin/kb"

contains "the installed kb.1 names PREFIX/share/kb/kb.db" "$P/share/man/man1/kb.1" \
	"$PREFIX/share/kb/kb.db"
lacks "and no /usr/local at all" "$P/share/man/man1/kb.1" "/usr/local/"
contains "the installed kb.1 names the installed completion" "$P/share/man/man1/kb.1" "$PREFIX/share/zsh/site-functions/_kb"
mandoc -Tlint -Wwarning "$P/share/man/man1/kb.1" >"$TMP/lint" 2>&1
check "the installed kb.1 is lint-clean" test ! -s "$TMP/lint"
MANWIDTH=80 man -l "$P/share/man/man5/kb.5" >"$TMP/man" 2>/dev/null
check "man -l reads the installed kb.5" test -s "$TMP/man"
bash -c ". '$P/share/bash-completion/completions/kb' && complete -p kb" >"$TMP/out" 2>&1
contains "the installed bash completion registers _kb" "$TMP/out" "complete -F _kb kb"

mk uninstall BUILD="$B" PREFIX="$PREFIX" DESTDIR="$DEST" >"$TMP/out" 2>&1
same "make uninstall exits 0" $? 0
find "$DEST" ! -type d >"$TMP/left"
check "uninstall leaves no file" test ! -s "$TMP/left"
sed 's/^/    left: /' "$TMP/left"
check "uninstall removes PREFIX/share/kb" test ! -e "$P/share/kb"
mk uninstall BUILD="$B" PREFIX="$PREFIX" DESTDIR="$DEST" >"$TMP/out" 2>&1
same "uninstall twice is fine" $? 0
finish
