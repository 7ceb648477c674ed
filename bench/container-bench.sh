#!/usr/bin/env bash
# Benchmarks of Sbir.Container.Sdk on whatever engine is present, printed as a Markdown table with a
# description of the machine. Timings are wall-clock medians; where two commands are compared (a no-op
# against the empty-target floor, warm against cold validation) they run in turn, pair by pair, so that
# both see the same load. Compare rows within one run of this script, not across machines.
#
# It packs the SDK, then builds the sample (its offline twin: the sample's Dockerfile, scripts and
# sources around dependency-free manifests) through a one-line project file, as a user would. Sections
# (each a function below; --only picks some, in this order):
#   build      cold build (build cache pruned) and a source-only rebuild (one file under src/ changed)
#   noop       no-op DockerBuild against an empty target in the same project (the floor), on the packed
#              SDK and on the README's in-repository command (dotnet build samples/sbir-etl -t:DockerBuild)
#   validate   ContainerValidate cold (its record under obj/ removed) and warm (nothing changed), against the floor
#   size       the runtime image minus the base image, split into the virtual environment, the application
#              (code, scripts, config) and everything else; the builder image
#   compose    ComposeUp of the prod stack to healthy, and how long after the last healthy service it returned
#   test       DockerTest (the default: the test stack only for marked tests)
#   reload     the dev profile's reload: an edit under src/ to the webserver and the daemon restarted and
#              healthy, with watchfiles and with the standard-library polling fallback
# ComposeUp and DockerTest run on STAND-INS for Neo4j and Dagster (tests/Sbir.Container.EndToEndTests/
# StandIns: no registry or PyPI here); set SBIR_BENCH_NEO4J_IMAGE / SBIR_BENCH_DAGSTER_IMAGE to real
# images to measure those instead. Stack runs are capped at 3 (each waits for health checks).
#
# Usage: bench/container-bench.sh [--runs N] [--only build,noop,validate,size,compose,test,reload] [--keep]
# Reads: SBIR_BENCH_DOCKER_CLI (default /usr/bin/docker if present, else docker),
#        SBIR_BENCH_BASE_IMAGE (default local/python:3.11-slim; make it with eng/make-base-images.sh),
#        SBIR_BENCH_NEO4J_IMAGE, SBIR_BENCH_DAGSTER_IMAGE (default: stand-ins built here).
# Warning: the cold build prunes the engine's build cache (docker builder prune -af).
set -euo pipefail

runs=7
keep=no
only="build,noop,validate,size,compose,test,reload"
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    --keep) keep=yes; shift ;;
    *) echo "usage: $0 [--runs N] [--only SECTIONS] [--keep]" >&2; exit 2 ;;
  esac
done

root=$(cd "$(dirname "$0")/.." && pwd)
cli=${SBIR_BENCH_DOCKER_CLI:-$( [ -x /usr/bin/docker ] && echo /usr/bin/docker || echo docker )}
base=${SBIR_BENCH_BASE_IMAGE:-local/python:3.11-slim}
work=$(mktemp -d /tmp/sbir-bench.XXXXXX)
image="sbir-bench-$$"
sample_image="sbir-bench-sample-$$"
export NUGET_PACKAGES="$work/nuget" MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

project="sbir-bench-$$"
neo4j_image=${SBIR_BENCH_NEO4J_IMAGE:-sbir-bench-neo4j-standin-$$:bench}
dagster_image=${SBIR_BENCH_DAGSTER_IMAGE:-sbir-bench-dagster-standin-$$:bench}
app="$work/app"
rows=()

cleanup() {
  if [ -f "$app/app.proj" ]; then
    dotnet msbuild "$app/app.proj" -nologo -nodeReuse:false -t:ComposeDown -p:Profile=prod -p:SbirComposeRemoveVolumes=true \
      -p:SbirComposeProjectName="$project" -p:SbirContainerImageName="$image" -p:SbirDockerCli="$cli" >/dev/null 2>&1 || true
  fi
  "$cli" image rm -f "$image:latest" "$image-builder:latest" "$image:test" "$sample_image:latest" "$sample_image-builder:latest" >/dev/null 2>&1 || true
  # The images each rebuild replaced (the source-only rebuilds leave one builder and one runtime image each), found by the title label.
  for title in "$image" "$sample_image"; do
    "$cli" image ls -q --filter dangling=true --filter "label=org.opencontainers.image.title=$title" | xargs -r "$cli" image rm -f >/dev/null 2>&1 || true
  done
  [ -n "${SBIR_BENCH_NEO4J_IMAGE:-}" ] || "$cli" image rm -f "$neo4j_image" >/dev/null 2>&1 || true
  [ -n "${SBIR_BENCH_DAGSTER_IMAGE:-}" ] || "$cli" image rm -f "$dagster_image" >/dev/null 2>&1 || true
  [ "$keep" = yes ] || rm -rf "$work"
}
trap cleanup EXIT

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f\n", b - a }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1000000 }'; }
row() { rows+=("| $1 | $2 |"); }
wants() { case ",$only," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }

# build ARGS...: the packed-SDK project with the bench's names; the log of the last run in $work/last.log.
build() {
  dotnet build "$app/app.proj" -nologo -nodeReuse:false -v:n "$@" \
    -p:SbirContainerImageName="$image" -p:SbirContainerBaseImage="$base" -p:SbirDockerCli="$cli" \
    -p:SbirComposeProjectName="$project" >"$work/last.log" 2>&1 \
    || { cat "$work/last.log" >&2; exit 1; }
}
timed() { local t0 t1; t0=$(now); build "$@"; t1=$(now); elapsed "$t0" "$t1"; }

# sample ARGS...: the README's in-repository command (the SDK imported from source), under a bench image name.
sample() {
  dotnet build "$root/samples/sbir-etl" -nologo -nodeReuse:false -v:n "$@" \
    -p:SbirContainerImageName="$sample_image" -p:SbirDockerCli="$cli" >"$work/sample.log" 2>&1 \
    || { cat "$work/sample.log" >&2; exit 1; }
}
sample_timed() { local t0 t1; t0=$(now); sample "$@"; t1=$(now); elapsed "$t0" "$t1"; }

# pairs N A B: runs the commands A and B (each a function name plus arguments, quoted as one word) in turn
# N times; prints "median-of-A median-of-B".
pairs() {
  local n=$1 a=$2 b=$3 ta=() tb=()
  for _ in $(seq 1 "$n"); do
    ta+=("$(eval "$a")"); tb+=("$(eval "$b")")
  done
  echo "$(printf '%s\n' "${ta[@]}" | median) $(printf '%s\n' "${tb[@]}" | median)"
}

setup() {
  echo "Packing the SDK..." >&2
  version=$(sed -n 's:.*<VersionPrefix>\(.*\)</VersionPrefix>.*:\1:p' "$root/Directory.Build.props")
  dotnet pack "$root/src/Sbir.Container.Sdk" -c Release -o "$work/feed" -nologo >/dev/null

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
}

bench_build() {
  echo "Cold build (build cache pruned)..." >&2
  "$cli" image rm -f "$image:latest" "$image-builder:latest" >/dev/null 2>&1 || true
  "$cli" builder prune -af >/dev/null 2>&1 || true
  cold=$(timed -t:DockerBuild)

  echo "Source-only rebuilds ($runs)..." >&2
  local source
  source=$(for i in $(seq 1 "$runs"); do echo "BENCH_MARKER = $i" >"$app/src/sbir_etl/_bench_marker.py"; timed -t:DockerBuild; done | median)
  grep -q "CACHED" "$work/last.log" || echo "warning: the source-only rebuild reused no cached layer" >&2
  row "Cold build (builder + runtime, empty build cache)" "${cold} s"
  row "Source-only rebuild (one file under src/ changed; median of $runs)" "${source} s"
  row "Source-only rebuild / cold build" "$(ratio "$source" "$cold")"
}

ensure_built() { [ -n "$("$cli" image ls -q "$image:latest")" ] || build -t:DockerBuild; }

bench_noop() {
  ensure_built
  build -t:DockerBuild
  echo "No-op DockerBuild and the empty target, packed SDK ($runs pairs)..." >&2
  local p noop floor
  p=$(pairs "$runs" "timed -t:DockerBuild" "timed -t:SbirBenchEmpty")
  noop=${p% *}; floor=${p#* }
  grep -q "docker was not run" "$work/last.log" || true
  row "No-op DockerBuild, packed SDK (median of $runs)" "${noop} s"
  row "Empty MSBuild target, same project (the floor; median of $runs)" "${floor} s"
  row "**No-op DockerBuild / floor, packed SDK**" "**$(ratio "$noop" "$floor")**"

  echo "The README's in-repository command: warming up (the first build may take minutes)..." >&2
  sample -t:DockerBuild; sample -t:DockerBuild
  grep -q "docker was not run" "$work/sample.log" || { echo "the sample's second build still ran docker:" >&2; cat "$work/sample.log" >&2; exit 1; }
  echo "No-op 'dotnet build samples/sbir-etl -t:DockerBuild' and an empty target of the sample ($runs pairs)..." >&2
  p=$(pairs "$runs" "sample_timed -t:DockerBuild" "sample_timed -t:AfterStackRemove")
  noop=${p% *}; floor=${p#* }
  row "No-op \`dotnet build samples/sbir-etl -t:DockerBuild\` (SDK from source; median of $runs)" "${noop} s"
  row "Empty target of the sample (AfterStackRemove; the floor; median of $runs)" "${floor} s"
  row "**No-op DockerBuild / floor, in-repository sample**" "**$(ratio "$noop" "$floor")**"
}

bench_validate() {
  echo "ContainerValidate cold and warm, and the floor ($runs triples)..." >&2
  local cold_v=() warm_v=() floor_v=()
  build -t:ContainerValidate
  for _ in $(seq 1 "$runs"); do
    rm -rf "$app/obj/SbirContainer/validation"
    cold_v+=("$(timed -t:ContainerValidate)")
    warm_v+=("$(timed -t:ContainerValidate)")
    floor_v+=("$(timed -t:SbirBenchEmpty)")
  done
  local c w f
  c=$(printf '%s\n' "${cold_v[@]}" | median); w=$(printf '%s\n' "${warm_v[@]}" | median); f=$(printf '%s\n' "${floor_v[@]}" | median)
  build -t:ContainerValidate
  local line; line=$(grep -o 'ContainerValidate: .*' "$work/last.log" | tail -n 1)
  row "ContainerValidate cold: every check, every profile (median of $runs)" "${c} s"
  row "ContainerValidate warm: nothing changed (median of $runs; '${line}')" "${w} s"
  row "Empty target in the same runs (median of $runs)" "${f} s"
  row "**ContainerValidate warm / floor**" "**$(ratio "$w" "$f")**"
  row "ContainerValidate cold / floor" "$(ratio "$c" "$f")"
}

# layer_bytes IMAGE REGEX: the bytes of the image's layers whose creating instruction matches REGEX.
layer_bytes() {
  "$cli" history --no-trunc --human=false --format '{{.Size}}	{{.CreatedBy}}' "$1" \
    | awk -F '\t' -v re="$2" '$2 ~ re { s += $1 } END { printf "%d\n", s }'
}

bench_size() {
  ensure_built
  local runtime_size builder_size base_size above venv appb rest
  runtime_size=$("$cli" image inspect --format '{{.Size}}' "$image:latest")
  builder_size=$("$cli" image inspect --format '{{.Size}}' "$image-builder:latest")
  base_size=$("$cli" image inspect --format '{{.Size}}' "$base")
  above=$((runtime_size - base_size))
  venv=$(layer_bytes "$image:latest" 'COPY.*/app/\.venv')
  appb=$(layer_bytes "$image:latest" 'COPY.*/app/(scripts/docker|config|dagster_home|src)/')
  rest=$((above - venv - appb))
  row "Runtime image" "$(mb "$runtime_size")"
  row "Runtime image minus the base image ($base, $(mb "$base_size"))" "$(mb "$above")"
  row "... of which the virtual environment" "$(mb "$venv")"
  row "... of which the application (code, scripts, config)" "$(awk -v b="$appb" 'BEGIN { printf "%.3f MB", b / 1000000 }')"
  row "**... of which everything else (the runtime stage's own layers)**" "**$(mb "$rest")**"
  row "Builder image" "$(mb "$builder_size")"
}

build_standins() {
  local standins="$root/tests/Sbir.Container.EndToEndTests/StandIns"
  ensure_built
  if [ -z "${SBIR_BENCH_NEO4J_IMAGE:-}" ] && [ -z "$("$cli" image ls -q "$neo4j_image")" ]; then
    echo "Building the Neo4j stand-in..." >&2
    "$cli" build --quiet --build-arg "BASE_IMAGE=$base" --tag "$neo4j_image" "$standins/neo4j" >/dev/null
  fi
  if [ -z "${SBIR_BENCH_DAGSTER_IMAGE:-}" ] && [ -z "$("$cli" image ls -q "$dagster_image")" ]; then
    echo "Building the Dagster stand-in..." >&2
    "$cli" build --quiet --build-arg "APP_IMAGE=$image:latest" --tag "$dagster_image" "$standins/dagster" >/dev/null
  fi
}

stack_runs() { echo $(( runs < 3 ? runs : 3 )); }

bench_compose() {
  build_standins
  local n up_times=() lags=() up lag
  n=$(stack_runs)
  echo "ComposeUp, prod profile ($n)..." >&2
  for _ in $(seq 1 "$n"); do
    up_times+=("$(timed -t:ComposeUp -p:Profile=prod -p:SbirComposeBuildImage=false)")
    lags+=("$(sed -n 's/.*returned \([0-9.]*\) s after the last service turned healthy.*/\1/p' "$work/last.log" | tail -n 1)")
    build -t:ComposeDown -p:Profile=prod -p:SbirComposeRemoveVolumes=true
  done
  up=$(printf '%s\n' "${up_times[@]}" | median)
  lag=$(printf '%s\n' "${lags[@]}" | median)
  row "ComposeUp, prod stack to healthy (median of $n)" "${up} s"
  row "ComposeUp returned after the last service turned healthy (median)" "${lag} s"
}

bench_test() {
  build_standins
  local n dockertest tests_line
  n=$(stack_runs)
  echo "DockerTest ($n)..." >&2
  dockertest=$(for _ in $(seq 1 "$n"); do timed -t:DockerTest; done | median)
  tests_line=$(grep -o 'DockerTest: [0-9]* passed, [0-9]* failed, [0-9]* skipped' "$work/last.log" | tail -n 1)
  grep -q 'no stack was started' "$work/last.log" || echo "warning: DockerTest started the test stack although no test is marked" >&2
  row "DockerTest (default: the stack only for marked tests, none in the sample; smoke test included; median of $n; ${tests_line#DockerTest: })" "${dockertest} s"
}

# Dev profile reload (issue 13): the time from saving a file under src/ to the webserver and the daemon
# both running again (a new "Started Dagster code server" line in each log after the restart line) and
# answering their own health check (scripts/docker/healthcheck.sh, run by docker exec), on the dev stack
# that ComposeUp -p:Profile=dev starts: once on the Dagster stand-in with the watchfiles stand-in package,
# once on the same image without it (reload.py then polls every 0.5 s). Median of stack_runs edits each (the Dagster stand-in only: a real Dagster image is not measured here).

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
  for _ in $(seq 1 "$(stack_runs)"); do dev_reload_edit_to_healthy; sleep 1; done | median
  build -t:ComposeDown -p:Profile=dev -p:SbirComposeRemoveVolumes=true
}

bench_reload() {
  if [ -n "${SBIR_BENCH_DAGSTER_IMAGE:-}" ]; then
    echo "Dev profile reload: skipped (it measures the Dagster stand-in's reload; SBIR_BENCH_DAGSTER_IMAGE is set)" >&2
    return
  fi
  build_standins
  local n with without
  n=$(stack_runs)
  echo "Dev profile reload: edit to both services healthy, with watchfiles ($n)..." >&2
  with=$(dev_reload_median "$dagster_image")
  echo "Dev profile reload, without watchfiles (polling) ($n)..." >&2
  "$cli" build --quiet --build-arg "APP_IMAGE=$image:latest" --build-arg STANDIN_WATCHFILES=0 --tag "$dagster_image-nowatch" "$root/tests/Sbir.Container.EndToEndTests/StandIns/dagster" >/dev/null
  without=$(dev_reload_median "$dagster_image-nowatch")
  "$cli" image rm -f "$dagster_image-nowatch" >/dev/null 2>&1 || true
  row "Dev profile reload: an edit under src/ to the webserver and the daemon restarted and healthy, with watchfiles (median of $n)" "${with} s"
  row "... without watchfiles, standard-library polling every 0.5 s (median of $n)" "${without} s"
}

setup
for section in build noop validate size compose test reload; do
  if wants "$section"; then "bench_$section"; fi
done

cat <<TABLE

### Sbir.Container.Sdk benchmark, $(date -u +%Y-%m-%d)

Machine: $(nproc) CPU, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) RAM, $(. /etc/os-release; echo "$PRETTY_NAME"); engine $("$cli" version --format '{{.Server.Version}}'), CLI $cli $("$cli" version --format '{{.Client.Version}}'); .NET SDK $(dotnet --version); base image $base; load average at the end $(cut -d' ' -f1-3 /proc/loadavg).

| Measure | Value |
|---|---|
$(printf '%s\n' "${rows[@]}")

ComposeUp and DockerTest ran on $( [ -n "${SBIR_BENCH_NEO4J_IMAGE:-}${SBIR_BENCH_DAGSTER_IMAGE:-}" ] && echo "$neo4j_image and $dagster_image" || echo "stand-ins for Neo4j and Dagster (their health checks: interval 10 s and 15 s)" ).
TABLE
