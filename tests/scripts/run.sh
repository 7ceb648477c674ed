#!/bin/sh
# tests/scripts/run.sh [FILTER]: tests for the sbir-etl container scripts
# (samples/sbir-etl/scripts/docker: lib.sh, entrypoint.sh, the service scripts, probe.py).
#
#   1. static checks: shellcheck -s sh and dash -n on every script, probe.py parses, no PATH
#      assignment, eval only in lib.sh's two validated-name helpers, no bash-isms, every lib
#      function documented, shebangs, set -eu and file modes;
#   2. behaviour: the scripts run under dash on this host (no docker), in a scrubbed environment
#      (env -i), against fake_services.py (stand-in TCP/HTTP/Bolt listeners on 127.0.0.1) and the
#      stand-in executables in stand-ins/ (dagster-webserver, dagster-daemon, python, and gosu/id for
#      the privilege drop); reload.py (the dev profile's code reload) against real file edits, with and
#      without the end-to-end stand-in of the watchfiles package. The Dagster stand-ins first check the real programs'
#      contract with the end-to-end stand-in (tests/Sbir.Container.EndToEndTests/StandIns/dagster).
#
# One function per scenario (test_*); FILTER runs only the scenarios whose name contains it.
# Needs dash, shellcheck and python3 (apt-get install -y dash shellcheck python3).
# Exit status: 0 when every scenario passed or was skipped, 1 otherwise (each failure is printed
# with the tail of its log). Takes about 30 s.
#
# shellcheck disable=SC2016,SC2317
# SC2016: single-quoted $VAR in commands meant for the scripts' own shells is intended.
# SC2317: the test_* functions are called through $TESTS, which shellcheck cannot see.
set -u

HERE=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
REPO=$(CDPATH='' cd -- "$HERE/../.." && pwd)
SCRIPTS=${SBIR_SCRIPTS_UNDER_TEST:-$REPO/samples/sbir-etl/scripts/docker}
STANDINS=$HERE/stand-ins
FILTER=${1:-}

for _tool in dash shellcheck python3; do
	if ! command -v "$_tool" >/dev/null 2>&1; then
		printf 'run.sh: %s is not installed. Install it: apt-get install -y dash shellcheck python3\n' "$_tool" >&2
		exit 1
	fi
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/sbir-scripts-test.XXXXXX")
SERVER_PID=''
# cleanup: stops the fake services started by this run and removes the work directory.
cleanup() {
	if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || :; fi
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir -p "$WORK/logs" "$WORK/home" "$WORK/tmp" "$WORK/dagster-home" "$WORK/pylib"
# A code location for the Dagster checks: any importable module stands for sbir_etl.definitions here.
printf 'DEFINITIONS = "stand-in code location of run.sh"\n' >"$WORK/pylib/standin_defs.py"
STANDIN_DAGSTER=$REPO/tests/Sbir.Container.EndToEndTests/StandIns/dagster/standin_dagster.py

# The real interpreter (not a pyenv shim, which needs HOME) goes on the scrubbed PATH.
PY=$(python3 -c 'import sys; print(sys.executable)')
HOST_PATH=${PY%/*}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
T_PATH=$STANDINS:$HOST_PATH

# ---------------------------------------------------------------------------------------------
# Helpers (run inside each scenario's subshell, where set -e is on)

# fail MSG: ends the scenario as failed.
fail() {
	printf 'assertion failed: %s\n' "$*"
	exit 1
}

# skip MSG: ends the scenario as skipped.
skip() {
	printf 'skipped: %s\n' "$*"
	exit 77
}

# assert_eq EXPECTED ACTUAL [WHAT]
assert_eq() {
	[ "$1" = "$2" ] || fail "${3:-value}: expected [$1], got [$2]"
}

# assert_contains HAYSTACK NEEDLE [WHAT]
assert_contains() {
	case $1 in
	*"$2"*) ;;
	*) fail "${3:-output}: [$2] not found in: $1" ;;
	esac
}

# assert_not_contains HAYSTACK NEEDLE [WHAT]
assert_not_contains() {
	case $1 in
	*"$2"*) fail "${3:-output}: [$2] must not appear in: $1" ;;
	esac
}

# assert_le VALUE MAX WHAT
assert_le() {
	[ "$1" -le "$2" ] || fail "$3: $1 > $2"
}

# HANG_BOUND: seconds within which a script that honours its short timeout (1-2 s, against a default of
# 60-120 s) must return. A bound that tells "honoured the timeout" from "waited the default", not a speed
# test: on a loaded 2-core CI machine dash, python3 and the probes take seconds to start.
HANG_BOUND=30

# sx [NAME=value...] COMMAND...: runs COMMAND with env -i: only a fixed base plus the given
# variables (no SBIR_*, DOCKER_* or host secrets leak in; /run/secrets and /app/config are not read).
# The base has what the image sets for Dagster: DAGSTER_HOME and DAGSTER_MODULE_NAME (importable here).
sx() {
	env -i PATH="$T_PATH" HOME="$WORK/home" LANG=C.UTF-8 TMPDIR="$WORK/tmp" \
		SBIR_SECRETS_DIR="$WORK/no-secrets" SBIR_ETL_CONFIG_DIR="$WORK/no-config" \
		SBIR_WAIT_INTERVAL=1 SERVICE_STARTUP_TIMEOUT=2 \
		DAGSTER_HOME="$WORK/dagster-home" DAGSTER_MODULE_NAME=standin_defs PYTHONPATH="$WORK/pylib" \
		STANDIN_DAGSTER="$STANDIN_DAGSTER" "$@"
}

# run NAME [NAME=value...] COMMAND...: sx, with stdout in $WORK/NAME.out, stderr in $WORK/NAME.err,
# the status in $ST, the elapsed seconds in $SECS, and both outputs echoed to the scenario log.
run() {
	_n=$1
	shift
	_t0=$(date +%s)
	ST=0
	sx "$@" >"$WORK/$_n.out" 2>"$WORK/$_n.err" || ST=$?
	SECS=$(($(date +%s) - _t0))
	OUT=$(cat "$WORK/$_n.out")
	ERR=$(cat "$WORK/$_n.err")
	printf '$ %s\n[status %s, %ss]\n--- stdout\n%s\n--- stderr\n%s\n' "$*" "$ST" "$SECS" "$OUT" "$ERR"
}

# lib CODE [NAME=value...]: runs CODE under dash after sourcing lib.sh (extra variables first).
lib() {
	_code=$1
	shift
	run lib "$@" dash -c 'set -eu; . "$1"; shift; eval "$1"' test-harness "$SCRIPTS/lib.sh" "$_code"
}

# json_valid FILE: every line of FILE is a well-formed log record.
json_valid() {
	"$PY" "$HERE/logcheck.py" valid "$1" || fail "log lines in $1 are not valid JSON records"
}

# start_services: starts fake_services.py once and loads its *_PORT assignments.
start_services() {
	[ -z "$SERVER_PID" ] || return 0
	"$PY" "$HERE/fake_services.py" "$WORK/ports.sh" >"$WORK/services.log" 2>&1 &
	SERVER_PID=$!
	_i=0
	while [ ! -f "$WORK/ports.sh" ]; do
		_i=$((_i + 1))
		[ "$_i" -le 100 ] || {
			cat "$WORK/services.log"
			echo 'run.sh: fake_services.py did not start' >&2
			exit 1
		}
		sleep 0.1
	done
	# shellcheck source=/dev/null
	. "$WORK/ports.sh"
}

# ---------------------------------------------------------------------------------------------
# 1. Static checks

SHELL_SCRIPTS='lib.sh entrypoint.sh dagster-webserver.sh dagster-daemon.sh etl-runner.sh wait-for-service.sh healthcheck.sh'

test_static_files_present() {
	for f in $SHELL_SCRIPTS probe.py reload.py; do
		[ -f "$SCRIPTS/$f" ] || fail "missing $SCRIPTS/$f"
	done
	for f in $SHELL_SCRIPTS; do
		[ "$f" = lib.sh ] && continue
		[ -x "$SCRIPTS/$f" ] || fail "$f is not executable (chmod 0755; tini and gosu exec it by path)"
		assert_eq '#!/bin/sh' "$(head -n 1 "$SCRIPTS/$f")" "$f shebang"
		grep -qx 'set -eu' "$SCRIPTS/$f" || fail "$f has no 'set -eu' line"
	done
	[ ! -x "$SCRIPTS/lib.sh" ] || fail "lib.sh is executable, but it is only ever sourced"
	grep -q '^# shellcheck shell=sh$' "$SCRIPTS/lib.sh" || fail "lib.sh lacks '# shellcheck shell=sh'"
}

test_static_shellcheck() {
	cd "$SCRIPTS"
	# shellcheck disable=SC2086 # word splitting of the file list is intended
	shellcheck -s sh -x $SHELL_SCRIPTS || fail "shellcheck -s sh found problems in the scripts"
	cd "$HERE"
	shellcheck -s sh -x run.sh stand-ins/dagster-webserver stand-ins/dagster-daemon \
		stand-ins/python stand-ins/privilege/gosu stand-ins/privilege/id ||
		fail "shellcheck -s sh found problems in the test harness"
}

test_static_dash_syntax() {
	for f in $SHELL_SCRIPTS; do
		dash -n "$SCRIPTS/$f" || fail "dash -n $f"
	done
	dash -n "$HERE/run.sh" || fail "dash -n run.sh"
	for f in probe.py reload.py; do
		"$PY" -c 'import ast, sys; ast.parse(open(sys.argv[1]).read(), sys.argv[1])' "$SCRIPTS/$f" ||
			fail "$f does not parse"
	done
}

# code_lines: prints "file:line: text" for every non-comment line of the scripts.
code_lines() {
	cd "$SCRIPTS"
	# shellcheck disable=SC2086 # word splitting of the file list is intended
	awk '!/^[[:space:]]*#/ { print FILENAME ":" FNR ": " $0 }' $SHELL_SCRIPTS
}

test_static_no_path_assignment() {
	if code_lines | grep -E '(^|[^A-Za-z0-9_])PATH[[:space:]]*=|export[[:space:]]+PATH|(^|[^A-Za-z0-9_])(readonly|local|unset)[[:space:]]+PATH'; then
		fail "a script assigns PATH (every later command lookup would break)"
	fi
}

test_static_eval_only_on_validated_names() {
	_evals=$(code_lines | grep -E '(^|[^A-Za-z0-9_])eval([^A-Za-z0-9_]|$)' || :)
	printf '%s\n' "$_evals"
	assert_eq 2 "$(printf '%s\n' "$_evals" | grep -c 'eval "')" "eval call sites"
	_bad=$(printf '%s\n' "$_evals" | grep -v '^lib.sh:' || :)
	assert_eq '' "$_bad" "eval outside lib.sh"
	# Both call sites sit in functions whose first line validates the name.
	for fn in _sbir_is_set _sbir_get; do
		sed -n "/^$fn() {/,/^}/p" "$SCRIPTS/lib.sh" | grep -q '_sbir_valid_name "\$1" || return 1' ||
			fail "$fn does not validate the name before eval"
	done
}

test_static_no_bashisms() {
	if code_lines | grep -E '\[\[|<<<|\$\{!|pipefail|: [[:space:]]*(declare|typeset|function|source)[[:space:]]|\btrap\b'; then
		fail "bash-ism or trap found (the scripts run under dash; tini + exec handle signals)"
	fi
}

test_static_lib_functions_documented() {
	_undoc=$(awk '/^[A-Za-z_][A-Za-z0-9_]*\(\) \{/ { if (prev !~ /^#/) print FILENAME ":" NR ": " $0 } { prev = $0 }' \
		"$SCRIPTS/lib.sh" "$SCRIPTS/entrypoint.sh" "$SCRIPTS/dagster-webserver.sh" "$SCRIPTS/dagster-daemon.sh" \
		"$SCRIPTS/etl-runner.sh" "$SCRIPTS/wait-for-service.sh" "$SCRIPTS/healthcheck.sh")
	assert_eq '' "$_undoc" "functions without a comment line above them"
	_noreads=$(awk '/^[A-Za-z_][A-Za-z0-9_]*\(\) \{/ { if (block !~ /[Rr]eads/) print NR ": " $0 } /^#/ { block = block $0 } !/^#/ { block = "" }' "$SCRIPTS/lib.sh")
	assert_eq '' "$_noreads" "lib.sh functions whose comment does not say what they read"
}

# ---------------------------------------------------------------------------------------------
# 2. Behaviour: the JSON logger

test_log_every_line_is_json() {
	lib 'sbir_log info "plain message" a=1 b="two words"; sbir_log warning w; sbir_log error e k=v=w; sbir_log debug hidden'
	assert_eq 0 "$ST" status
	assert_eq '' "$OUT" stdout
	json_valid "$WORK/lib.err"
	assert_eq 3 "$(grep -c . "$WORK/lib.err")" "line count (debug is filtered at the default level)"
	assert_eq 'v=w' "$("$PY" "$HERE/logcheck.py" field "$WORK/lib.err" k)" "value containing '='"
	assert_eq 'two words' "$(sed -n 1p "$WORK/lib.err" | "$PY" -c 'import json,sys; print(json.loads(sys.stdin.read())["b"])')" "field b"
}

test_log_escaping() {
	_msg=$(printf 'say "hi" \\ back\\slash\nnext\tline \033[31mred\033[0m \001 caf\303\251 {"x":1} end')
	lib 'sbir_log info "$MSG" "field=$MSG" "we\"ird=$MSG"' MSG="$_msg"
	assert_eq 0 "$ST" status
	json_valid "$WORK/lib.err"
	assert_eq 1 "$(grep -c . "$WORK/lib.err")" "one line despite the newline in the message"
	MSG=$_msg "$PY" "$HERE/logcheck.py" equals "$WORK/lib.err" msg MSG || fail "msg did not round-trip"
	MSG=$_msg "$PY" "$HERE/logcheck.py" equals "$WORK/lib.err" field MSG || fail "field did not round-trip"
	MSG=$_msg "$PY" "$HERE/logcheck.py" equals "$WORK/lib.err" 'we"ird' MSG || fail "escaped key did not round-trip"
}

test_log_level_filtering() {
	_emit='sbir_log debug d; sbir_log info i; sbir_log warning w; sbir_log error e; sbir_log warn w2'
	lib "$_emit"
	assert_eq 'info warning error warning' "$("$PY" "$HERE/logcheck.py" levels "$WORK/lib.err")" "default level"
	lib "$_emit" SBIR_ETL_LOG_LEVEL=warning
	assert_eq 'warning error warning' "$("$PY" "$HERE/logcheck.py" levels "$WORK/lib.err")" "warning"
	lib "$_emit" SBIR_ETL_LOG_LEVEL=DEBUG
	assert_eq 'debug info warning error warning' "$("$PY" "$HERE/logcheck.py" levels "$WORK/lib.err")" "DEBUG"
	lib "$_emit" SBIR_ETL_LOG_LEVEL=error
	assert_eq 'error' "$("$PY" "$HERE/logcheck.py" levels "$WORK/lib.err")" "error"
}

test_log_service_field() {
	lib 'sbir_log info hello'
	assert_eq test-harness "$("$PY" "$HERE/logcheck.py" field "$WORK/lib.err" service)" "default service (script name)"
	lib 'sbir_log info hello' SBIR_SERVICE=dagster-daemon
	assert_eq dagster-daemon "$("$PY" "$HERE/logcheck.py" field "$WORK/lib.err" service)" "SBIR_SERVICE"
	run ep dash "$SCRIPTS/wait-for-service.sh" tcp 127.0.0.1 "$TCP_PORT" --timeout 1
	assert_eq wait-for-service "$("$PY" "$HERE/logcheck.py" field "$WORK/ep.err" service)" "service of a script (.sh dropped)"
}

# ---------------------------------------------------------------------------------------------
# 2. Behaviour: *_FILE, the secrets directory and config files

SECRET_A=file-secret-VALUE-7311
SECRET_B=dir-secret-VALUE-9931
SECRET_C=preset-secret-VALUE-4242

test_file_env_loads_and_unsets() {
	printf '%s\n' "$SECRET_A" >"$WORK/pw"
	run ep SBIR_ETL_LOG_LEVEL=debug NEO4J_PASSWORD_FILE="$WORK/pw" \
		dash "$SCRIPTS/entrypoint.sh" sh -c 'test "$NEO4J_PASSWORD" = "$(cat "$1")" && test -z "${NEO4J_PASSWORD_FILE+x}" && echo loaded' sh "$WORK/pw"
	assert_eq 0 "$ST" status
	assert_eq loaded "$OUT" "NEO4J_PASSWORD from NEO4J_PASSWORD_FILE, NEO4J_PASSWORD_FILE unset"
	assert_contains "$ERR" '"var":"NEO4J_PASSWORD"' "log names the variable"
	assert_not_contains "$OUT$ERR" "$SECRET_A" "secret value"
	json_valid "$WORK/ep.err"
}

test_file_env_both_set_is_an_error() {
	printf '%s\n' "$SECRET_A" >"$WORK/pw"
	run ep NEO4J_PASSWORD="$SECRET_C" NEO4J_PASSWORD_FILE="$WORK/pw" dash "$SCRIPTS/entrypoint.sh" echo should-not-run
	assert_eq 1 "$ST" status
	assert_eq '' "$OUT" "the command must not run"
	assert_contains "$ERR" 'both NEO4J_PASSWORD and NEO4J_PASSWORD_FILE are set' message
	assert_contains "$ERR" 'Set only one of them.' "message ends with the fix"
	assert_not_contains "$OUT$ERR" "$SECRET_A" "file secret value"
	assert_not_contains "$OUT$ERR" "$SECRET_C" "env secret value"
}

test_file_env_missing_file_and_bad_names() {
	run ep NEO4J_PASSWORD_FILE="$WORK/does-not-exist" dash "$SCRIPTS/entrypoint.sh" echo no
	assert_eq 1 "$ST" "status for a missing file"
	assert_contains "$ERR" 'NEO4J_PASSWORD_FILE points to' message
	lib 'sbir_file_env "X;touch $W/pwned"' W="$WORK"
	assert_eq 2 "$ST" "status for an invalid name"
	[ ! -e "$WORK/pwned" ] || fail "an invalid variable name was evaluated"
	run ep SBIR_FILE_ENV_VARS='A B;touch x' dash "$SCRIPTS/entrypoint.sh" echo no
	assert_eq 2 "$ST" "status for a bad SBIR_FILE_ENV_VARS"
	# The custom list is honoured.
	printf 'custom\n' >"$WORK/tok"
	run ep SBIR_FILE_ENV_VARS='API_TOKEN' API_TOKEN_FILE="$WORK/tok" dash "$SCRIPTS/entrypoint.sh" sh -c 'echo "$API_TOKEN"'
	assert_eq custom "$OUT" "SBIR_FILE_ENV_VARS"
}

test_secrets_dir_loads_only_unset_variables() {
	_s=$WORK/secrets
	mkdir -p "$_s/subdir"
	printf '%s\n' "$SECRET_B" >"$_s/DB_TOKEN"
	printf '%s\n' "$SECRET_B-preset" >"$_s/PRESET"
	printf '%s\n' "$SECRET_B-empty" >"$_s/EMPTY"
	printf '%s\n' "$SECRET_B-bad" >"$_s/bad-name"
	printf '%s' "$SECRET_B-multi" >"$_s/multi_line"
	printf '\nline2\n' >>"$_s/multi_line"
	run ep SBIR_ETL_LOG_LEVEL=debug SBIR_SECRETS_DIR="$_s" PRESET="$SECRET_C" EMPTY= \
		dash "$SCRIPTS/entrypoint.sh" sh -c '
			d=$SBIR_SECRETS_DIR
			[ "$DB_TOKEN" = "$(cat "$d/DB_TOKEN")" ] || { echo DB_TOKEN-wrong; exit 1; }
			[ "$multi_line" = "$(cat "$d/multi_line")" ] || { echo multi-wrong; exit 1; }
			[ "$PRESET" != "$(cat "$d/PRESET")" ] || { echo PRESET-overridden; exit 1; }
			[ -z "$EMPTY" ] || { echo EMPTY-overridden; exit 1; }
			echo secrets-ok'
	assert_eq 0 "$ST" status
	assert_eq secrets-ok "$OUT" "loaded only the unset variables"
	assert_contains "$ERR" '"msg":"loaded secret","var":"DB_TOKEN"' "log names DB_TOKEN"
	assert_contains "$ERR" '"var":"PRESET"' "log names PRESET as kept"
	assert_contains "$ERR" 'bad-name' "warning for a file that is not a variable name"
	assert_not_contains "$OUT$ERR" "$SECRET_B" "secret values (any of them)"
	assert_not_contains "$OUT$ERR" "$SECRET_C" "preset value"
	json_valid "$WORK/ep.err"
}

test_config_files_do_not_override_and_are_not_sourced() {
	_c=$WORK/config
	mkdir -p "$_c"
	{
		printf '# comment\n\n   \n'
		printf 'export APP_MODE=container\n'
		printf 'KEEP=from-file\n'
		printf '  SPACED = spaced value  \n'
		printf 'QUOTED="a value # not a comment"   # but this is\n'
		printf "SINGLE='single \$HOME'\n"
		printf 'INLINE=plain # trailing comment\n'
		printf 'CRLF=yes\r\n'
		printf 'EVIL=$(touch %s/pwned-config)\n' "$WORK"
		printf 'EVIL2=`touch %s/pwned-config2`; touch %s/pwned-config3\n' "$WORK" "$WORK"
		printf 'not a key value line\n'
		printf '1BAD=x\n'
		printf 'LAST=no-newline'
	} >"$_c/10-app.env"
	printf 'KEEP=second-file\nAPP_MODE=second-file\nSECOND=yes\n' >"$_c/20-more.env"
	printf 'IGNORED=1\n' >"$_c/notes.txt"
	run ep SBIR_ETL_CONFIG_DIR="$_c" KEEP=compose \
		dash "$SCRIPTS/entrypoint.sh" sh -c 'printf "%s|" "$APP_MODE" "$KEEP" "$SPACED" "$QUOTED" "$SINGLE" "$INLINE" "$CRLF" "$EVIL" "$LAST" "$SECOND" "${IGNORED-unset}"'
	assert_eq 0 "$ST" status
	assert_eq "container|compose|spaced value|a value # not a comment|single \$HOME|plain|yes|\$(touch $WORK/pwned-config)|no-newline|yes|unset|" "$OUT" "config values"
	for f in pwned-config pwned-config2 pwned-config3; do
		[ ! -e "$WORK/$f" ] || fail "a config file was executed as shell ($f exists)"
	done
	assert_contains "$ERR" '"line":"13"' "warning for the line without '='"
	assert_contains "$ERR" '"line":"14"' "warning for the invalid key"
	json_valid "$WORK/ep.err"
}

test_precedence_env_over_file_over_secrets_over_config() {
	mkdir -p "$WORK/p/secrets" "$WORK/p/config"
	printf 'from-file\n' >"$WORK/p/user"
	printf 'from-secret\n' >"$WORK/p/secrets/NEO4J_USER"
	printf 'from-secret\n' >"$WORK/p/secrets/ONLY_SECRET"
	printf 'NEO4J_USER=from-config\nONLY_SECRET=from-config\nONLY_CONFIG=from-config\nFROM_ENV=from-config\n' >"$WORK/p/config/a.env"
	run ep SBIR_SECRETS_DIR="$WORK/p/secrets" SBIR_ETL_CONFIG_DIR="$WORK/p/config" NEO4J_USER_FILE="$WORK/p/user" FROM_ENV=from-env \
		dash "$SCRIPTS/entrypoint.sh" sh -c 'printf "%s|" "$NEO4J_USER" "$ONLY_SECRET" "$ONLY_CONFIG" "$FROM_ENV"'
	assert_eq 'from-file|from-secret|from-config|from-env|' "$OUT" precedence
}

# ---------------------------------------------------------------------------------------------
# 2. Behaviour: the dispatcher

test_entrypoint_passes_unknown_commands_through() {
	run ep dash "$SCRIPTS/entrypoint.sh" echo hello
	assert_eq 0 "$ST" status
	assert_eq hello "$OUT" stdout
	run ep dash "$SCRIPTS/entrypoint.sh" printf '[%s]' 'a b' "c'd" '$HOME' '' '"q"'
	assert_eq "[a b][c'd][\$HOME][][\"q\"]" "$OUT" "arguments preserved exactly"
	run ep dash "$SCRIPTS/entrypoint.sh" -- echo a b
	assert_eq 'a b' "$OUT" "'--' drops only itself"
	run ep dash "$SCRIPTS/entrypoint.sh" sh -c 'exit 7'
	assert_eq 7 "$ST" "exit status of the command"
	run ep dash "$SCRIPTS/entrypoint.sh" sh -c 'printf %s "$PATH"'
	assert_eq "$T_PATH" "$OUT" "PATH untouched"
	run ep dash "$SCRIPTS/entrypoint.sh" dagster --version
	assert_eq 127 "$ST" "dagster (not installed here) is exec'd as given"
}

test_entrypoint_usage_errors() {
	run ep dash "$SCRIPTS/entrypoint.sh"
	assert_eq 2 "$ST" "no arguments"
	assert_contains "$ERR" 'no command given' message
	json_valid "$WORK/ep.err"
	run ep dash "$SCRIPTS/entrypoint.sh" --
	assert_eq 2 "$ST" "nothing after --"
}

test_entrypoint_can_be_sourced() {
	run ep SBIR_SCRIPTS_DIR="$SCRIPTS" \
		dash -c '. "$1"; command -v _main >/dev/null && command -v sbir_log >/dev/null && echo sourced' test-harness "$SCRIPTS/entrypoint.sh"
	assert_eq 0 "$ST" status
	assert_eq sourced "$OUT" "sourcing defines _main and does not run it"
}

test_entrypoint_dispatches_services_and_drops_privileges() {
	start_services
	T_PATH=$STANDINS/privilege:$T_PATH
	mkdir -p "$WORK/d/data/sub" "$WORK/d/logs"
	: >"$WORK/d/data/sub/file"
	run ep SBIR_USER=nobody SBIR_CHOWN_DIRS="$WORK/d/data $WORK/d/logs $WORK/d/missing" \
		SBIR_ETL__NEO4J__URI="bolt://127.0.0.1:$BOLT_PORT" \
		dash "$SCRIPTS/entrypoint.sh" dagster-webserver --path-prefix '/a b'
	assert_eq 0 "$ST" status
	assert_contains "$OUT" "stand-in dagster-webserver [-h] [0.0.0.0] [-p] [3000] [--path-prefix] [/a b]" argv
	assert_contains "$OUT" "stand-in-path $T_PATH" "PATH untouched through gosu and exec"
	assert_contains "$ERR" 'stand-in gosu [nobody]' "re-exec through gosu"
	assert_contains "$ERR" '"service":"dagster-webserver"' "SBIR_SERVICE set by the dispatcher"
	if [ "$(/usr/bin/id -u)" = 0 ]; then
		assert_eq nobody "$(stat -c %U "$WORK/d/data/sub/file")" "ownership fixed under a mount root"
		assert_eq nobody "$(stat -c %U "$WORK/d/logs")" "mount root ownership fixed"
	fi
	run ep SBIR_USER=nobody SBIR_CHOWN_DIRS="$WORK/d/logs" ETL_RUNNER_WAIT_NEO4J=0 \
		dash "$SCRIPTS/entrypoint.sh" etl-runner sh -c 'echo "ran as $STANDIN_GOSU_USER"'
	assert_eq 'ran as nobody' "$OUT" "etl-runner dispatch"
	# Pass-through commands are not re-executed through gosu (docker run IMAGE sh stays root).
	run ep dash "$SCRIPTS/entrypoint.sh" sh -c 'echo "${STANDIN_GOSU_USER:-no-gosu}"'
	assert_eq no-gosu "$OUT" "no privilege drop for pass-through commands"
	# Without gosu, root gets a warning and carries on.
	T_PATH=$WORK/nogosu:$HOST_PATH
	mkdir -p "$WORK/nogosu"
	ln -s "$STANDINS/privilege/id" "$WORK/nogosu/id"
	ln -s "$STANDINS/dagster-daemon" "$WORK/nogosu/dagster-daemon"
	run ep dash "$SCRIPTS/entrypoint.sh" dagster-daemon liveness-check
	assert_eq 0 "$ST" status
	assert_contains "$ERR" 'gosu is not installed' warning
}

test_entrypoint_drops_to_the_host_user_of_the_dev_profile() {
	start_services
	T_PATH=$STANDINS/privilege:$T_PATH
	mkdir -p "$WORK/h/data/processed" "$WORK/h/home/storage"
	: >"$WORK/h/data/processed/old"
	run ep SBIR_HOST_USER=4321:4322 SBIR_CHOWN_DIRS="$WORK/h/data" DAGSTER_HOME="$WORK/h/home" ETL_RUNNER_WAIT_NEO4J=0 \
		dash "$SCRIPTS/entrypoint.sh" etl-runner sh -c 'echo "ran as $STANDIN_GOSU_USER uid $(id -u)"'
	assert_eq 0 "$ST" status
	assert_eq 'ran as 4321:4322 uid 4321' "$OUT" "gosu to the numeric uid:gid"
	if [ "$(/usr/bin/id -u)" = 0 ]; then
		assert_eq 4321:4322 "$(stat -c %u:%g "$WORK/h/data/processed/old")" "data given to the host user (owner and group)"
		assert_eq 4321:4322 "$(stat -c %u:%g "$WORK/h/home/storage")" "the Dagster instance too"
	fi
	# Not a numeric uid:gid: a coded error before anything runs.
	for _bad in sbir 1000 1000: :1000 1000:1000:1 'x:y' '1000;id'; do
		run ep SBIR_HOST_USER="$_bad" ETL_RUNNER_WAIT_NEO4J=0 dash "$SCRIPTS/entrypoint.sh" etl-runner echo must-not-run
		assert_eq 2 "$ST" "status for SBIR_HOST_USER='$_bad'"
		assert_eq '' "$OUT" "nothing ran for '$_bad'"
		assert_eq SBC5220 "$(code_of "$WORK/ep.err")" "code for '$_bad'"
	done
	json_valid "$WORK/ep.err"
	# A host user who is root stays root: once, without gosu (re-executing would find root again).
	run ep SBIR_HOST_USER=0:0 SBIR_CHOWN_DIRS='' ETL_RUNNER_WAIT_NEO4J=0 STANDIN_UID=0 \
		dash "$SCRIPTS/entrypoint.sh" etl-runner sh -c 'echo "ran as uid $(id -u)"'
	assert_eq 0 "$ST" "status for SBIR_HOST_USER=0:0"
	assert_eq 'ran as uid 0' "$OUT" "root host user: ran once, as root"
	assert_not_contains "$ERR" 'stand-in gosu' "no gosu for a root host user"
	# Empty is unset: the image's user, as before.
	run ep SBIR_HOST_USER= SBIR_USER=nobody SBIR_CHOWN_DIRS='' ETL_RUNNER_WAIT_NEO4J=0 \
		dash "$SCRIPTS/entrypoint.sh" etl-runner sh -c 'echo "$STANDIN_GOSU_USER"'
	assert_eq nobody "$OUT" "empty SBIR_HOST_USER"
}

# ---------------------------------------------------------------------------------------------
# 2. Behaviour: wait functions and probe.py against fake services

test_wait_up_returns_zero() {
	start_services
	run w dash "$SCRIPTS/wait-for-service.sh" tcp 127.0.0.1 "$TCP_PORT" --timeout 5
	assert_eq 0 "$ST" "tcp up"
	json_valid "$WORK/w.err"
	run w dash "$SCRIPTS/wait-for-service.sh" http "http://127.0.0.1:$HTTP_PORT/server_info" --timeout 5
	assert_eq 0 "$ST" "http 200"
	run w dash "$SCRIPTS/wait-for-service.sh" http "http://127.0.0.1:$HTTP_PORT/redirect" --timeout=5
	assert_eq 0 "$ST" "http 302 counts as up (not followed)"
	run w dash "$SCRIPTS/wait-for-service.sh" bolt 127.0.0.1 "$BOLT_PORT" --timeout 5 --interval 1
	assert_eq 0 "$ST" "bolt handshake"
	run w http_proxy=http://127.0.0.1:9 HTTP_PROXY=http://127.0.0.1:9 \
		dash "$SCRIPTS/wait-for-service.sh" http "http://127.0.0.1:$HTTP_PORT/server_info" --timeout 5
	assert_eq 0 "$ST" "proxy variables are ignored"
	run w dash "$SCRIPTS/wait-for-service.sh" tcp 127.0.0.1 "$TCP_PORT" -- echo ready
	assert_eq ready "$OUT" "command after -- runs once up"
}

test_wait_down_fails_within_timeout_naming_target() {
	start_services
	run w dash "$SCRIPTS/wait-for-service.sh" tcp 127.0.0.1 "$CLOSED_PORT" --timeout 2 --interval 1 -- echo must-not-run
	assert_eq 1 "$ST" "tcp down"
	assert_eq '' "$OUT" "command after -- must not run"
	assert_le "$SECS" "$HANG_BOUND" "seconds for a 2 s timeout"
	assert_contains "$ERR" "127.0.0.1:$CLOSED_PORT" "error names host:port"
	assert_contains "$ERR" 'did not come up within 2s' "error says what never came up"
	assert_contains "$ERR" 'raise SERVICE_STARTUP_TIMEOUT' "error ends with the fix"
	json_valid "$WORK/w.err"
	run w dash "$SCRIPTS/wait-for-service.sh" http "http://127.0.0.1:$HTTP_PORT/fail" --timeout 1
	assert_eq 1 "$ST" "http 500 is down"
	assert_contains "$ERR" 'HTTP status 500' reason
	run w dash "$SCRIPTS/wait-for-service.sh" http "http://127.0.0.1:$HTTP_PORT/nope" --timeout 0
	assert_eq 1 "$ST" "http 404 is down"
	run w dash "$SCRIPTS/wait-for-service.sh" bolt 127.0.0.1 "$BOLT0_PORT" --timeout 1
	assert_eq 1 "$ST" "bolt version 0 is down"
	assert_contains "$ERR" 'none of the proposed versions' reason
	run w dash "$SCRIPTS/wait-for-service.sh" bolt 127.0.0.1 "$TCP_PORT" --timeout 1
	assert_eq 1 "$ST" "a plain TCP listener is not a Bolt server"
	run w SBIR_PROBE_TIMEOUT=1 dash "$SCRIPTS/wait-for-service.sh" bolt 127.0.0.1 "$SILENT_PORT" --timeout 1
	assert_eq 1 "$ST" "a silent listener is down"
	assert_le "$SECS" "$HANG_BOUND" "seconds against a silent listener"
	assert_contains "$ERR" 'no Bolt handshake reply' reason
}

test_wait_usage_errors() {
	for args in '' 'ftp x' 'tcp onlyhost' 'http' 'tcp h 1 extra' 'tcp h 1 --timeout' 'tcp h 1 --timeout soon' 'tcp h 1 --bogus'; do
		# shellcheck disable=SC2086 # split the argument list on purpose
		run w dash "$SCRIPTS/wait-for-service.sh" $args
		assert_eq 2 "$ST" "usage status for '$args'"
		assert_contains "$ERR" 'usage:' "usage text for '$args'"
	done
	run w "$PY" "$SCRIPTS/probe.py" tcp 127.0.0.1 99999
	assert_eq 2 "$ST" "probe.py usage status"
	for port in notaport 0 65536; do
		run w dash "$SCRIPTS/wait-for-service.sh" tcp 127.0.0.1 "$port" --timeout 1
		assert_eq 2 "$ST" "bad port $port"
		assert_contains "$ERR" 'from 1 to 65535' "message for port $port"
	done
	run w SERVICE_STARTUP_TIMEOUT=soon dash "$SCRIPTS/etl-runner.sh" true
	assert_eq 2 "$ST" "bad SERVICE_STARTUP_TIMEOUT"
	assert_contains "$ERR" 'Set it to whole seconds' message
	run w SBIR_ETL__NEO4J__URI=bolt://neo4j:99999 dash "$SCRIPTS/etl-runner.sh" true
	assert_eq 2 "$ST" "URI with a bad port"
}

# ---------------------------------------------------------------------------------------------
# 2. Behaviour: the service scripts

test_webserver_command_line() {
	start_services
	run ws SBIR_ETL__NEO4J__URI="bolt://127.0.0.1:$BOLT_PORT" DAGSTER_PORT=3123 \
		dash "$SCRIPTS/dagster-webserver.sh"
	assert_eq 0 "$ST" status
	assert_contains "$OUT" "stand-in dagster-webserver [-h] [0.0.0.0] [-p] [3123]" "the code location comes from DAGSTER_MODULE_NAME, not an argument"
	assert_not_contains "$OUT" '[-w]' "no workspace argument"
	json_valid "$WORK/ws.err"
	run ws SBIR_ETL__NEO4J__URI="neo4j://someone@127.0.0.1:$BOLT_PORT/db?routing=x" \
		dash "$SCRIPTS/dagster-webserver.sh" --read-only
	assert_eq 0 "$ST" status
	assert_contains "$OUT" 'stand-in dagster-webserver [-h] [0.0.0.0] [-p] [3000] [--read-only]' "extra arguments"
	run ws SBIR_ETL__NEO4J__URI="127.0.0.1:$BOLT_PORT" dash "$SCRIPTS/dagster-webserver.sh" -m standin_defs
	assert_eq 0 "$ST" "an explicit -m is the same option as DAGSTER_MODULE_NAME; URI without a scheme"
	run ws SBIR_ETL__NEO4J__URI="bolt+s://127.0.0.1:$TCP_PORT" dash "$SCRIPTS/dagster-webserver.sh"
	assert_eq 0 "$ST" "TLS scheme waits for TCP only"
	assert_contains "$ERR" 'uses TLS' "TLS note"
	run ws SBIR_ETL__NEO4J__URI="http://127.0.0.1:$BOLT_PORT" dash "$SCRIPTS/dagster-webserver.sh"
	assert_eq 2 "$ST" "unknown URI scheme"
	assert_contains "$ERR" 'Use bolt://' "the fix"
}

# code_of FILE: prints the code field of the last log line that has one.
code_of() {
	"$PY" "$HERE/logcheck.py" field "$1" code
}

test_dagster_preflight_refuses_what_dagster_refuses() {
	start_services
	_neo="SBIR_ETL__NEO4J__URI=bolt://127.0.0.1:$BOLT_PORT"
	# No code location at all: an empty DAGSTER_MODULE_NAME, no argument, nothing in the working directory.
	run ws "$_neo" DAGSTER_MODULE_NAME= dash "$SCRIPTS/dagster-webserver.sh"
	assert_eq 2 "$ST" "no code location"
	assert_eq '' "$OUT" "dagster-webserver must not start"
	assert_eq SBC5310 "$(code_of "$WORK/ws.err")" code
	assert_contains "$ERR" 'Set DAGSTER_MODULE_NAME' "the fix"
	json_valid "$WORK/ws.err"
	# Dagster's own discovery in the working directory counts: [tool.dagster] in pyproject.toml, or workspace.yaml.
	mkdir -p "$WORK/proj"
	printf '[tool.dagster]\nmodule_name = "standin_defs"\n' >"$WORK/proj/pyproject.toml"
	run ws "$_neo" DAGSTER_MODULE_NAME= sh -c 'cd "$1" && exec dash "$2"' sh "$WORK/proj" "$SCRIPTS/dagster-webserver.sh"
	assert_eq 0 "$ST" "[tool.dagster] in ./pyproject.toml"
	# A module that does not import.
	run ws "$_neo" DAGSTER_MODULE_NAME=no_such_module_anywhere dash "$SCRIPTS/dagster-daemon.sh"
	assert_eq 2 "$ST" "module does not import"
	assert_eq SBC5312 "$(code_of "$WORK/ws.err")" code
	assert_contains "$ERR" "No module named 'no_such_module_anywhere'" "Python's reason"
	# Two kinds of code location: -w with DAGSTER_MODULE_NAME set (Dagster: an invalid set of arguments).
	printf 'load_from:\n  - python_module: standin_defs\n' >"$WORK/proj/workspace.yaml"
	run ws "$_neo" dash "$SCRIPTS/dagster-webserver.sh" -w "$WORK/proj/workspace.yaml"
	assert_eq 2 "$ST" "-w and DAGSTER_MODULE_NAME"
	assert_eq SBC5313 "$(code_of "$WORK/ws.err")" code
	run ws "$_neo" DAGSTER_MODULE_NAME= dash "$SCRIPTS/dagster-webserver.sh" -w "$WORK/proj/workspace.yaml"
	assert_eq 0 "$ST" "-w alone is fine"
	# DAGSTER_HOME: set, absolute, an existing directory, writable.
	for _home in '' relative/home "$WORK/no-such-home"; do
		run ws "$_neo" DAGSTER_HOME="$_home" dash "$SCRIPTS/dagster-daemon.sh" run
		assert_eq 2 "$ST" "DAGSTER_HOME='$_home'"
		assert_eq SBC5311 "$(code_of "$WORK/ws.err")" "code for DAGSTER_HOME='$_home'"
	done
	# --help and --version need none of it.
	run ws DAGSTER_HOME= DAGSTER_MODULE_NAME= dash "$SCRIPTS/dagster-webserver.sh" --help
	assert_eq 0 "$ST" "--help without a setup"
}

test_dagster_standins_refuse_a_bare_daemon_run() {
	# The daemon command the image once ran: 'dagster-daemon run' in a directory without a code location.
	# The stand-in refuses it as Dagster does (usage error, exit 2), so the scripts cannot rely on it.
	mkdir -p "$WORK/bare"
	run dd DAGSTER_MODULE_NAME= sh -c 'cd "$1" && exec dagster-daemon run' sh "$WORK/bare"
	assert_eq 2 "$ST" status
	assert_contains "$ERR" 'No arguments given and no [tool.dagster] block in pyproject.toml found.' "Dagster's usage error"
	run dd DAGSTER_HOME= dagster-daemon run
	assert_eq 1 "$ST" "the daemon needs DAGSTER_HOME"
	assert_contains "$ERR" 'DagsterHomeNotSetError' "Dagster's error"
}

test_webserver_exits_3_when_neo4j_never_comes() {
	start_services
	run ws SBIR_ETL__NEO4J__URI="bolt://127.0.0.1:$CLOSED_PORT" dash "$SCRIPTS/dagster-webserver.sh"
	assert_eq 3 "$ST" status
	assert_eq '' "$OUT" "dagster-webserver must not start"
	assert_contains "$ERR" "neo4j (127.0.0.1:$CLOSED_PORT) did not come up within 2s" "error names neo4j and host:port"
	assert_le "$SECS" "$HANG_BOUND" seconds
	run ws SBIR_ETL__NEO4J__URI="bolt://127.0.0.1:$BOLT0_PORT" dash "$SCRIPTS/dagster-webserver.sh"
	assert_eq 3 "$ST" "a Bolt server without a common version is not up"
	run ws SBIR_ETL__NEO4J__URI="bolt://127.0.0.1:$CLOSED_PORT" SERVICE_STARTUP_TIMEOUT=60 dash "$SCRIPTS/dagster-webserver.sh" --version
	assert_eq 0 "$ST" "--version does not wait"
	assert_le "$SECS" "$HANG_BOUND" "seconds for --version"
	assert_contains "$OUT" 'stand-in dagster-webserver [--version]' argv
}

# reload_start NAME [NAME=value...] COMMAND...: starts reload.py in the background (sx; SBIR_DEV_RELOAD_DIRS
# is $RL/src and $RL/config, polling every 0.1 s unless given), with stderr in $WORK/NAME.err; sets RL_PID.
reload_start() {
	_rn=$1
	shift
	mkdir -p "$RL/src/pkg" "$RL/config"
	sx SBIR_DEV_RELOAD_DIRS="$RL/src $RL/config" SBIR_DEV_RELOAD_POLL=0.1 SBIR_SERVICE=dagster-webserver \
		"$@" >"$WORK/$_rn.out" 2>"$WORK/$_rn.err" &
	RL_PID=$!
}

# reload_stop: SIGTERM to reload.py; waits for it and sets ST to its status (fails after 15 s).
reload_stop() {
	kill -TERM "$RL_PID"
	_i=0
	while kill -0 "$RL_PID" 2>/dev/null; do
		_i=$((_i + 1))
		[ "$_i" -le 150 ] || {
			kill -KILL "$RL_PID" 2>/dev/null || :
			fail "reload.py did not stop within 15 s of SIGTERM"
		}
		sleep 0.1
	done
	ST=0
	wait "$RL_PID" || ST=$?
}

# wait_lines FILE N [SECONDS]: waits until FILE has at least N lines (default 10 s); prints how long it took.
wait_lines() {
	_w0=$(date +%s)
	_i=0
	while _n=$(grep -c . "$1" 2>/dev/null) || _n=${_n:-0}; [ "$_n" -lt "$2" ]; do
		_i=$((_i + 1))
		[ "$_i" -le $((${3:-10} * 10)) ] || {
			cat "$WORK"/*.err 2>/dev/null | tail -n 20
			fail "$1 has fewer than $2 lines after ${3:-10} s"
		}
		sleep 0.1
	done
	printf 'waited %ss for %s lines of %s\n' "$(($(date +%s) - _w0))" "$2" "$1"
}

# A service that records each start and runs until stopped, as the reload tests run it.
RL_SERVICE='echo "start $$" >>"$1/starts"; exec sleep 600'

test_reload_restarts_the_service_on_python_and_yaml_changes() {
	RL=$WORK/rl-restarts
	reload_start rl python3 "$SCRIPTS/reload.py" -- sh -c "$RL_SERVICE" sh "$RL"
	wait_lines "$RL/starts" 1
	printf 'X = 1\n' >"$RL/src/pkg/mod.py"
	wait_lines "$RL/starts" 2 5
	printf 'a: 1\n' >"$RL/config/app.yaml"
	wait_lines "$RL/starts" 3 5
	# Not watched: other suffixes, caches, hidden files and folders (editor swap files).
	printf 'x\n' >"$RL/config/notes.txt"
	mkdir -p "$RL/src/pkg/__pycache__" "$RL/src/.hidden"
	printf 'x\n' >"$RL/src/pkg/__pycache__/mod.py"
	printf 'x\n' >"$RL/src/.hidden/mod.py"
	printf 'x\n' >"$RL/src/pkg/.mod.py.swp"
	printf 'x\n' >"$RL/src/pkg/mod.py~"
	sleep 1
	assert_eq 3 "$(grep -c . "$RL/starts")" "starts after changes that do not count"
	reload_stop
	json_valid "$WORK/rl.err"
	cat "$WORK/rl.err"
	assert_eq 2 "$(grep -c '"msg":"restarting on file changes"' "$WORK/rl.err")" "one line per restart"
	assert_contains "$(grep '"restart":1' "$WORK/rl.err")" "\"changed\":[\"$RL/src/pkg/mod.py\"]" "the changed path"
	assert_contains "$(grep '"restart":2' "$WORK/rl.err")" "\"changed\":[\"$RL/config/app.yaml\"]" "the changed YAML"
	assert_contains "$(cat "$WORK/rl.err")" '"watcher":"poll every 0.1 s"' "the standard-library watcher (no watchfiles here)"
	assert_contains "$(cat "$WORK/rl.err")" '"service":"dagster-webserver"' "the service field"
	# SIGTERM reached the service (sleep ends with 143) and reload.py returned its status.
	assert_eq 143 "$ST" "status after SIGTERM"
}

test_reload_uses_watchfiles_when_it_imports() {
	RL=$WORK/rl-watchfiles
	_py="$WORK/pylib:$REPO/tests/Sbir.Container.EndToEndTests/StandIns/dagster/python"
	reload_start rlw PYTHONPATH="$_py" python3 "$SCRIPTS/reload.py" -- sh -c "$RL_SERVICE" sh "$RL"
	wait_lines "$RL/starts" 1
	printf 'X = 2\n' >"$RL/src/pkg/mod.py"
	wait_lines "$RL/starts" 2 5
	reload_stop
	json_valid "$WORK/rlw.err"
	assert_contains "$(cat "$WORK/rlw.err")" '"watcher":"watchfiles"' "watchfiles (the stand-in package) is used"
	assert_contains "$(cat "$WORK/rlw.err")" "\"changed\":[\"$RL/src/pkg/mod.py\"]" "the changed path"
	# Absent (the import fails): polling, and said at debug level.
	rm -f "$RL/starts"
	reload_start rla PYTHONPATH="$_py" STANDIN_WATCHFILES_ABSENT=1 SBIR_ETL_LOG_LEVEL=debug \
		python3 "$SCRIPTS/reload.py" -- sh -c "$RL_SERVICE" sh "$RL"
	wait_lines "$RL/starts" 1
	printf 'X = 3\n' >"$RL/src/pkg/mod.py"
	wait_lines "$RL/starts" 2 5
	reload_stop
	assert_contains "$(cat "$WORK/rla.err")" 'watchfiles is not installed; polling' "the fallback is said"
	assert_contains "$(cat "$WORK/rla.err")" '"watcher":"poll every 0.1 s"' "polling"
	# Asked for explicitly but absent: a configuration error.
	run rlx PYTHONPATH="$_py" STANDIN_WATCHFILES_ABSENT=1 SBIR_DEV_RELOAD_WATCHER=watchfiles SBIR_DEV_RELOAD_DIRS="$RL/src" \
		python3 "$SCRIPTS/reload.py" -- true
	assert_eq 2 "$ST" "SBIR_DEV_RELOAD_WATCHER=watchfiles without watchfiles"
	run rlx SBIR_DEV_RELOAD_WATCHER=inotify SBIR_DEV_RELOAD_DIRS="$RL/src" python3 "$SCRIPTS/reload.py" -- true
	assert_eq 2 "$ST" "unknown watcher"
	json_valid "$WORK/rlx.err"
}

test_reload_syntax_error_is_logged_and_the_next_good_edit_brings_the_service_back() {
	RL=$WORK/rl-syntax
	mkdir -p "$RL/src/pkg"
	printf 'X = 1\n' >"$RL/src/pkg/mod.py"
	# The service imports the module first, as the Dagster preflight does: a syntax error ends it with status 1.
	_svc='PYTHONPATH="$1/src" python3 -c "import pkg.mod" 2>/dev/null || exit 1; '"$RL_SERVICE"
	reload_start rls python3 "$SCRIPTS/reload.py" -- sh -c "$_svc" sh "$RL"
	wait_lines "$RL/starts" 1
	printf 'def broken(:\n    pass\n' >"$RL/src/pkg/mod.py"
	_i=0
	until grep -q 'SBC5222' "$WORK/rls.err"; do
		_i=$((_i + 1))
		[ "$_i" -le 100 ] || fail "no SBC5222 line within 10 s"
		sleep 0.1
	done
	assert_eq 1 "$(grep -c . "$RL/starts")" "the broken service did not start"
	kill -0 "$RL_PID" || fail "reload.py must keep running after the service failed"
	printf 'X = 2\n' >"$RL/src/pkg/mod.py"
	wait_lines "$RL/starts" 2 5
	reload_stop
	json_valid "$WORK/rls.err"
	cat "$WORK/rls.err"
	_syntax=$(grep '"code":"SBC5221"' "$WORK/rls.err")
	assert_contains "$_syntax" "\"file\":\"$RL/src/pkg/mod.py\"" "the file"
	assert_contains "$_syntax" '"line":1' "the line"
	assert_contains "$_syntax" 'syntax error' "says what"
	assert_contains "$(grep '"code":"SBC5222"' "$WORK/rls.err")" '"status":1' "the service's status"
	assert_eq 2 "$(grep -c '"msg":"restarting on file changes"' "$WORK/rls.err")" "the bad and the good edit"
}

test_reload_first_start_failure_is_the_containers_and_no_dirs_means_no_reload() {
	RL=$WORK/rl-first
	mkdir -p "$RL/src"
	run rlf SBIR_DEV_RELOAD_DIRS="$RL/src" python3 "$SCRIPTS/reload.py" -- sh -c 'exit 7'
	assert_eq 7 "$ST" "the service's status before any change"
	assert_le "$SECS" 3 seconds
	run rlf SBIR_DEV_RELOAD_DIRS="$WORK/nowhere $WORK/nothere" python3 "$SCRIPTS/reload.py" -- sh -c 'echo "reload=$SBIR_DEV_RELOAD"; exit 5'
	assert_eq 5 "$ST" "run directly"
	assert_eq 'reload=0' "$OUT" "without reload"
	assert_contains "$ERR" 'none of the directories to watch exists' warning
	json_valid "$WORK/rlf.err"
	run rlf python3 "$SCRIPTS/reload.py" --
	assert_eq 2 "$ST" "no command"
}

test_webserver_and_daemon_run_under_reload_in_dev() {
	start_services
	mkdir -p "$WORK/rl/src"
	# The host stand-ins end at once: reload.py returns their status, as without reload.
	run ws SBIR_DEV_RELOAD=1 SBIR_DEV_RELOAD_DIRS="$WORK/rl/src" SBIR_ETL__NEO4J__URI="bolt://127.0.0.1:$BOLT_PORT" \
		dash "$SCRIPTS/dagster-webserver.sh" --path-prefix '/a b'
	assert_eq 0 "$ST" status
	assert_contains "$ERR" '"msg":"reloading on file changes"' "under reload.py"
	assert_contains "$OUT" 'stand-in dagster-webserver [-h] [0.0.0.0] [-p] [3000] [--path-prefix] [/a b]' "the script ran again, arguments intact"
	assert_contains "$ERR" 'neo4j is up' "each start waits as the script does"
	run dd SBIR_DEV_RELOAD=1 SBIR_DEV_RELOAD_DIRS="$WORK/rl/src" SBIR_ETL__NEO4J__URI="bolt://127.0.0.1:$BOLT_PORT" \
		DAGSTER_WEBSERVER_URL="http://127.0.0.1:$HTTP_PORT/server_info" dash "$SCRIPTS/dagster-daemon.sh" --log-level debug
	assert_eq 0 "$ST" status
	assert_contains "$ERR" '"msg":"reloading on file changes"' "the daemon under reload.py"
	assert_contains "$OUT" 'stand-in dagster-daemon [run] [--log-level] [debug]' argv
	# Without SBIR_DEV_RELOAD the service runs directly.
	run ws SBIR_ETL__NEO4J__URI="bolt://127.0.0.1:$BOLT_PORT" dash "$SCRIPTS/dagster-webserver.sh"
	assert_not_contains "$ERR" 'reloading on file changes' "no reload outside dev"
}

test_daemon_starts_when_both_dependencies_are_up() {
	start_services
	run dd SBIR_ETL__NEO4J__URI="bolt://127.0.0.1:$BOLT_PORT" DAGSTER_WEBSERVER_URL="http://127.0.0.1:$HTTP_PORT/server_info" \
		dash "$SCRIPTS/dagster-daemon.sh" --log-level debug
	assert_eq 0 "$ST" status
	assert_contains "$OUT" 'stand-in dagster-daemon [run] [--log-level] [debug]' argv
	run dd SBIR_ETL__NEO4J__URI="bolt://127.0.0.1:$BOLT_PORT" DAGSTER_WEBSERVER_URL="http://127.0.0.1:$HTTP_PORT/server_info" \
		dash "$SCRIPTS/dagster-daemon.sh" run --log-format json
	assert_contains "$OUT" 'stand-in dagster-daemon [run] [--log-format] [json]' "explicit run"
	run dd SBIR_ETL__NEO4J__URI="bolt://127.0.0.1:$BOLT_PORT" DAGSTER_WEBSERVER_URL="http://127.0.0.1:$HTTP_PORT/server_info" \
		dash "$SCRIPTS/dagster-daemon.sh" run --log-format yaml
	assert_eq 2 "$ST" "an option value Dagster refuses"
	assert_contains "$ERR" "'yaml' is not one of" "click's message"
}

test_daemon_exits_3_when_webserver_never_comes() {
	start_services
	_url=http://127.0.0.1:$CLOSED_PORT/server_info
	run dd SBIR_ETL__NEO4J__URI="bolt://127.0.0.1:$BOLT_PORT" DAGSTER_WEBSERVER_URL="$_url" \
		dash "$SCRIPTS/dagster-daemon.sh"
	assert_eq 3 "$ST" status
	assert_eq '' "$OUT" "dagster-daemon must not start"
	assert_le "$SECS" "$HANG_BOUND" "seconds for a 2 s timeout"
	assert_contains "$ERR" "never became healthy within 2s: dagster-webserver ($_url)" "error names the webserver"
	assert_not_contains "$ERR" 'neo4j (bolt' "neo4j was up"
	assert_contains "$ERR" "points at this container's loopback" "loopback warning"
	json_valid "$WORK/dd.err"
	run dd SBIR_ETL__NEO4J__URI="bolt://127.0.0.1:$BOLT_PORT" DAGSTER_WEBSERVER_URL="http://127.0.0.1:$HTTP_PORT/fail" \
		dash "$SCRIPTS/dagster-daemon.sh"
	assert_eq 3 "$ST" "webserver answering 500"
}

test_daemon_names_every_missing_dependency_within_one_deadline() {
	start_services
	run dd SBIR_ETL__NEO4J__URI="bolt://127.0.0.1:$CLOSED_PORT" DAGSTER_WEBSERVER_URL="http://127.0.0.1:$CLOSED_PORT/server_info" \
		dash "$SCRIPTS/dagster-daemon.sh"
	assert_eq 3 "$ST" status
	assert_le "$SECS" "$HANG_BOUND" "one deadline for both"
	assert_contains "$ERR" "never became healthy within 2s: neo4j (bolt 127.0.0.1:$CLOSED_PORT), dagster-webserver (http://127.0.0.1:$CLOSED_PORT/server_info)" "both named, with the configured timeout"
	# The default URL targets the service name, never loopback.
	run dd SBIR_ETL__NEO4J__URI="bolt://127.0.0.1:$BOLT_PORT" SERVICE_STARTUP_TIMEOUT=0 dash "$SCRIPTS/dagster-daemon.sh"
	assert_eq 3 "$ST" "default URL not resolvable here"
	assert_contains "$ERR" 'dagster-webserver (http://dagster-webserver:3000/server_info)' "default URL"
	assert_not_contains "$ERR" 'loopback' "no loopback warning for the default"
}

test_daemon_subcommands_pass_through() {
	run dd SBIR_ETL__NEO4J__URI="bolt://127.0.0.1:9" SERVICE_STARTUP_TIMEOUT=60 dash "$SCRIPTS/dagster-daemon.sh" liveness-check
	assert_eq 0 "$ST" status
	assert_le "$SECS" "$HANG_BOUND" "no waiting"
	assert_contains "$OUT" 'stand-in dagster-daemon [liveness-check]' argv
}

test_etl_runner() {
	start_services
	run er ETL_RUNNER_WAIT_NEO4J=0 SBIR_ETL__NEO4J__URI="bolt://127.0.0.1:$CLOSED_PORT" dash "$SCRIPTS/etl-runner.sh" echo out
	assert_eq 0 "$ST" "no wait"
	assert_eq out "$OUT" "command output on stdout"
	json_valid "$WORK/er.err"
	run er SBIR_ETL__NEO4J__URI="bolt://127.0.0.1:$BOLT_PORT" dash "$SCRIPTS/etl-runner.sh" -- echo a b
	assert_eq 'a b' "$OUT" "'--' drops only itself; waits by default"
	assert_contains "$ERR" 'neo4j is up' "waited for neo4j"
	run er SBIR_ETL__NEO4J__URI="bolt://127.0.0.1:$BOLT_PORT" dash "$SCRIPTS/etl-runner.sh"
	assert_contains "$OUT" 'stand-in python [-m] [sbir_etl] [materialize] [raw_sbir_awards]' "default command"
	run er ETL_RUNNER_WAIT_NEO4J=0 dash "$SCRIPTS/etl-runner.sh" --help
	assert_eq 0 "$ST" "--help"
	assert_contains "$OUT" 'usage: etl-runner' usage
	assert_contains "$OUT" 'stand-in python [-m] [sbir_etl] [--help]' "and the application's help"
	run er ETL_RUNNER_WAIT_NEO4J=0 DAGSTER_MODULE_NAME=no_such_module_anywhere dash "$SCRIPTS/etl-runner.sh" dagster asset list
	assert_eq 2 "$ST" "a Dagster command gets the code-location check"
	assert_eq SBC5312 "$(code_of "$WORK/er.err")" code
	run er SBIR_ETL__NEO4J__URI="bolt://127.0.0.1:$CLOSED_PORT" dash "$SCRIPTS/etl-runner.sh" echo must-not-run
	assert_eq 3 "$ST" "neo4j down"
	assert_eq '' "$OUT" "command must not run"
	run er ETL_RUNNER_WAIT_NEO4J=maybe dash "$SCRIPTS/etl-runner.sh" echo x
	assert_eq 2 "$ST" "bad ETL_RUNNER_WAIT_NEO4J"
}

test_healthcheck() {
	start_services
	run hc SBIR_SERVICE=dagster-webserver DAGSTER_PORT="$HTTP_PORT" dash "$SCRIPTS/healthcheck.sh"
	assert_eq 0 "$ST" "webserver healthy"
	assert_eq "healthy: http://127.0.0.1:$HTTP_PORT/server_info" "$OUT" output
	run hc SBIR_SERVICE=dagster-webserver DAGSTER_PORT="$CLOSED_PORT" dash "$SCRIPTS/healthcheck.sh"
	assert_eq 1 "$ST" "webserver down"
	assert_eq "unhealthy: http://127.0.0.1:$CLOSED_PORT/server_info: request failed: Connection refused" "$OUT" output
	assert_eq 1 "$(printf '%s\n' "$OUT$ERR" | grep -c .)" "one short line"
	run hc SBIR_SERVICE=dagster-daemon dash "$SCRIPTS/healthcheck.sh"
	assert_eq 0 "$ST" "daemon live"
	assert_eq 'healthy: dagster-daemon liveness-check' "$OUT" output
	run hc SBIR_SERVICE=dagster-daemon STANDIN_EXIT=2 dash "$SCRIPTS/healthcheck.sh"
	assert_eq 1 "$ST" "daemon not live maps to 1"
	assert_eq 'unhealthy: dagster-daemon liveness-check: Daemon(s) not running' "$OUT" output
	T_PATH=$HOST_PATH
	run hc SBIR_SERVICE=dagster-daemon dash "$SCRIPTS/healthcheck.sh"
	assert_eq 1 "$ST" "no dagster-daemon"
	mkdir -p "$WORK/pyapp/sbir_etl"
	: >"$WORK/pyapp/sbir_etl/__init__.py"
	run hc SBIR_SERVICE=etl-runner PYTHONPATH="$WORK/pyapp" dash "$SCRIPTS/healthcheck.sh"
	assert_eq 0 "$ST" "app importable"
	run hc dash "$SCRIPTS/healthcheck.sh"
	assert_eq 1 "$ST" "app not importable"
	assert_contains "$OUT" "unhealthy: import sbir_etl: ModuleNotFoundError" output
	assert_eq 1 "$(printf '%s\n' "$OUT$ERR" | grep -c .)" "one short line"
}

# ---------------------------------------------------------------------------------------------
# Runner

start_services # here, not in a scenario's subshell, so cleanup knows the PID
TESTS=$(sed -n 's/^\(test_[a-z0-9_]*\)() {$/\1/p' "$HERE/run.sh")
_pass=0 _fail=0 _skip=0 _failed=''
_t_start=$(date +%s)
for _t in $TESTS; do
	case $_t in *"$FILTER"*) ;; *) continue ;; esac
	_log=$WORK/logs/$_t.log
	_t0=$(date +%s)
	(
		set -e
		cd "$WORK"
		"$_t"
	) >"$_log" 2>&1
	_st=$?
	_dt=$(($(date +%s) - _t0))
	if [ "$_st" -eq 0 ]; then
		_pass=$((_pass + 1))
		printf 'ok    %s (%ss)\n' "$_t" "$_dt"
	elif [ "$_st" -eq 77 ]; then
		_skip=$((_skip + 1))
		printf 'skip  %s: %s\n' "$_t" "$(tail -n 1 "$_log")"
	else
		_fail=$((_fail + 1))
		_failed="$_failed $_t"
		printf 'FAIL  %s (%ss, status %s); last lines of its log:\n' "$_t" "$_dt" "$_st"
		tail -n 40 "$_log" | sed 's/^/    | /'
	fi
done
printf '\n%s passed, %s failed, %s skipped in %ss\n' "$_pass" "$_fail" "$_skip" "$(($(date +%s) - _t_start))"
if [ "$_fail" -gt 0 ]; then
	printf 'failed:%s\n' "$_failed"
	exit 1
fi
[ $((_pass + _skip)) -gt 0 ] || {
	printf 'no scenario matches %s\n' "$FILTER"
	exit 1
}
exit 0
