# bash completion for banaudit(1): commands, options, formats, sectors,
# probes and files.  Installed by "make install" as
# $(PREFIX)/share/bash-completion/completions/banaudit.

_banaudit()
{
	local cur prev cmd i
	COMPREPLY=()
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	local commands="scan import report runs diff merge waive rules"
	local sectors="telecom power healthcare localgov"
	local probes="system software process entity vendor interfaces arp fdb
	    lldp cdp connections routes inventory"

	cmd=""
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		scan|import|report|runs|diff|merge|waive|rules)
			cmd=${COMP_WORDS[i]}
			break ;;
		esac
	done
	if [[ -z $cmd ]]; then
		COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
		return
	fi

	# Values of the option before the cursor.
	case $prev in
	--sector|-s)
		COMPREPLY=($(compgen -W "$sectors" -- "$cur"))
		return ;;
	--format|-f)
		case $cmd in
		import)	COMPREPLY=($(compgen -W "xml json csv" -- "$cur")) ;;
		runs)	COMPREPLY=($(compgen -W "text json" -- "$cur")) ;;
		*)	COMPREPLY=($(compgen -W "csv html json jsonl leads-csv
			    inventory-csv coverage-csv" -- "$cur")) ;;
		esac
		return ;;
	--probes)
		# A comma-separated list: complete the last name.
		local pre=${cur%,*} last=${cur##*,}
		[[ $pre == "$cur" ]] && pre="" || pre="$pre,"
		COMPREPLY=($(compgen -P "$pre" -W "$probes" -- "$last"))
		compopt -o nospace 2>/dev/null
		return ;;
	--progress)
		COMPREPLY=($(compgen -W "auto plain plain:30 none" -- "$cur"))
		return ;;
	--targets|-t|--credentials|-c|--db|-d|--oui|--output|-o)
		COMPREPLY=($(compgen -f -- "$cur"))
		compopt -o filenames 2>/dev/null
		return ;;
	--rules|-r|--sectors)
		COMPREPLY=($(compgen -d -- "$cur"))
		compopt -o filenames 2>/dev/null
		return ;;
	--concurrency|-j|--rate|--timeout|--retries|--host-budget|--max-rows|\
	--max-repetitions|--uplink-macs|--label|-l|--scope|--run|--from|--to|\
	--reason|--until|--by|--site|--owner|--remove|--criticality|--pull|\
	--stale-days|--pull-rate|--max-items|--html-max-hosts|--jurisdiction)
		return ;;
	esac

	local opts
	case $cmd in
	scan)	opts="--targets --credentials --db --rules --sectors --sector
		    --jurisdiction --probes --concurrency --rate --timeout
		    --retries --host-budget --max-rows --max-repetitions --oui
		    --uplink-macs --label --scope --fail-on-findings --dry-run
		    --progress --group-readable --quiet --help" ;;
	import)	opts="--db --sector --site --owner --jurisdiction --criticality
		    --format --rules --sectors --credentials --pull
		    --stale-days --pull-rate --timeout --max-items --oui
		    --label --scope --group-readable --quiet --help" ;;
	report)	opts="--db --format --run --sector --site --output
		    --group-readable --html-max-hosts --help" ;;
	runs)	opts="--db --format --help" ;;
	diff)	opts="--db --from --to --help" ;;
	merge)	opts="--db --full --group-readable --help" ;;
	waive)	opts="--reason --until --by --list --remove --db --help" ;;
	rules)	opts="--rules --jurisdiction list check --help" ;;
	esac
	if [[ $cur == -* || $cmd == rules ]]; then
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
	else
		# Files: import's inputs, merge's site databases.
		COMPREPLY=($(compgen -f -- "$cur"))
		compopt -o filenames 2>/dev/null
	fi
}
complete -F _banaudit banaudit
