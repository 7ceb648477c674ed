#!/bin/sh
# dagster-webserver.sh [EXTRA_ARGS...]: waits for Neo4j's Bolt port, then runs
#   dagster-webserver -h 0.0.0.0 -p $DAGSTER_PORT -w $DAGSTER_WORKSPACE EXTRA_ARGS...
# (-m $DAGSTER_MODULE instead of -w when the workspace file is missing), under watchfiles when
# SBIR_DEV_RELOAD=1. "--help"/"--version" go straight to dagster-webserver without waiting.
# Exit status: 3 when Neo4j never came up; otherwise dagster-webserver's.
set -eu

case $0 in
*/*) _here=${0%/*} ;;
*) _here=/app/scripts/docker ;;
esac
# shellcheck source=lib.sh
. "${SBIR_SCRIPTS_DIR:-$_here}/lib.sh"

# _main EXTRA_ARGS...: reads DAGSTER_PORT (3000), DAGSTER_WORKSPACE (/app/workspace.yaml),
# DAGSTER_MODULE (sbir_etl.definitions), SBIR_DEV_RELOAD (0), SBIR_DEV_RELOAD_DIR (/app/src),
# and what sbir_wait_neo4j reads (SBIR_ETL__NEO4J__URI, SERVICE_STARTUP_TIMEOUT).
_main() {
	case ${1:-} in
	--help | --version) exec dagster-webserver "$@" ;;
	esac
	sbir_startup_timeout
	sbir_wait_neo4j "$SBIR_STARTUP_TIMEOUT" || exit 3

	_ws_workspace=${DAGSTER_WORKSPACE:-/app/workspace.yaml}
	if [ -f "$_ws_workspace" ]; then
		set -- dagster-webserver -h 0.0.0.0 -p "${DAGSTER_PORT:-3000}" -w "$_ws_workspace" "$@"
	else
		sbir_log info "workspace file not found; loading the code location from a module" \
			workspace="$_ws_workspace" module="${DAGSTER_MODULE:-sbir_etl.definitions}"
		set -- dagster-webserver -h 0.0.0.0 -p "${DAGSTER_PORT:-3000}" -m "${DAGSTER_MODULE:-sbir_etl.definitions}" "$@"
	fi

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
