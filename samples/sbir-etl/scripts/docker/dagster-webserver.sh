#!/bin/sh
# dagster-webserver.sh [EXTRA_ARGS...]: checks the Dagster setup (DAGSTER_HOME, the code location:
# lib.sh sbir_dagster_preflight), waits for Neo4j's Bolt port, then runs
#   dagster-webserver -h 0.0.0.0 -p $DAGSTER_PORT EXTRA_ARGS...
# With SBIR_DEV_RELOAD=1 (the dev profile) all of that runs under reload.py, which starts it again when a
# file under src/ or config/ changes (lib.sh sbir_dev_reload). The code location is DAGSTER_MODULE_NAME
# (set in the image), which Dagster reads as -m. "--help"/"--version" go straight to dagster-webserver
# without checks or waiting.
# Exit status: 2 when the Dagster setup is wrong (a coded log line says what), 3 when Neo4j never came
# up; otherwise dagster-webserver's.
set -eu

case $0 in
*/*) _here=${0%/*} ;;
*) _here=/app/scripts/docker ;;
esac
# shellcheck source=lib.sh
. "${SBIR_SCRIPTS_DIR:-$_here}/lib.sh"

# _main EXTRA_ARGS...: reads DAGSTER_PORT (3000), what sbir_dev_reload reads (SBIR_DEV_RELOAD),
# what sbir_dagster_preflight reads and what sbir_wait_neo4j reads (SBIR_ETL__NEO4J__URI, SERVICE_STARTUP_TIMEOUT).
_main() {
	case ${1:-} in
	--help | --version) exec dagster-webserver "$@" ;;
	esac
	# The dev profile: this script again under reload.py, which restarts it when the sources change.
	sbir_dev_reload "$0" "$@"
	sbir_dagster_preflight "$@"
	sbir_startup_timeout
	sbir_wait_neo4j "$SBIR_STARTUP_TIMEOUT" || exit 3

	set -- dagster-webserver -h 0.0.0.0 -p "${DAGSTER_PORT:-3000}" "$@"
	sbir_log info "starting" command="$1"
	exec "$@"
}

if ! _sbir_is_sourced dagster-webserver.sh; then
	_main "$@"
fi
