# lib.sh - helpers for the shell test suites: counted checks and a scratch directory.
# A suite sources this, runs checks, and ends with `finish`, which prints "N passed, N failed".
: "${KB:=build/kb}"
case $KB in /*) ;; *) KB=$(pwd)/$KB ;; esac
export LC_ALL=C.UTF-8 NO_COLOR=1 KB_DB= XDG_DATA_HOME=/nonexistent
unset PAGER LESS
T_PASSED=0 T_FAILED=0
TMP=$(mktemp -d "${TMPDIR:-/tmp}/kbtest.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

pass() { T_PASSED=$((T_PASSED + 1)); }
fail() { T_FAILED=$((T_FAILED + 1)); printf 'FAIL: %s\n' "$*"; }

# check DESCRIPTION COMMAND...: passes when COMMAND succeeds.
check() { d=$1; shift; if "$@"; then pass; else fail "$d"; fi; }

# status WANT COMMAND...: passes when COMMAND exits with WANT (a number or a list "0|1").
status() {
	want=$1; shift
	"$@" >"$TMP/out" 2>"$TMP/err"; got=$?
	case "|$want|" in *"|$got|"*) pass ;; *) fail "exit $got (want $want): $*"; sed 's/^/    /' "$TMP/err" | head -5 ;; esac
}

# same DESCRIPTION GOT WANT: string equality, showing both on failure.
same() {
	if [ "$2" = "$3" ]; then pass; else fail "$1"; printf '    got:  %s\n    want: %s\n' "$2" "$3"; fi
}

# contains DESCRIPTION FILE TEXT: the file holds the fixed string.
contains() { if grep -qF -- "$3" "$2"; then pass; else fail "$1: no '$3' in"; sed 's/^/    /' "$2" | head -5; fi; }
lacks() { if grep -qF -- "$3" "$2"; then fail "$1: '$3' found"; else pass; fi; }

# golden DESCRIPTION EXPECTED_FILE ACTUAL_FILE: with UPDATE=1 rewrites the expected file.
golden() {
	if [ -n "${UPDATE:-}" ]; then cp "$3" "$2"; pass; return; fi
	if diff -u "$2" "$3" >"$TMP/diff"; then pass; else fail "$1 differs from $2"; head -40 "$TMP/diff"; fi
}

# first_id QUERY...: the id of the first search hit.
first_id() { "$KB" search --db "$DB" -n 1 "$@" 2>/dev/null | cut -f1; }

finish() { echo "$T_PASSED passed, $T_FAILED failed"; [ "$T_FAILED" -eq 0 ]; }
