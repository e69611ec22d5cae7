#!/bin/sh
# manual.test.sh - kb build --man: the test pages under tests/man (written for kb) indexed
# beside the notes, found as typed, kept, refreshed and dropped as kb.1 says.
. tests/lib.sh
DB=$TMP/kb.db
MAN=$TMP/man
cp -R tests/man "$MAN"
gzip -9n "$MAN/man5/kbconf.5"                          # gzip'd pages are read
printf '.so ../../../../etc/passwd\n' >"$MAN/man7/kbevil.7" # a stub leading out: no alias
ln -s /etc/hostname "$MAN/man1/kbout.1"                 # a link leading out: not read

status 0 "$KB" build --db "$DB" --man="$MAN" --man-lang=zh_CN kb
contains "the summary counts the pages" "$TMP/err" "man pages: 4 found, 4 compiled, 0 unchanged"
same "notes and man pages side by side, each with its format and source" \
	"$(sqlite3 "$DB" "SELECT format || '/' || source || ':' || count(*) FROM notes GROUP BY format, source ORDER BY 1")" \
	"$(printf 'markdown/notes:1\nroff/man:4')"
same "ids name page, language and option" \
	"$(sqlite3 "$DB" "SELECT path FROM notes WHERE source = 'man' ORDER BY path" | tr '\n' ' ')" \
	"man:kbcall(2) man:kbconf(5) man:kbtool(1) man:zh_CN/kbtool(1) "

# ---- found as typed ------------------------------------------------------------------------
same "--no-preserve-root" "$(first_id -- --no-preserve-root)" "man:kbtool(1)#--no-preserve-root"
"$KB" search --db "$DB" -n 2 Restart= | cut -f1 >"$TMP/hits"
contains "Restart= (a gzip'd DocBook page)" "$TMP/hits" "man:kbconf(5)#Restart="
same "EADDRINUSE (mdoc .It Er)" "$(first_id EADDRINUSE)" "man:kbcall(2)#EADDRINUSE"
same "ServerAliveInterval (mdoc .It Cm)" "$(first_id ServerAliveInterval)" "man:kbcall(2)#ServerAliveInterval"
same "a symbolic link is an alias of its page" "$(first_id kbtoolctl)" "man:kbtool(1)"
same "a .so stub is an alias of its page" "$(first_id kbstub)" "man:kbtool(1)"
same "a DIAGNOSTICS message is a symptom" "$(first_id 'symptom:widget cache is locked')" \
	"man:kbconf(5)#widget-cache-is-locked"
same "a translated page, its heading mapped" "$(first_id source:man 递归)" "man:zh_CN/kbtool(1)#-R"
check "nothing outside the trees gets in" test "$(sqlite3 "$DB" "SELECT count(*) FROM notes WHERE path LIKE '%evil%' OR path LIKE '%kbout%'")" -eq 0
lacks "no alias from outside the tree" "$TMP/err" "kbevil"

# ---- filters and --json ---------------------------------------------------------------------
same "source:notes" "$(first_id source:notes redis | cut -d'#' -f1)" "paas/deployment-issues.md"
same "source:man" "$(first_id source:man widget | cut -c1-4)" "man:"
same "section:5" "$(first_id section:5 widget)" "man:kbconf(5)#widget-cache-is-locked"
same "section:2" "$(first_id section:2 widget | cut -d'#' -f1)" "man:kbcall(2)"
"$KB" search --db "$DB" --json -- --no-preserve-root | head -1 >"$TMP/json"
contains "json rows carry the source" "$TMP/json" '"source":"man"'
"$KB" search --db "$DB" --json redis | head -1 >"$TMP/json"
contains "json rows of notes say notes" "$TMP/json" '"source":"notes"'

# ---- reading ----------------------------------------------------------------------------------
status 0 "$KB" show --db "$DB" --plain --width 60 'man:kbtool(1)#--no-preserve-root'
contains "kb show renders a man entry" "$TMP/out" "Do not treat */* specially."

# ---- kb man ---------------------------------------------------------------------------------
# a page of each layout (man(7) .TP, DocBook .PP+.RS, mdoc) at 80 and 40 columns
for w in 80 40; do
	status 0 "$KB" man --db "$DB" --plain --width $w kbtool
	golden "kb man kbtool at $w columns" tests/man/kbtool.$w.expected "$TMP/out"
	status 0 "$KB" man --db "$DB" --plain --width $w 'kbconf(5)'
	golden "kb man 'kbconf(5)' at $w columns" tests/man/kbconf.$w.expected "$TMP/out"
	status 0 "$KB" man --db "$DB" --plain --width $w 2 kbcall
	golden "kb man 2 kbcall at $w columns" tests/man/kbcall.$w.expected "$TMP/out"
done
status 0 "$KB" man --db "$DB" --plain 'kbtool#--no-preserve-root'
contains "kb man NAME#option: that option" "$TMP/out" "Do not treat */* specially."
lacks "kb man NAME#option: that option alone" "$TMP/out" "Descend into"
status 1 "$KB" man --db "$DB" kbtol
contains "an unknown page: the nearest names" "$TMP/err" "kbtool"
status 1 "$KB" man --db "$DB" 3 kbtool
status 1 "$KB" man --db "$DB" 'kbtool#--no-such-option'

# ---- the browser, headless (as tests/tui.test.sh runs it) ----------------------------------
export TERM=xterm-256color XDG_STATE_HOME="$TMP/state"
unset KB_TUI_SCRIPT KB_TUI_OUTPUT
scene() { # NAME LINE...: the last screen at 80x24 against tests/man/NAME.80x24
	name=$1; shift
	printf '%s\n' "size 80x24" "$@" "dump $TMP/screen" >"$TMP/script"
	KB_TUI_SCRIPT="$TMP/script" "$KB" --db "$DB" >"$TMP/out" 2>"$TMP/err"
	same "$name: exit status" "$?" 0
	golden "$name" "tests/man/$name.80x24" "$TMP/screen"
}
scene tui-manual "key Tab Tab Tab"
scene tui-manual-section "key Tab Tab Tab" "key Enter"
scene tui-manual-page "key Tab Tab Tab" "key Enter Enter"
# the list names the page of each option (its section, OPTIONS, says nothing of which page)
scene tui-man-list "type --no-preserve-root"
scene tui-man-hit "type --no-preserve-root" "key Enter Enter"
scene tui-man-find "type --no-preserve-root" "key Enter Enter" "key /" "type EXIT" "key Enter"
scene tui-man-link "key Tab Tab Tab" "key Enter Enter" "key G S-Tab Enter"

# ---- options as typed -------------------------------------------------------------------------
# a -word that an entry's title spells as an option is a word to find (find -mtime); any
# other -word still excludes; an entry titled with the option or key typed comes first
OPT=$TMP/opt
mkdir -p "$OPT/man1"
cat >"$OPT/man1/kbfind.1" <<'PAGE'
.TH KBFIND 1
.SH NAME
kbfind \- find widgets in the cache
.SH OPTIONS
.TP
.BI \-maxage " n"
Widgets changed less than n days ago.
.TP
.B \-print
Print each widget found in the cache.
.SH COMMANDS
.TP
.B restart
Restart the restart of a restart.
.TP
.B Restart=
Whether the widget is started again when it dies, and after how long, which the
settings of the cache say when the widget leaves it, as the frobnicator does.
.SH DESCRIPTION
Widgets of the cache are found by their age.
PAGE
OPTDB=$TMP/opt.db
status 0 "$KB" build --db "$OPTDB" --man="$OPT" kb
same "kbfind -maxage: the option, not an exclusion" "$(DB=$OPTDB first_id kbfind -maxage)" "man:kbfind(1)#-maxage"
same "-maxage alone" "$(DB=$OPTDB first_id -- -maxage)" "man:kbfind(1)#-maxage"
"$KB" search --db "$OPTDB" widgets -cache | cut -f1 >"$TMP/hits"
same "widgets -cache: an exclusion still" "$(cat "$TMP/hits")" "man:kbfind(1)#-maxage"
same "Restart=: the key as typed before the word" "$(DB=$OPTDB first_id Restart=)" "man:kbfind(1)#Restart="

# ---- standing: the pages that refer to a page --------------------------------------------
# kbsock(5) and kbsvc(5) define Frobdepth= word for word (kbsock, the first, comes first when
# they are alike in all else); kbsvc is the page the manual refers to (by its name, by an
# alias, from a note), kbsock only refers to itself and its alias
REF=$TMP/ref
mkdir -p "$REF/man1" "$REF/man5" "$REF/man8" "$TMP/refnotes"
for p in kbsock kbsvc; do
	cat >"$REF/man5/$p.5" <<PAGE
.TH ${p} 5
.SH NAME
$p \- settings of a widget unit
.SH OPTIONS
.TP
.B Frobdepth=
The widget a unit starts, named as its cache names it.
.SH SEE ALSO
.BR $p (5),
.BR ${p}alias (5),
.BR kbnosuch (1)
PAGE
	ln -s "$p.5" "$REF/man5/${p}alias.5"
done
printf '.TH KBREFA 1\n.SH NAME\nkbrefa \\- a tool\n.SH SEE ALSO\n.BR kbsvc (5),\n.BR kbsvc (5),\n.BR kbext (5)\n' >"$REF/man1/kbrefa.1"
printf '.TH KBEXT 5kb\n.SH NAME\nkbext \\- settings of an extension\n' >"$REF/man5/kbext.5kb" # "man 5 kbext" finds it
printf '.TH KBREFB 8\n.SH NAME\nkbrefb \\- a daemon\n.SH DESCRIPTION\nSee \\fIkbsvcalias\\fR(5).\n' >"$REF/man8/kbrefb.8"
printf '# Widgets\n\nThe unit file: [kbsvc(5)](man:kbsvc(5)#Frobdepth=).\n' >"$TMP/refnotes/units.md"
printf 'not the page\n' >"$TMP/refnotes/man:kbsvc(5)" # a file named as the link: not a linked file
REFDB=$TMP/ref.db
status 0 "$KB" build --db "$REFDB" --man="$REF" "$TMP/refnotes"
refs() { sqlite3 "$REFDB" "SELECT n.path || ' ' || r.refs FROM note_refs r JOIN notes n ON n.id = r.note ORDER BY n.path" | tr '\n' ,; }
same "a page counts the pages and notes that refer to it, by name, alias or section, once each; never itself" \
	"$(refs)" "man:kbext(5kb) 1,man:kbsvc(5) 3,"
same "of two pages alike, the one referred to first" "$(DB=$REFDB first_id Frobdepth= cache)" "man:kbsvc(5)#Frobdepth="
same "references are links of the page's head entry, each once, never the page itself" \
	"$(sqlite3 "$REFDB" "SELECT l.target FROM entry_links l JOIN notes n ON l.entry = n.first WHERE n.path = 'man:kbsvc(5)'" | tr '\n' ' ')" \
	"man:kbnosuch(1) man:kbsvcalias(5) "
same "no linked file stored for a man: link" "$(sqlite3 "$REFDB" "SELECT count(*) FROM files")" 0
lacks "and no diagnostic about one" "$TMP/err" "linked"
status 0 "$KB" man --db "$REFDB" --plain kbrefb
contains "the reader shows the reference as before" "$TMP/out" "See *kbsvcalias*(5)[1]."
# the reader follows a reference as man(1) finds its page: an alias, a longer section
contains "a reference by an alias leads to its page" "$TMP/out" "[1] man:kbsvc(5)"
lacks "and is not missing" "$TMP/out" "(missing)"
status 0 "$KB" man --db "$REFDB" --plain kbrefa
contains "a reference to a section leads to the page of a longer one" "$TMP/out" "man:kbext(5kb)"
lacks "which is not missing" "$TMP/out" "(missing)"
status 0 "$KB" man --db "$REFDB" --plain kbsvc
contains "a page the index does not hold is still missing" "$TMP/out" "man:kbnosuch(1) (missing)"
rm "$REF/man8/kbrefb.8"
status 0 "$KB" build --db "$REFDB" --man="$REF" "$TMP/refnotes"
same "an incremental build counts again" "$(refs)" "man:kbext(5kb) 1,man:kbsvc(5) 2,"
printf '# Widgets\n\nThe unit file.\n' >"$TMP/refnotes/units.md"
status 0 "$KB" build --db "$REFDB" "$TMP/refnotes"
same "a build of the notes alone too" "$(refs)" "man:kbext(5kb) 1,man:kbsvc(5) 1,"

# ---- incremental, kept, dropped -------------------------------------------------------------
status 0 "$KB" build --db "$DB" --man="$MAN" --man-lang=zh_CN kb
contains "unchanged pages are not compiled again" "$TMP/err" "4 found, 0 compiled, 4 unchanged"
touch "$MAN/man2/kbcall.2"
status 0 "$KB" build --db "$DB" --man="$MAN" --man-lang=zh_CN kb
contains "a changed page is" "$TMP/err" "4 found, 1 compiled, 3 unchanged"
status 0 "$KB" build --db "$DB" kb
same "kb build without --man keeps the pages" "$(sqlite3 "$DB" "SELECT count(*) FROM notes WHERE source = 'man'")" 4
status 0 "$KB" build --db "$DB" --full kb
same "a full build reads them again" "$(sqlite3 "$DB" "SELECT count(*) FROM notes WHERE source = 'man'")" 4
same "and finds them" "$(first_id -- --no-preserve-root)" "man:kbtool(1)#--no-preserve-root"
status 0 "$KB" build --db "$DB" --man="$MAN" kb
same "without --man-lang the translated tree goes" \
	"$(sqlite3 "$DB" "SELECT count(*) FROM notes WHERE path LIKE 'man:zh_CN/%'")" 0
status 0 "$KB" build --db "$DB" --no-man kb
same "--no-man drops them" "$(sqlite3 "$DB" "SELECT count(*) FROM notes WHERE source = 'man'")" 0
same "and keeps the notes" "$(sqlite3 "$DB" "SELECT count(*) FROM notes")" 1
status 2 "$KB" build --db "$DB" --man --no-man kb
rm -f "$MAN/man7/kbevil.7" "$MAN/man1/kbout.1"
MANPATH=$MAN status 0 "$KB" build --db "$DB" --man kb
same "--man alone reads \$MANPATH" "$(sqlite3 "$DB" "SELECT count(*) FROM notes WHERE source = 'man'")" 3
status 0 "$KB" build --db "$DB" -v --man="$MAN" --full kb
contains "kb build -v lists mandoc's warnings" "$TMP/err" "man:kbconf(5):2:18: warning: mandoc: WARNING: missing date"
finish
