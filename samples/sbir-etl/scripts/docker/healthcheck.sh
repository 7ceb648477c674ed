#!/bin/sh
# healthcheck.sh: the image HEALTHCHECK. Dispatches on SBIR_SERVICE (set per service in Compose):
#   dagster-webserver -> GET http://127.0.0.1:$DAGSTER_PORT/server_info answers 2xx/3xx
#                        (127.0.0.1 is right here: the check runs inside the webserver's own container)
#   dagster-daemon    -> dagster-daemon liveness-check (heartbeat-based; no ps in the image)
#   anything else     -> python3 -c 'import sbir_etl' (the app and its venv are usable)
# Prints one short line; exits 0 healthy, 1 unhealthy (Docker reserves other codes).
set -eu

case $0 in
*/*) _here=${0%/*} ;;
*) _here=/app/scripts/docker ;;
esac
# shellcheck source=lib.sh
. "${SBIR_SCRIPTS_DIR:-$_here}/lib.sh"

# _hc_health_result STATUS WHAT DETAIL: prints "healthy: WHAT" or "unhealthy: WHAT: DETAIL" and
# exits 0 or 1. Reads nothing.
_hc_health_result() {
	if [ "$1" -eq 0 ]; then
		printf 'healthy: %s\n' "$2"
		exit 0
	fi
	printf 'unhealthy: %s: %.200s\n' "$2" "$3"
	exit 1
}

# _main: reads SBIR_SERVICE, DAGSTER_PORT (3000), SBIR_HEALTHCHECK_TIMEOUT (3), SBIR_PYTHON (python3).
_main() {
	case ${SBIR_SERVICE:-} in
	dagster-webserver)
		_hc_url=http://127.0.0.1:${DAGSTER_PORT:-3000}/server_info
		_hc_st=0
		_sbir_probe http "$_hc_url" --timeout "${SBIR_HEALTHCHECK_TIMEOUT:-3}" || _hc_st=$?
		_hc_health_result "$_hc_st" "$_hc_url" "${_sbir_reason:-}"
		;;
	dagster-daemon)
		command -v dagster-daemon >/dev/null 2>&1 ||
			_hc_health_result 1 "dagster-daemon liveness-check" "dagster-daemon is not on PATH; install dagster in the image venv"
		_hc_st=0
		_hc_out=$(dagster-daemon liveness-check 2>&1) || _hc_st=$?
		_hc_health_result "$_hc_st" "dagster-daemon liveness-check" "${_hc_out##*"$_SBIR_NL"}"
		;;
	*)
		_hc_st=0
		_hc_out=$("${SBIR_PYTHON:-python3}" -c 'import sbir_etl' 2>&1) || _hc_st=$?
		_hc_health_result "$_hc_st" "import sbir_etl" "${_hc_out##*"$_SBIR_NL"}"
		;;
	esac
}

if ! _sbir_is_sourced healthcheck.sh; then
	_main "$@"
fi
