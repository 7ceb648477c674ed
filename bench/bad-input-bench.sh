#!/usr/bin/env bash
# Measures how the SDK's readers (Dockerfile parser and rules, dotenv parser, config/docker.yaml loader, secret
# scanner) cope with hostile input: 5 MB lines, an alias bomb, deep nesting, random bytes. Each is timed against the
# sample's own file of the same kind in the same process, so the "vs the sample file" column (throughput ratio) is
# what to compare between runs and machines; the unit tests only prove that each input finishes and never throws.
#
# Usage: bench/bad-input-bench.sh [--runs N]      Needs: dotnet (SDK 10). Writes nothing outside a temporary folder.
set -euo pipefail

runs=5
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    *) echo "usage: $0 [--runs N]" >&2; exit 2 ;;
  esac
done

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/sbir-bad-input-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1

echo "Building the bench (Release)..." >&2
dotnet build "$root/bench/bad-input" -c Release --artifacts-path "$work/artifacts" -nologo -v q >"$work/build.log" 2>&1 \
  || { cat "$work/build.log" >&2; exit 1; }
dll=$(find "$work/artifacts/bin" -name BadInput.dll | head -1)

cpus=$(nproc)
mem=$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1024 / 1024 }' /proc/meminfo)
os=$(. /etc/os-release && echo "$PRETTY_NAME")
echo "#### Run of $(date -u +%Y-%m-%d)"
echo
echo "Machine: $cpus CPU, $mem RAM, $os; .NET SDK $(dotnet --version)."
echo
dotnet "$dll" "$root/samples/sbir-etl" "$runs"
