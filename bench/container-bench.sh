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
#   ContainerValidate every check (contract, secrets, Dockerfile, compose of every profile)
#   ComposeUp         the prod stack from 'up' to every service healthy, and how long after the last
#                     service turned healthy the target returned; ComposeDown between runs
#   DockerTest        the tests inside the test-stage image, twice in the same run: as before the test
#                     stack was started only for marked tests (-p:SbirTestServices=true: every test
#                     waits for Neo4j and Dagster) and as now (the default: the sample has no marked
#                     test, so no stack; the runtime image's smoke test included)
# ComposeUp and DockerTest run on STAND-INS for Neo4j and Dagster (tests/Sbir.Container.EndToEndTests/
# StandIns: no registry or PyPI here); set SBIR_BENCH_NEO4J_IMAGE / SBIR_BENCH_DAGSTER_IMAGE to real
# images to measure those instead. Stack runs are capped at 3 (each waits for health checks).
#
# Usage: bench/container-bench.sh [--runs N] [--keep]
# Reads: SBIR_BENCH_DOCKER_CLI (default /usr/bin/docker if present, else docker),
#        SBIR_BENCH_BASE_IMAGE (default local/python:3.11-slim; make it with eng/make-base-images.sh),
#        SBIR_BENCH_NEO4J_IMAGE, SBIR_BENCH_DAGSTER_IMAGE (default: stand-ins built here).
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

project="sbir-bench-$$"
neo4j_image=${SBIR_BENCH_NEO4J_IMAGE:-sbir-bench-neo4j-standin-$$:bench}
dagster_image=${SBIR_BENCH_DAGSTER_IMAGE:-sbir-bench-dagster-standin-$$:bench}

cleanup() {
  if [ -f "$work/app/app.proj" ]; then
    dotnet msbuild "$work/app/app.proj" -nologo -nodeReuse:false -t:ComposeDown -p:Profile=prod -p:SbirComposeRemoveVolumes=true \
      -p:SbirComposeProjectName="$project" -p:SbirContainerImageName="$image" -p:SbirDockerCli="$cli" >/dev/null 2>&1 || true
  fi
  "$cli" image rm -f "$image:latest" "$image-builder:latest" "$image:test" >/dev/null 2>&1 || true
  [ -n "${SBIR_BENCH_NEO4J_IMAGE:-}" ] || "$cli" image rm -f "$neo4j_image" >/dev/null 2>&1 || true
  [ -n "${SBIR_BENCH_DAGSTER_IMAGE:-}" ] || "$cli" image rm -f "$dagster_image" >/dev/null 2>&1 || true
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
for f in Dockerfile .dockerignore .gitignore .env.example README.md docker-compose.yml docker scripts/docker config dagster_home src tests; do
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

# Secrets and stand-in images for the stack measures; .env is ignored by git and .dockerignore.
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
cat >"$app/.env" <<ENV
NEO4J_PASSWORD=bench-$$-$RANDOM$RANDOM
NEO4J_IMAGE=$neo4j_image
SBIR_IMAGE=$dagster_image
NEO4J_HTTP_PORT=$(free_port)
NEO4J_BOLT_PORT=$(free_port)
DAGSTER_PORT=$(free_port)
SERVICE_STARTUP_TIMEOUT=120
ENV
(cd "$app" && git init -q && git add -A && git -c user.name=bench -c user.email=bench@example.com commit -qm bench)
build() {
  dotnet build "$app/app.proj" -nologo -nodeReuse:false -v:n "$@" \
    -p:SbirContainerImageName="$image" -p:SbirContainerBaseImage="$base" -p:SbirDockerCli="$cli" \
    -p:SbirComposeProjectName="$project" >"$work/last.log" 2>&1 \
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

echo "ContainerValidate ($runs)..." >&2
validate=$(for _ in $(seq 1 "$runs"); do timed -t:ContainerValidate; done | median)

stack_runs=$(( runs < 3 ? runs : 3 ))
standins="$root/tests/Sbir.Container.EndToEndTests/StandIns"
if [ -z "${SBIR_BENCH_NEO4J_IMAGE:-}" ]; then
  echo "Building the Neo4j stand-in..." >&2
  "$cli" build --quiet --build-arg "BASE_IMAGE=$base" --tag "$neo4j_image" "$standins/neo4j" >/dev/null
fi
if [ -z "${SBIR_BENCH_DAGSTER_IMAGE:-}" ]; then
  echo "Building the Dagster stand-in..." >&2
  "$cli" build --quiet --build-arg "APP_IMAGE=$image:latest" --tag "$dagster_image" "$standins/dagster" >/dev/null
fi

echo "ComposeUp, prod profile ($stack_runs)..." >&2
up_times=()
lags=()
for _ in $(seq 1 "$stack_runs"); do
  up_times+=("$(timed -t:ComposeUp -p:Profile=prod -p:SbirComposeBuildImage=false)")
  lags+=("$(sed -n 's/.*returned \([0-9.]*\) s after the last service turned healthy.*/\1/p' "$work/last.log" | tail -n 1)")
  build -t:ComposeDown -p:Profile=prod -p:SbirComposeRemoveVolumes=true
done
up=$(printf '%s\n' "${up_times[@]}" | median)
lag=$(printf '%s\n' "${lags[@]}" | median)

echo "DockerTest, every test with the test stack, as before ($stack_runs)..." >&2
dockertest_before=$(for _ in $(seq 1 "$stack_runs"); do timed -t:DockerTest -p:SbirTestServices=true -p:SbirTestSmoke=false; done | median)
tests_before=$(grep -o 'DockerTest: [0-9]* passed, [0-9]* failed, [0-9]* skipped' "$work/last.log" | tail -n 1)

echo "DockerTest, the stack only for marked tests, with the smoke test ($stack_runs)..." >&2
dockertest=$(for _ in $(seq 1 "$stack_runs"); do timed -t:DockerTest; done | median)
tests_line=$(grep -o 'DockerTest: [0-9]* passed, [0-9]* failed, [0-9]* skipped' "$work/last.log" | tail -n 1)
smoke_line=$(grep -o 'runtime image smoke test: [0-9]* of [0-9]* command(s) passed' "$work/last.log" | tail -n 1)
grep -q 'no stack was started' "$work/last.log" || echo "warning: DockerTest started the test stack although no test is marked" >&2

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
| ContainerValidate, all checks and profiles (median of $runs) | ${validate} s |
| ComposeUp, prod stack to healthy (median of $stack_runs) | ${up} s |
| ComposeUp returned after the last service turned healthy (median) | ${lag} s |
| DockerTest, every test with the test stack, as before (-p:SbirTestServices=true; median of $stack_runs; ${tests_before#DockerTest: }) | ${dockertest_before} s |
| DockerTest, the stack only for marked tests (default; no sample test is marked, so no stack; ${smoke_line}; median of $stack_runs; ${tests_line#DockerTest: }) | ${dockertest} s |
| DockerTest now / before | $(awk -v a="$dockertest" -v b="$dockertest_before" 'BEGIN { printf "%.2f", a / b }') |

ComposeUp and DockerTest ran on $( [ -n "${SBIR_BENCH_NEO4J_IMAGE:-}${SBIR_BENCH_DAGSTER_IMAGE:-}" ] && echo "$neo4j_image and $dagster_image" || echo "stand-ins for Neo4j and Dagster (their health checks: interval 10 s and 15 s)" ).
TABLE

# ---------------------------------------------------------------------------------------------------
# Dev profile reload (issue 13): the time from saving a file under src/ to the webserver and the daemon
# both running again (a new "Started Dagster code server" line in each log after the restart line) and
# answering their own health check (scripts/docker/healthcheck.sh, run by docker exec), on the dev stack
# that ComposeUp -p:Profile=dev starts: once on the Dagster stand-in with the watchfiles stand-in package,
# once on the same image without it (reload.py then polls every 0.5 s). Median of $stack_runs edits each.

# dev_reload_count CONTAINER PATTERN: how many log lines of CONTAINER match PATTERN.
dev_reload_count() { "$cli" logs "$1" 2>&1 | grep -c "$2" || true; }

# dev_reload_edit_to_healthy: edits src/, prints the seconds until both services restarted healthy (fails after 60 s).
dev_reload_edit_to_healthy() {
  local web daemon w0 d0 t0 c
  web=$("$cli" ps -q --filter "label=com.docker.compose.project=$project" --filter label=com.docker.compose.service=dagster-webserver)
  daemon=$("$cli" ps -q --filter "label=com.docker.compose.project=$project" --filter label=com.docker.compose.service=dagster-daemon)
  w0=$(dev_reload_count "$web" 'Started Dagster code server')
  d0=$(dev_reload_count "$daemon" 'Started Dagster code server')
  echo "BENCH_RELOAD = $RANDOM" >"$app/src/sbir_etl/_bench_reload.py"
  t0=$(now)
  for _ in $(seq 1 600); do
    if [ "$(dev_reload_count "$web" 'Started Dagster code server')" -gt "$w0" ] \
      && [ "$(dev_reload_count "$daemon" 'Started Dagster code server')" -gt "$d0" ] \
      && "$cli" exec "$web" /app/scripts/docker/healthcheck.sh >/dev/null 2>&1 \
      && "$cli" exec "$daemon" /app/scripts/docker/healthcheck.sh >/dev/null 2>&1; then
      elapsed "$t0" "$(now)"
      return 0
    fi
    sleep 0.1
  done
  for c in "$web" "$daemon"; do "$cli" logs --tail 20 "$c" >&2; done
  echo "the dev stack did not restart healthy within 60 s of an edit" >&2
  exit 1
}

# dev_reload_median IMAGE: ComposeUp -p:Profile=dev on IMAGE, $stack_runs edits, ComposeDown; prints the median.
dev_reload_median() {
  SBIR_IMAGE=$1 build -t:ComposeUp -p:Profile=dev -p:SbirComposeBuildImage=false
  for _ in $(seq 1 "$stack_runs"); do dev_reload_edit_to_healthy; sleep 1; done | median
  build -t:ComposeDown -p:Profile=dev -p:SbirComposeRemoveVolumes=true
}

if [ -z "${SBIR_BENCH_DAGSTER_IMAGE:-}" ]; then
  echo "Dev profile reload: edit to both services healthy, with watchfiles ($stack_runs)..." >&2
  reload_watchfiles=$(dev_reload_median "$dagster_image")
  echo "Dev profile reload, without watchfiles (polling) ($stack_runs)..." >&2
  "$cli" build --quiet --build-arg "APP_IMAGE=$image:latest" --build-arg STANDIN_WATCHFILES=0 --tag "$dagster_image-nowatch" "$standins/dagster" >/dev/null
  reload_poll=$(dev_reload_median "$dagster_image-nowatch")
  "$cli" image rm -f "$dagster_image-nowatch" >/dev/null 2>&1 || true
  cat <<TABLE

| Dev profile reload (ComposeUp -p:Profile=dev; an edit under src/ to the webserver and the daemon restarted and healthy) | Value |
|---|---|
| with watchfiles (median of $stack_runs) | ${reload_watchfiles} s |
| without watchfiles, standard-library polling every 0.5 s (median of $stack_runs) | ${reload_poll} s |
TABLE
fi
