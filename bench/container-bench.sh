#!/usr/bin/env bash
# Benchmarks of Sbir.Container.Sdk on whatever engine is present, printed as a Markdown table with a
# description of the machine. Timings are wall-clock medians of repeated runs where a run is cheap;
# compare rows within one run of this script, not across machines.
#
# It packs the SDK, then builds the sample (its offline twin: the sample's Dockerfile, scripts and
# sources around dependency-free manifests) through a one-line project file, as a user would:
#   cold build        after 'docker builder prune' and with the bench images removed
#   source-only       one file under src/ changed: dependency layers must come from the cache
#   no-op             nothing changed: DockerBuild must not run docker
#   floor             an empty target in the same project (MSBuild + SDK resolution, no work)
#   image sizes       runtime vs builder
#
# Usage: bench/container-bench.sh [--runs N] [--keep]
# Reads: SBIR_BENCH_DOCKER_CLI (default /usr/bin/docker if present, else docker),
#        SBIR_BENCH_BASE_IMAGE (default local/python:3.11-slim; make it with eng/make-base-images.sh).
# Warning: the cold build prunes the engine's build cache (docker builder prune -af).
set -euo pipefail

runs=5
keep=no
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --keep) keep=yes; shift ;;
    *) echo "usage: $0 [--runs N] [--keep]" >&2; exit 2 ;;
  esac
done

root=$(cd "$(dirname "$0")/.." && pwd)
cli=${SBIR_BENCH_DOCKER_CLI:-$( [ -x /usr/bin/docker ] && echo /usr/bin/docker || echo docker )}
base=${SBIR_BENCH_BASE_IMAGE:-local/python:3.11-slim}
work=$(mktemp -d /tmp/sbir-bench.XXXXXX)
image="sbir-bench-$$"
export NUGET_PACKAGES="$work/nuget" MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

cleanup() {
  "$cli" image rm -f "$image:latest" "$image-builder:latest" >/dev/null 2>&1 || true
  [ "$keep" = yes ] || rm -rf "$work"
}
trap cleanup EXIT

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f\n", b - a }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1000000 }'; }

echo "Packing the SDK..." >&2
version=$(sed -n 's:.*<VersionPrefix>\(.*\)</VersionPrefix>.*:\1:p' "$root/Directory.Build.props")
dotnet pack "$root/src/Sbir.Container.Sdk" -c Release -o "$work/feed" -nologo >/dev/null

app="$work/app"
mkdir -p "$app"
for f in Dockerfile .dockerignore README.md scripts/docker config src tests; do
  mkdir -p "$app/$(dirname "$f")"
  cp -R "$root/samples/sbir-etl/$f" "$app/$f"
done
cp "$root/samples/sbir-etl/offline/pyproject.toml" "$root/samples/sbir-etl/offline/poetry.lock" "$app/"
cat >"$app/NuGet.config" <<XML
<configuration><packageSources><clear /><add key="bench" value="$work/feed" /></packageSources></configuration>
XML
cat >"$app/app.proj" <<XML
<Project Sdk="Sbir.Container.Sdk/$version">
  <Target Name="SbirBenchEmpty" />
</Project>
XML

build() {
  dotnet build "$app/app.proj" -nologo -nodeReuse:false -v:n "$@" \
    -p:SbirContainerImageName="$image" -p:SbirContainerBaseImage="$base" -p:SbirDockerCli="$cli" >"$work/last.log" 2>&1 \
    || { cat "$work/last.log" >&2; exit 1; }
}
timed() { local t0 t1; t0=$(now); build "$@"; t1=$(now); elapsed "$t0" "$t1"; }

echo "Cold build (build cache pruned)..." >&2
"$cli" image rm -f "$image:latest" "$image-builder:latest" >/dev/null 2>&1 || true
"$cli" builder prune -af >/dev/null 2>&1 || true
cold=$(timed -t:DockerBuild)

echo "Source-only rebuilds ($runs)..." >&2
source=$(for i in $(seq 1 "$runs"); do echo "BENCH_MARKER = $i" >"$app/src/sbir_etl/_bench_marker.py"; timed -t:DockerBuild; done | median)
grep -q "CACHED" "$work/last.log" || echo "warning: the source-only rebuild reused no cached layer" >&2

echo "No-op rebuilds ($runs)..." >&2
noop=$(for _ in $(seq 1 "$runs"); do timed -t:DockerBuild; done | median)
grep -q "docker was not run" "$work/last.log" || echo "warning: the no-op rebuild ran docker" >&2

echo "Empty-target floor ($runs)..." >&2
floor=$(for _ in $(seq 1 "$runs"); do timed -t:SbirBenchEmpty; done | median)

runtime_size=$("$cli" image inspect --format '{{.Size}}' "$image:latest")
builder_size=$("$cli" image inspect --format '{{.Size}}' "$image-builder:latest")

cat <<TABLE

### Sbir.Container.Sdk benchmark, $(date -u +%Y-%m-%d)

Machine: $(nproc) CPU, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) RAM, $(. /etc/os-release; echo "$PRETTY_NAME"); engine $("$cli" version --format '{{.Server.Version}}'), CLI $cli $("$cli" version --format '{{.Client.Version}}'); .NET SDK $(dotnet --version); base image $base.

| Measure | Value |
|---|---|
| Cold build (builder + runtime, empty build cache) | ${cold} s |
| Source-only rebuild (median of $runs) | ${source} s |
| No-op DockerBuild (median of $runs) | ${noop} s |
| Empty MSBuild target, same project (floor, median of $runs) | ${floor} s |
| No-op overhead above the floor | $(awk -v a="$noop" -v b="$floor" 'BEGIN { printf "%.2f s", a - b }') |
| Runtime image | $(mb "$runtime_size") |
| Builder image | $(mb "$builder_size") |
| Runtime / builder size | $(awk -v a="$runtime_size" -v b="$builder_size" 'BEGIN { printf "%.2f", a / b }') |
TABLE
