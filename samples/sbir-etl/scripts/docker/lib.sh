# shellcheck shell=sh
# lib.sh: the one shared library of the sbir-etl container scripts.
#
# Sourced by entrypoint.sh and the service scripts, never executed. POSIX sh (runs under dash):
# no arrays, no [[ ]], no ${!x}, no <<<, no pipefail. PATH is never assigned here or by any
# caller. eval is used in exactly two helpers (_sbir_is_set, _sbir_get), only after the variable
# NAME has been validated as [A-Za-z_][A-Za-z0-9_]*, and never sees a value.
#
# Conventions: public functions are sbir_*, internals _sbir_*; every function names the
# environment variables it reads. The library's working variables are globals named _sbir_*
# (no `local`), so callers keep their own under another prefix (_ep_, _ws_, _dd_, _er_, _wfs_,
# _hc_). Exit status used by the callers: 2 usage/configuration error, 3 dependency never healthy.

# The directory holding this library and probe.py (the callers set it from their own $0).
case ${0:-} in
*/*) SBIR_SCRIPTS_DIR=${SBIR_SCRIPTS_DIR:-${0%/*}} ;;
*) SBIR_SCRIPTS_DIR=${SBIR_SCRIPTS_DIR:-/app/scripts/docker} ;;
esac

# Characters the JSON escaper and the .env parser need by name.
_SBIR_NL='
'
_SBIR_TAB=$(printf '\t')
_SBIR_CR=$(printf '\r')
_SBIR_WS=" $_SBIR_TAB"
# Every control character except newline (which command substitution would strip); DEL last.
_SBIR_CTL=$(printf '\001\002\003\004\005\006\007\010\011\013\014\015\016\017\020\021\022\023\024\025\026\027\030\031\032\033\034\035\036\037\177')

# _sbir_level LEVEL: sets _sbir_lname (debug|info|warning|error, any case in; unknown -> info)
# and _sbir_lnum (10..40). Reads nothing.
_sbir_level() {
	case $1 in
	debug | DEBUG | Debug) _sbir_lname=debug _sbir_lnum=10 ;;
	warning | WARNING | Warning | warn | WARN | Warn) _sbir_lname=warning _sbir_lnum=30 ;;
	error | ERROR | Error | critical | CRITICAL | Critical) _sbir_lname=error _sbir_lnum=40 ;;
	*) _sbir_lname=info _sbir_lnum=20 ;;
	esac
}

# _sbir_json_escape STRING: sets _sbir_json to STRING escaped for a JSON string body. Reads nothing.
_sbir_json_escape() {
	_sbir_in=$1
	_sbir_json=''
	case $_sbir_in in
	*[!\ -~]* | *\"* | *\\*) ;;
	*)
		# Fast path: printable ASCII without quote or backslash needs no work.
		_sbir_json=$_sbir_in
		return 0
		;;
	esac
	while [ -n "$_sbir_in" ]; do
		_sbir_rest=${_sbir_in#?}
		_sbir_c=${_sbir_in%"$_sbir_rest"}
		_sbir_in=$_sbir_rest
		case $_sbir_c in
		\\) _sbir_json="$_sbir_json\\\\" ;;
		\") _sbir_json="$_sbir_json\\\"" ;;
		[\ -~]) _sbir_json=$_sbir_json$_sbir_c ;;
		"$_SBIR_NL") _sbir_json="$_sbir_json\\n" ;;
		"$_SBIR_TAB") _sbir_json="$_sbir_json\\t" ;;
		"$_SBIR_CR") _sbir_json="$_sbir_json\\r" ;;
		["$_SBIR_CTL"]) _sbir_json=$_sbir_json$(printf '\\u%04x' "'$_sbir_c") ;;
		*) _sbir_json=$_sbir_json$_sbir_c ;; # bytes >= 0x80 (UTF-8) pass through unchanged
		esac
	done
}

# sbir_log LEVEL MSG [key=value...]: one JSON object per line on stderr.
# Reads SBIR_ETL_LOG_LEVEL (debug|info|warning|error, default info) and SBIR_SERVICE (default: script name).
sbir_log() {
	_sbir_level "${SBIR_ETL_LOG_LEVEL:-info}"
	_sbir_min=$_sbir_lnum
	_sbir_level "${1:-info}"
	[ "$_sbir_lnum" -ge "$_sbir_min" ] || return 0
	_sbir_lvl=$_sbir_lname
	[ "$#" -gt 0 ] && shift
	_sbir_svc=${SBIR_SERVICE:-${0##*/}}
	_sbir_json_escape "${_sbir_svc%.sh}"
	_sbir_line="{\"ts\":\"$(date -u +%Y-%m-%dT%H:%M:%SZ)\",\"level\":\"$_sbir_lvl\",\"service\":\"$_sbir_json\""
	_sbir_json_escape "${1:-}"
	_sbir_line="$_sbir_line,\"msg\":\"$_sbir_json\""
	[ "$#" -gt 0 ] && shift
	for _sbir_kv in "$@"; do
		case $_sbir_kv in
		*=*) _sbir_json_escape "${_sbir_kv%%=*}" ;;
		*) _sbir_json_escape "$_sbir_kv" ;;
		esac
		_sbir_line="$_sbir_line,\"$_sbir_json\":"
		case $_sbir_kv in
		*=*) _sbir_json_escape "${_sbir_kv#*=}" ;;
		*) _sbir_json='' ;;
		esac
		_sbir_line="$_sbir_line\"$_sbir_json\""
	done
	printf '%s}\n' "$_sbir_line" >&2
	return 0
}

# sbir_die STATUS MSG [key=value...]: logs MSG at error level and exits with STATUS. Reads what sbir_log reads.
sbir_die() {
	_sbir_status=$1
	shift
	sbir_log error "$@"
	exit "$_sbir_status"
}

# _sbir_valid_name NAME: true when NAME is a shell variable name. Reads nothing.
_sbir_valid_name() {
	case $1 in
	'' | [!A-Za-z_]* | *[!A-Za-z0-9_]*) return 1 ;;
	esac
	return 0
}

# _sbir_is_set NAME: true when the variable NAME is set (even empty). Reads the variable NAME.
_sbir_is_set() {
	_sbir_valid_name "$1" || return 1
	# Safe: NAME is validated above; the eval'd text is fixed syntax plus an identifier.
	eval "[ \"\${$1+x}\" = x ]"
}

# _sbir_get NAME: sets _sbir_val to the value of NAME (empty when unset). Reads the variable NAME.
_sbir_get() {
	_sbir_val=''
	_sbir_valid_name "$1" || return 1
	# Safe: NAME is validated above; the value is copied, never evaluated.
	eval "_sbir_val=\${$1:-}"
}

# sbir_file_env VAR [DEFAULT]: docker-library file_env. Reads VAR and VAR_FILE.
# VAR and VAR_FILE both non-empty -> exit 1; VAR_FILE -> export VAR from that file and unset VAR_FILE;
# neither -> export DEFAULT when one is given (otherwise VAR stays unset so lower layers may fill it).
sbir_file_env() {
	_sbir_valid_name "${1:-}" ||
		sbir_die 2 "sbir_file_env: '${1:-}' is not a valid variable name. Use letters, digits and underscores only."
	_sbir_var=$1
	_sbir_get "$_sbir_var"
	_sbir_value=$_sbir_val
	_sbir_get "${_sbir_var}_FILE"
	_sbir_file=$_sbir_val
	if [ -n "$_sbir_value" ] && [ -n "$_sbir_file" ]; then
		sbir_die 1 "both $_sbir_var and ${_sbir_var}_FILE are set (they are exclusive). Set only one of them." \
			var="$_sbir_var"
	fi
	if [ -n "$_sbir_file" ]; then
		if [ ! -f "$_sbir_file" ] || [ ! -r "$_sbir_file" ]; then
			sbir_die 1 "${_sbir_var}_FILE points to '$_sbir_file', which is not a readable file. Mount the secret there or fix ${_sbir_var}_FILE." \
				var="$_sbir_var"
		fi
		_sbir_value=$(cat -- "$_sbir_file") ||
			sbir_die 1 "could not read ${_sbir_var}_FILE ('$_sbir_file'). Check the file's permissions." var="$_sbir_var"
		export "$_sbir_var=$_sbir_value"
		unset "${_sbir_var}_FILE"
		sbir_log info "loaded variable from file" var="$_sbir_var" file="$_sbir_file"
	elif [ -z "$_sbir_value" ] && [ "$#" -ge 2 ]; then
		export "$_sbir_var=$2"
	fi
	_sbir_value=''
	return 0
}

# sbir_load_file_envs: runs sbir_file_env for each name in the list. Reads SBIR_FILE_ENV_VARS
# (default: NEO4J_USER NEO4J_PASSWORD SBIR_ETL__NEO4J__USERNAME SBIR_ETL__NEO4J__PASSWORD; empty = none).
sbir_load_file_envs() {
	_sbir_names=${SBIR_FILE_ENV_VARS-NEO4J_USER NEO4J_PASSWORD SBIR_ETL__NEO4J__USERNAME SBIR_ETL__NEO4J__PASSWORD}
	case $_sbir_names in
	*[!A-Za-z0-9_\ ]*)
		sbir_die 2 "SBIR_FILE_ENV_VARS must be a space-separated list of variable names. Remove other characters from it."
		;;
	esac
	# Unquoted on purpose: split on spaces; the check above rules out glob characters.
	for _sbir_name in $_sbir_names; do
		sbir_file_env "$_sbir_name"
	done
}

# sbir_load_secrets: exports each file of the secrets directory as the variable named after the file,
# only when that variable is unset; logs names, never values. Reads SBIR_SECRETS_DIR (default /run/secrets).
sbir_load_secrets() {
	_sbir_dir=${SBIR_SECRETS_DIR:-/run/secrets}
	if [ ! -d "$_sbir_dir" ]; then
		sbir_log debug "no secrets directory" dir="$_sbir_dir"
		return 0
	fi
	for _sbir_path in "$_sbir_dir"/*; do
		[ -f "$_sbir_path" ] || continue
		_sbir_name=${_sbir_path##*/}
		if ! _sbir_valid_name "$_sbir_name"; then
			sbir_log warning "skipping secret file: its name is not a variable name. Rename the secret target to letters, digits and underscores." file="$_sbir_path"
			continue
		fi
		if _sbir_is_set "$_sbir_name"; then
			sbir_log debug "secret not loaded: variable already set" var="$_sbir_name"
			continue
		fi
		if ! _sbir_value=$(cat -- "$_sbir_path" 2>/dev/null); then
			sbir_log warning "secret file is not readable; skipped. Make it readable by the container user." var="$_sbir_name" file="$_sbir_path"
			continue
		fi
		export "$_sbir_name=$_sbir_value"
		_sbir_value=''
		sbir_log info "loaded secret" var="$_sbir_name" dir="$_sbir_dir"
	done
	return 0
}

# _sbir_trim_ws STRING: sets _sbir_t to STRING without leading/trailing spaces and tabs. Reads nothing.
_sbir_trim_ws() {
	_sbir_t=$1
	_sbir_t=${_sbir_t#"${_sbir_t%%[!"$_SBIR_WS"]*}"}
	_sbir_t=${_sbir_t%"${_sbir_t##*[!"$_SBIR_WS"]}"}
}

# _sbir_load_env_file FILE: parses KEY=value lines (never sources them) and exports each KEY that is unset.
# Reads FILE and the variables it names. Supports comments, blank lines, "export KEY=...", CRLF,
# and one pair of surrounding quotes; no interpolation, no escapes, no multi-line values.
_sbir_load_env_file() {
	_sbir_envf=$1
	_sbir_elineno=0
	_sbir_nset=0
	_sbir_nkept=0
	while IFS= read -r _sbir_eline || [ -n "$_sbir_eline" ]; do
		_sbir_elineno=$((_sbir_elineno + 1))
		_sbir_eline=${_sbir_eline%"$_SBIR_CR"}
		_sbir_trim_ws "$_sbir_eline"
		_sbir_eline=$_sbir_t
		case $_sbir_eline in
		'' | \#*) continue ;;
		export[\ \	]*)
			_sbir_trim_ws "${_sbir_eline#export}"
			_sbir_eline=$_sbir_t
			;;
		esac
		case $_sbir_eline in
		*=*) ;;
		*)
			sbir_log warning "ignoring line without '='. Write it as KEY=value." file="$_sbir_envf" line="$_sbir_elineno"
			continue
			;;
		esac
		_sbir_trim_ws "${_sbir_eline%%=*}"
		_sbir_key=$_sbir_t
		_sbir_trim_ws "${_sbir_eline#*=}"
		_sbir_value=$_sbir_t
		if ! _sbir_valid_name "$_sbir_key"; then
			sbir_log warning "ignoring line: key is not a variable name. Use letters, digits and underscores." file="$_sbir_envf" line="$_sbir_elineno"
			continue
		fi
		case $_sbir_value in
		\"*\"* | \'*\'*)
			# Quoted: keep what lies between the first and the last matching quote.
			_sbir_q=${_sbir_value%"${_sbir_value#?}"}
			_sbir_rest=${_sbir_value#?}
			_sbir_inner=${_sbir_rest%"$_sbir_q"*}
			_sbir_trim_ws "${_sbir_rest#"$_sbir_inner"?}"
			case $_sbir_t in
			'' | \#*) _sbir_value=$_sbir_inner ;;
			*) sbir_log warning "text after the closing quote kept as part of the value. Quote the whole value or remove the extra text." file="$_sbir_envf" line="$_sbir_elineno" ;;
			esac
			;;
		*)
			# Unquoted: " #" starts a comment, as in Compose's .env files.
			case $_sbir_value in
			*[\ \	]\#*)
				_sbir_trim_ws "${_sbir_value%%[\ \	]\#*}"
				_sbir_value=$_sbir_t
				;;
			esac
			;;
		esac
		if _sbir_is_set "$_sbir_key"; then
			_sbir_nkept=$((_sbir_nkept + 1))
			sbir_log debug "config value not applied: variable already set" var="$_sbir_key" file="$_sbir_envf"
		else
			export "$_sbir_key=$_sbir_value"
			_sbir_nset=$((_sbir_nset + 1))
			sbir_log debug "config value applied" var="$_sbir_key" file="$_sbir_envf"
		fi
	done <"$_sbir_envf"
	_sbir_value=''
	sbir_log info "loaded config file" file="$_sbir_envf" applied="$_sbir_nset" kept="$_sbir_nkept"
}

# sbir_load_config: applies the config directory's *.env files in name order, never overriding a
# variable that is already set (Compose's environment wins). Reads SBIR_ETL_CONFIG_DIR (default /app/config).
sbir_load_config() {
	_sbir_cfgdir=${SBIR_ETL_CONFIG_DIR:-/app/config}
	if [ ! -d "$_sbir_cfgdir" ]; then
		sbir_log debug "no config directory" dir="$_sbir_cfgdir"
		return 0
	fi
	for _sbir_cfg in "$_sbir_cfgdir"/*.env; do
		[ -f "$_sbir_cfg" ] || continue
		if [ ! -r "$_sbir_cfg" ]; then
			sbir_log warning "config file is not readable; skipped. Make it readable by the container user." file="$_sbir_cfg"
			continue
		fi
		_sbir_load_env_file "$_sbir_cfg"
	done
	return 0
}

# sbir_load_env: precedence environment > *_FILE > secrets dir > config files; runs once per
# process tree. Reads SBIR_ENV_LOADED (set and exported here) and what the loaders read.
sbir_load_env() {
	[ "${SBIR_ENV_LOADED:-}" = 1 ] && return 0
	sbir_load_file_envs
	sbir_load_secrets
	sbir_load_config
	SBIR_ENV_LOADED=1
	export SBIR_ENV_LOADED
}

# _sbir_is_uint VALUE: true when VALUE is a non-negative integer. Reads nothing.
_sbir_is_uint() {
	case $1 in
	'' | *[!0-9]*) return 1 ;;
	esac
	return 0
}

# _sbir_probe KIND ARGS...: one readiness probe through probe.py (status 0 up, 1 down, 2 usage);
# sets _sbir_reason to its last line of output.
# Reads SBIR_PYTHON (default python3), SBIR_SCRIPTS_DIR.
_sbir_probe() {
	_sbir_pst=0
	_sbir_reason=$("${SBIR_PYTHON:-python3}" "$SBIR_SCRIPTS_DIR/probe.py" "$@" 2>&1) || _sbir_pst=$?
	# Keep the last line only: probe.py prints one, a Python traceback would print many.
	_sbir_reason=${_sbir_reason##*"$_SBIR_NL"}
	return "$_sbir_pst"
}

# _sbir_wait NAME TARGET TIMEOUT KIND ARGS...: polls probe.py until up or TIMEOUT seconds pass
# (at least one attempt). Returns 0 up, 1 never up, 2 bad arguments or no python.
# Reads SBIR_WAIT_INTERVAL (default 2), SBIR_PROBE_TIMEOUT (default 3), SBIR_PYTHON.
_sbir_wait() {
	_sbir_wname=$1 _sbir_target=$2 _sbir_timeout=$3
	shift 3
	_sbir_interval=${SBIR_WAIT_INTERVAL:-2}
	_sbir_ptimeout=${SBIR_PROBE_TIMEOUT:-3}
	for _sbir_n in "$_sbir_timeout" "$_sbir_interval" "$_sbir_ptimeout"; do
		if ! _sbir_is_uint "$_sbir_n"; then
			sbir_log error "timeout and interval must be whole seconds. Fix SERVICE_STARTUP_TIMEOUT, SBIR_WAIT_INTERVAL or SBIR_PROBE_TIMEOUT." value="$_sbir_n"
			return 2
		fi
	done
	[ "$_sbir_interval" -ge 1 ] || _sbir_interval=1
	if ! command -v "${SBIR_PYTHON:-python3}" >/dev/null 2>&1; then
		sbir_log error "cannot probe $_sbir_wname: ${SBIR_PYTHON:-python3} is not on PATH. Install python3 in the image or set SBIR_PYTHON." target="$_sbir_target"
		return 2
	fi
	_sbir_start=$(date +%s)
	_sbir_next_note=$((_sbir_start + 10))
	_sbir_attempt=0
	sbir_log info "waiting for $_sbir_wname" target="$_sbir_target" timeout="${_sbir_timeout}s"
	while :; do
		_sbir_attempt=$((_sbir_attempt + 1))
		_sbir_now=$(date +%s)
		_sbir_left=$((_sbir_start + _sbir_timeout - _sbir_now))
		_sbir_pt=$_sbir_ptimeout
		[ "$_sbir_left" -lt "$_sbir_pt" ] && _sbir_pt=$_sbir_left
		[ "$_sbir_pt" -ge 1 ] || _sbir_pt=1
		_sbir_pst=0
		_sbir_probe "$@" --timeout "$_sbir_pt" || _sbir_pst=$?
		if [ "$_sbir_pst" -eq 0 ]; then
			sbir_log info "$_sbir_wname is up" target="$_sbir_target" \
				elapsed="$(($(date +%s) - _sbir_start))s" attempts="$_sbir_attempt"
			return 0
		elif [ "$_sbir_pst" -ne 1 ]; then
			sbir_log error "cannot probe $_sbir_wname: probe.py failed (status $_sbir_pst). Check the arguments and that probe.py sits beside lib.sh." \
				target="$_sbir_target" reason="$_sbir_reason"
			return 2
		fi
		_sbir_now=$(date +%s)
		_sbir_elapsed=$((_sbir_now - _sbir_start))
		if [ "$_sbir_elapsed" -ge "$_sbir_timeout" ]; then
			sbir_log error "$_sbir_wname ($_sbir_target) did not come up within ${_sbir_timeout}s. Check that it is running and reachable from this container under that name (docker compose ps; docker compose logs), or raise SERVICE_STARTUP_TIMEOUT." \
				target="$_sbir_target" reason="$_sbir_reason" attempts="$_sbir_attempt"
			return 1
		fi
		if [ "$_sbir_now" -ge "$_sbir_next_note" ]; then
			sbir_log info "still waiting for $_sbir_wname" target="$_sbir_target" reason="$_sbir_reason" \
				elapsed="${_sbir_elapsed}s" remaining="$((_sbir_timeout - _sbir_elapsed))s"
			_sbir_next_note=$((_sbir_now + 10))
		else
			sbir_log debug "$_sbir_wname not up yet" target="$_sbir_target" reason="$_sbir_reason" attempt="$_sbir_attempt"
		fi
		_sbir_left=$((_sbir_timeout - _sbir_elapsed))
		if [ "$_sbir_left" -lt "$_sbir_interval" ]; then sleep "$_sbir_left"; else sleep "$_sbir_interval"; fi
	done
}

# _sbir_check_port PORT: true for 1..65535, else logs an error. Reads nothing.
_sbir_check_port() {
	if _sbir_is_uint "$1" && [ "$1" -ge 1 ] && [ "$1" -le 65535 ]; then
		return 0
	fi
	sbir_log error "port '$1' is not a number from 1 to 65535. Fix the port in the URI or arguments."
	return 1
}

# sbir_startup_timeout: sets SBIR_STARTUP_TIMEOUT; exits 2 unless whole seconds.
# Reads SERVICE_STARTUP_TIMEOUT (default 120).
sbir_startup_timeout() {
	SBIR_STARTUP_TIMEOUT=${SERVICE_STARTUP_TIMEOUT:-120}
	_sbir_is_uint "$SBIR_STARTUP_TIMEOUT" ||
		sbir_die 2 "SERVICE_STARTUP_TIMEOUT is '$SBIR_STARTUP_TIMEOUT'. Set it to whole seconds, e.g. SERVICE_STARTUP_TIMEOUT=120."
}

# sbir_wait_tcp HOST PORT TIMEOUT [NAME]: waits until HOST:PORT accepts TCP connections. Reads what _sbir_wait reads.
sbir_wait_tcp() {
	_sbir_check_port "$2" || return 2
	_sbir_wait "${4:-tcp service}" "$1:$2" "$3" tcp "$1" "$2"
}

# sbir_wait_http URL TIMEOUT [NAME]: waits until GET URL answers 2xx or 3xx. Reads what _sbir_wait reads.
sbir_wait_http() {
	_sbir_wait "${3:-http service}" "$1" "$2" http "$1"
}

# sbir_wait_bolt HOST PORT TIMEOUT [NAME]: waits until HOST:PORT completes a Bolt handshake with a
# non-zero version (no credentials are sent, so Neo4j's auth rate limiter is never involved).
# Reads what _sbir_wait reads.
sbir_wait_bolt() {
	_sbir_check_port "$2" || return 2
	_sbir_wait "${4:-bolt service}" "$1:$2" "$3" bolt "$1" "$2"
}

# sbir_neo4j_target: sets SBIR_NEO4J_HOST, SBIR_NEO4J_PORT and SBIR_NEO4J_TLS (0/1); exits 2 on a bad URI.
# Reads SBIR_ETL__NEO4J__URI (default bolt://neo4j:7687; schemes bolt, neo4j and their +s/+ssc forms).
sbir_neo4j_target() {
	_sbir_uri=${SBIR_ETL__NEO4J__URI:-bolt://neo4j:7687}
	case $_sbir_uri in
	*://*) _sbir_scheme=${_sbir_uri%%://*} _sbir_hp=${_sbir_uri#*://} ;;
	*) _sbir_scheme=bolt _sbir_hp=$_sbir_uri ;;
	esac
	_sbir_hp=${_sbir_hp%%/*}
	_sbir_hp=${_sbir_hp%%\?*}
	_sbir_hp=${_sbir_hp##*@}
	case $_sbir_hp in
	\[*\]:*) SBIR_NEO4J_HOST=${_sbir_hp%%\]*} SBIR_NEO4J_PORT=${_sbir_hp##*\]:} ;;
	\[*\]) SBIR_NEO4J_HOST=${_sbir_hp%\]} SBIR_NEO4J_PORT=7687 ;;
	*:*) SBIR_NEO4J_HOST=${_sbir_hp%:*} SBIR_NEO4J_PORT=${_sbir_hp##*:} ;;
	*) SBIR_NEO4J_HOST=$_sbir_hp SBIR_NEO4J_PORT=7687 ;;
	esac
	SBIR_NEO4J_HOST=${SBIR_NEO4J_HOST#\[}
	case $_sbir_scheme in
	bolt | neo4j) SBIR_NEO4J_TLS=0 ;;
	bolt+s | bolt+ssc | neo4j+s | neo4j+ssc) SBIR_NEO4J_TLS=1 ;;
	*) sbir_die 2 "SBIR_ETL__NEO4J__URI has scheme '$_sbir_scheme'. Use bolt://, neo4j:// or their +s/+ssc forms, e.g. bolt://neo4j:7687." ;;
	esac
	if [ -z "$SBIR_NEO4J_HOST" ] || ! _sbir_is_uint "$SBIR_NEO4J_PORT" || [ "$SBIR_NEO4J_PORT" -lt 1 ] || [ "$SBIR_NEO4J_PORT" -gt 65535 ]; then
		sbir_die 2 "SBIR_ETL__NEO4J__URI has no usable host:port. Set it like bolt://neo4j:7687."
	fi
}

# sbir_wait_neo4j TIMEOUT: waits for Neo4j's Bolt port (a TCP wait for TLS schemes, where a plain
# handshake cannot work). Reads SBIR_ETL__NEO4J__URI.
sbir_wait_neo4j() {
	sbir_neo4j_target
	if [ "$SBIR_NEO4J_TLS" = 1 ]; then
		sbir_log info "Neo4j URI uses TLS; waiting for its TCP port instead of a Bolt handshake"
		sbir_wait_tcp "$SBIR_NEO4J_HOST" "$SBIR_NEO4J_PORT" "$1" neo4j
	else
		sbir_wait_bolt "$SBIR_NEO4J_HOST" "$SBIR_NEO4J_PORT" "$1" neo4j
	fi
}

# sbir_drop_privileges ARGS...: as root with gosu, gives the service user the entries it does not own yet
# under the mount roots, then re-executes "$0" ARGS... through gosu as that user (returns instead when that
# user is root, uid 0); otherwise returns. The
# service user is SBIR_HOST_USER when it is set (numeric uid:gid: the host user who owns the dev profile's
# bind mounts; ComposeUp and ComposeRun set it to their caller), else SBIR_USER (default sbir, the image's
# user). Reads SBIR_HOST_USER, SBIR_USER, SBIR_CHOWN_DIRS (default "/app/data /app/logs /app/metrics
# /app/reports"; space-separated) and DAGSTER_HOME (added to the roots when set).
sbir_drop_privileges() {
	[ "$(id -u)" = 0 ] || return 0
	_sbir_user=${SBIR_USER:-sbir}
	_sbir_owner=$_sbir_user
	if [ -n "${SBIR_HOST_USER:-}" ]; then
		_sbir_user=${SBIR_HOST_USER%%:*}
		_sbir_group=${SBIR_HOST_USER#*:}
		if [ "$_sbir_user:$_sbir_group" != "$SBIR_HOST_USER" ] || ! _sbir_is_uint "$_sbir_user" || ! _sbir_is_uint "$_sbir_group"; then
			sbir_die 2 "SBIR_HOST_USER is not a numeric uid:gid. Set it to the host user who owns the bind-mounted folders, e.g. SBIR_HOST_USER=\"\$(id -u):\$(id -g)\" (ComposeUp and ComposeRun set it to their caller), or leave it empty to run as the image's user $_sbir_owner." code=SBC5220 value="$SBIR_HOST_USER"
		fi
		_sbir_owner=$SBIR_HOST_USER
	fi
	if [ "$_sbir_user" != 0 ] && ! command -v gosu >/dev/null 2>&1; then
		sbir_log warning "running as root: gosu is not installed. Install gosu in the image or run the container with --user $_sbir_owner."
		return 0
	fi
	# Split the directory list on spaces with globbing off (paths are not patterns).
	set -f
	for _sbir_d in ${SBIR_CHOWN_DIRS-/app/data /app/logs /app/metrics /app/reports} ${DAGSTER_HOME:-}; do
		[ -d "$_sbir_d" ] || continue
		# Only entries with the wrong owner are touched, so a correct tree costs one stat per entry.
		# A read-only mount makes chown fail: warn and go on, the service may still only read there.
		# The host user gets the group too; the image's user keeps the group the image gave.
		_sbir_st=0
		if [ "$_sbir_owner" = "$_sbir_user" ]; then
			find "$_sbir_d" \! -user "$_sbir_user" -exec chown "$_sbir_owner" '{}' + || _sbir_st=$?
		else
			find "$_sbir_d" \( \! -user "$_sbir_user" -o \! -group "$_sbir_group" \) -exec chown "$_sbir_owner" '{}' + || _sbir_st=$?
		fi
		[ "$_sbir_st" -eq 0 ] ||
			sbir_log warning "could not give all of a directory to $_sbir_owner. Fix its ownership on the host (chown) or mount it writable." dir="$_sbir_d" user="$_sbir_owner"
	done
	set +f
	# A host user who is root (CI machines, rootful setups) keeps root: re-executing through gosu would
	# find root again and loop.
	if [ "$_sbir_user" = 0 ]; then
		sbir_log debug "running as root, the host user" user="$_sbir_owner"
		return 0
	fi
	sbir_log debug "dropping privileges" user="$_sbir_owner"
	exec gosu "$_sbir_owner" "$0" "$@"
}

# sbir_dev_reload SCRIPT ARGS...: with SBIR_DEV_RELOAD=1 (the dev profile), replaces the caller by
# reload.py, which runs SCRIPT ARGS... with SBIR_DEV_RELOAD=0 and runs it again whenever a Python or YAML
# file under the watched directories changes; otherwise returns. Reads SBIR_DEV_RELOAD (default 0),
# SBIR_PYTHON (python3), SBIR_SCRIPTS_DIR; reload.py reads SBIR_DEV_RELOAD_DIRS and the others it lists.
sbir_dev_reload() {
	[ "${SBIR_DEV_RELOAD:-0}" = 1 ] || return 0
	exec "${SBIR_PYTHON:-python3}" "$SBIR_SCRIPTS_DIR/reload.py" -- "$@"
}

# sbir_dagster_preflight [DAGSTER_ARGS...]: checks, before a Dagster process starts, what Dagster itself
# checks, so that a mistake is one coded line in the JSON log and exit status 2 instead of Dagster's
# usage error or traceback (repeated by every restart of the container). Reads DAGSTER_HOME,
# DAGSTER_MODULE_NAME, the working directory (pyproject.toml, workspace.yaml) and the Dagster arguments.
sbir_dagster_preflight() {
	# DAGSTER_HOME: set, absolute and an existing directory, as DagsterInstance.get() requires
	# (dagster/_core/instance: "$DAGSTER_HOME ... must be an absolute path", "is not a directory or does
	# not exist"); and writable, because the SQLite storage of dagster.yaml and the daemon's heartbeats
	# are created under it.
	case ${DAGSTER_HOME:-} in
	/*) ;;
	'') sbir_die 2 "DAGSTER_HOME is not set, and Dagster keeps its instance there (dagster.yaml, runs, schedules, heartbeats). Set it to the image's /app/dagster_home, or to a directory that holds your dagster.yaml." code=SBC5311 ;;
	*) sbir_die 2 "DAGSTER_HOME is not an absolute path, which Dagster refuses. Set it to an absolute directory such as /app/dagster_home." code=SBC5311 dagster_home="$DAGSTER_HOME" ;;
	esac
	[ -d "$DAGSTER_HOME" ] ||
		sbir_die 2 "DAGSTER_HOME is not a directory or does not exist, which Dagster refuses. Point it at the image's /app/dagster_home, or mount a directory there." code=SBC5311 dagster_home="$DAGSTER_HOME"
	[ -w "$DAGSTER_HOME" ] ||
		sbir_die 2 "DAGSTER_HOME is not writable by uid $(id -u), and Dagster writes its storage there. Give the directory (or the volume mounted in it) to that user, or run the container as the image's user sbir." code=SBC5311 dagster_home="$DAGSTER_HOME"

	# The code location. Dagster's CLI takes exactly one kind of target: -m (or DAGSTER_MODULE_NAME, its
	# environment variable), -f, --package-name, -w or a gRPC server; with none it looks for
	# [tool.dagster] in ./pyproject.toml, then ./workspace.yaml, and otherwise stops with "No arguments
	# given and no [tool.dagster] block in pyproject.toml found" (dagster/_cli/workspace/cli_target.py).
	_sbir_module=${DAGSTER_MODULE_NAME:-}
	_sbir_other=''
	while [ "$#" -gt 0 ]; do
		case $1 in
		-m | --module-name)
			_sbir_module=${2:-}
			[ "$#" -lt 2 ] || shift
			;;
		--module-name=*) _sbir_module=${1#*=} ;;
		-w | --workspace | -f | --python-file | --package-name | --grpc-port | --grpc-socket) _sbir_other=$1 ;;
		--workspace=* | --python-file=* | --package-name=* | --grpc-port=* | --grpc-socket=*) _sbir_other=${1%%=*} ;;
		esac
		shift
	done
	if [ -n "$_sbir_other" ] && [ -n "${DAGSTER_MODULE_NAME:-}" ]; then
		sbir_die 2 "two code locations: $_sbir_other is given, and DAGSTER_MODULE_NAME (Dagster's variable for -m) names one too, which Dagster refuses as an invalid set of arguments. Drop the argument, or set DAGSTER_MODULE_NAME to an empty value for this service." code=SBC5313 argument="$_sbir_other" module="$DAGSTER_MODULE_NAME"
	fi
	if [ -z "$_sbir_module" ]; then
		[ -n "$_sbir_other" ] && return 0
		if grep -q "^[ $_SBIR_TAB]*\\[tool\\.dagster[].]" pyproject.toml 2>/dev/null || [ -f workspace.yaml ]; then
			return 0
		fi
		sbir_die 2 "no Dagster code location: DAGSTER_MODULE_NAME is empty, no argument names one, and the working directory has no [tool.dagster] in pyproject.toml or workspace.yaml. Set DAGSTER_MODULE_NAME to the module with your Definitions." code=SBC5310 dir="$(pwd)"
	fi

	# The module imports, as Dagster's code server will import it (a library the runtime image lacks fails here).
	_sbir_probe module "$_sbir_module" ||
		sbir_die 2 "the Dagster code location does not import. Fix the module or its dependencies in the image (the reason is Python's last line), or set DAGSTER_MODULE_NAME to the right module." code=SBC5312 module="$_sbir_module" reason="${_sbir_reason:-}"
	sbir_log debug "code location imports" module="$_sbir_module"
}

# _sbir_is_sourced SCRIPT: true when the running file is not SCRIPT (a test sourced it). Reads $0.
_sbir_is_sourced() {
	[ "${0##*/}" != "$1" ]
}
