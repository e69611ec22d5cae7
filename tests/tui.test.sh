#!/bin/sh
# tui.test.sh - the browser, headless: scripts of keys (KB_TUI_SCRIPT) run the real views on a
# virtual xterm, and each screen is compared with its golden file tests/tui/NAME.COLSxROWS.
# UPDATE=1 rewrites the golden files instead; read every one that changes.
. tests/lib.sh
export TERM=xterm-256color XDG_STATE_HOME="$TMP/state"
unset KB_TUI_SCRIPT KB_TUI_OUTPUT
DB=$TMP/kb.db
LINKS=$TMP/links.db
"$KB" build -q --db "$DB" kb || fail "building the user's notes"
"$KB" build -q --db "$LINKS" tests/tui/notes || fail "building the test notes"
DOCS=$TMP/docs.db
"$KB" build -q --db "$DOCS" tests/docsite/kb || fail "building the documentation-site notes"

# run DB LINE...: runs a script (its lines as arguments) headless; the exit status is in $rc.
run() {
	db=$1; shift
	printf '%s\n' "$@" >"$TMP/script"
	KB_TUI_SCRIPT="$TMP/script" "$KB" --db "$db" >"$TMP/out" 2>"$TMP/err"; rc=$?
}

# scene NAME DB LINE...: the script at 80x24 and at 40x12, its last screen against the golden
# files tests/tui/NAME.80x24 and tests/tui/NAME.40x12.
scene() {
	name=$1 db=$2; shift 2
	for size in 80x24 40x12; do
		run "$db" "size $size" "$@" "dump $TMP/screen"
		same "$name at $size: exit status" "$rc" 0
		check "$name at $size: nothing on standard output" test ! -s "$TMP/out"
		check "$name at $size: nothing on standard error" test ! -s "$TMP/err"
		golden "$name at $size" "tests/tui/$name.$size" "$TMP/screen"
	done
}

# styled NAME DB LINE...: the last screen at 80x24 with its attributes, tests/tui/NAME.styled.
styled() {
	name=$1 db=$2; shift 2
	run "$db" "size 80x24" "$@" "dump-styled $TMP/screen"
	same "$name styled: exit status" "$rc" 0
	golden "$name styled" "tests/tui/$name.styled" "$TMP/screen"
}

LOG='Could not connect to Redis at [2001:db8::5]:6379: Connection refused'

# ---- the screens -------------------------------------------------------------------------
scene start "$DB"
scene search-chinese "$DB" "type 镜像"
scene search-blueprint "$DB" "type 蓝图" "key C-n"
scene search-log "$DB" "paste $LOG"
scene search-typed-log "$DB" "type $LOG"
scene search-none "$DB" "type zzzznothing"
scene search-typo "$DB" "type ImagePulBackOff"
scene search-back "$DB" "type 镜像" "key Enter q Down"
# On the Search screen letters are text, even in the list after the reader (q must not
# quit, l must not open); arrows move; Backspace edits.
scene search-typing-after-reader "$DB" "type 镜像" "key Enter q" "type kubelet quota"
scene search-list-typing "$DB" "type 镜像" "key Esc Down Down" "type x" "key Backspace" "type 1?/"
scene search-list-move "$DB" "type 镜像" "key Esc Down Down Up"
# More results than the list holds: "100 of 250"; the selection on the last one loads the
# next hundred after it (the rows shown stay), and so on until there are no more.
MANY=$TMP/many.db
mkdir -p "$TMP/many"
i=100
while [ $i -lt 350 ]; do
	printf '# Zebra note %s\n\nThe zebra crossing number %s.\n' $i $i >"$TMP/many/n$i.md"
	i=$((i + 1))
done
"$KB" build -q --db "$MANY" "$TMP/many" || fail "building 250 notes"
scene search-many "$MANY" "type zebra" "key Esc"
scene search-more "$MANY" "type zebra" "key Esc End"
scene search-more-next "$MANY" "type zebra" "key Esc End Down"
scene search-more-all "$MANY" "type zebra" "key Esc End End End"
scene components "$DB" "key Tab" "key j j"
scene component-entries "$DB" "key Tab" "key j j Enter"
scene component-reader "$DB" "key Tab" "key j j Enter" "key j Enter"
scene symptoms "$DB" "key S-Tab" "key G"
scene symptom-entries "$DB" "key S-Tab" "key G k Enter"
scene symptom-reader "$DB" "key S-Tab" "key G k Enter Enter"
scene reader "$DB" "type persistentvolume" "key Enter"
scene reader-scrolled "$LINKS" "type ENOSPC" "key Enter j j C-d"
scene reader-page "$LINKS" "type ENOSPC" "key Enter Space"
scene reader-half "$LINKS" "type ENOSPC" "key Enter d d u"
# The note around an entry: where it is ("7/11 in ..."), ] and [ to its neighbours, w for the
# whole note scrolled to the entry, q back to the entry, w on the whole note for the entry there.
scene reader-next-entry "$DB" "type 蓝图" "key Enter ]"
scene reader-prev-entry "$DB" "type 蓝图" "key Enter ] [ ["
scene reader-whole-note "$DB" "type 蓝图" "key Enter w"
scene reader-whole-note-next "$DB" "type 蓝图" "key Enter w ] ]"
scene reader-whole-note-back "$DB" "type 蓝图" "key Enter w q"
scene reader-whole-note-entry "$DB" "type 蓝图" "key Enter w ] w"
# An entry that is a heading alone (its subsections are entries of their own) reads as its
# section, the subsections under it, as kb show PATH#NAME prints it.
"$KB" build -q --db "$TMP/site.db" tests/docsite/site || fail "building the site fixture"
scene reader-heading-section "$TMP/site.db" "type parent section" "key Enter"
# A page's head (its text before the first heading) reads under the page's title, as kb show
# prints it
scene reader-page-head "$TMP/site.db" "type before draining" "key Enter"
scene reader-find-back "$DB" "type 蓝图" "key C-n Enter G" "key ?" "type 版本" "key Enter n"
scene reader-find-back-N "$DB" "type 蓝图" "key C-n Enter G" "key ?" "type 版本" "key Enter n N"
scene reader-bottom "$LINKS" "type ENOSPC" "key Enter G"
scene reader-sideways "$DB" "type persistentvolume" "key Enter Right Right"
scene reader-find "$DB" "type 蓝图" "key C-n Enter" "key /" "type 版本" "key Enter n"
scene reader-find-missing "$DB" "type 蓝图" "key Enter" "key /" "type zzz" "key Enter"
scene reader-missing-link "$DB" "type cluster_recovery" "key Enter Tab Enter"
scene link-next "$LINKS" "type dns" "key Enter Tab"
scene link-followed "$LINKS" "type dns" "key Enter Tab Enter"
scene link-back "$LINKS" "type dns" "key Enter Tab Enter q"
scene link-forward "$LINKS" "type dns" "key Enter Tab Enter q L"
scene link-file "$LINKS" "type dns" "key Enter Tab Tab Enter"
scene link-url "$LINKS" "type dns" "key Enter S-Tab"
# Links land on headings of any level: an H4 in the entry, another section of the same note
# (its entry), a heading of another note that is inside one of its entries (the whole note).
scene link-h4 "$DOCS" "type kubectl drain" "key Enter Tab Enter"
scene link-same-note "$DOCS" "type kubectl drain" "key Enter Tab Tab Enter"
scene link-other-note-h4 "$DOCS" "type elsewhere" "key Enter Tab Enter"
scene link-other-note-id "$DOCS" "type elsewhere" "key Enter Tab Tab Enter"
scene help "$DB" "key Tab ?"
scene help-from-prompt "$DB" "type x" "key F1 C-d"
scene too-small "$DB" "size 39x10"

# ---- a line cut at the edge ends in an ellipsis and skips no character: a wide character
# that does not fit is not followed by a narrow one that would (the text "询询redis" never
# reads "询r"), at every column parity of the text and of the screen.
# (The snippet drops the heading that opens it, the title says it: "= W9" stands for it.)
mkdir -p "$TMP/wide"
for k in 9 10 11 12; do
	w=$(printf '询%.0s' $(seq 1 $k))
	for p in "" a ab abc; do printf '# W%d\n\n= W%d redis %s %sredis tail\n' $k $k "$p" "$w" >"$TMP/wide/p$k$p.md"; done
done
"$KB" build -q --db "$TMP/wide.db" "$TMP/wide" || fail "building the wide notes"
for size in 40x40 41x40; do
	run "$TMP/wide.db" "size $size" "type redis" "dump $TMP/screen"
	golden "wide characters cut at $size" "tests/tui/wide-cut.$size" "$TMP/screen"
	grep '询' "$TMP/screen" | grep -v '…$' | grep -v 'tail$' >"$TMP/bad"
	check "wide characters cut at $size: every cut line ends in …" test ! -s "$TMP/bad"
done

# ---- styles: highlights, selection, monochrome, NO_COLOR ------------------------------------
styled search-chinese "$DB" "type 镜像"
NO_COLOR= # empty: colours on (lib.sh turns them off)
styled search-chinese-color "$DB" "type 镜像"
styled reader-color "$LINKS" "type dns" "key Enter Tab" "key /" "type the" "key Enter"
TERM=vt100
styled reader-vt100 "$LINKS" "type dns" "key Enter Tab"
TERM=xterm-256color NO_COLOR=1
styled reader-nocolor "$LINKS" "type dns" "key Enter Tab"
contains "the search's words are marked in the reader" tests/tui/reader-color.styled "{bold,black,on-yellow}dns"
contains "a find match is reversed" tests/tui/reader-color.styled "{rev}the{/}"
lacks "no colour under NO_COLOR" tests/tui/reader-nocolor.styled "cyan"
lacks "no colour on a vt100" tests/tui/reader-vt100.styled "cyan"
contains "links are underlined on a vt100" tests/tui/reader-vt100.styled "{ul}"

# ---- a resize lays every screen out again --------------------------------------------------
run "$DB" "size 80x24" "type 镜像" "size 40x12" "dump $TMP/a" "key Enter" "size 100x30" \
	"dump $TMP/b" "size 30x8" "dump $TMP/c" "size 80x24" "dump $TMP/d"
same "resize: exit status" "$rc" 0
golden "resize: search 80x24 to 40x12" tests/tui/resize-search.40x12 "$TMP/a"
golden "resize: reader at 100x30" tests/tui/resize-reader.100x30 "$TMP/b"
golden "resize: too small" tests/tui/resize-small.30x8 "$TMP/c"
golden "resize: reader back at 80x24" tests/tui/resize-reader.80x24 "$TMP/d"

# ---- a non-UTF-8 locale: ASCII for what kb draws -------------------------------------------
LC_ALL=C
scene ascii "$LINKS" "type dns" "key Enter"
LC_ALL=C.UTF-8
lacks "ASCII chrome under LC_ALL=C" tests/tui/ascii.80x24 "──"
# and note text in ASCII, never UTF-8's bytes (0x9B, 0x9C, 0x9D are C1 controls to an 8-bit
# terminal): 镜像 as <U+955C><U+50CF> in the prompt, the hits and the reader
LC_ALL=C
run "$DB" "size 80x24" "type 镜像" "dump $TMP/c-search" "key Enter" "dump $TMP/c-reader"
LC_ALL=C.UTF-8
for f in c-search c-reader; do
	check "C locale, $f: ASCII only" eval "! LC_ALL=C grep -q '$(printf '[\200-\377]')' '$TMP/$f'"
	contains "C locale, $f: characters as <U+XXXX>" "$TMP/$f" "<U+955C><U+50CF>"
done

# ---- query history is kept between runs ------------------------------------------------------
rm -rf "$TMP/state"
run "$DB" "type 镜像" "key Enter q q"
same "history: first run" "$rc" 0
same "history file" "$(cat "$TMP/state/kb/history")" "镜像"
run "$DB" "type redis" "key Up" "dump $TMP/screen"
contains "Up recalls the query of the last run" "$TMP/screen" "Search: 镜像"
run "$DB" "type redis" "key Up Down" "dump $TMP/screen"
contains "Down comes back to what was typed" "$TMP/screen" "Search: redis"

# ---- the mouse wheel and other keys ------------------------------------------------------------
run "$LINKS" "type ENOSPC" "key Enter" "wheel down" "wheel down" "dump $TMP/a" "wheel up" "dump $TMP/b"
golden "wheel scrolls the reader" tests/tui/reader-wheel.80x24 "$TMP/a"
check "wheel up scrolls back" test "$(head -2 "$TMP/b" | tail -1)" != "$(head -2 "$TMP/a" | tail -1)"
run "$DB" "key Tab j j j j" "wheel up" "dump $TMP/a"
contains "wheel moves a list" "$TMP/a" "> browser"
for k in "j" "k" "Space" "b" "C-d" "C-u" "g" "G" "Home" "End" "PgUp" "PgDn" "Down" "Up" "C-f" "C-b"; do
	run "$LINKS" "type ENOSPC" "key Enter G" "key $k" "dump $TMP/screen"
	check "key $k works in the reader" test "$rc" = 0 -a -s "$TMP/screen"
done
run "$LINKS" "type ENOSPC" "key Enter G" "dump $TMP/a" "key g" "dump $TMP/b"
contains "G goes to the bottom" "$TMP/a" "Bot"
contains "g goes to the top" "$TMP/b" "Top"

# ---- searches never hold up typing (the search thread, searcher.c) ---------------------------
# slow-search makes every search take that long first, as one on a far bigger index would;
# with "settle off" keys come as a typist's do, whatever the searches are doing.
run "$DB" "size 80x24" "settle off" "slow-search 3000" "key r e d" "type is" "dump $TMP/a" "settle" "dump $TMP/b"
same "slow search: exit status" "$rc" 0
contains "keys typed during a slow search are all on the screen at once" "$TMP/a" "Search: redis"
contains "what is searched for is said to be under way" "$TMP/a" "searching…"
contains "its results come once it is over" "$TMP/b" "2 entries"
lacks "and then nothing is under way" "$TMP/b" "searching"
run "$DB" "size 80x24" "type 镜像" "settle off" "slow-search 3000" "key Backspace" "pause 50" "dump $TMP/a" \
	"settle" "dump $TMP/b"
contains "the results before stay, marked, while the new ones come" "$TMP/a" "4 entries  (updating…)"
contains "the text is the new one meanwhile" "$TMP/a" "Search: 镜"
lacks "then the marks go" "$TMP/b" "updating"
# a newer query stops an older one: three slow searches in a row take about one's time
start=$(date +%s)
run "$DB" "size 80x24" "settle off" "slow-search 4000" "type 镜像" "pause 300" "key C-u" "type dns" \
	"pause 300" "key C-u" "type redis" "settle" "dump $TMP/a"
took=$(($(date +%s) - start))
check "a newer search stops the one under way (three 4 s searches took ${took} s)" test "$took" -lt 9
contains "the newest text's results are shown" "$TMP/a" "Search: redis"
contains "and no older one's" "$TMP/a" "2 entries"
# Enter while the results are still the text before's opens the new text's first entry
run "$DB" "size 80x24" "type persistent" "settle off" "slow-search 1000" "type volume" "key Enter" \
	"settle" "dump $TMP/a"
run "$DB" "size 80x24" "type persistentvolume" "key Enter" "dump $TMP/b"
check "Enter during a search opens what it finds" cmp -s "$TMP/a" "$TMP/b"
# the timing log: a line per screen drawn after keys, one per search whose results are drawn
rm -f "$TMP/timing"
run "$DB" "size 80x24" "settle off" "timing $TMP/timing" "key r" "pause 200" "key e" "pause 200" "settle"
same "timing: a screen after each key" "$(grep -c '^echo [0-9][0-9]*$' "$TMP/timing")" 2
same "timing: the results of each search" "$(grep -c '^results [0-9][0-9]*$' "$TMP/timing")" 2
run "$DB" "settle sideways"
same "settle takes on, off or nothing" "$rc" 2

# ---- quitting ------------------------------------------------------------------------------------
run "$DB" "key Tab q" "dump $TMP/never"
same "q on a first screen quits" "$rc" 0
check "q quit before the next command" test ! -e "$TMP/never"
run "$DB" "key Esc q" "dump $TMP/typed"
contains "q on the Search screen is text, from the list too" "$TMP/typed" "Search: q"
run "$DB" "type abc" "key C-c" "dump $TMP/never"
same "Ctrl-C quits from the prompt" "$rc" 0
run "$DB" "type abc" "signal TERM"
same "SIGTERM: 128+15" "$rc" 143
run "$DB" "key Tab Enter" "signal HUP"
same "SIGHUP: 128+1" "$rc" 129
run "$DB" "key nosuchkey"
same "a bad script is an error" "$rc" 2
contains "it says which line" "$TMP/err" "script:1: unknown key nosuchkey"

# ---- OSC 52: base64 only, nothing raw from the note --------------------------------------------
EVIL=$TMP/evil
mkdir -p "$EVIL"
printf '# Evil\n\nTitle \033]0;PWNED\007 and \033[2J here.\n\n```\necho hi\033]52;c;ZXZpbA==\007\n```\n' >"$EVIL/evil.md"
"$KB" build -q --db "$TMP/evil.db" "$EVIL" 2>/dev/null
printf 'size 80x24\ntype evil\nkey Enter y\ndump %s\n' "$TMP/screen" >"$TMP/script"
KB_TUI_SCRIPT="$TMP/script" KB_TUI_OUTPUT="$TMP/term.out" "$KB" --db "$TMP/evil.db" 2>"$TMP/err"
contains "the escape is shown, not sent" "$TMP/screen" "^[]0;PWNED"
lacks "no raw OSC from the note" "$TMP/term.out" "$(printf '\033]0;PWNED')"
lacks "no raw clear screen from the note" "$TMP/term.out" "$(printf '\033[2J here')"
# y on a code block with control characters copies nothing (issue 22): the clipboard goes into
# a shell, where a hidden ESC [ 201 ~ ends a bracketed paste and runs what follows
grep -ao "$(printf '\033')]52;c;[A-Za-z0-9+/=]*$(printf '\007')" "$TMP/term.out" >"$TMP/osc" || true
same "no OSC 52 sent for a code block with an escape" "$(wc -l <"$TMP/osc")" 0
contains "the copy is refused with a message" "$TMP/screen" "not copied: code block 1 of 1 holds control"
for bad in '\033[201~' '\302\233201~' '\342\200\256' '\010' '\177'; do
	printf '# Paste\n\n```\necho one\n%sid\n```\n' "$(printf "$bad")" >"$EVIL/evil.md"
	"$KB" build -q --db "$TMP/evil.db" "$EVIL" 2>/dev/null
	printf 'size 80x24\ntype paste\nkey Enter y\ndump %s\n' "$TMP/screen" >"$TMP/script"
	KB_TUI_SCRIPT="$TMP/script" KB_TUI_OUTPUT="$TMP/term.out" "$KB" --db "$TMP/evil.db" 2>"$TMP/err"
	check "y with $bad in the block: no OSC 52" eval "! grep -aq '$(printf '\033')]52' '$TMP/term.out'"
	contains "y with $bad in the block: refused" "$TMP/screen" "not copied"
done
printf '# Paste\n\n```\necho\tone\n镜像 two\n```\n' >"$EVIL/evil.md"
"$KB" build -q --db "$TMP/evil.db" "$EVIL" 2>/dev/null
KB_TUI_SCRIPT="$TMP/script" KB_TUI_OUTPUT="$TMP/term.out" "$KB" --db "$TMP/evil.db" 2>"$TMP/err"
grep -ao "$(printf '\033')]52;c;[A-Za-z0-9+/=]*$(printf '\007')" "$TMP/term.out" >"$TMP/osc" || true
same "a block of tabs and text is copied exactly" "$(sed 's/.*;//' "$TMP/osc" | tr -d '\007' | base64 -d | od -c)" \
	"$(printf 'echo\tone\n镜像 two' | od -c)"
run "$LINKS" "type proxy" "key Enter y"
same "copy in a page" "$rc" 0

# ---- the KEYS section of kb(1) comes from the key table ----------------------------------------
run "$DB" "keys-mdoc $TMP/keys.mdoc"
sed -n '/^\.\\" KEYS BEGIN/,/^\.\\" KEYS END/p' man/kb.1 | sed '1d;$d' >"$TMP/keys.man"
golden "man/kb.1 KEYS section (make man-keys rewrites it)" "$TMP/keys.man" "$TMP/keys.mdoc"
check "the KEYS section names Ctrl-C" grep -q 'Ic Ctrl-C' "$TMP/keys.mdoc"
for name in $(sed -n 's/^.*{KB_TUI_A_[A-Z0-9_]*, "\([a-z0-9-]*\)".*/\1/p' src/tui/keys.c | sort -u); do
	contains "help names $name" "$TMP/keys.mdoc" "Cm $name"
done
finish
