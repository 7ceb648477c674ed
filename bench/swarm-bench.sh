#!/usr/bin/env bash
# Benchmarks of the swarm targets of Sbir.Container.Sdk on a single-node swarm, printed as a Markdown
# table with a description of the machine. Compare rows within one run of this script.
#
# It packs the SDK, builds the sample's offline twin through a one-line project file, builds the Neo4j
# and Dagster STAND-INS of the end-to-end tests (tests/Sbir.Container.EndToEndTests/StandIns), starts a
# docker-registry on 127.0.0.1 and pushes the Dagster stand-in twice (two digests) with DockerPush:
#   first deploy          StackDeploy of a new stack: secrets created, the node labelled
#   deploy to converged   StackDeploy until every service runs, healthy, after StackRemove (which keeps
#                         the secrets, volumes and label, so that plain docker starts from the same state)
#   raw deploy            the same rendered stack file with plain 'docker stack deploy', polled with
#                         'docker service ls' until every service shows 1/1: what a hand-written script sees
#   no-change redeploy    StackDeploy again with nothing changed
#   rolling update        StackDeploy of the other digest: start-first webserver, stop-first daemon,
#                         each waits out its monitor period (interval x retries + timeout)
# The engine becomes a one-node swarm for the run when it is in none, and leaves it at the end.
#
# Usage: bench/swarm-bench.sh [--runs N]
# Reads: SBIR_BENCH_DOCKER_CLI (the CLI the stack targets use; default docker on PATH),
#        SBIR_BENCH_BUILD_CLI (the CLI images are built with; default /usr/bin/docker if present),
#        SBIR_BENCH_BASE_IMAGE (default local/python:3.11-slim; make it with eng/make-base-images.sh).
set -euo pipefail

runs=2
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    *) echo "usage: $0 [--runs N]" >&2; exit 2 ;;
  esac
done

root=$(cd "$(dirname "$0")/.." && pwd)
cli=${SBIR_BENCH_DOCKER_CLI:-docker}
build_cli=${SBIR_BENCH_BUILD_CLI:-$( [ -x /usr/bin/docker ] && echo /usr/bin/docker || echo docker )}
base=${SBIR_BENCH_BASE_IMAGE:-local/python:3.11-slim}
work=$(mktemp -d /tmp/sbir-swarm-bench.XXXXXX)
id="sbir-sbench-$$"
stack="$id"
export NUGET_PACKAGES="$work/nuget" MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
registry_port=$(free_port)
registry="127.0.0.1:$registry_port"
created_swarm=no
had_gwbridge=no
registry_pid=

cleanup() {
  if [ -f "$work/app/app.proj" ]; then
    stack_target StackRemove -p:SbirStackRemoveVolumes=true -p:SbirStackRemoveSecrets=true >/dev/null 2>&1 || true
  fi
  "$build_cli" image rm -f "$id-app:latest" "$id-app-builder:latest" "$id-neo4j:bench" "$registry/$id:v1" "$registry/$id:v2" >/dev/null 2>&1 || true
  [ -z "$registry_pid" ] || kill "$registry_pid" 2>/dev/null || true
  if [ "$created_swarm" = yes ]; then
    "$cli" swarm leave --force >/dev/null 2>&1 || true
    [ "$had_gwbridge" = yes ] || "$cli" network rm docker_gwbridge >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f\n", b - a }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f\n", a / b }'; }

"$cli" network inspect docker_gwbridge >/dev/null 2>&1 && had_gwbridge=yes
if [ "$("$cli" info --format '{{.Swarm.LocalNodeState}}')" != active ]; then
  "$cli" swarm init --advertise-addr 127.0.0.1 >/dev/null
  created_swarm=yes
fi
# Swarm's virtual IPs need the kernel's IPVS; without it, DNS round robin and ports on the node.
endpoint_mode=vip
[ -d /sys/module/ip_vs ] || [ -e /proc/net/ip_vs ] || endpoint_mode=dnsrr

echo "Packing the SDK, building the app and the stand-ins..." >&2
version=$(sed -n 's:.*<VersionPrefix>\(.*\)</VersionPrefix>.*:\1:p' "$root/Directory.Build.props")
dotnet pack "$root/src/Sbir.Container.Sdk" -c Release -o "$work/feed" -nologo >/dev/null
app="$work/app"
mkdir -p "$app"
for f in Dockerfile .dockerignore .gitignore .env.example README.md docker-compose.yml docker scripts/docker config src tests; do
  mkdir -p "$app/$(dirname "$f")"
  cp -R "$root/samples/sbir-etl/$f" "$app/$f"
done
cp "$root/samples/sbir-etl/offline/pyproject.toml" "$root/samples/sbir-etl/offline/poetry.lock" "$app/"
cat >"$app/NuGet.config" <<XML
<configuration><packageSources><clear /><add key="bench" value="$work/feed" /></packageSources></configuration>
XML
echo "<Project Sdk=\"Sbir.Container.Sdk/$version\" />" >"$app/app.proj"
cat >"$app/.env" <<ENV
NEO4J_PASSWORD=bench-$$-$RANDOM$RANDOM
NEO4J_IMAGE=$id-neo4j:bench
NEO4J_HTTP_PORT=$(free_port)
NEO4J_BOLT_PORT=$(free_port)
DAGSTER_PORT=$(free_port)
SERVICE_STARTUP_TIMEOUT=120
ENV
(cd "$app" && git init -q && git add -A && git -c user.name=bench -c user.email=bench@example.com commit -qm bench)

msbuild() {
  dotnet msbuild "$app/app.proj" -nologo -nodeReuse:false -v:n "$@" >"$work/last.log" 2>&1 || { cat "$work/last.log" >&2; exit 1; }
}
stack_target() {
  local target=$1; shift
  msbuild -t:"$target" -p:SbirStackName="$stack" -p:SbirContainerRegistry="$registry" -p:SbirContainerImageName="$id" \
    -p:SbirDockerCli="$cli" -p:SbirStackEndpointMode="$endpoint_mode" "$@"
}

msbuild -t:DockerBuild -p:SbirContainerImageName="$id-app" -p:SbirContainerBaseImage="$base" -p:SbirDockerCli="$build_cli"
"$build_cli" build -q --build-arg BASE_IMAGE="$base" -t "$id-neo4j:bench" "$root/tests/Sbir.Container.EndToEndTests/StandIns/neo4j" >/dev/null
cat >"$work/registry.yml" <<YML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $work/registry
http:
  addr: $registry
YML
docker-registry serve "$work/registry.yml" >"$work/registry.log" 2>&1 &
registry_pid=$!
for _ in $(seq 1 50); do curl -fs "http://$registry/v2/" >/dev/null && break; sleep 0.1; done
for tag in v1 v2; do
  mkdir -p "$work/standin-$tag"
  cp "$root/tests/Sbir.Container.EndToEndTests/StandIns/dagster/"* "$work/standin-$tag/"
  echo "LABEL sbir.bench.variant=$tag" >>"$work/standin-$tag/Dockerfile"
  "$build_cli" build -q --build-arg APP_IMAGE="$id-app:latest" -t "$registry/$id:$tag" "$work/standin-$tag" >/dev/null
  msbuild -t:DockerPush -p:SbirPushWithoutBuild=true -p:SbirContainerGenerateSbom=false -p:SbirContainerRegistry="$registry" \
    -p:SbirContainerImageName="$id" -p:SbirContainerImageTags="$tag" -p:SbirDockerCli="$build_cli"
  cp "$app/obj/SbirContainer/"*"_$id.digest" "$work/$tag.digest"
done

timed_stack() { local t0 t1; t0=$(now); stack_target "$@"; t1=$(now); elapsed "$t0" "$t1"; }
converged() { sed -n 's/.*StackDeploy: stack .* converged after \([0-9]*\) s.*/\1/p' "$work/last.log" | tail -1; }
# The image by digest: what DockerPush recorded for each tag (the digest file keeps only the last push).
export SBIR_IMAGE
SBIR_IMAGE=$(cat "$work/v1.digest")

echo "First deploy: secrets created, node labelled..." >&2
first=$(timed_stack StackDeploy)

# Every later deploy starts from the same state for the SDK and for plain docker: no services, the
# secrets, volumes and data label of the first deploy still there (StackRemove keeps them).
echo "Deploy to converged ($runs)..." >&2
deploy=$(for _ in $(seq 1 "$runs"); do stack_target StackRemove; timed_stack StackDeploy; done | median)
sdk_wait=$(converged)

echo "Raw docker stack deploy of the same file ($runs)..." >&2
raw=$(for _ in $(seq 1 "$runs"); do
  stack_target StackRemove
  t0=$(now)
  "$cli" stack deploy --compose-file "$app/obj/SbirContainer/stack/$stack.stack.yml" --resolve-image never --detach=true "$stack" >/dev/null 2>&1
  until [ "$("$cli" service ls -q --filter label=com.docker.stack.namespace="$stack" | wc -l)" -gt 0 ] \
    && [ "$("$cli" service ls --filter label=com.docker.stack.namespace="$stack" --format '{{.Replicas}}' | grep -vc '^1/1')" = 0 ]; do sleep 0.5; done
  t1=$(now); elapsed "$t0" "$t1"
done | median)

echo "No-change redeploys ($runs)..." >&2
stack_target StackRemove
stack_target StackDeploy
noop=$(for _ in $(seq 1 "$runs"); do timed_stack StackDeploy; done | median)

echo "Rolling updates ($runs)..." >&2
tag=v1
update=$(for _ in $(seq 1 "$runs"); do
  if [ "$tag" = v1 ]; then tag=v2; else tag=v1; fi
  SBIR_IMAGE=$(cat "$work/$tag.digest") timed_stack StackDeploy
  grep -q "updating" "$work/last.log" || echo "warning: StackDeploy of $tag did not update the services" >&2
done | median)
monitor=$(sed -n 's/.*dagster-daemon: .*monitor \([0-9ms]*\).*/\1/p' "$work/last.log" | tail -1)

cpu=$(nproc)
mem=$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)
os=$(. /etc/os-release && echo "$PRETTY_NAME")
engine=$("$cli" version --format '{{.Server.Version}}')
client=$("$cli" version --format '{{.Client.Version}}')
cat <<MD
Machine: $cpu CPU, $mem RAM, $os; engine $engine, stack CLI $cli $client; .NET SDK $(dotnet --version); endpoint mode $endpoint_mode; runs: $runs.

| Measure | Value |
|---|---|
| First StackDeploy (secrets created, node labelled) | $first s |
| StackDeploy, services removed before, to converged (median) | $deploy s |
| ... as the task reports it, from its start to converged (last run; the rest is MSBuild, validation, the engine probe) | $sdk_wait s |
| Raw 'docker stack deploy' of the same file until every service shows 1/1 (median) | $raw s |
| StackDeploy / raw | $(ratio "$deploy" "$raw") |
| StackDeploy with nothing changed (median) | $noop s |
| Rolling update to the other digest (median; the daemon's monitor period: ${monitor:-?}) | $update s |

Services: the sample's neo4j, dagster-webserver and dagster-daemon on stand-ins (health-check intervals 10 s, 10 s, 15 s).
MD
