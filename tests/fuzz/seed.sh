#!/bin/sh
# seed.sh TARGET DIR - fills a fuzz target's seed corpus from the notes and ../shared/corpora
# (pack: a few entries written out).
t=$1 dir=$2
corpora=../shared/corpora
[ "$(ls "$dir" | head -1)" ] && exit 0 # seeded already: the fuzzer keeps what it learnt
case $t in
compile | render | tokenizer)
	find kb -name '*.md' -exec cp {} "$dir/" \;
	[ -d "$corpora" ] && find "$corpora" -name '*.md' | awk 'NR % 40 == 0' | head -300 |
		while read -r f; do cp "$f" "$dir/$(echo "$f" | cksum | cut -d' ' -f1).md"; done
	;;
query | normalize)
	n=0
	{ grep -h -v '^ *$' kb/paas/*.md; [ -d "$corpora" ] && find "$corpora" -name '*.md' |
		awk 'NR % 50 == 0' | head -100 | xargs grep -h -i 'error\|fail\|错误' 2>/dev/null | head -400; } |
		while IFS= read -r line; do n=$((n + 1)); printf '%s' "$line" >"$dir/line$n"; done
	;;
pack) # where the entry starts and its length, then its fields and markdown (index_pack.c)
	printf '\000\035\011Disk full\000\000\000ERROR disk full\n' >"$dir/head"
	printf '\000\032\003Opt\002-a\010OPTIONS\006net\ndball\n' >"$dir/option"
	printf '\035\032\011Disk full\000\000\000ERROR disk full\n\003Opt\002-a\010OPTIONS\006net\ndball\n' >"$dir/second"
	printf '\000\004\000\000\001\000' >"$dir/empty-section"
	;;
esac
