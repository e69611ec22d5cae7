#!/bin/sh
# completion.test.sh - bash and zsh completion of kb: commands, each command's options (the same
# as kb help lists), component names and entry ids from the index (--db on the line counts),
# nothing and no noise without an index, and fast. Ids, names and file names that hold shell
# code are offered quoted, and completing them in a real interactive bash and zsh (tmux) and
# running the line runs nothing.
. tests/lib.sh
. tests/root.sh # pane_start and friends
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
same "kb --<TAB>" "$(bcomp kb --)" "--db --help --mouse --version "
for cmd in $(cat "$TMP/cmds"); do
	got=" $(bcomp kb "$cmd" -) "
	for opt in $("$KB" help "$cmd" | sed -n 's/^usage: //p' | grep -oE -- '(^| |\[|\()-(-[a-z][a-z-]*=?|[a-zA-Z])' | tr -d ' [('); do
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

# ---- bash: hostile ids, names and file names come back quoted --------------------------
H=$TMP/hostile W=$TMP/w
mkdir -p "$H" "$W"
printf '## Tips\n\ntipsword\n' >"$H/tips\$(touch PWNED).md"
printf "## Its\n\nitsword\n" >"$H/it's \$(touch PWNED).md"
printf '## Q\n\nqword\n' >"$H/q\"\`touch PWNED\`.md"
printf -- '---\ncomponents: ["x$(touch PWNED)y", "z`touch PWNED`"]\n---\n## Comp\n\ncompword\n' >"$H/comp.md"
: >"$W/log\$(touch PWNED).txt"
HDB=$TMP/hostile.db
status 0 "$KB" build -q --db "$HDB" "$H"
BCOMP_DB=$HDB
export BCOMP_DB
same "kb show ti<TAB>: the id is quoted" "$(bcomp kb show ti)" 'tips\$\(touch\ PWNED\).md '
same "kb show it<TAB>: quote and blank quoted" "$(bcomp kb show it)" "it\\'s\\ \\\$\\(touch\\ PWNED\\).md "
same "kb show q<TAB>: \" and \` quoted" "$(bcomp kb show q)" 'q\"\`touch\ PWNED\`.md '
same "kb show 'ti<TAB>: inside an open ' the id as it is" "$(bcomp kb show "'ti")" 'tips$(touch PWNED).md '
same "kb show 'it<TAB>: a ' inside ' written '\\''" "$(bcomp kb show "'it")" "it'\\''s \$(touch PWNED).md "
same "kb show \"q<TAB>: inside \" \$ \` \" escaped" "$(bcomp kb show '"q')" 'q\"\`touch PWNED\`.md '
same "kb show ti\\\$<TAB>: what is typed is read unquoted" "$(bcomp kb show 'tips\$\(')" 'tips\$\(touch\ PWNED\).md '
same "kb list --component x<TAB>: names quoted" "$(bcomp kb list --component x)" 'x\$\(touch-pwned\)y '
same "kb search component:z<TAB>: names quoted" "$(bcomp kb search component : z)" 'z\`touch-pwned\` '
unset BCOMP_DB
check "completing ran nothing" test ! -e PWNED -a ! -e "$W/PWNED"

# ishell SHELL-COMMAND KEYS DONE: in a real interactive shell on a tmux pane (cwd $W), types
# KEYS and a TAB, waits until the line shows DONE, runs it with Enter, and then a marker
# command; passes when the line became DONE, ran, and created no file PWNED.
ishell() {
	rm -f "$W/PWNED"
	pane_start "cd '$W' && exec env HOME='$TMP' INPUTRC=/dev/null KB_DB='$HDB' PATH='$TMP/bin:$PATH' $1"
	if ! pane_wait 'SHELL-READY'; then fail "$1 did not start"; sed -n '/./p' "$TMP/pane"; pane_stop; return; fi
	pane_keys -l "$2"
	pane_keys Tab
	pane_wait "$3" || { fail "$1: $2<TAB> did not become $3"; sed -n '/./p' "$TMP/pane"; }
	pane_keys Enter
	pane_keys -l 'echo LINE-$((40+2))'
	pane_keys Enter
	pane_wait 'LINE-42' || fail "$1: the completed line did not run"
	pane_stop
	check "$1: $2<TAB> and Enter ran nothing" test ! -e "$W/PWNED"
}
if command -v tmux >/dev/null 2>&1; then
	printf 'PS1="$ "; . %s/completion/kb.bash; echo SHELL-READY\n' "$(pwd)" >"$TMP/bashrc"
	B="bash --noprofile --rcfile '$TMP/bashrc' -i"
	ishell "$B" 'kb show ti' 'kb show tips\$\(touch\ PWNED\).md'
	contains "bash: the completed id is shown" "$TMP/pane" "tipsword"
	ishell "$B" "kb show 'it" "kb show 'it'\\''s \$(touch PWNED).md'"
	contains "bash: the id completed inside '...' is shown" "$TMP/pane" "itsword"
	ishell "$B" 'kb show "q' 'kb show "q\"\`touch PWNED\`.md"'
	contains "bash: the id completed inside \"...\" is shown" "$TMP/pane" "qword"
	ishell "$B" 'kb match lo' 'kb match log\$\(touch\ PWNED\).txt'
	contains "bash: the completed file is read" "$TMP/pane" "no error-looking lines"
	ishell "$B" 'kb list --component x' 'kb list --component x\$\(touch-pwned\)y'
	contains "bash: the completed component is listed" "$TMP/pane" "comp.md"
else
	fail "tmux is not installed (make test-deps installs it): completion not tried in a real shell"
fi

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
mkdir "$TMP/zdot"
printf 'PS1="$ "; fpath=(%s/completion $fpath); autoload -Uz compinit; compinit -u -D; echo SHELL-READY\n' \
	"$(pwd)" >"$TMP/zdot/.zshrc"
Z="env ZDOTDIR='$TMP/zdot' zsh -i"
ishell "$Z" 'kb show ti' 'kb show tips\$\(touch\ PWNED\).md'
contains "zsh: the completed id is shown" "$TMP/pane" "tipsword"
ishell "$Z" "kb show 'it" "kb show 'it'\\''s \$(touch PWNED).md'"
contains "zsh: the id completed inside '...' is shown" "$TMP/pane" "itsword"
ishell "$Z" 'kb match lo' 'kb match log\$\(touch\ PWNED\).txt'
contains "zsh: the completed file is read" "$TMP/pane" "no error-looking lines"
ishell "$Z" 'kb list --component x' 'kb list --component x\$\(touch-pwned\)y'
contains "zsh: the completed component is listed" "$TMP/pane" "comp.md"
finish
