#!/bin/sh
# safety.test.sh - nothing from a note reaches the terminal raw: escape sequences in titles,
# text, code, links, symptoms, paths and diagnostics come out visible, never as controls.
. tests/lib.sh
N=$TMP/notes
mkdir -p "$N"
ESC=$(printf '\033')
# a note full of terminal escapes: OSC 52 (clipboard), CSI 2J (clear), OSC 8 (hyperlink),
# a C1 CSI, a bidi override, a BEL
printf '## Evil \033]52;c;cm0gLXJmIC8=\007 title\n\nclear \033[2J screen \033]8;;http://x\033\\link\033]8;;\033\\ and \302\233 31m and \342\200\256 reversed.\n\n```\nERROR \033[31m boom \033]52;c;AAAA\007 failed\n```\n\n[click \033[5m](a\033[2Jb.md) `code \033[1m failed`\n' >"$N/evil.md"
printf '## ok\n\nfine\n' >"$N/fine$(printf '\033')[2Jname.md"
"$KB" build --db "$TMP/kb.db" "$N" >"$TMP/build.out" 2>"$TMP/build.err"
DB=$TMP/kb.db

# only SGR sequences (ESC [ digits ; ... m) may appear, and only where kb adds styles
only_sgr() { # FILE: every ESC starts a well-formed SGR sequence
	LC_ALL=C awk -v esc="$ESC" '{
		s = $0
		while ((i = index(s, esc)) > 0) {
			rest = substr(s, i + 1)
			if (rest !~ /^\[[0-9;]*m/) exit 1
			s = substr(rest, 2)
		}
	}' "$1"
}
no_esc() { ! grep -q "$ESC" "$1"; }
no_c1() { ! LC_ALL=C grep -q "$(printf '\302[\200-\237]')" "$1"; }
no_bidi() { ! grep -q "$(printf '\342\200\256')" "$1"; }

check "build diagnostics have no ESC" no_esc "$TMP/build.err"
contains "the control character is reported" "$TMP/build.err" "control character; it will be shown escaped: 0x1B"
"$KB" search --db "$TMP/kb.db" fine >"$TMP/fine"
contains "an escape in a file name is shown escaped" "$TMP/fine" "fine^[[2Jname.md"

for cmd in "search --db $DB evil" "search --db $DB --json evil" "search --db $DB ERROR boom" \
	"show --db $DB --plain evil.md" "show --db $DB --source evil.md" \
	"components --db $DB" "symptoms --db $DB" "symptoms --db $DB --json" "check $N" "check --json $N" \
	"list --db $DB --component notes"; do
	# shellcheck disable=SC2086
	"$KB" $cmd >"$TMP/o" 2>"$TMP/e"
	check "kb $cmd: no ESC on stdout" no_esc "$TMP/o"
	check "kb $cmd: no ESC on stderr" no_esc "$TMP/e"
	check "kb $cmd: no C1 control" no_c1 "$TMP/o"
	check "kb $cmd: no bidi override" no_bidi "$TMP/o"
done
for cmd in "search --db $DB --color=always evil" "show --db $DB --color=always evil.md"; do
	# shellcheck disable=SC2086
	"$KB" $cmd >"$TMP/o" 2>"$TMP/e"
	check "kb $cmd: only kb's own SGR styles" only_sgr "$TMP/o"
	check "kb $cmd: no C1 control" no_c1 "$TMP/o"
	check "kb $cmd: no bidi override" no_bidi "$TMP/o"
done
"$KB" show --db "$DB" --plain evil.md >"$TMP/shown"
contains "escapes are visible as ^[" "$TMP/shown" "^[[2J"
contains "bidi override visible" "$TMP/shown" "<U+202E>"
contains "the link to a path with an escape is missing, not followed" "$TMP/shown" "(missing)"
# ---- --json is UTF-8 whatever the index holds (issue 22): a crafted index with overlong
# forms (C0 80, C1 9B), a surrogate, a code point past U+10FFFF, bare continuation bytes
# and C1 controls written as valid UTF-8 (C2 9B, C2 80) in a title, a symptom and a component
BAD="41C080C19BE080AFEDA080F4908080809BC29BC28042"
cp "$DB" "$TMP/bytes.db"
# an entry's title is in its pack: a pack (a magicless zstd frame of one raw block, 27
# bytes) of an entry titled BAD (22 bytes), with no anchor, section or tags, and the body "x"
sqlite3 "$TMP/bytes.db" "UPDATE entries SET body = X'A01B000000D9000016${BAD}00000078', at = 0, len = 27, back = 0;
	UPDATE symptoms SET text = CAST(X'$BAD' AS TEXT);
	INSERT INTO entry_components SELECT CAST(X'$BAD' AS TEXT), rowid FROM entries" || fail "crafting bytes.db"
utf8() { iconv -f UTF-8 -t UTF-8 "$1" >/dev/null 2>&1; }
for cmd in "search --json evil" "search --json -n 0 ERROR" "symptoms --json" "components --json"; do
	# shellcheck disable=SC2086
	"$KB" $cmd --db "$TMP/bytes.db" >"$TMP/o" 2>"$TMP/e"
	check "kb $cmd on crafted bytes: some output" test -s "$TMP/o"
	check "kb $cmd on crafted bytes: valid UTF-8" utf8 "$TMP/o"
	check "kb $cmd on crafted bytes: no C1 control" no_c1 "$TMP/o"
	lacks "kb $cmd on crafted bytes: no NUL escape" "$TMP/o" '\u0000'
done
"$KB" search --db "$TMP/bytes.db" --json evil >"$TMP/o"
contains "each malformed byte is U+FFFD, C1 controls escaped" "$TMP/o" \
	'"title":"A\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\u009b\u0080B"'
# ---- an entry's title, anchor, section and tags (packed before its markdown) holding escape
# sequences, C1 controls, a bidi override, bytes that are no UTF-8 and a NUL: a crafted pack of
# one raw block for evil.md's entry; whatever shows them shows them visibly, --json as UTF-8
EVIL="1B5B324A1B5D35323B633B636D303D07C29B33316DE280AEFFC08000" # ... NUL last
len() { printf '%02X' $((${#1} / 2 + ${2:-0})); }               # a length under 128 as a varint
fields() { # NAME ANCHOR: evil.md's entry with those fields and the anchor (hex; "" is the note's head)
	t="54$EVIL" s="73$EVIL" g="67${EVIL}0A68" body="4552524F5220626F6F6D206576696C6669656C64730A"
	f="$(len "$t")$t$(len "$2")$2$(len "$s" 1)$s$(len "$g")$g$body" n=$((${#f} / 2))
	cp "$DB" "$TMP/$1.db"
	sqlite3 "$TMP/$1.db" "UPDATE entries SET body = X'A0$(len "$f")000000$(printf '%02X%02X' $(((n * 8 + 1) % 256)) $(((n * 8 + 1) / 256)))00$f',
		at = 0, len = $n, back = 0 WHERE note = (SELECT id FROM notes WHERE path = 'evil.md')" || fail "crafting $1.db"
}
fields fields "61$EVIL"
fields head ""
for cmd in "search evil" "search --json evil" "search -n 0 --json evil" "search --color=always evil" "debug ids" \
	"show evil.md" "show --plain evil.md" "show --color=always evil.md" "list --json --component notes"; do
	case $cmd in show*) db=head ;; *) db=fields ;; esac
	# shellcheck disable=SC2086
	"$KB" $cmd --db "$TMP/$db.db" >"$TMP/o" 2>"$TMP/e"
	case $cmd in list*) ;; *) check "crafted fields, kb $cmd: exit 0" test $? = 0 ;; esac
	check "crafted fields, kb $cmd: only kb's own SGR styles" only_sgr "$TMP/o"
	check "crafted fields, kb $cmd: no ESC on stderr" no_esc "$TMP/e"
	check "crafted fields, kb $cmd: no C1 control" no_c1 "$TMP/o"
	check "crafted fields, kb $cmd: no bidi override" no_bidi "$TMP/o"
	check "crafted fields, kb $cmd: valid UTF-8" utf8 "$TMP/o"
done
"$KB" show --db "$TMP/head.db" --plain evil.md >"$TMP/o" 2>&1
contains "a crafted section is shown escaped" "$TMP/o" "s^[[2J^[]52;c;cm0=^G<U+009B>31m<U+202E><FF><C0><80>"
"$KB" debug ids --db "$TMP/fields.db" >"$TMP/o" 2>&1
contains "a crafted anchor is shown escaped" "$TMP/o" "evil.md#a^[[2J^[]52;c;cm0=^G<U+009B>31m<U+202E><FF><C0><80>"
"$KB" search --json --db "$TMP/fields.db" evil >"$TMP/o" 2>&1
contains "a crafted title in JSON: escaped, each malformed byte U+FFFD" "$TMP/o" \
	'"title":"T\u001b[2J\u001b]52;c;cm0=\u0007\u009b31m\u202e\ufffd\ufffd\ufffd"'
# ---- outside a UTF-8 locale nothing but ASCII goes out (issue 22): UTF-8's bytes 0x9B, 0x9C
# and 0x9D are CSI, ST and OSC to an 8-bit terminal (U+975B is E9 9D 9B, U+9556 E9 95 96)
mkdir "$TMP/cjk" && printf '## \351\235\233 dye \351\225\226\n\nERROR \351\235\233 failed in \351\225\226 mirror\n' >"$TMP/cjk/dye.md"
"$KB" build -q --db "$TMP/cjk.db" "$TMP/cjk" || fail "building the CJK note"
ascii_only() { ! LC_ALL=C grep -q "$(printf '[\200-\377]')" "$1"; }
for cmd in "search dye" "search --json dye" "show dye.md" "show --plain dye.md" "show --source dye.md"; do
	for loc in "LC_ALL=C" "LANG=C" "LC_ALL=POSIX"; do
		# shellcheck disable=SC2086
		env -u LC_ALL -u LANG -u LC_CTYPE $loc "$KB" $cmd --db "$TMP/cjk.db" >"$TMP/o" 2>"$TMP/e"
		check "$loc kb $cmd: some output" test -s "$TMP/o"
		check "$loc kb $cmd: ASCII only" ascii_only "$TMP/o"
	done
	case $cmd in *json*) want='\u975b' ;; *) want='<U+975B>' ;; esac
	contains "C locale, kb $cmd: the character as $want" "$TMP/o" "$want"
	LC_ALL=C.UTF-8 "$KB" $cmd --db "$TMP/cjk.db" >"$TMP/o" 2>"$TMP/e"
	contains "UTF-8 locale, kb $cmd: the character itself" "$TMP/o" "$(printf '\351\235\233')"
done
# no locale named at all (a bare jump host): the terminal is taken to be UTF-8, as before
env -u LC_ALL -u LANG -u LC_CTYPE "$KB" show --db "$TMP/cjk.db" dye.md >"$TMP/o" 2>"$TMP/e"
contains "no locale named: the character itself" "$TMP/o" "$(printf '\351\235\233')"
finish
