#!/bin/sh
# etl-runner.sh [--] [CMD...]: the ad-hoc runner. Waits for Neo4j's Bolt port when
# ETL_RUNNER_WAIT_NEO4J is 1 (the default), then execs CMD, whose output goes to stdout
# (this script's own JSON logs go to stderr). Default CMD: python -m sbir_etl materialize raw_sbir_awards
# A Dagster command (dagster asset materialize --select ..., dagster job execute ...) first gets the
# checks of lib.sh sbir_dagster_preflight, and loads the image's code location (DAGSTER_MODULE_NAME).
# "--help" prints this usage and the application's (python -m sbir_etl --help), without waiting.
# Exit status: 2 for a bad ETL_RUNNER_WAIT_NEO4J or Dagster setup, 3 when Neo4j never came up; otherwise CMD's.
set -eu

case $0 in
*/*) _here=${0%/*} ;;
*) _here=/app/scripts/docker ;;
esac
# shellcheck source=lib.sh
. "${SBIR_SCRIPTS_DIR:-$_here}/lib.sh"

# _main [--] CMD...: reads ETL_RUNNER_WAIT_NEO4J (1), what sbir_dagster_preflight reads (for a Dagster
# command) and what sbir_wait_neo4j reads (SBIR_ETL__NEO4J__URI, SERVICE_STARTUP_TIMEOUT).
_main() {
	if [ "${1:-}" = --help ]; then
		printf '%s\n' 'usage: etl-runner [--] [CMD...]   (default: python -m sbir_etl materialize raw_sbir_awards)' \
			'  waits for Neo4j (ETL_RUNNER_WAIT_NEO4J=1), then runs CMD; for example:' \
			'  etl-runner dagster asset materialize --select raw_sbir_awards,neo4j_award_graph' ''
		exec python -m sbir_etl --help
	fi
	[ "${1:-}" = -- ] && shift
	[ "$#" -gt 0 ] || set -- python -m sbir_etl materialize raw_sbir_awards
	case $1 in
	dagster | dagster-*) sbir_dagster_preflight "$@" ;;
	esac
	case ${ETL_RUNNER_WAIT_NEO4J:-1} in
	1 | true | yes)
		sbir_startup_timeout
		sbir_wait_neo4j "$SBIR_STARTUP_TIMEOUT" || exit 3
		;;
	0 | false | no) sbir_log debug "not waiting for Neo4j (ETL_RUNNER_WAIT_NEO4J=${ETL_RUNNER_WAIT_NEO4J:-})" ;;
	*) sbir_die 2 "ETL_RUNNER_WAIT_NEO4J is '${ETL_RUNNER_WAIT_NEO4J:-}'. Set it to 1 (wait for Neo4j) or 0 (do not wait)." ;;
	esac
	sbir_log info "running" command="$1"
	exec "$@"
}

if ! _sbir_is_sourced etl-runner.sh; then
	_main "$@"
fi
