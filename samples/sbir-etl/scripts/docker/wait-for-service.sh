#!/bin/sh
# wait-for-service.sh: blocks until a service answers, then optionally runs a command.
#
#   wait-for-service.sh tcp HOST PORT  [--timeout S] [--interval S] [-- CMD...]
#   wait-for-service.sh http URL       [--timeout S] [--interval S] [-- CMD...]
#   wait-for-service.sh bolt HOST PORT [--timeout S] [--interval S] [-- CMD...]
#
# http: 2xx/3xx is up. bolt: a Bolt handshake agreeing on a version is up (no credentials sent).
# Defaults: --timeout $SERVICE_STARTUP_TIMEOUT or 120, --interval $SBIR_WAIT_INTERVAL or 2.
# Exit status: 0 up (or CMD's status), 1 never came up, 2 usage error.
set -eu

case $0 in
*/*) _here=${0%/*} ;;
*) _here=/app/scripts/docker ;;
esac
# shellcheck source=lib.sh
. "${SBIR_SCRIPTS_DIR:-$_here}/lib.sh"

# _wfs_usage: prints the usage to stderr and exits 2. Reads nothing.
_wfs_usage() {
	[ "$#" -eq 0 ] || printf 'wait-for-service.sh: %s\n' "$*" >&2
	cat >&2 <<'EOF'
usage: wait-for-service.sh tcp HOST PORT  [--timeout S] [--interval S] [-- CMD...]
       wait-for-service.sh http URL       [--timeout S] [--interval S] [-- CMD...]
       wait-for-service.sh bolt HOST PORT [--timeout S] [--interval S] [-- CMD...]
EOF
	exit 2
}

# _main KIND ARGS... [-- CMD...]: reads SERVICE_STARTUP_TIMEOUT (120) and SBIR_WAIT_INTERVAL (2).
_main() {
	[ "$#" -gt 0 ] || _wfs_usage
	_wfs_kind=$1
	shift
	case $_wfs_kind in
	tcp | bolt) _wfs_nargs=2 ;;
	http) _wfs_nargs=1 ;;
	-h | --help) _wfs_usage ;;
	*) _wfs_usage "unknown probe '$_wfs_kind'. Use tcp, http or bolt." ;;
	esac
	_wfs_timeout=${SERVICE_STARTUP_TIMEOUT:-120}
	_wfs_a1='' _wfs_a2='' _wfs_got=0
	while [ "$#" -gt 0 ]; do
		case $1 in
		--timeout | --interval)
			[ "$#" -ge 2 ] || _wfs_usage "$1 needs a value in seconds."
			_sbir_is_uint "$2" || _wfs_usage "$1 must be whole seconds, not '$2'."
			if [ "$1" = --timeout ]; then _wfs_timeout=$2; else SBIR_WAIT_INTERVAL=$2; fi
			shift 2
			;;
		--timeout=* | --interval=*)
			_sbir_is_uint "${1#*=}" || _wfs_usage "${1%%=*} must be whole seconds, not '${1#*=}'."
			case $1 in --timeout=*) _wfs_timeout=${1#*=} ;; *) SBIR_WAIT_INTERVAL=${1#*=} ;; esac
			shift
			;;
		--)
			shift
			break
			;;
		-*) _wfs_usage "unknown option '$1'." ;;
		*)
			_wfs_got=$((_wfs_got + 1))
			case $_wfs_got in
			1) _wfs_a1=$1 ;;
			2) _wfs_a2=$1 ;;
			*) _wfs_usage "too many arguments for $_wfs_kind." ;;
			esac
			shift
			;;
		esac
	done
	[ "$_wfs_got" -eq "$_wfs_nargs" ] || _wfs_usage "$_wfs_kind needs $_wfs_nargs argument(s)."

	_wfs_status=0
	case $_wfs_kind in
	tcp) sbir_wait_tcp "$_wfs_a1" "$_wfs_a2" "$_wfs_timeout" || _wfs_status=$? ;;
	http) sbir_wait_http "$_wfs_a1" "$_wfs_timeout" || _wfs_status=$? ;;
	bolt) sbir_wait_bolt "$_wfs_a1" "$_wfs_a2" "$_wfs_timeout" || _wfs_status=$? ;;
	esac
	[ "$_wfs_status" -eq 0 ] || exit "$_wfs_status"
	[ "$#" -gt 0 ] || exit 0
	exec "$@"
}

if ! _sbir_is_sourced wait-for-service.sh; then
	_main "$@"
fi
