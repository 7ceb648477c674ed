#!/usr/bin/env bash
# The README's main command run again with nothing changed: a no-op DockerBuild of the in-repository
# sample, whose SDK is imported from source. Measures it against the same command with the task
# assembly's up-to-date check defeated (its time stamp set to the past), which is what every run did
# before that check existed: restore and build the two task projects first. Alternating pairs, so
# that both columns see the same load; medians. Not a test: prints a Markdown table.
#
# Usage: bench/sample-noop-bench.sh [--runs N]   (default 5)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=5
[ "${1:-}" = "--runs" ] && runs=$2
image="sbir-bench-noop-$$"
# The task assembly the sample loads from source (on .NET 10 the precompiled one under artifacts/publish/), as MSBuild resolves it.
dll=$(dotnet msbuild "$root/samples/sbir-etl" -nologo -getProperty:SbirContainerTasksAssembly)
log=$(mktemp)
trap 'docker image rm -f "$image:latest" "$image-builder:latest" >/dev/null 2>&1 || true; rm -f "$log"' EXIT

build() {
  dotnet build "$root/samples/sbir-etl" -t:DockerBuild -nologo "-p:SbirContainerImageName=$image" -clp:PerformanceSummary >"$log" 2>&1
}

# seconds COMMAND...: wall-clock seconds of one run.
seconds() {
  local start end
  start=$(date +%s.%N); "$@"; end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f\n", b - a }'
}

# task_ms: the time the last run spent in _SbirBuildTasksFromSource.
task_ms() { awk '/ ms  _SbirBuildTasksFromSource/ { print $1 }' "$log" | head -n 1; }

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "warming up (the first build of $image may take minutes)" >&2
build; build
grep -q "docker was not run" "$log" || { echo "the second build still ran docker:" >&2; cat "$log" >&2; exit 1; }

before=() after=() before_task=() after_task=()
for _ in $(seq 1 "$runs"); do
  touch -d '2000-01-01' "$dll"
  before+=("$(seconds build)"); before_task+=("$(task_ms)")
  build >/dev/null   # the check's own first run after the old time stamp, not measured
  after+=("$(seconds build)"); after_task+=("$(task_ms)")
done

b=$(printf '%s\n' "${before[@]}" | median); a=$(printf '%s\n' "${after[@]}" | median)
bt=$(printf '%s\n' "${before_task[@]}" | median); at=$(printf '%s\n' "${after_task[@]}" | median)
cat <<TABLE
Machine: $(nproc) CPU, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) RAM, $(. /etc/os-release; echo "$PRETTY_NAME"); .NET SDK $(dotnet --version); load average $(cut -d' ' -f1-3 /proc/loadavg).

| No-op \`dotnet build samples/sbir-etl -t:DockerBuild\` (median of $runs) | Whole command | Building the task assembly |
|---|---|---|
| Task projects restored and built every run (before) | ${b} s | ${bt} ms |
| Up-to-date check on the task sources (now) | ${a} s | ${at} ms |
| Ratio now / before | $(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", a / b }') | |

All runs: before ${before[*]}; now ${after[*]}.
TABLE
