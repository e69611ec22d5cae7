# kb.bash - bash completion for kb(1): commands, options, component names and entry ids.
# Installed as PREFIX/share/bash-completion/completions/kb; or: source kb.bash
# Needs nothing but bash. Names and ids come from the index kb would use (--db on the line
# counts) through `kb components` and `kb debug ids`; with no index there are none, silently.
# Ids, names and file names are anyone's text (a note may be called `tips$(touch x).md`):
# each candidate goes back to readline quoted for the shell (printf %q, or readline's own
# file name quoting), never as words the shell would expand when the line is run.

_kb_commands='build search show man edit match components symptoms list check help version'

# Options of each command (kb help COMMAND has them; tests/completion.test.sh checks both agree).
_kb_options()
{
	case $1 in
	'') echo '--db --mouse --version --help' ;;
	build) echo '--db --full --man --man= --man-lang= --no-man -q -v' ;;
	search) echo '--db -n --json --color= --words' ;;
	show) echo '--db --width --plain --color= --highlight --source' ;;
	man) echo '--db --width --plain --color=' ;;
	edit) echo '--db' ;;
	match) echo '--db -n --json' ;;
	components | symptoms) echo '--db --json' ;;
	list) echo '--db --json --component --symptom' ;;
	check) echo '--json' ;;
	version) echo '--db' ;;
	esac
}

# _kb_dequote WORD: sets _kb_word to WORD as the shell will read it, its quotes and
# backslashes taken away, without running or expanding anything in it ($(...) stays text),
# and _kb_open to the quote WORD leaves open (' or "), if any.
_kb_dequote()
{
	local s=$1 c q=
	_kb_word=
	while [[ -n $s ]]; do
		c=${s:0:1} s=${s:1}
		if [[ $q == "'" ]]; then
			[[ $c == "'" ]] && q= || _kb_word+=$c
		elif [[ $c == '\' ]]; then # in "..." only $ ` " \ are escaped: keep it before others
			[[ $q == '"' && ${s:0:1} != [\$\`\"\\] ]] && _kb_word+=$c
			_kb_word+=${s:0:1} s=${s:1}
		elif [[ $c == "'" && -z $q ]] || [[ $c == '"' && $q != "'" ]]; then
			[[ $q == "$c" ]] && q= || q=$c
		else
			_kb_word+=$c
		fi
	done
	_kb_open=$q
}

# _kb_add WORD: adds WORD to COMPREPLY quoted as the shell reads it back, so that a candidate
# never runs or expands anything when the completed line is run: after a word's opening quote
# (_kb_inquote; readline puts the candidate inside it) as that quote needs, else printf %q.
_kb_add()
{
	local q=$1
	case $_kb_inquote in
	"'") q=${q//"'"/"'\\''"} ;;
	'"') # \ before $ ` " and \; a ! cannot be written inside "..." (history): %q then
		if [[ $q == *!* ]]; then
			printf -v q %q "$q"
		else
			q=${q//\\/\\\\} q=${q//\$/\\\$} q=${q//\`/\\\`} q=${q//\"/\\\"}
		fi
		;;
	*) printf -v q %q "$q" ;;
	esac
	COMPREPLY+=("$q")
}

# _kb_files compgen-OPTION PREFIX: adds the file (-f) or directory (-d) names that start with
# PREFIX, one a line (never split at blanks or globbed), for readline to quote as file names.
_kb_files()
{
	local f
	type compopt >/dev/null 2>&1 && compopt -o filenames 2>/dev/null
	while IFS= read -r f; do
		COMPREPLY+=("$f")
	done < <(compgen "$1" -- "$2")
}

# _kb_ids KB PREFIX [--db FILE]: adds to COMPREPLY the entry ids that start with PREFIX.
# kb debug ids prints one a line; with no index it prints nothing (and its error is dropped).
_kb_ids()
{
	local kb=$1 prefix=$2 id
	shift 2
	while IFS= read -r id; do
		[[ $id == "$prefix"* ]] && _kb_add "$id"
	done < <("$kb" "$@" debug ids 2>/dev/null </dev/null)
}

# _kb_components KB PREFIX [--db FILE]: adds the component names that start with PREFIX
# (kb components prints NAME<tab>COUNT lines).
_kb_components()
{
	local kb=$1 prefix=$2 name count
	shift 2
	while IFS=$'\t' read -r name count; do
		[[ $name == "$prefix"* ]] && _kb_add "$name"
	done < <("$kb" "$@" components 2>/dev/null </dev/null)
}

_kb()
{
	local cur prev kb cmd w i _kb_word _kb_open _kb_inquote=
	local -a db=()
	COMPREPLY=()
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=
	((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
	# bash splits words at ':' and '='; put component:NAME and --opt=VALUE back together.
	local joined=$cur pre=
	if [[ $cur == [:=] ]] && ((COMP_CWORD > 1)); then
		joined=$prev$cur pre=$prev$cur
		prev=${COMP_WORDS[COMP_CWORD - 2]}
	elif [[ $prev == [:=] ]] && ((COMP_CWORD > 1)); then
		joined=${COMP_WORDS[COMP_CWORD - 2]}$prev$cur pre=${COMP_WORDS[COMP_CWORD - 2]}$prev
		prev=${COMP_WORDS[COMP_CWORD - 3]}
	fi
	if [[ $joined == --*=* ]]; then # the value of --opt=VALUE is completed as after --opt
		prev=${joined%%=*} cur=${joined#*=} pre=
	fi
	_kb_dequote "$cur" # what the word says: candidates are matched against it
	[[ ${cur:0:1} == [\'\"] && $_kb_open == "${cur:0:1}" ]] && _kb_inquote=$_kb_open
	cur=$_kb_word
	_kb_dequote "$joined"
	joined=$_kb_word
	_kb_dequote "${COMP_WORDS[0]}"
	kb=$_kb_word
	[[ $kb == '~/'* ]] && kb=$HOME/${kb#'~/'}
	# The command (first word that is not an option) and any --db FILE before the cursor.
	cmd=
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		case $w in
		--db)
			[[ ${COMP_WORDS[i + 1]} == = ]] && ((i++))
			_kb_dequote "${COMP_WORDS[i + 1]}"
			((i + 1 < COMP_CWORD)) && db=(--db "$_kb_word")
			((i++))
			;;
		--db=*) _kb_dequote "$w"; db=("$_kb_word") ;;
		-* | = | :) ;;
		*) [[ -z $cmd ]] && cmd=$w ;;
		esac
	done

	case $prev in
	--db)
		_kb_files -f "$cur"
		return
		;;
	--color)
		COMPREPLY=($(compgen -W 'auto always never' -- "$cur"))
		return
		;;
	-n | --width | --highlight | --symptom)
		return
		;;
	--component)
		_kb_components "$kb" "$cur" "${db[@]}"
		return
		;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(_kb_options "$cmd")" -- "$cur"))
		[[ ${COMPREPLY[*]} == *= ]] && type compopt >/dev/null 2>&1 && compopt -o nospace
		return
	fi

	case $cmd in
	'') COMPREPLY=($(compgen -W "$_kb_commands" -- "$cur")) ;;
	help) COMPREPLY=($(compgen -W "$_kb_commands" -- "$cur")) ;;
	show | edit) _kb_ids "$kb" "$cur" "${db[@]}" ;;
	search)
		if [[ $joined == component:* ]]; then
			_kb_components "$kb" "${joined#component:}" "${db[@]}"
			COMPREPLY=("${COMPREPLY[@]/#/component:}")
		fi
		;;
	build | check) _kb_files -d "$cur" ;;
	match) _kb_files -f "$cur" ;;
	debug) COMPREPLY=($(compgen -W 'tokens query normalize ids verify diagnostics curses' -- "$cur")) ;;
	esac
	# What bash already has of the word (up to the last ':' or '=') is not repeated.
	if [[ -n $pre ]]; then
		for i in "${!COMPREPLY[@]}"; do
			COMPREPLY[i]=${COMPREPLY[i]#"$pre"}
		done
	fi
}

complete -F _kb kb
