#!/bin/sh
# bundle.test.sh - make bundle's tarball: copy, untar, run. Untarred into an empty root (no
# /proc, no shell, no libraries, terminfo or locale files) its kb finds the index beside itself
# however it is started, and searches, shows and draws Chinese; man -l reads its pages.
. tests/lib.sh
. tests/root.sh
# make check, asan and tsan run the suites with BUILD_DIR=build/check, build/asan ...; the
# static kb and the bundle are always built at the top: build/static/kb.
case ${BUILD_DIR:=build} in */check | */asan | */tsan | */vg) BUILD_TOP=${BUILD_DIR%/*} ;; *) BUILD_TOP=$BUILD_DIR ;; esac
N=kb-$(cat VERSION)-linux-$(uname -m)
BUNDLE=$BUILD_TOP/$N.tar.gz
ID='paas/deployment-issues.md#1'

check "$BUNDLE exists (make bundle)" test -f "$BUNDLE"
tar -tzf "$BUNDLE" | sort >"$TMP/list"
cat >"$TMP/want" <<LIST
$N/
$N/README
$N/completion/
$N/completion/_kb
$N/completion/kb.bash
$N/kb
$N/kb.db
$N/man/
$N/man/kb.1
$N/man/kb.5
LIST
check "the tarball holds kb, kb.db, README, man pages and completion, in $N/" \
	diff -u "$TMP/want" "$TMP/list"
echo "bundle: $(stat -c %s "$BUNDLE") bytes"

R=$TMP/root
mkdir -p "$R"
tar -xzf "$BUNDLE" -C "$R"
D=$R/$N
readelf -S "$D/kb" >"$TMP/sections"
lacks "kb in the bundle is stripped" "$TMP/sections" ".symtab"
contains "README names the version and architecture" "$D/README" "kb $(cat VERSION) for Linux $(uname -m)"

# Started by its path: argv[0] leads to kb.db (there is no /proc in the root).
in_root "$R" "/$N/kb" search 镜像 >"$TMP/out" 2>&1
contains "/$N/kb search 镜像 in the empty root" "$TMP/out" "$ID	部署一个新的镜像时"
in_root "$R" "/$N/kb" --version >"$TMP/out" 2>&1
contains "--version: the index beside the binary" "$TMP/out" "index /$N/kb.db: 11 entries"
# Started through PATH, and through a symbolic link on PATH.
env -i PATH="/$N" $ROOT_ENTER "$R" kb --version >"$TMP/out" 2>&1
contains "kb found on PATH finds kb.db" "$TMP/out" "index /$N/kb.db: 11 entries"
mkdir -p "$R/bin" && ln -s "../$N/kb" "$R/bin/kb"
env -i PATH=/bin $ROOT_ENTER "$R" kb show --plain "$ID" >"$TMP/out" 2>&1
contains "kb linked from /bin follows the link to kb.db" "$TMP/out" "docker save [OPTIONS] IMAGE"
rm -rf "$R/bin"

# The stripped binary on a terminal, with the terminal description and locale it carries.
pane_start "$(root_cmd "$R" TERM=xterm-256color) /$N/kb debug curses 镜像导出; echo \"== exit \$?\"; read x"
pane_wait "press a key" || true
contains "curses in the empty root: built-in terminfo" "$TMP/pane" "terminfo: built into kb"
contains "curses in the empty root: Chinese drawn" "$TMP/pane" "text: [镜像导出]"
contains "curses in the empty root: widths agree" "$TMP/pane" "width: curses 8, kb 8: same"
pane_keys q
pane_wait "== exit 0" && pass || fail "kb debug curses exit status"
pane_stop

MANWIDTH=80 man -l "$D/man/kb.1" >"$TMP/man" 2>/dev/null
contains "man -l reads man/kb.1" "$TMP/man" "offline troubleshooting knowledge base"
MANWIDTH=80 man -l "$D/man/kb.5" >"$TMP/man" 2>/dev/null
check "man -l reads man/kb.5" test -s "$TMP/man"

# Completion from the bundle, for ./kb: ids come from the index beside it.
cat >"$TMP/comp.bash" <<EOF
. '$D/completion/kb.bash'
COMP_WORDS=('$D/kb' show 'paas/deployment-issues.md#1'); COMP_CWORD=2
_kb; printf '%s\n' "\${COMPREPLY[@]}"
EOF
bash "$TMP/comp.bash" >"$TMP/out" 2>&1
same "bash completion of the bundle's kb: ids from its index" "$(tr '\n' ' ' <"$TMP/out")" \
	"paas/deployment-issues.md#1 paas/deployment-issues.md#10 paas/deployment-issues.md#11 "

# make bundle MAN=...: the index carries a manual (make check's: the test pages of tests/man),
# which the bundle's kb reads in the empty root: no man, mandoc, groff, pager or terminfo.
MBUNDLE=$BUILD_TOP/bundle-man/$N.tar.gz
check "$MBUNDLE exists (make bundle MAN=tests/man)" test -f "$MBUNDLE"
tar -tzf "$MBUNDLE" | sort >"$TMP/list"
check "the manual's bundle holds the same files" diff -u "$TMP/want" "$TMP/list"
R=$TMP/mroot
mkdir -p "$R"
tar -xzf "$MBUNDLE" -C "$R"
contains "its README says kb.db holds the manual" "$R/$N/README" "the build machine's manual"
contains "its README shows kb man" "$R/$N/README" "./kb man rm"
lacks "the notes' bundle's README does not" "$D/README" "kb man"
# (in C.UTF-8, which the static kb carries, as manual.test.sh renders it: else its tables
# are drawn in ASCII)
env -i LC_ALL=C.UTF-8 $ROOT_ENTER "$R" "/$N/kb" man --plain --width 80 kbtool >"$TMP/out" 2>&1
golden "kb man kbtool in the empty root, as manual.test.sh renders it" tests/man/kbtool.80.expected "$TMP/out"
in_root "$R" "/$N/kb" search -n 1 -- --no-preserve-root >"$TMP/out" 2>&1
same "kb search finds the option in the empty root" "$(cut -f1 "$TMP/out")" "man:kbtool(1)#--no-preserve-root"
in_root "$R" "/$N/kb" search -n 1 redis >"$TMP/out" 2>&1
same "and the notes beside it" "$(cut -f1 "$TMP/out" | cut -d'#' -f1)" "paas/deployment-issues.md"
pane_start "$(root_cmd "$R" TERM=xterm-256color) /$N/kb"
pane_wait "4 Manual" || true
pane_keys Tab Tab Tab
pane_wait "sections of the manual" && pass || fail "the browser's Manual screen in the empty root"
pane_keys Enter Enter
pane_wait "kbtool [-R] [--no-preserve-root]" && pass || fail "the browser opens a page in the empty root"
contains "the page, its head" "$TMP/pane" "kbtool, kbt - frobnicate the widget cache"
pane_keys q q q q
pane_stop
finish
