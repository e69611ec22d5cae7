#!/bin/sh
# version.test.sh - kb --version names kb's version, SQLite's, the schema, tokenizer and
# normaliser versions kb writes, and for the index in use its entry count and the versions it
# was built with, which must agree with what the index itself records.
. tests/lib.sh
DB=$TMP/kb.db
status 0 "$KB" build -q --db "$DB" kb
V=$(cat VERSION)
SQLITE=$(sqlite3 --version | cut -d' ' -f1)

"$KB" --version >"$TMP/v" 2>&1
same "kb --version exits 0" $? 0
head -n 1 "$TMP/v" >"$TMP/line1"
check "first line: kb, SQLite, schema, tokenizer, normaliser versions" \
	grep -qE "^kb $V \(SQLite $SQLITE, index schema [0-9]+, tokenizer [0-9]+, normaliser [0-9]+\)$" "$TMP/line1"
contains "no index: says so" "$TMP/v" "index: none found"

meta() { sqlite3 "$DB" "SELECT value FROM meta WHERE key = '$1'"; }
ENTRIES=$(sqlite3 "$DB" 'SELECT count(*) FROM entries')
WANT="index $DB: $ENTRIES entries from 1 notes, schema $(meta schema), tokenizer $(meta tokenizer), built by kb $V"
same "the user's notes give 11 entries" "$ENTRIES" 11
for args in "--version --db $DB" "--db $DB --version" "version --db $DB" "--db=$DB version"; do
	"$KB" $args >"$TMP/v" 2>&1
	same "kb $args: the index line" "$(sed -n '/^index/p' "$TMP/v")" "$WANT"
done
KB_DB=$DB "$KB" -V >"$TMP/v" 2>&1
same "KB_DB and -V" "$(sed -n '/^index/p' "$TMP/v")" "$WANT"
# What kb writes now is what this index was built with.
same "schema of kb = schema of the index" "$(sed -n 's/.*index schema \([0-9]*\),.*/\1/p' "$TMP/line1")" "$(meta schema)"
same "tokenizer of kb = tokenizer of the index" \
	"$(sed -n 's/.*tokenizer \([0-9]*\),.*/\1/p' "$TMP/line1")" "$(meta tokenizer)"
# Found as the later places kb looks (kb.db beside the binary is looked for first).
mkdir -p "$TMP/xdg/kb" && cp "$DB" "$TMP/xdg/kb/kb.db"
XDG_DATA_HOME=$TMP/xdg "$KB" --version >"$TMP/v" 2>&1
same "the index in \$XDG_DATA_HOME/kb: found, no crash" "$?:$(sed -n '/^index/p' "$TMP/v" | cut -d: -f1)" \
	"0:index $TMP/xdg/kb/kb.db"
echo "not an index" >"$TMP/bad.db"
"$KB" --version --db "$TMP/bad.db" >"$TMP/v" 2>&1
same "a file that is not an index: exit 0, first line still printed" "$?:$(head -c 3 "$TMP/v")" "0:kb "
contains "a file that is not an index: says so" "$TMP/v" "index: "
finish
