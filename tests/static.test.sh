#!/bin/sh
# static.test.sh - the static kb (make static) has no dynamic section and, in an empty root
# (only the binary and an index: no /proc, /dev, /tmp, shell, libraries, terminfo or locale
# files), searches, shows and draws Chinese under tmux for each TERM a jump-host user comes
# with, using the terminal descriptions and the UTF-8 LC_CTYPE it carries.
# The browser runs there too, for each TERM: a Chinese search, the reader, and quitting.
. tests/lib.sh
. tests/root.sh
# make check, asan and tsan run the suites with BUILD_DIR=build/check, build/asan ...; the
# static kb and the bundle are always built at the top: build/static/kb.
case ${BUILD_DIR:=build} in */check | */asan | */tsan | */vg) BUILD_TOP=${BUILD_DIR%/*} ;; *) BUILD_TOP=$BUILD_DIR ;; esac
STATIC=${KB_STATIC:-$BUILD_TOP/static/kb}
case $STATIC in /*) ;; *) STATIC=$(pwd)/$STATIC ;; esac
TERMS="xterm-256color xterm screen screen-256color tmux-256color vt100 linux"
ID='paas/deployment-issues.md#1'

# ---- what the binary is ---------------------------------------------------------------
check "static kb built ($STATIC: run make static)" test -x "$STATIC"
readelf -d "$STATIC" >"$TMP/dyn" 2>&1
contains "readelf -d: no dynamic section" "$TMP/dyn" "There is no dynamic section in this file."
readelf -l "$STATIC" >"$TMP/phdr" 2>&1
lacks "no program interpreter" "$TMP/phdr" "INTERP"
if command -v file >/dev/null 2>&1; then
	file -L "$STATIC" >"$TMP/file"
	contains "file says statically linked" "$TMP/file" "statically linked"
fi
# The built-in UTF-8 LC_CTYPE behaves as glibc's C.UTF-8 here (every code point's width and
# printability; conversions of valid, invalid and cut UTF-8).
"$BUILD_TOP/static/locale-check" >"$TMP/lc" 2>&1
same "locale-check: the built-in LC_CTYPE is C.UTF-8 ($(tail -n 1 "$TMP/lc"))" $? 0
grep '^FAIL' "$TMP/lc" | head -5
strip -o "$TMP/kb.stripped" "$STATIC"
echo "static kb: $(stat -c %s "$STATIC") bytes, stripped $(stat -c %s "$TMP/kb.stripped") bytes"

# ---- the empty root ---------------------------------------------------------------------
R=$TMP/root
mkdir -p "$R"
cp "$STATIC" "$R/kb"
status 0 "$STATIC" build -q --db "$R/kb.db" kb
root_ok=yes
in_root "$R" /kb --version >"$TMP/out" 2>"$TMP/err" || root_ok=no
if [ $root_ok = no ]; then
	fail "cannot run in an empty root (needs root, or unshare -r): $(cat "$TMP/err")"
	finish
	exit
fi
ls -A "$R" >"$TMP/ls"
same "the root holds only the binary and the index" "$(tr '\n' ' ' <"$TMP/ls")" "kb kb.db "
# kb.db beside the binary, found through argv[0]: there is no /proc/self/exe here.
contains "--version finds kb.db beside the binary without /proc" "$TMP/out" "index /kb.db: 11 entries"
contains "--version names SQLite" "$TMP/out" "SQLite 3."
contains "--version: static, what it carries" "$TMP/out" \
	"static: terminfo for 12 terminals built in; LC_CTYPE C.UTF-8 built in (no locale files here)"
env -i "$STATIC" --version >"$TMP/out" 2>&1
contains "--version on the host: the host's locale" "$TMP/out" "LC_CTYPE from the host's locale files"

in_root "$R" /kb search 镜像 >"$TMP/search" 2>"$TMP/err"
same "kb search 镜像 exits 0 in the empty root" $? 0
contains "search finds the Chinese entry" "$TMP/search" "$ID	部署一个新的镜像时"
TITLE=$(grep -F "$ID	" "$TMP/search" | cut -f2)
WIDE=$(($(printf %s "$TITLE" | wc -m) * 2)) # Han and fullwidth punctuation only

# Widths come from the built-in table there and from the host's C.UTF-8 here: same layout.
in_root "$R" /kb show --plain --width 30 "$ID" >"$TMP/show.root"
"$KB" show --db "$R/kb.db" --plain --width 30 "$ID" >"$TMP/show.host"
check "kb show --width 30 is laid out as on the host" cmp -s "$TMP/show.root" "$TMP/show.host"
contains "kb show prints the Chinese text" "$TMP/show.root" "镜像"
# A UTF-8 locale asked for (as ssh passes LANG) but with no files for it: the terminal is
# UTF-8, so the quote bar of entry #2 is drawn as on the host (│), not in ASCII.
env -i LANG=en_US.UTF-8 $ROOT_ENTER "$R" /kb show --plain --width 40 "${ID%1}2" >"$TMP/show.root"
"$KB" show --db "$R/kb.db" --plain --width 40 "${ID%1}2" >"$TMP/show.host"
check "LANG=en_US.UTF-8 without its files: kb show as on the host" cmp -s "$TMP/show.root" "$TMP/show.host"
contains "the quote bar is │" "$TMP/show.root" "│ 此处没有理解"
in_root "$R" /kb show --color=always --width 50 "$ID" >"$TMP/ansi.root"
"$KB" show --db "$R/kb.db" --color=always --width 50 "$ID" >"$TMP/ansi.host"
check "kb show --color=always (ANSI) is as on the host" cmp -s "$TMP/ansi.root" "$TMP/ansi.host"
contains "ANSI output has SGR" "$TMP/ansi.root" "$(printf '\033[')"

# kb build works there too (cmark, libyaml, SQLite writing), in a root with the notes.
mkdir -p "$R/notes" && cp -R kb/. "$R/notes/"
in_root "$R" /kb build -q --db /fresh.db /notes >"$TMP/out" 2>"$TMP/err"
same "kb build in the empty root exits 0" $? 0
in_root "$R" /kb --db /fresh.db search 镜像 >"$TMP/out" 2>&1
contains "the index built there finds 镜像" "$TMP/out" "$ID"
rm -rf "$R/notes" "$R/fresh.db"

# ---- under tmux, each TERM ---------------------------------------------------------------
# The pane runs (on the host's shell) kb search and kb show in the root, waits for a key,
# then kb debug curses, which starts curses on $TERM and draws the entry's title.
for t in $TERMS; do
	cat >"$TMP/pane.sh" <<EOF
$(root_cmd "$R" TERM=$t) /kb search -n 2 镜像
$(root_cmd "$R" TERM=$t) /kb show --width 70 '$ID'
echo "== search and show done"; read x
$(root_cmd "$R" TERM=$t) /kb debug curses '$TITLE'
echo "== exit \$?"; read x
EOF
	pane_start "sh $TMP/pane.sh"
	if pane_wait "== search and show done"; then pass; else fail "$t: search and show in tmux"; fi
	contains "$t: search on a terminal shows the whole id" "$TMP/pane" "$ID  [docker, image]"
	contains "$t: search on a terminal shows the page and the title" "$TMP/pane" "› 部署一个新的镜像时"
	contains "$t: show on a terminal prints the text" "$TMP/pane" "docker save [OPTIONS] IMAGE"
	pane_keys Enter
	if pane_wait "press a key"; then pass; else fail "$t: curses screen"; sed 's/^/    /' "$TMP/pane"; fi
	cp "$TMP/pane" "$TMP/screen.$t"
	contains "$t: curses runs on TERM=$t" "$TMP/pane" "kb debug curses: TERM=$t ("
	contains "$t: terminfo built into kb" "$TMP/pane" "terminfo: built into kb (the host has no entry)"
	contains "$t: LC_CTYPE built into kb" "$TMP/pane" "LC_CTYPE: C.UTF-8, codeset UTF-8 (built into kb)"
	contains "$t: the Chinese title drawn whole, bracket right after it" "$TMP/pane" "text: [$TITLE]"
	contains "$t: curses and kb agree: 2 columns a character" "$TMP/pane" "width: curses $WIDE, kb $WIDE: same"
	pane_keys q
	if pane_wait "== exit 0"; then pass; else fail "$t: kb debug curses exit"; sed 's/^/    /' "$TMP/pane"; fi
	pane_stop
done
# ---- the browser in the empty root, each TERM ---------------------------------------------
for t in $TERMS; do
	pane_start "$(root_cmd "$R" TERM=$t) /kb; echo \"== exit \$?\"; read x"
	if pane_wait "11 entries"; then pass; else fail "$t: the browser's first screen"; sed 's/^/    /' "$TMP/pane"; fi
	pane_keys 镜像
	if pane_wait "4 entries"; then pass; else fail "$t: browser search 镜像"; sed 's/^/    /' "$TMP/pane"; fi
	contains "$t: the browser lists the Chinese title" "$TMP/pane" "部署一个新的镜像时，注意是将镜像导出"
	pane_keys Enter
	if pane_wait "导出.tar的docker镜像"; then pass; else fail "$t: the reader"; sed 's/^/    /' "$TMP/pane"; fi
	cp "$TMP/pane" "$TMP/browser.$t"
	pane_keys q C-c # q back to the results, Ctrl-C quits (on the Search screen q is text)
	if pane_wait "== exit 0"; then pass; else fail "$t: the browser quits with 0"; sed 's/^/    /' "$TMP/pane"; fi
	pane_stop
done
echo "the browser's reader with TERM=vt100 in the empty root showed:"
sed -n '1,8p' "$TMP/browser.vt100" | sed 's/^/    /'

for t in xterm-256color linux; do
	echo "kb debug curses with TERM=$t in the empty root showed:"
	sed -n '1,6p' "$TMP/screen.$t" | sed 's/^/    /'
done

# A terminal neither the host nor kb knows: a message, not a crash.
pane_start "$(root_cmd "$R" TERM=kb-no-such-term) /kb debug curses; echo \"== exit \$?\"; read x"
pane_wait "== exit" || true
contains "unknown TERM: exit 2" "$TMP/pane" "== exit 2"
contains "unknown TERM: says why" "$TMP/pane" "no terminfo entry for it"
pane_stop

# On the host, the same binary uses the host's terminfo and locale files.
pane_start "env -i TERM=xterm-256color $STATIC --db $R/kb.db debug curses; echo \"== exit \$?\"; read x"
pane_wait "press a key" || true
contains "on the host: its terminfo" "$TMP/pane" "terminfo: the host's terminfo database"
contains "on the host: its C.UTF-8" "$TMP/pane" "LC_CTYPE: C.UTF-8, codeset UTF-8"
lacks "on the host: not the built-in locale" "$TMP/pane" "(built into kb)"
pane_keys q
pane_wait "== exit 0" && pass || fail "kb debug curses on the host"
pane_stop
# The command-line suites again, with the static kb on a host whose locale files are hidden
# (a mount namespace with an empty /usr/lib/locale): every result as with the dynamic kb.
if [ "$(id -u)" -eq 0 ] && unshare -m true 2>/dev/null; then
	mkdir -p "$TMP/nolocale"
	cat >"$TMP/kb-nolocale" <<EOF
#!/bin/sh
exec unshare -m sh -c 'mount --bind "\$0" /usr/lib/locale && exec "\$@"' '$TMP/nolocale' '$STATIC' "\$@"
EOF
	chmod +x "$TMP/kb-nolocale"
	"$TMP/kb-nolocale" --version >"$TMP/out" 2>&1
	contains "no locale files: the built-in LC_CTYPE" "$TMP/out" "LC_CTYPE C.UTF-8 built in"
	for suite in cli search safety entries version manual; do
		KB=$TMP/kb-nolocale sh tests/$suite.test.sh >"$TMP/suite" 2>&1
		last=$(tail -n 1 "$TMP/suite")
		case $last in
		*" passed, 0 failed") pass ;;
		*) fail "tests/$suite.test.sh with the static kb, no locale files: $last"; grep FAIL "$TMP/suite" | head -5 ;;
		esac
		echo "static kb, no locale files: tests/$suite.test.sh: $last"
	done
else
	echo "not root: the suites with the static kb and no locale files are not run"
fi
finish
