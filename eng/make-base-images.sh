#!/bin/sh
# Builds the local stand-ins for the public base images, for machines that reach no image registry
# (this repository's CI, and any offline machine). The sample's DockerBuild runs it by itself when
# its offline twin needs the image; CI runs it before the tests.
#
#   local/debian:bookworm-slim  a debootstrap minbase of Debian 12, the stand-in for debian:bookworm-slim
#   local/python:3.11-slim      the above plus Debian's Python 3.11, venv, pip, Poetry and pytest,
#                               the stand-in for python:3.11-slim (which has no Poetry or pytest:
#                               the sample's Dockerfile installs Poetry when the base lacks it)
#
# Usage: eng/make-base-images.sh [--force]
# Reads: DOCKER (the docker CLI, default "docker"), DEBIAN_MIRROR (default deb.debian.org),
#        DEBIAN_IMAGE and PYTHON_IMAGE (the two image names, defaults above).
# Needs: debootstrap and root for the Debian image. As root, a missing debootstrap is installed with
# apt-get; otherwise the script exits with code 3 and says what to run.
set -eu

docker_cli=${DOCKER:-docker}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
debian_image=${DEBIAN_IMAGE:-local/debian:bookworm-slim}
python_image=${PYTHON_IMAGE:-local/python:3.11-slim}
force=no
[ "${1:-}" = "--force" ] && force=yes

# base_say TEXT: one progress line.
base_say() {
	echo "make-base-images: $*"
}

# base_image_exists NAME: true when the local engine already has NAME.
base_image_exists() {
	"$docker_cli" image inspect "$1" >/dev/null 2>&1
}

# base_need_root WHY: stops with code 3 and the command that does the work as root.
base_need_root() {
	base_say "$1"
	base_say "run as root: sudo env DOCKER=$docker_cli DEBIAN_IMAGE=$debian_image PYTHON_IMAGE=$python_image sh $0"
	exit 3
}

# base_require_debootstrap: debootstrap on PATH, installed with apt-get when running as root.
base_require_debootstrap() {
	command -v debootstrap >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && return 0
	if [ "$(id -u)" != 0 ]; then
		base_need_root "making $debian_image needs debootstrap run as root (it builds a Debian root file system)"
	fi
	if ! command -v apt-get >/dev/null 2>&1; then
		base_say "debootstrap is not installed and there is no apt-get to install it with; install debootstrap with your package manager"
		exit 3
	fi
	base_say "installing debootstrap with apt-get"
	DEBIAN_FRONTEND=noninteractive apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
}

# base_make_debian: debootstrap a minimal bookworm root and import it as an image.
base_make_debian() {
	if [ "$force" = no ] && base_image_exists "$debian_image"; then
		base_say "$debian_image exists"
		return 0
	fi
	base_require_debootstrap
	rootfs=$(mktemp -d)
	status=$(mktemp)
	base_say "debootstrap bookworm from $mirror (about a minute)"
	# debootstrap's own phases, without its line per package.
	{ debootstrap --variant=minbase bookworm "$rootfs" "$mirror" 2>&1; echo $? >"$status"; } \
		| grep --line-buffered -E '^(I: (Retrieving Release|Resolving|Found|Checking|Installing core|Unpacking the base|Configuring the base|Base system)|E: |W: )' \
		| sed -u 's/^/make-base-images:   /' || true
	code=$(cat "$status")
	rm -f "$status"
	if [ "$code" != 0 ]; then
		rm -rf "$rootfs"
		base_say "debootstrap failed (exit code $code); is $mirror reachable?"
		exit 1
	fi
	# Keep the image small and free of apt lists, as the official slim images are.
	rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin
	base_say "importing it as $debian_image"
	tar -C "$rootfs" -c . | "$docker_cli" import \
		-c 'ENV LANG=C.UTF-8' \
		-c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
		-c 'CMD ["bash"]' \
		- "$debian_image" >/dev/null
	rm -rf "$rootfs"
	base_say "made $debian_image"
}

# base_make_python: add Debian's Python toolchain to the Debian image.
base_make_python() {
	if [ "$force" = no ] && base_image_exists "$python_image"; then
		base_say "$python_image exists"
		return 0
	fi
	ctx=$(mktemp -d)
	cat >"$ctx/Dockerfile" <<DOCKERFILE
FROM $debian_image
RUN apt-get update \\
 && apt-get install -y --no-install-recommends python3 python3-venv python3-pip python3-poetry python3-pytest ca-certificates \\
 && ln -s /usr/bin/python3 /usr/local/bin/python \\
 && rm -rf /var/lib/apt/lists/*
ENV PYTHONDONTWRITEBYTECODE=1 PIP_BREAK_SYSTEM_PACKAGES=1
CMD ["python3"]
DOCKERFILE
	base_say "installing Python 3.11, Poetry and pytest from Debian into $python_image (about a minute)"
	# --force-rm: no stopped container is left behind when a step fails. Errors are shown; the
	# legacy builder's deprecation notice (newer clients print it for DOCKER_BUILDKIT=0) is not.
	status=$(mktemp)
	{ DOCKER_BUILDKIT=0 "$docker_cli" build --force-rm -q -t "$python_image" "$ctx" 2>&1 >/dev/null; echo $? >"$status"; } \
		| grep -v -e 'DEPRECATED: The legacy builder' -e 'BuildKit is currently disabled' -e 'environment-variable\.$' \
		| sed -u 's/^/make-base-images:   /' || true
	code=$(cat "$status")
	rm -f "$status"
	rm -rf "$ctx"
	if [ "$code" != 0 ]; then
		base_say "building $python_image failed (exit code $code)"
		exit 1
	fi
	base_say "made $python_image"
}

base_make_debian
base_make_python
