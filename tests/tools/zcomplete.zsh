#!/bin/zsh -f
# zcomplete.zsh - prints the candidates zsh's completion system offers for a command line,
# one a line: zsh -f zcomplete.zsh FPATH_DIR 'kb show '
# An interactive zsh in a pseudo-terminal (zpty) runs compinit with FPATH_DIR first on $fpath;
# compadd is wrapped to print what it is given to offer (builtin compadd -A does the matching),
# then the line is typed with a TAB.
zmodload zsh/zpty || exit 2
zpty kbz zsh -f -i
zpty -w kbz "PS1=''; PS2=''; unsetopt zle_bracketed_paste; fpath=(${(q)1} \$fpath)"
zpty -w kbz 'autoload -Uz compinit; compinit -u -D; bindkey "^I" complete-word'
# The markers are put together at run time: the terminal may echo these lines back at any
# point (typed-ahead input), and their text must never look like a candidate.
zpty -w kbz "kb_l='<<''<' kb_r='>>''>'"
zpty -w kbz 'compadd() {
  if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "$@"; return; fi
  local -a kb_hits; builtin compadd -A kb_hits "$@"
  local h; for h in $kb_hits; do print -r -- "$kb_l$h$kb_r"; done
  builtin compadd "$@"
}'
zpty -w kbz 'kb_done() { print -r -- "${kb_l}END$kb_r"; }; comppostfuncs=(kb_done); print READY''Y'
local out line
zpty -r kbz out '*READYY*' || exit 2
out=
zpty -w -n kbz "$2"$'\t'
zpty -r kbz out '*<<<END>>>*' || exit 2
zpty -d kbz
print -r -- "${out//$'\r'/}" | sed -n 's/.*<<<\(.*\)>>>.*/\1/p' | grep -vx END
