#!/bin/sh
# pathological.test.sh - notes, queries and logs built to make kb slow or fat: each is
# handled in time and memory that grow with its size, not its square, and says what it did.
# Bounds are loose (a loaded machine, a sanitizer build) but far below what the quadratic
# or unbounded code took; memory bounds (ulimit -v) are skipped under AddressSanitizer,
# which reserves far more address space than it uses.
. tests/lib.sh
N=$TMP/notes
mkdir -p "$N"
printf '## Redis down\n\n```\nERROR Could not connect to Redis at 10.0.0.1:6379: Connection refused\n```\n' >"$N/redis.md"
"$KB" build -q --db "$TMP/kb.db" "$N"
DB=$TMP/kb.db
ERR='ERROR Could not connect to Redis at 10.1.2.3:6379: Connection refused'

# limited KBYTES SECONDS COMMAND...: runs COMMAND with at most KBYTES of address space
# (unless under ASan) and SECONDS of processor time (ulimit -t: a loaded machine does not
# make it fail), and as a backstop twenty times that of wall-clock time; its exit status.
limited() {
	kbytes=$1 secs=$2
	shift 2
	(
		[ -n "${ASAN_OPTIONS:-}" ] || ulimit -v "$kbytes"
		ulimit -t "$secs"
		exec timeout $((secs * 20)) "$@"
	)
}

# ---- notes that cost cmark or kb the square of their size -----------------------------------
# one directory each: a build and a show of each note alone, each timed
note() { mkdir -p "$TMP/$1" && cat >"$TMP/$1/$1.md"; }
built() { # NAME SECONDS [KBYTES]: builds $TMP/NAME into $TMP/NAME.db within the time (and memory)
	limited "${3:-1000000}" "$2" "$KB" build -q --db "$TMP/$1.db" "$TMP/$1" >"$TMP/out" 2>"$TMP/err"
}
shown() { # NAME SECONDS [KBYTES]: kb show of the note within the time (and memory)
	limited "${3:-1000000}" "$2" "$KB" show --db "$TMP/$1.db" "$1.md" >"$TMP/out" 2>"$TMP/err"
}
awk 'BEGIN { printf "# Brackets\n\nbracketword "; for (i = 0; i < 60000; i++) printf "![[]()"; print "" }' | note brackets
built brackets 3
same "60,000 unclosed image brackets with links build in time (a cmark 0.30.2 bug)" "$?" 0
contains "and are reported by line" "$TMP/err" "kb: brackets.md:3: warning:"
shown brackets 3
same "and show in time" "$?" 0
awk 'BEGIN { printf "# Sparse\n\nsparseword "; for (i = 0; i < 60000; i++) printf "![ an image bracket left open []() "; print "" }' | note sparse
built sparse 3
same "the same with words between them builds in time" "$?" 0
contains "the image brackets are reported by line, with what was done" "$TMP/err" \
	"kb: sparse.md:3: warning: image brackets with links inside them would take the markdown parser time in the square of their number; kept as text: 60000 in one paragraph"
shown sparse 3
same "and show in time" "$?" 0
contains "as text" "$TMP/out" "sparseword [ an image bracket left open [1]"
awk 'BEGIN { printf "# Gallery\n\n"; for (i = 0; i < 5000; i++) printf "![shot %d](s%d.png) [see](n%d.md) ", i, i, i; print "" }' | note gallery
built gallery 10
same "a paragraph of 5,000 images and links builds without a word" "$(cat "$TMP/err")" ""
"$KB" show --db "$TMP/gallery.db" gallery.md >"$TMP/out"
contains "its images stay images" "$TMP/out" "shot 4999[9999]"
# memory: a note of emphasis and one of hard breaks are kept as raw text, not a hundred times
# their size in cmark's nodes
awk 'BEGIN { printf "# Stars\n\nstarword "; for (i = 0; i < 1000000; i++) printf "*a* "; print "" }' | note stars
built stars 10 200000
same "4 MB of emphasis builds in bounded memory" "$?" 0
contains "and is reported by line" "$TMP/err" "kb: stars.md:3: warning: emphasis, code, link, line and paragraph marks would take the markdown parser a hundred times their size; kept as raw text: 2000004 marks in 4000010 bytes to line 3"
shown stars 10 80000
same "and shows in bounded memory" "$?" 0
contains "as raw text (the guard's <pre> is HTML, not shown)" "$TMP/out" "starword *a* *a*"
awk 'BEGIN { printf "# Breaks\n\nbreakword\\\n"; for (i = 0; i < 1000000; i++) printf "a  \n"; print "" }' | note breaks
built breaks 10 150000
same "4 MB of hard breaks build in bounded memory" "$?" 0
shown breaks 10 300000
same "and show in bounded memory" "$?" 0
awk 'BEGIN { printf "# Items\n\n"; for (i = 0; i < 800000; i++) printf "- a\n\n" }' | note items
built items 10 150000
same "4 MB of list items apart build in bounded memory" "$?" 0
contains "and are reported from their first line to their last" "$TMP/err" "kb: items.md:3: warning: emphasis, code, link, line and paragraph marks would take the markdown parser a hundred times their size; kept as raw text: 3999999 marks in 3999999 bytes to line 1600001"
shown items 10 300000
same "and show in bounded memory" "$?" 0
contains "under their heading" "$TMP/out" "# Items"
awk 'BEGIN { printf "# Links\n\n"; for (i = 0; i < 60000; i++) printf "[x](f%d.sh) and words enough to keep the links apart ", i; print "" }' | note links
built links 3
same "60,000 links to distinct files build in time" "$?" 0
same "as links, not raw text" "$(cat "$TMP/err")" ""
awk 'BEGIN { printf "# Linked\n\nlinkword "; for (i = 0; i < 220000; i++) printf "[x](f%d.sh) a b c ", i; print "" }' | note linkpad
built linkpad 10 150000
same "4 MB of links a few words apart build in bounded memory (a link costs cmark and kb several nodes)" "$?" 0
contains "and are reported by line" "$TMP/err" "kb: linkpad.md:3: warning: emphasis, code, link, line and paragraph marks"
shown linkpad 10 80000
same "and show in bounded memory" "$?" 0
contains "as raw text" "$TMP/out" "linkword [x](f0.sh) a b c"
awk 'BEGIN { printf "# Images\n\n"; for (i = 0; i < 200000; i++) printf "![](a) "; print "" }' | note images
built images 10
shown images 6
same "200,000 images of one target show in time (resolved once)" "$?" 0

# ---- kb match streams the log ---------------------------------------------------------------
printf 'start\n\0\0\0binary\0\n%s\n' "$ERR" >"$TMP/nul.log"
status 0 "$KB" match --db "$DB" "$TMP/nul.log"
contains "an error after a NUL byte is matched" "$TMP/out" "3: $ERR"
contains "NUL bytes are said to be skipped" "$TMP/err" "kb: 4 NUL bytes in the log were skipped"
{ head -c 8000000 /dev/zero | tr '\0' '\n'; printf '%s\n' "$ERR"; } >"$TMP/newlines.log"
limited 150000 60 "$KB" match --db "$DB" "$TMP/newlines.log" >"$TMP/out" 2>"$TMP/err"
same "8 MB of empty lines are read in bounded memory" "$?" 0
contains "the line after them is numbered and matched" "$TMP/out" "8000001: $ERR"
{ head -c 3000000 /dev/zero | tr '\0' 'x'; printf '\n%s\n' "$ERR"; } >"$TMP/long.log"
limited 150000 60 "$KB" match --db "$DB" "$TMP/long.log" >"$TMP/out" 2>"$TMP/err"
same "a 3 MB line is read in bounded memory" "$?" 0
contains "the line after it is matched" "$TMP/out" "2: $ERR"
contains "the long line is reported" "$TMP/err" "kb: log lines longer than 65536 bytes were read only that far: 1 of them"
yes "$ERR" | head -n 300 >"$TMP/many.log"
status 0 "$KB" match --db "$DB" "$TMP/many.log"
contains "error lines past the most that are matched are counted" "$TMP/err" \
	"kb: only the first 200 error-looking lines were matched; 100 more were not"
printf 'all is well\n' | "$KB" match --db "$DB" >"$TMP/out" 2>"$TMP/err"
same "a log with no error exits 1" "$?" 1
contains "and says so" "$TMP/err" "kb: no error-looking lines in the log"

# ---- queries: repeated words fold, a query has at most 32 words -----------------------------
awk 'BEGIN { print "## Error words"; print ""; for (i = 0; i < 300; i++) print "error " i " error again" }' >"$N/errors.md"
"$KB" build -q --db "$DB" "$N"
words=$(yes error | head -n 3000 | tr '\n' ' ')
# shellcheck disable=SC2086
limited 300000 3 "$KB" search --db "$DB" -n 5 -- $words >"$TMP/out" 2>"$TMP/err"
same "3000 repetitions of a word are searched in time" "$?" 0
contains "and find the entry" "$TMP/out" "errors.md"
# shellcheck disable=SC2086
limited 300000 3 "$KB" search --db "$DB" -w -n 5 -- $words >"$TMP/out" 2>"$TMP/err"
same "as words (-w) too" "$?" 0
lacks "repeated words are not words left out" "$TMP/err" "left out"
# shellcheck disable=SC2046
status 0 "$KB" search --db "$DB" -w -- error $(seq 1 40 | sed 's/^/w/')
contains "words past the 32nd are left out with a note" "$TMP/err" \
	"kb: only the first 32 words of a query are searched: 9 more were left out"
printf 'size 80x24\ntype component:notes error %s\ndump %s\n' "$(seq 1 40 | sed 's/^/w/' | tr '\n' ' ')" \
	"$TMP/screen" >"$TMP/script"
TERM=xterm-256color XDG_STATE_HOME=$TMP/state KB_TUI_SCRIPT=$TMP/script "$KB" --db "$DB" >/dev/null 2>&1
contains "the browser's status line says so" "$TMP/screen" "(only the first 32 words are searched)"
# a log of 40 KB typed into the browser's prompt: drawing the prompt measured the text from its
# start at every step of its sideways scroll, the square of its length at every key
awk 'BEGIN { print "size 80x24"; for (l = 0; l < 10; l++) { printf "type "
	for (i = 0; i < 100; i++) printf "ERROR request %d failed: code%d on node%d ", i, i, l; print "" }
	print "dump '"$TMP/screen"'" }' >"$TMP/script"
rm -f "$TMP/screen"
limited 300000 5 env TERM=xterm-256color XDG_STATE_HOME="$TMP/state" KB_TUI_SCRIPT="$TMP/script" "$KB" --db "$DB" \
	>/dev/null 2>&1
same "40 KB typed into the browser's prompt: drawn in time" "$?" 0
contains "the prompt shows the end of what was typed" "$TMP/screen" "failed: code99 on node9"
paste=$(awk 'BEGIN { for (i = 0; i < 1500; i++) printf "ERROR request %d failed: code%d on node%d\n", i, i, i }')
limited 300000 3 "$KB" search --db "$DB" -n 5 -- "$paste" >"$TMP/out" 2>"$TMP/err"
same "a pasted log of 1500 lines is searched in time" "$?" 0

finish
