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
mv "$TMP/notes" "$TMP/away"
KB_TUI_SCRIPT="$TMP/script" "$KB" --db "$DB" >"$TMP/out" 2>"$TMP/err"
golden "e without the notes: why not" tests/edit/reader-no-notes.80x24 "$TMP/screen"
finish
