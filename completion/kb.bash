# kb.bash - bash completion for kb(1): commands, options, component names and entry ids.
# Installed as PREFIX/share/bash-completion/completions/kb; or: source kb.bash
# Needs nothing but bash. Names and ids come from the index kb would use (--db on the line
# counts) through `kb components` and `kb debug ids`; with no index there are none, silently.

_kb_commands='build search show match components symptoms list check help version'

# Options of each command (kb help COMMAND has them; tests/completion.test.sh checks both agree).
_kb_options()
{
	case $1 in
	'') echo '--db --version --help' ;;
	build) echo '--db --full -q -v' ;;
	search) echo '--db -n --json --color= --words' ;;
	show) echo '--db --width --plain --color= --highlight --source' ;;
	match) echo '--db -n --json' ;;
	components | symptoms) echo '--db --json' ;;
	list) echo '--db --json --component --symptom' ;;
	check) echo '--json' ;;
	version) echo '--db' ;;
	esac
}

# _kb_ids KB PREFIX [--db FILE]: adds to COMPREPLY the entry ids that start with PREFIX.
# kb debug ids prints one a line; with no index it prints nothing (and its error is dropped).
_kb_ids()
{
	local kb=$1 prefix=$2 id
	shift 2
	while IFS= read -r id; do
		[[ $id == "$prefix"* ]] && COMPREPLY+=("$id")
	done < <("$kb" "$@" debug ids 2>/dev/null </dev/null)
}

# _kb_components KB PREFIX [--db FILE]: adds the component names that start with PREFIX
# (kb components prints NAME<tab>COUNT lines).
_kb_components()
{
	local kb=$1 prefix=$2 name count
	shift 2
	while IFS=$'\t' read -r name count; do
		[[ $name == "$prefix"* ]] && COMPREPLY+=("$name")
	done < <("$kb" "$@" components 2>/dev/null </dev/null)
}

_kb()
{
	local cur prev kb cmd w i
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
	kb=${COMP_WORDS[0]}
	[[ $kb == '~/'* ]] && kb=$HOME/${kb#'~/'}
	# The command (first word that is not an option) and any --db FILE before the cursor.
	cmd=
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		case $w in
		--db)
			[[ ${COMP_WORDS[i + 1]} == = ]] && ((i++))
			((i + 1 < COMP_CWORD)) && db=(--db "${COMP_WORDS[i + 1]}")
			((i++))
			;;
		--db=*) db=("$w") ;;
		-* | = | :) ;;
		*) [[ -z $cmd ]] && cmd=$w ;;
		esac
	done

	case $prev in
	--db)
		COMPREPLY=($(compgen -f -- "$cur"))
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
	show) _kb_ids "$kb" "$cur" "${db[@]}" ;;
	search)
		if [[ $joined == component:* ]]; then
			_kb_components "$kb" "${joined#component:}" "${db[@]}"
			COMPREPLY=("${COMPREPLY[@]/#/component:}")
		fi
		;;
	build | check) COMPREPLY=($(compgen -d -- "$cur")) ;;
	match) COMPREPLY=($(compgen -f -- "$cur")) ;;
	debug) COMPREPLY=($(compgen -W 'tokens query normalize ids curses' -- "$cur")) ;;
	esac
	# What bash already has of the word (up to the last ':' or '=') is not repeated.
	if [[ -n $pre ]]; then
		for i in "${!COMPREPLY[@]}"; do
			COMPREPLY[i]=${COMPREPLY[i]#"$pre"}
		done
	fi
}

complete -F _kb kb
