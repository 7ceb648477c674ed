#!/bin/sh
# dagster-daemon.sh [run] [EXTRA_ARGS...]: checks the Dagster setup (DAGSTER_HOME, the code location:
# lib.sh sbir_dagster_preflight), waits for Neo4j's Bolt port AND the webserver's /server_info (by
# service name, never 127.0.0.1: the webserver is another container), then runs
#   dagster-daemon run EXTRA_ARGS...
# The code location is DAGSTER_MODULE_NAME (set in the image), which Dagster reads as -m. Any other
# dagster-daemon subcommand (liveness-check, wipe, debug ...) and --help/--version run directly,
# without checks or waiting.
# Exit status: 2 when the Dagster setup is wrong (a coded log line says what), 3 when a dependency
# never became healthy within SERVICE_STARTUP_TIMEOUT (one deadline for both); otherwise dagster-daemon's.
set -eu

case $0 in
*/*) _here=${0%/*} ;;
*) _here=/app/scripts/docker ;;
esac
# shellcheck source=lib.sh
. "${SBIR_SCRIPTS_DIR:-$_here}/lib.sh"

# _main [run] EXTRA_ARGS...: reads DAGSTER_WEBSERVER_URL (http://dagster-webserver:3000/server_info),
# SERVICE_STARTUP_TIMEOUT (120), what sbir_dev_reload reads, what sbir_dagster_preflight reads and what sbir_wait_neo4j reads (SBIR_ETL__NEO4J__URI).
_main() {
	case ${1:-} in
	run) shift ;;
	'' | -*) ;;
	*) exec dagster-daemon "$@" ;;
	esac
	case ${1:-} in
	--help | --version) exec dagster-daemon run "$@" ;;
	esac
	# The dev profile: this script again under reload.py, which restarts it when the sources change.
	sbir_dev_reload "$0" run "$@"

	sbir_dagster_preflight "$@"
	sbir_startup_timeout
	_dd_timeout=$SBIR_STARTUP_TIMEOUT
	_dd_url=${DAGSTER_WEBSERVER_URL:-http://dagster-webserver:3000/server_info}
	case $_dd_url in
	*://127.* | *://localhost[:/]* | *://localhost | *://\[::1\]*)
		sbir_log warning "DAGSTER_WEBSERVER_URL points at this container's loopback; the webserver runs in its own container. Use its service name, e.g. http://dagster-webserver:3000/server_info." url="$_dd_url"
		;;
	esac

	# One deadline for both waits; after a failure the next dependency still gets one probe, so
	# the error names everything that is missing.
	_dd_deadline=$(($(date +%s) + _dd_timeout))
	_dd_missing=''
	if ! sbir_wait_neo4j "$_dd_timeout"; then
		_dd_missing="neo4j (bolt $SBIR_NEO4J_HOST:$SBIR_NEO4J_PORT)"
	fi
	_dd_left=$((_dd_deadline - $(date +%s)))
	[ "$_dd_left" -ge 0 ] || _dd_left=0
	if ! sbir_wait_http "$_dd_url" "$_dd_left" dagster-webserver; then
		_dd_missing="${_dd_missing:+$_dd_missing, }dagster-webserver ($_dd_url)"
	fi
	if [ -n "$_dd_missing" ]; then
		sbir_die 3 "not starting dagster-daemon: never became healthy within ${_dd_timeout}s: $_dd_missing. Start those services (docker compose up -d neo4j dagster-webserver), check their logs, or raise SERVICE_STARTUP_TIMEOUT." \
			missing="$_dd_missing"
	fi

	sbir_log info "starting" command=dagster-daemon
	exec dagster-daemon run "$@"
}

if ! _sbir_is_sourced dagster-daemon.sh; then
	_main "$@"
fi
