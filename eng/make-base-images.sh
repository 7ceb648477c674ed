#!/bin/sh
# Builds the local stand-ins for the public base images that the tests use, because no image
# registry is reachable on the development and CI machines (see docs/development/testing.md).
#
#   local/debian:bookworm-slim  a debootstrap minbase of Debian 12, the stand-in for debian:bookworm-slim
#   local/python:3.11-slim      the above plus Debian's Python 3.11, venv, pip, Poetry and pytest,
#                               the stand-in for python:3.11-slim (which has no Poetry or pytest:
#                               the sample's Dockerfile installs Poetry when the base lacks it)
#
# Usage: eng/make-base-images.sh [--force]
# Reads: DOCKER (the docker CLI, default "docker"), DEBIAN_MIRROR (default deb.debian.org).
set -eu

docker_cli=${DOCKER:-docker}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
force=no
[ "${1:-}" = "--force" ] && force=yes

# image_exists NAME: true when the local engine already has NAME.
image_exists() {
	"$docker_cli" image inspect "$1" >/dev/null 2>&1
}

# make_debian: debootstrap a minimal bookworm root and import it as an image.
make_debian() {
	if [ "$force" = no ] && image_exists local/debian:bookworm-slim; then
		echo "local/debian:bookworm-slim exists"
		return 0
	fi
	rootfs=$(mktemp -d)
	echo "debootstrap bookworm into $rootfs (about a minute)"
	debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >/dev/null
	# Keep the image small and free of apt lists, as the official slim images are.
	rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin
	tar -C "$rootfs" -c . | "$docker_cli" import \
		-c 'ENV LANG=C.UTF-8' \
		-c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
		-c 'CMD ["bash"]' \
		- local/debian:bookworm-slim >/dev/null
	rm -rf "$rootfs"
	echo "made local/debian:bookworm-slim"
}

# make_python: add Debian's Python toolchain to the Debian image.
make_python() {
	if [ "$force" = no ] && image_exists local/python:3.11-slim; then
		echo "local/python:3.11-slim exists"
		return 0
	fi
	ctx=$(mktemp -d)
	cat >"$ctx/Dockerfile" <<'DOCKERFILE'
FROM local/debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 python3-venv python3-pip python3-poetry python3-pytest ca-certificates \
 && ln -s /usr/bin/python3 /usr/local/bin/python \
 && rm -rf /var/lib/apt/lists/*
ENV PYTHONDONTWRITEBYTECODE=1 PIP_BREAK_SYSTEM_PACKAGES=1
CMD ["python3"]
DOCKERFILE
	DOCKER_BUILDKIT=0 "$docker_cli" build -q -t local/python:3.11-slim "$ctx" >/dev/null
	rm -rf "$ctx"
	echo "made local/python:3.11-slim"
}

make_debian
make_python
