#!/bin/sh
# kbgen.test.sh - the bench's corpus generator: kb builds exactly the entries kbgen says it
# wrote, at every size, even where a source's name is that of another source's copy
# (tidb-docs-cn has ticdc-open-api.md and ticdc-open-api-v2.md; kbgen names a page's copies
# NAME-v1.md, NAME-v2.md ...). Skipped when ../shared/corpora is not there (as in CI).
. tests/lib.sh
GEN=${KBGEN:-$BUILD_DIR/bench/kbgen}
case $GEN in /*) ;; *) GEN=$(pwd)/$GEN ;; esac
C=../shared/corpora
if [ ! -d "$C/tidb-docs-cn/ticdc" ] || [ ! -d "$C/tldr/pages.zh" ]; then
	echo "skipped: no corpora at $C"
	finish
	exit
fi
# A small corpora of the same shape: a few pages of each kind, the two whose names clash,
# and enough code blocks and Chinese prose for kbgen's pools.
M=$TMP/corpora
mkdir -p "$M/tldr/pages/common" "$M/tldr/pages.zh/common" "$M/tidb-docs-cn/ticdc" "$M/k8s-docs/content/en"
for f in $(ls "$C/tldr/pages/common" | head -n 20); do cp "$C/tldr/pages/common/$f" "$M/tldr/pages/common/"; done
for f in $(ls "$C/tldr/pages.zh/common" | head -n 20); do cp "$C/tldr/pages.zh/common/$f" "$M/tldr/pages.zh/common/"; done
cp "$C"/tidb-docs-cn/ticdc/*.md "$M/tidb-docs-cn/ticdc/"
cp -r "$C/k8s-docs/content/en/docs/tutorials" "$C/k8s-docs/content/en/docs/tasks/debug" \
	"$C/k8s-docs/content/en/docs/tasks/tls" "$C/k8s-docs/content/en/docs/tasks/job" "$M/k8s-docs/content/en/"
for n in 300 12000; do
	"$GEN" -s 20240601 "$M" "$TMP/g$n" "$n" 2>"$TMP/gen.err" || { fail "kbgen $n: $(cat "$TMP/gen.err")"; continue; }
	same "kbgen at $n: the entries it says it wrote" "$(sed -n 's/^entries\t//p' "$TMP/g$n/corpus.info")" "$n"
	"$KB" build --db "$TMP/g$n.db" "$TMP/g$n/notes" 2>"$TMP/build.err" || fail "kb build at $n"
	same "kb build at $n: the entries kbgen wrote" "$(sed -n 's/^kb: \([0-9]*\) entries from.*/\1/p' "$TMP/build.err")" "$n"
	same "kbgen at $n: the notes it says it wrote are on the disk" \
		"$(find "$TMP/g$n/notes" -name '*.md' | wc -l)" "$(sed -n 's/^notes\t//p' "$TMP/g$n/corpus.info")"
done
check "the clashing names were both made" test -f "$TMP/g12000/notes/tidb-docs-cn/ticdc/ticdc-open-api-v2-v1.md"
finish
