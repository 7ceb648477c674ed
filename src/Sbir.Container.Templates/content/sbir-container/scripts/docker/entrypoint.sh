#!/bin/sh
# Entrypoint of the my-pipeline image: checks the settings the container was given, prepares the data
# folder, then replaces itself with the command (CMD, or what 'docker run IMAGE ...' gives).
# Reads: LOG_LEVEL (debug, info, warning, error), PIPELINE_DATA_DIR (default /app/data).
set -eu

# pipeline_log LEVEL MESSAGE: one line on stderr, in the application's format.
pipeline_log() {
	printf '%s %s entrypoint: %s\n' "$(date -u '+%Y-%m-%dT%H:%M:%SZ')" "$1" "$2" >&2
}

# pipeline_check_log_level: reads LOG_LEVEL; stops with the fix when it is not a known level.
pipeline_check_log_level() {
	case "${LOG_LEVEL:-info}" in
		debug | info | warning | error) ;;
		*)
			pipeline_log error "LOG_LEVEL='${LOG_LEVEL:-}' is not one of debug, info, warning, error; fix it in .env"
			exit 64
			;;
	esac
}

# pipeline_prepare_data: reads PIPELINE_DATA_DIR; the folder must exist and be writable by this user.
pipeline_prepare_data() {
	data_dir=${PIPELINE_DATA_DIR:-/app/data}
	mkdir -p "$data_dir" 2>/dev/null || true
	if [ ! -w "$data_dir" ]; then
		pipeline_log error "$data_dir is not writable by uid $(id -u); give the volume or bind mount to uid $(id -u) (chown), or run the container with --user matching its owner"
		exit 73
	fi
}

pipeline_check_log_level
pipeline_prepare_data
exec "$@"
