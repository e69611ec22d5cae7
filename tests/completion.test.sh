#!/bin/sh
# completion.test.sh - bash and zsh completion of kb: commands, each command's options (the same
# as kb help lists), component names and entry ids from the index (--db on the line counts),
# nothing and no noise without an index, and fast.
. tests/lib.sh
DB=$TMP/kb.db
status 0 "$KB" build -q --db "$DB" kb
mkdir -p "$TMP/bin" && ln -s "$KB" "$TMP/bin/kb"
PATH=$TMP/bin:$PATH
export PATH
IDS=$("$KB" debug ids --db "$DB" | tr '\n' ' ')

# bcomp WORD...: the candidates bash completion offers for the words (the last is the one
# being completed), sorted, on one line. Runs with KB_DB=$DB unless KB_DB is set otherwise.
bcomp() {
	KB_DB=${BCOMP_DB-$DB} bash -c '. completion/kb.bash
		COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=()
		_kb; printf "%s\n" "${COMPREPLY[@]}"' bcomp "$@" 2>"$TMP/bcomp.err" | sed '/^$/d' | sort | tr '\n' ' '
}

# ---- bash: commands and options --------------------------------------------------------
"$KB" --help | sed -n 's/^ *\(usage: \)\{0,1\}kb \([a-z]*\) .*/\2/p' | sort -u | tr '\n' ' ' >"$TMP/cmds"
echo "version" >>"$TMP/cmds" # kb help version has it; the usage summary does not
same "kb <TAB>: every command of kb --help" "$(bcomp kb '')" "$(tr ' ' '\n' <"$TMP/cmds" | sed '/^$/d' | sort -u | tr '\n' ' ')"
same "kb se<TAB>" "$(bcomp kb se)" "search "
same "kb help s<TAB>" "$(bcomp kb help s)" "search show symptoms "
same "kb --<TAB>" "$(bcomp kb --)" "--db --help --version "
for cmd in $(cat "$TMP/cmds"); do
	got=" $(bcomp kb "$cmd" -) "
	for opt in $("$KB" help "$cmd" | sed -n 's/^usage: //p' | grep -oE -- '(^| |\[|\()-(-[a-z]+=?|[a-zA-Z])' | tr -d ' [('); do
		case $got in *" $opt "*) pass ;; *) fail "kb $cmd -<TAB> lacks $opt (kb help $cmd has it): $got" ;; esac
	done
done
same "kb search --color=<TAB> (bash splits at =)" "$(bcomp kb search --color = '')" "always auto never "
same "kb search --color=al<TAB>" "$(bcomp kb search --color = al)" "always "

# ---- bash: ids and components from the index ---------------------------------------------
same "kb show <TAB>: every id" "$(bcomp kb show '')" "$IDS"
same "kb show paas/deployment-issues.md#1<TAB>" "$(bcomp kb show 'paas/deployment-issues.md#1')" \
	"paas/deployment-issues.md#1 paas/deployment-issues.md#10 paas/deployment-issues.md#11 "
same "kb list --component r<TAB>" "$(bcomp kb list --component r)" "redis "
same "kb search component:re<TAB> (bash splits at :)" "$(bcomp kb search component : re)" "redis "
same "kb search component:<TAB> offers all" "$(bcomp kb search component : '' | wc -w)" \
	"$("$KB" components --db "$DB" | wc -l)"
BCOMP_DB=
export BCOMP_DB
same "kb --db FILE show p<TAB>" "$(bcomp kb --db "$DB" show paas/deployment-issues.md#2)" \
	"paas/deployment-issues.md#2 "
same "kb show --db FILE p<TAB>" "$(bcomp kb show --db "$DB" paas/deployment-issues.md#2)" \
	"paas/deployment-issues.md#2 "
same "kb --db=FILE show p<TAB>" "$(bcomp kb --db = "$DB" show paas/deployment-issues.md#2)" \
	"paas/deployment-issues.md#2 "
unset BCOMP_DB
same "kb --db <TAB> completes files" "$(bcomp kb --db "$TMP/kb.d")" "$TMP/kb.db "

# ---- bash: no index ------------------------------------------------------------------
BCOMP_DB=$TMP/none.db
export BCOMP_DB
same "no index: kb show <TAB> offers nothing" "$(bcomp kb show '')" ""
check "no index: and prints nothing on stderr" test ! -s "$TMP/bcomp.err"
same "no index: commands still complete" "$(bcomp kb sh)" "show "
unset BCOMP_DB

# Fast: 20 completions of ids (each runs kb once) well under a second each.
start=$(date +%s%N)
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do bcomp kb show p >/dev/null; done
ms=$((($(date +%s%N) - start) / 1000000))
echo "bash: 20 id completions in $ms ms"
check "20 id completions in under 4 s ($ms ms)" test "$ms" -lt 4000

# ---- zsh -----------------------------------------------------------------------------------
if ! command -v zsh >/dev/null 2>&1; then
	echo "zsh is not installed: its completion is not tested (make check installs it)"
	finish
	exit
fi
check "zsh parses _kb" zsh -n completion/_kb
# zcomp LINE: what zsh offers after typing LINE and TAB (tests/tools/zcomplete.zsh), unquoted.
zcomp() {
	KB_DB=${ZCOMP_DB-$DB} timeout 20 zsh -f tests/tools/zcomplete.zsh "$(pwd)/completion" "$1" 2>&1 |
		sed 's/\\//g' | sort | tr '\n' ' '
}
same "zsh: kb <TAB>" "$(zcomp 'kb ')" "$(tr ' ' '\n' <"$TMP/cmds" | sed '/^$/d' | sort -u | tr '\n' ' ')"
same "zsh: kb help s<TAB>" "$(zcomp 'kb help s')" "search show symptoms "
same "zsh: kb list --<TAB>" "$(zcomp 'kb list --')" "--component --db --json --symptom "
same "zsh: kb search --color=<TAB>" "$(zcomp 'kb search --color=')" "always auto never "
same "zsh: kb show <TAB>" "$(zcomp 'kb show ')" "$IDS"
same "zsh: kb list --component r<TAB>" "$(zcomp 'kb list --component r')" "redis "
same "zsh: kb search component:r<TAB>" "$(zcomp 'kb search component:r')" "redis "
ZCOMP_DB=
export ZCOMP_DB
same "zsh: kb --db FILE show ...#2<TAB>" "$(zcomp "kb --db $DB show paas/deployment-issues.md#2")" \
	"paas/deployment-issues.md#2 "
same "zsh: kb show --db FILE ...#2<TAB>" "$(zcomp "kb show --db $DB paas/deployment-issues.md#2")" \
	"paas/deployment-issues.md#2 "
ZCOMP_DB=$TMP/none.db
same "zsh: no index, no ids" "$(zcomp 'kb show ')" ""
same "zsh: no index, commands" "$(zcomp 'kb sh')" "show "
finish
