#!/bin/sh
# diag.test.sh - the catalogue of diagnostics: kb.1 lists exactly the messages kb gives
# (name, level and text, in the catalogue's order), and kb check --json names each message
# by its code, for a tree of notes with one problem each.
. tests/lib.sh

# ---- kb.1 and the catalogue agree ---------------------------------------------------------
# Each message is one line of DIAGNOSTICS: .It Li "LEVEL: TEXT" Pq Cm NAME
sed -n '/^\.Sh DIAGNOSTICS/,/^\.Sh /p' man/kb.1 |
	sed -n 's/^\.It Li "\(note\|warning\|error\): \(.*\)" Pq Cm \([a-z0-9-]*\)$/\3\t\1\t\2/p' >"$TMP/man"
"$KB" debug diagnostics >"$TMP/cat"
same "kb debug diagnostics exits 0" $? 0
check "the catalogue has codes" test "$(wc -l <"$TMP/cat")" -gt 30
golden "kb.1 lists every diagnostic, as the catalogue words it" "$TMP/cat" "$TMP/man"

# ---- each message by its code -------------------------------------------------------------
N=$TMP/n
mkdir -p "$N/dir.md" "$N/.hidden" "$N/sub"
printf '# In\n\ntext\n' >"$N/dir.md/inner.md"
printf '# Hidden\n' >"$N/.hidden/x.md"
ln -s .hidden/x.md "$N/hid.md"
printf '# Out\n' >"$TMP/outside.md"
ln -s ../outside.md "$N/out.md"
ln -s .. "$N/sub/up"
mkfifo "$N/fifo.md"
truncate -s 17M "$N/big.md"
printf 'ok\nbad\000\n' >"$N/bin.md"
printf '# \264\355\316\363\n' >"$N/gbk.md"
printf ' \n\t\n' >"$N/empty.md"
printf '\357\273\277# Bom\n\nx\n' >"$N/bom.md"
printf '# Ctl\n\na \033 b\n' >"$N/ctl.md"
printf -- '---\ntitle: only\n---\n' >"$N/fmonly.md"
printf -- '---\ntitle: x\ncomponents: {a: [\n---\n# Body\n' >"$N/fminv.md"
awk 'BEGIN { printf "---\ntags: ["; for (i = 0; i < 21000; i++) printf "a,"; printf "a]\n---\n# Body\n" }' >"$N/fmbig.md"
printf -- '---\n- a\n---\n# Body\n' >"$N/fmlist.md"
printf -- '---\n? [a]\n: b\n---\n# Body\n' >"$N/fmkey.md"
printf -- '---\nx: &a [1]\ntags: *a\n---\n# Body\n' >"$N/fmalias.md"
printf -- '---\ntitle: [a, b]\n---\n# Body\n' >"$N/fmtype.md"
printf -- '---\nsplit: bogus\n---\n# Body\n' >"$N/fmsplit.md"
printf -- '---\ntitle: x\n# Heading\n' >"$N/fmopen.md"
printf 'db: [mysql]\n? [a]\n: [b]\nweb: {a: 1}\nbase: &b [x]\nal: *b\n' >"$N/components.yaml"
d=$N/deep
for i in $(seq 66); do d=$d/d; done
mkdir -p "$d"
if [ "$(id -u)" != 0 ]; then
	printf '# Secret\n' >"$N/secret.md" && chmod 000 "$N/secret.md"
fi
"$KB" check --json "$N" >"$TMP/out" 2>"$TMP/err"
same "kb check --json: a note has an error" $? 1
check "standard error is JSON, one object a line" sh -c "! grep -qv '^{\"path\":' '$TMP/err'"
contains "the object of a message with arguments" "$TMP/err" \
	'{"path":"gbk.md","line":1,"col":3,"level":"error","code":"not-utf8","text":"not valid UTF-8 (convert it first, for example with iconv -f GB18030 -t UTF-8); skipped","args":"byte 0xB4"}'
contains "the object of a message without" "$TMP/err" \
	'{"path":"empty.md","line":0,"col":0,"level":"error","code":"empty","text":"empty note; skipped","args":null}'
code() { # code PATH NAME: kb check said NAME about PATH (or a path ending so)
	if grep -F "$1\"," "$TMP/err" | grep -qF "\"code\":\"$2\""; then pass; else fail "$1 has no code $2"; fi
}
code fifo.md not-regular
code out.md link-out
code hid.md link-hidden
code dir.md dir-named-note
code sub/up dir-loop
code /d/d dirs-too-deep
code big.md too-big
code bin.md binary
code gbk.md not-utf8
code empty.md empty
code bom.md bom
code ctl.md control
code fmonly.md no-content
code fminv.md fm-invalid
code fmbig.md fm-too-big
code fmlist.md fm-not-mapping
code fmkey.md fm-key
code fmalias.md fm-alias
code fmtype.md fm-type
code fmsplit.md fm-split
code fmopen.md fm-unclosed
code components.yaml comp-key
code components.yaml comp-words
code components.yaml comp-alias
[ "$(id -u)" != 0 ] && code secret.md unreadable
for c in "comp-invalid|db: [a\n" "comp-not-mapping|- a\n" "comp-too-big|$(awk 'BEGIN { printf "a: ["; for (i = 0; i < 21000; i++) printf "w,"; printf "w]\\n" }')"; do
	rm -rf "$TMP/c" && mkdir "$TMP/c" && printf '# Note\n' >"$TMP/c/a.md"
	printf -- "${c#*|}" >"$TMP/c/components.yaml"
	"$KB" check --json "$TMP/c" >"$TMP/out" 2>"$TMP/err"
	code components.yaml "${c%%|*}"
done
rm -f "$TMP/c/components.yaml" && ln -s ../outside.md "$TMP/c/components.yaml"
"$KB" check --json "$TMP/c" >"$TMP/out" 2>"$TMP/err"
code components.yaml comp-unusable
# kb build prints lines for people; a man directory that is not there is a warning.
rm -f "$TMP/c/components.yaml"
"$KB" build -q --db "$TMP/m.db" --man="$TMP/noman" "$TMP/c" >"$TMP/out" 2>"$TMP/err"
same "kb build: a warning is no error" $? 0
contains "kb build: man-dir" "$TMP/err" \
	"kb: $TMP/noman: warning: a man directory that cannot be read; its pages are skipped: No such file or directory"
# Without --json the same messages are lines for people.
"$KB" check "$N" >"$TMP/out" 2>"$TMP/err"
contains "kb check: a line for people" "$TMP/err" \
	"kb: gbk.md:1:3: error: not valid UTF-8 (convert it first, for example with iconv -f GB18030 -t UTF-8); skipped: byte 0xB4"
lacks "kb check: no JSON" "$TMP/err" '"code":'
chmod -R u+rwX "$N" 2>/dev/null
finish
