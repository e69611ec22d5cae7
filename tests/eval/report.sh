#!/bin/sh
# report.sh OUT [--misses] - print the eval tables (and kb's misses) from OUT/*.results,
# for the corpora of the last run (OUT/run.info). `make eval-misses` calls it alone.
set -eu
OUT=${1:?usage: report.sh OUT [--misses]}
MISSES=${2:-}
HERE=$(dirname "$0")
export LC_ALL=C
[ -f "$OUT/run.info" ] || { echo "eval: no results in $OUT: run make eval" >&2; exit 2; }
files=
while read -r name n rest; do
	[ "$n" != absent ] || continue
	[ -f "$OUT/$name.results" ] && files="$files $OUT/$name.results"
done <"$OUT/run.info"
awk -f "$HERE/report.awk" -v out="$OUT" -v misses="$MISSES" "$OUT/run.info" $files
