#!/bin/sh
# dagster-daemon.sh [run] [EXTRA_ARGS...]: waits for Neo4j's Bolt port AND the webserver's
# /server_info (by service name, never 127.0.0.1: the webserver is another container), then runs
#   dagster-daemon run EXTRA_ARGS...
# Any other dagster-daemon subcommand (liveness-check, wipe, debug ...) and --help/--version run
# directly, without waiting.
# Exit status: 3 when a dependency never became healthy within SERVICE_STARTUP_TIMEOUT (one
# deadline for both); otherwise dagster-daemon's.
set -eu

case $0 in
*/*) _sbir_here=${0%/*} ;;
*) _sbir_here=/app/scripts/docker ;;
esac
# shellcheck source=lib.sh
. "${SBIR_SCRIPTS_DIR:-$_sbir_here}/lib.sh"

# _main [run] EXTRA_ARGS...: reads DAGSTER_WEBSERVER_URL (http://dagster-webserver:3000/server_info),
# SERVICE_STARTUP_TIMEOUT (120) and what sbir_wait_neo4j reads (SBIR_ETL__NEO4J__URI).
_main() {
	case ${1:-} in
	run) shift ;;
	'' | -*) ;;
	*) exec dagster-daemon "$@" ;;
	esac
	case ${1:-} in
	--help | --version) exec dagster-daemon run "$@" ;;
	esac

	sbir_startup_timeout
	_sbir_timeout=$SBIR_STARTUP_TIMEOUT
	_sbir_url=${DAGSTER_WEBSERVER_URL:-http://dagster-webserver:3000/server_info}
	case $_sbir_url in
	*://127.* | *://localhost[:/]* | *://localhost | *://\[::1\]*)
		sbir_log warning "DAGSTER_WEBSERVER_URL points at this container's loopback; the webserver runs in its own container. Use its service name, e.g. http://dagster-webserver:3000/server_info." url="$_sbir_url"
		;;
	esac

	# One deadline for both waits; after a failure the next dependency still gets one probe, so
	# the error names everything that is missing.
	_sbir_deadline=$(($(date +%s) + _sbir_timeout))
	_sbir_missing=''
	if ! sbir_wait_neo4j "$_sbir_timeout"; then
		_sbir_missing="neo4j (bolt $SBIR_NEO4J_HOST:$SBIR_NEO4J_PORT)"
	fi
	_sbir_left=$((_sbir_deadline - $(date +%s)))
	[ "$_sbir_left" -ge 0 ] || _sbir_left=0
	if ! sbir_wait_http "$_sbir_url" "$_sbir_left" dagster-webserver; then
		_sbir_missing="${_sbir_missing:+$_sbir_missing, }dagster-webserver ($_sbir_url)"
	fi
	if [ -n "$_sbir_missing" ]; then
		sbir_die 3 "not starting dagster-daemon: never became healthy within ${_sbir_timeout}s: $_sbir_missing. Start those services (docker compose up -d neo4j dagster-webserver), check their logs, or raise SERVICE_STARTUP_TIMEOUT." \
			missing="$_sbir_missing"
	fi

	sbir_log info "starting" command=dagster-daemon
	exec dagster-daemon run "$@"
}

if ! _sbir_is_sourced dagster-daemon.sh; then
	_main "$@"
fi
