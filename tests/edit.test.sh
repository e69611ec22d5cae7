#!/bin/sh
# edit.test.sh - kb edit and the reader's e: the entry's note in $VISUAL/$EDITOR at the
# entry's line, then the index rebuilt (and, in the browser, the entry read again); an index
# without its notes (a bundle) says why it cannot. The editor is a script that notes its
# arguments and changes the note. UPDATE=1 rewrites the golden files.
. tests/lib.sh
export TERM=xterm-256color XDG_STATE_HOME="$TMP/state"
unset KB_TUI_SCRIPT KB_TUI_OUTPUT VISUAL
cp -r tests/docsite/kb "$TMP/notes"
DB=$TMP/kb.db
"$KB" build -q --db "$DB" "$TMP/notes" || fail "building the notes"
cat >"$TMP/ed" <<EOS
#!/bin/sh
printf '%s\n' "\$@" >"$TMP/args"
sed -i 's/Second text\./Second text, edited./' "\$2"
EOS
chmod +x "$TMP/ed"
export EDITOR="$TMP/ed"

# kb edit ID: the editor at the entry's line, then the index up to date.
status 0 "$KB" edit --db "$DB" site.md#second-a
same "kb edit: the editor gets +LINE and the note" "$(cat "$TMP/args")" "$(printf '+82\n%s' "$TMP/notes/site.md")"
"$KB" show --db "$DB" --plain site.md#second-a >"$TMP/out"
contains "kb edit: the index has the edit" "$TMP/out" "Second text, edited."
VISUAL="$TMP/ed" EDITOR=false status 0 "$KB" edit --db "$DB" site.md#second-a
EDITOR=false status 2 "$KB" edit --db "$DB" site.md#second-a
contains "kb edit: an editor that fails leaves the index" "$TMP/err" "the editor exited with 1: the index is as it was"
status 1 "$KB" edit --db "$DB" no-such-entry
mv "$TMP/notes" "$TMP/away"
status 2 "$KB" edit --db "$DB" site.md#second-a
contains "kb edit without the notes: says why" "$TMP/err" "only the index is on this host, not the notes it was built from"
mv "$TMP/away" "$TMP/notes"

# The reader's e: edited, rebuilt, the entry read again; without the notes, why not.
sed -i 's/Second text, edited\./Second text./' "$TMP/notes/site.md"
"$KB" build -q --db "$DB" "$TMP/notes"
printf '%s\n' "size 80x24" "type second" "key Enter e" "dump $TMP/screen" >"$TMP/script"
KB_TUI_SCRIPT="$TMP/script" "$KB" --db "$DB" >"$TMP/out" 2>"$TMP/err"
same "e: exit status" "$?" 0
golden "e: the entry read again after the edit" tests/edit/reader-edited.80x24 "$TMP/screen"
# back on the Search screen, a search finds the edit: the search thread reads the new index
sed -i 's/Second text, edited\./Second text./' "$TMP/notes/site.md"
"$KB" build -q --db "$DB" "$TMP/notes"
printf '%s\n' "size 80x24" "type second" "key Enter e q" "key Backspace Backspace Backspace Backspace Backspace Backspace" \
	"type edited" "dump $TMP/screen" >"$TMP/script2"
KB_TUI_SCRIPT="$TMP/script2" "$KB" --db "$DB" >"$TMP/out" 2>"$TMP/err"
contains "e: a search after the edit finds what the edit wrote" "$TMP/screen" "1 entry"
mv "$TMP/notes" "$TMP/away"
KB_TUI_SCRIPT="$TMP/script" "$KB" --db "$DB" >"$TMP/out" 2>"$TMP/err"
golden "e without the notes: why not" tests/edit/reader-no-notes.80x24 "$TMP/screen"
# An index is anyone's file: kb edit opens only a note under the notes directory it names.
H=$TMP/h
mkdir -p "$H/n/sub" "$H/outside"
printf '## Inner\n\ninnerword\n' >"$H/n/sub/inner.md"
printf '## Away\n\nawayword\n' >"$H/outside/inner.md"
"$KB" build -q --db "$H/kb.db" "$H/n"
mv "$H/n/sub" "$H/sub-was" && ln -s ../outside "$H/n/sub" # a directory on the way now leads out
EDITOR="$TMP/ed" status 2 "$KB" edit --db "$H/kb.db" sub/inner.md
contains "kb edit: a note reached through a link out is not opened" "$TMP/err" \
	"sub/inner.md: a symbolic link out of the notes directory"
rm "$H/n/sub" && mv "$H/sub-was" "$H/n/sub"
"$KB" build -q --full --db "$H/kb.db" "$H/n"
if command -v sqlite3 >/dev/null 2>&1 && command -v python3 >/dev/null 2>&1; then
	# notes.pkey is kb_path_key(path): FNV-1a 64 of the path, its low 31 bits
	key=$(python3 -c 'import sys
h = 0xcbf29ce484222325
for b in sys.argv[1].encode(): h = ((h ^ b) * 0x100000001b3) & (2**64 - 1)
print(h & 0x7fffffff)' "../outside/inner.md")
	sqlite3 "$H/kb.db" "UPDATE notes SET path = '../outside/inner.md', pkey = $key"
	rm -f "$TMP/args"
	EDITOR="$TMP/ed" status 2 "$KB" edit --db "$H/kb.db" ../outside/inner.md
	contains "kb edit: a note path out of the notes directory is not opened" "$TMP/err" \
		"../outside/inner.md: not the path of a note under the notes directory"
	check "and no editor was run" test ! -e "$TMP/args"
fi
finish
