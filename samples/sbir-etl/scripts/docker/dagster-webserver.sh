#!/bin/sh
# dagster-webserver.sh [EXTRA_ARGS...]: checks the Dagster setup (DAGSTER_HOME, the code location:
# lib.sh sbir_dagster_preflight), waits for Neo4j's Bolt port, then runs
#   dagster-webserver -h 0.0.0.0 -p $DAGSTER_PORT EXTRA_ARGS...
# under watchfiles when SBIR_DEV_RELOAD=1. The code location is DAGSTER_MODULE_NAME (set in the image),
# which Dagster reads as -m. "--help"/"--version" go straight to dagster-webserver without checks or waiting.
# Exit status: 2 when the Dagster setup is wrong (a coded log line says what), 3 when Neo4j never came
# up; otherwise dagster-webserver's.
set -eu

case $0 in
*/*) _here=${0%/*} ;;
*) _here=/app/scripts/docker ;;
esac
# shellcheck source=lib.sh
. "${SBIR_SCRIPTS_DIR:-$_here}/lib.sh"

# _main EXTRA_ARGS...: reads DAGSTER_PORT (3000), SBIR_DEV_RELOAD (0), SBIR_DEV_RELOAD_DIR (/app/src),
# what sbir_dagster_preflight reads and what sbir_wait_neo4j reads (SBIR_ETL__NEO4J__URI, SERVICE_STARTUP_TIMEOUT).
_main() {
	case ${1:-} in
	--help | --version) exec dagster-webserver "$@" ;;
	esac
	sbir_dagster_preflight "$@"
	sbir_startup_timeout
	sbir_wait_neo4j "$SBIR_STARTUP_TIMEOUT" || exit 3

	set -- dagster-webserver -h 0.0.0.0 -p "${DAGSTER_PORT:-3000}" "$@"

	if [ "${SBIR_DEV_RELOAD:-0}" = 1 ]; then
		_ws_watch=${SBIR_DEV_RELOAD_DIR:-/app/src}
		if ! command -v watchfiles >/dev/null 2>&1; then
			sbir_log warning "SBIR_DEV_RELOAD=1 but watchfiles is not installed; running without reload. Add watchfiles to the dev dependencies."
		elif [ ! -d "$_ws_watch" ]; then
			sbir_log warning "SBIR_DEV_RELOAD=1 but the directory to watch does not exist; running without reload. Bind-mount the sources there or set SBIR_DEV_RELOAD_DIR." dir="$_ws_watch"
		else
			# watchfiles takes the command as ONE string and splits it with shlex (no shell), so each
			# argument is single-quoted here; nothing is eval'd.
			_ws_target=$(sbir_shell_quote "$@")
			set -- watchfiles --filter python --target-type command "$_ws_target" "$_ws_watch"
			sbir_log info "reloading on Python changes" dir="$_ws_watch"
		fi
	fi
	sbir_log info "starting" command="$1"
	exec "$@"
}

if ! _sbir_is_sourced dagster-webserver.sh; then
	_main "$@"
fi
