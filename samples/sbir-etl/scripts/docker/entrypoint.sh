#!/bin/sh
# entrypoint.sh: the image ENTRYPOINT, run by tini (ENTRYPOINT ["tini", "--", "/app/scripts/docker/entrypoint.sh"]).
#
#   entrypoint.sh dagster-webserver [ARGS...]  -> dagster-webserver.sh ARGS...
#   entrypoint.sh dagster-daemon [ARGS...]     -> dagster-daemon.sh ARGS...
#   entrypoint.sh etl-runner [CMD...]          -> etl-runner.sh CMD...
#   entrypoint.sh -- CMD...                    -> CMD... (explicit pass-through)
#   entrypoint.sh CMD...                       -> CMD... unchanged (dagster --version, sh, python -m sbir_etl ...)
#
# Every command first gets the environment loaded (lib.sh sbir_load_env: *_FILE, secrets dir, config
# *.env files; never overriding what Compose set). The three services also drop root through gosu.
# Exit status: 2 when no command is given; otherwise whatever the exec'd command returns.
# No traps: tini forwards SIGTERM and every path ends in exec, so the service is tini's child.
set -eu

case $0 in
*/*) _here=${0%/*} ;;
*) _here=/app/scripts/docker ;;
esac
# shellcheck source=lib.sh
. "${SBIR_SCRIPTS_DIR:-$_here}/lib.sh"

# _main ARGS...: dispatches on the first argument. Reads SBIR_SERVICE and what sbir_load_env reads.
_main() {
	if [ "$#" -eq 0 ]; then
		sbir_die 2 "no command given. Pass a service (dagster-webserver, dagster-daemon, etl-runner) or a command, e.g. 'dagster --version'."
	fi
	case $1 in
	dagster-webserver | dagster-daemon | etl-runner)
		SBIR_SERVICE=${SBIR_SERVICE:-$1}
		export SBIR_SERVICE
		sbir_load_env
		# Returns only when not root or gosu is absent; otherwise re-runs this script as the service user.
		sbir_drop_privileges "$@"
		_ep_script=$SBIR_SCRIPTS_DIR/$1.sh
		shift
		sbir_log debug "dispatching" script="$_ep_script"
		exec "$_ep_script" "$@"
		;;
	--)
		shift
		[ "$#" -gt 0 ] || sbir_die 2 "nothing after '--'. Give the command to run, e.g. '-- python -m sbir_etl --help'."
		;;
	esac
	sbir_load_env
	exec "$@"
}

if ! _sbir_is_sourced entrypoint.sh; then
	_main "$@"
fi
