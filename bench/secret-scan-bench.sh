#!/usr/bin/env bash
# Compares the SDK's secret scanner (Sbir.Container.Secrets.SecretScanner, SBC2xxx) with secretlint and its
# recommended preset, on
#   (a) detection: the project's own patterns (the upstream compose fixture, a .env holding the values of the table in
#       validation-anchors.md 3.4, a compose map, a Dockerfile ENV, a config YAML with password: changeme and a bolt://
#       URL with credentials, plus clean forms that must stay clean), printed as a Markdown table;
#   (b) time: a generated tree of 2,000 compose, YAML and shell files, wall clock including process start, best of N.
# Our scanner runs through bench/secret-scan (a console front end over the core, built in Release); secretlint is
# installed with npm into a temporary folder. Nothing is written outside that folder.
#
# With --baseline DIR (another checkout, for example a clean clone of main) the scanner of DIR is built too and
# timed on the same tree in the same run, so that a change to the scanner is known by its ratio ("before/after").
# --no-secretlint leaves secretlint out (no npm install; for before/after runs).
#
# Usage: bench/secret-scan-bench.sh [--runs N] [--files N] [--keep] [--baseline DIR] [--no-secretlint]
# Needs: dotnet (SDK 10), node (the tree generator), and npm with access to its registry unless --no-secretlint.
set -euo pipefail

runs=3
files=2000
keep=no
baseline=
secretlint_on=yes
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --files) files=$2; shift 2 ;;
    --keep) keep=yes; shift ;;
    --baseline) baseline=$(cd "$2" && pwd); shift 2 ;;
    --no-secretlint) secretlint_on=no; shift ;;
    *) echo "usage: $0 [--runs N] [--files N] [--keep] [--baseline DIR] [--no-secretlint]" >&2; exit 2 ;;
  esac
done

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/sbir-secret-bench.XXXXXX)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1 NPM_CONFIG_UPDATE_NOTIFIER=false
cleanup() { [ "$keep" = yes ] && echo "kept $work" >&2 || rm -rf "$work"; }
trap cleanup EXIT

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f\n", b - a }'; }
best() { sort -n | head -1; }

# --- Tools -------------------------------------------------------------------------------------------------
echo "Building the scanner front end (Release)..." >&2
dotnet build "$root/bench/secret-scan" -c Release --artifacts-path "$work/artifacts" -nologo -v q >"$work/build.log" 2>&1 \
  || { cat "$work/build.log" >&2; exit 1; }
ours=$(find "$work/artifacts/bin" -name SecretScan.dll -path '*release*' | head -1)
[ -n "$ours" ] || { echo "SecretScan.dll not found under $work/artifacts/bin" >&2; exit 1; }

base=
if [ -n "$baseline" ]; then
  echo "Building the baseline scanner from $baseline (Release)..." >&2
  dotnet build "$baseline/bench/secret-scan" -c Release --artifacts-path "$work/baseline-artifacts" -nologo -v q >"$work/baseline-build.log" 2>&1 \
    || { cat "$work/baseline-build.log" >&2; exit 1; }
  base=$(find "$work/baseline-artifacts/bin" -name SecretScan.dll -path '*release*' | head -1)
fi

if [ "$secretlint_on" = yes ]; then
  echo "Installing secretlint with npm..." >&2
  npm install --prefix "$work/npm" --no-audit --no-fund --loglevel=error \
    secretlint @secretlint/secretlint-rule-preset-recommend >"$work/npm.log" 2>&1 || { cat "$work/npm.log" >&2; exit 1; }
fi
secretlint="$work/npm/node_modules/.bin/secretlint"
rc='{"rules":[{"id":"@secretlint/secretlint-rule-preset-recommend"}]}'

# Findings as "path<TAB>line", errors and warnings only (SBC2099 suppressions are Info and not listed as errors).
run_ours() { dotnet "$ours" --tsv "$@" 2>/dev/null | awk -F '\t' '$4 != "SBC2099" { print $1 "\t" $2 }' || true; }
run_base() { dotnet "$base" --tsv "$@" 2>/dev/null | awk -F '\t' '$4 != "SBC2099" { print $1 "\t" $2 }' || true; }
run_secretlint() {
  [ "$secretlint_on" = yes ] || return 0
  (cd "$1" && "$secretlint" --secretlintrcJSON "$rc" --format json --no-color "${@:2}" 2>/dev/null || true) \
    | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{if(!s.trim())return;for(const f of JSON.parse(s))for(const m of f.messages)console.log(f.filePath+"\t"+m.loc.start.line)})'
}

# --- (a) Detection ---------------------------------------------------------------------------------------------
fx="$work/fixtures"
mkdir -p "$fx/config"
cp "$root/tests/Sbir.Container.Core.Tests/Secrets/Fixtures/upstream-docker-compose.yml" "$fx/upstream-docker-compose.yml"
aws_id="AK""IAQ3EGRTVNXW5KJ7LP"   # assembled, so this script holds no key-shaped literal
cat >"$fx/table.env" <<EOF
NEO4J_AUTH=neo4j/password123
NEO4J_AUTH=neo4j/Tr0ub4dor3xyz
NEO4J_PASSWORD=password123
NEO4J_PASSWORD="password123"
NEO4J_PASSWORD=Xk9#mQ2v!Lp4
SBIR_ETL__NEO4J__PASSWORD=hunter2hunter2
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
AWS_ACCESS_KEY_ID=$aws_id
NEO4J_PASSWORD=\${NEO4J_PASSWORD:?set NEO4J_PASSWORD}
NEO4J_AUTH_FILE=/run/secrets/neo4j_auth
EOF
cat >"$fx/table-compose.yml" <<'EOF'
services:
  neo4j:
    environment:
      NEO4J_AUTH: neo4j/password123
      NEO4J_PASSWORD: ${NEO4J_PASSWORD:-Sup3rS3cretPw}
      SBIR_HEALTH_PASSWORD: ${NEO4J_PASSWORD:?set NEO4J_PASSWORD in .env}
    healthcheck:
      test: ["CMD-SHELL", "cypher-shell -u neo4j -p $${SBIR_HEALTH_PASSWORD} 'RETURN 1'"]
EOF
cat >"$fx/Dockerfile" <<'EOF'
FROM neo4j:5.26.0-community
ENV NEO4J_AUTH=neo4j/password123
RUN --mount=type=secret,id=neo4j_password cat /run/secrets/neo4j_password >/dev/null
EOF
cat >"$fx/config/docker.yaml" <<'EOF'
neo4j:
  user: neo4j
  password: changeme
  uri: bolt://neo4j:s3cr3t@neo4j:7687
  clean_uri: bolt://neo4j:${NEO4J_PASSWORD}@neo4j:7687
EOF

# file|fixed text of the line|expected (yes/no)|what the row is
rows=$(cat <<'EOF'
upstream-docker-compose.yml|- NEO4J_AUTH=neo4j/password123|yes|compose list NEO4J_AUTH=neo4j/password123
upstream-docker-compose.yml|-p ${NEO4J_PASSWORD:-password} 'RETURN 1'|yes|cypher-shell healthcheck, -p ${NEO4J_PASSWORD:-password}
upstream-docker-compose.yml|NEO4J_AUTH=${NEO4J_AUTH:-${NEO4J_USER:-neo4j}/${NEO4J_PASSWORD:-password}}|yes|nested default in NEO4J_AUTH
upstream-docker-compose.yml|test: cypher-shell -u neo4j -p ${NEO4J_PASSWORD} 'RETURN 1'|yes|healthcheck password interpolated on the host (SBC2007, warning)
upstream-docker-compose.yml|NEO4J_AUTH: ${NEO4J_AUTH:-neo4j/test}|yes|dev overlay default neo4j/test
upstream-docker-compose.yml|"curl", "-u", "neo4j:test"|yes|curl -u neo4j:test healthcheck
upstream-docker-compose.yml|- NEO4J_PASSWORD=${NEO4J_PASSWORD:-password}|yes|webserver NEO4J_PASSWORD=${NEO4J_PASSWORD:-password}
upstream-docker-compose.yml|SBIR_ETL__NEO4J__BOLT_URL: bolt://neo4j:password123@neo4j:7687|yes|bolt:// URL with a password
upstream-docker-compose.yml|- SBIR_ETL__NEO4J__HOST=${SBIR_ETL__NEO4J__HOST:-neo4j}|no|clean: non-secret default
table.env|NEO4J_AUTH=neo4j/password123|yes|.env NEO4J_AUTH=neo4j/password123
table.env|NEO4J_AUTH=neo4j/Tr0ub4dor3xyz|yes|.env NEO4J_AUTH=neo4j/Tr0ub4dor3xyz
table.env|NEO4J_PASSWORD=password123|yes|.env NEO4J_PASSWORD=password123
table.env|NEO4J_PASSWORD="password123"|yes|.env NEO4J_PASSWORD="password123"
table.env|NEO4J_PASSWORD=Xk9#mQ2v!Lp4|yes|.env NEO4J_PASSWORD=Xk9#mQ2v!Lp4
table.env|SBIR_ETL__NEO4J__PASSWORD=hunter2hunter2|yes|.env SBIR_ETL__NEO4J__PASSWORD=hunter2hunter2
table.env|aws_secret_access_key = |yes|aws_secret_access_key = wJalr...EXAMPLEKEY
table.env|AWS_ACCESS_KEY_ID=|yes|AKIA + 16 (AWS access key ID)
table.env|NEO4J_PASSWORD=${NEO4J_PASSWORD:?set NEO4J_PASSWORD}|no|clean: ${VAR:?message}
table.env|NEO4J_AUTH_FILE=/run/secrets/neo4j_auth|no|clean: *_FILE path
table-compose.yml|NEO4J_AUTH: neo4j/password123|yes|compose map NEO4J_AUTH: neo4j/password123
table-compose.yml|NEO4J_PASSWORD: ${NEO4J_PASSWORD:-Sup3rS3cretPw}|yes|compose ${NEO4J_PASSWORD:-Sup3rS3cretPw}
table-compose.yml|-p $${SBIR_HEALTH_PASSWORD}|no|clean: $${VAR} healthcheck
Dockerfile|ENV NEO4J_AUTH=neo4j/password123|yes|Dockerfile ENV NEO4J_AUTH=neo4j/password123
Dockerfile|RUN --mount=type=secret|no|clean: BuildKit secret mount
config/docker.yaml|password: changeme|yes|config YAML password: changeme
config/docker.yaml|uri: bolt://neo4j:s3cr3t@neo4j:7687|yes|config YAML uri: bolt://neo4j:s3cr3t@...
config/docker.yaml|clean_uri: bolt://neo4j:${NEO4J_PASSWORD}@neo4j:7687|no|clean: bolt:// URL with ${VAR}
EOF
)

fixture_files=(upstream-docker-compose.yml table.env table-compose.yml Dockerfile config/docker.yaml)
(cd "$fx" && run_ours "${fixture_files[@]/#/$fx/}") | sed "s|^$fx/||" >"$work/ours.hits"
: >"$work/base.hits"
[ -z "$base" ] || (cd "$fx" && run_base "${fixture_files[@]/#/$fx/}") | sed "s|^$fx/||" >"$work/base.hits"
run_secretlint "$fx" "${fixture_files[@]}" | sed "s|^$fx/||" >"$work/secretlint.hits"

found() { grep -qxF "$(printf '%s\t%s' "$2" "$3")" "$1" && echo yes || echo no; }
mark() { if [ "$1" = "$2" ]; then echo "$2"; else echo "**$2**"; fi; }
table="| Fixture | Line | Pattern | Expected | Ours | Baseline | secretlint |
|---|---|---|---|---|---|---|"
ours_ok=0; base_ok=0; sl_ok=0; total=0
while IFS='|' read -r file text expected what; do
  [ -n "$file" ] || continue
  line=$(grep -nF -- "$text" "$fx/$file" | head -1 | cut -d: -f1)
  [ -n "$line" ] || { echo "fixture line not found: $file: $text" >&2; exit 1; }
  o=$(found "$work/ours.hits" "$file" "$line")
  s=$(found "$work/secretlint.hits" "$file" "$line")
  b=$(found "$work/base.hits" "$file" "$line")
  total=$((total + 1))
  [ "$o" = "$expected" ] && ours_ok=$((ours_ok + 1))
  [ "$b" = "$expected" ] && base_ok=$((base_ok + 1))
  [ "$s" = "$expected" ] && sl_ok=$((sl_ok + 1))
  [ -n "$base" ] || b="-"
  [ "$secretlint_on" = yes ] || s="-"
  table="$table
| $file | $line | $(printf '%s' "$what" | sed 's/|/\\|/g') | $expected | $(mark "$expected" "$o") | $b | $(mark "$expected" "$s") |"
done <<<"$rows"

# --- (b) Time on a generated tree --------------------------------------------------------------------------------
tree="$work/tree"
echo "Generating $files files..." >&2
node - "$tree" "$files" <<'JS'
const fs = require("fs"), path = require("path");
const [root, count] = [process.argv[2], +process.argv[3]];
const write = (rel, text) => { const p = path.join(root, rel); fs.mkdirSync(path.dirname(p), { recursive: true }); fs.writeFileSync(p, text); };
for (let i = 0; i < count; i++) {
  const leak = i % 10 === 0;
  const kind = i % 3;
  if (kind === 0) {
    let s = "services:\n";
    for (let j = 0; j < 6; j++) {
      s += `  svc${j}:\n    image: \${IMAGE:-app${i}:latest}\n    environment:\n`;
      s += `      - NEO4J_PASSWORD=${leak && j === 0 ? "password123" : "${NEO4J_PASSWORD:?set it}"}\n`;
      s += `      - SBIR_ETL__NEO4J__URI=bolt://neo4j:7687\n      - LOG_LEVEL=info\n`;
      s += `    healthcheck:\n      test: ["CMD-SHELL", "cypher-shell -u neo4j -p $\${NEO4J_PASSWORD} 'RETURN 1'"]\n      interval: 10s\n`;
      s += `    command: ["python", "-m", "app", "--port", "${3000 + j}"]\n`;
    }
    write(`docker/compose-${i}.yml`, s);
  } else if (kind === 1) {
    let s = "";
    for (let j = 0; j < 10; j++) {
      s += `section${j}:\n  host: db${j}\n  port: ${5000 + j}\n  user: app\n  password: ${leak && j === 0 ? "changeme" : '""'}\n  uri: bolt://neo4j:${leak && j === 1 ? "s3cr3t" : "${NEO4J_PASSWORD}"}@neo4j:7687\n  retries: 3\n`;
    }
    write(`config/svc${i}/settings.yaml`, s);
  } else {
    let s = "#!/bin/sh\nset -eu\n";
    for (let j = 0; j < 10; j++) {
      s += `: "\${NEO4J_PASSWORD:?NEO4J_PASSWORD is not set}"\nexport SBIR_ETL__STEP=${j}\n`;
      s += `cypher-shell -u neo4j -p ${leak && j === 0 ? "secret" : '"$NEO4J_PASSWORD"'} 'RETURN ${j}'\n`;
      s += `curl -fsS http://localhost:7474/ >/dev/null\necho "step ${j} done"\n`;
    }
    write(`scripts/job${i}.sh`, s);
  }
}
JS
fcount=$(find "$tree" -type f | wc -l)
lcount=$(find "$tree" -type f -exec cat {} + | wc -l)
bytes=$(du -sb "$tree" | cut -f1)

ours_times=()
base_times=()
sl_times=()
for _ in $(seq "$runs"); do
  # Baseline and current in turn within each round, so that the machine's load falls on both alike.
  if [ -n "$base" ]; then
    t0=$(now); dotnet "$base" "$tree" >"$work/base-tree.out" 2>"$work/base-tree.err" || true; t1=$(now)
    base_times+=("$(elapsed "$t0" "$t1")")
  fi
  t0=$(now); dotnet "$ours" "$tree" >"$work/ours-tree.out" 2>"$work/ours-tree.err" || true; t1=$(now)
  ours_times+=("$(elapsed "$t0" "$t1")")
  if [ "$secretlint_on" = yes ]; then
    t0=$(now); (cd "$tree" && "$secretlint" --secretlintrcJSON "$rc" --format compact --no-color "**/*" >"$work/sl-tree.out" 2>&1 || true); t1=$(now)
    sl_times+=("$(elapsed "$t0" "$t1")")
  fi
done
ours_best=$(printf '%s\n' "${ours_times[@]}" | best)
ours_findings=$(wc -l <"$work/ours-tree.out")
ours_files=$(sed -n 's/^\([0-9]*\) files scanned.*/\1/p' "$work/ours-tree.err")

# --- Report ----------------------------------------------------------------------------------------------------
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -1)
mem=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null)
sl_version=$([ "$secretlint_on" = yes ] && "$secretlint" --version || echo "not run")
echo "## Secret scanner vs secretlint"
echo
echo "Machine: $(uname -srm); ${cpu:-unknown CPU}, $(nproc) CPUs, ${mem:-? GiB}. .NET SDK $(dotnet --version), node $(node --version), secretlint $sl_version with @secretlint/secretlint-rule-preset-recommend.${base:+ Baseline: the scanner of $baseline.}"
echo
echo "### (a) Detection (a finding reported on the line; bold: differs from expected)"
echo
echo "$table"
echo
echo "Rows as expected: ours $ours_ok/$total${base:+, baseline $base_ok/$total}$([ "$secretlint_on" = yes ] && echo ", secretlint $sl_ok/$total")."
echo
echo "### (b) Time on a generated tree (wall clock with process start, best of $runs)"
echo
echo "Tree: $fcount files (docker/*.yml compose, config/**/*.yaml, scripts/*.sh), $lcount lines, $bytes bytes; one file in ten holds a literal secret."
echo
echo "| Tool | Best (s) | All runs (s) | Files scanned | Findings |"
echo "|---|---|---|---|---|"
echo "| ours (SecretScanner, Release) | $ours_best | ${ours_times[*]} | ${ours_files:-?} | $ours_findings |"
if [ -n "$base" ]; then
  base_best=$(printf '%s\n' "${base_times[@]}" | best)
  base_findings=$(wc -l <"$work/base-tree.out")
  base_files=$(sed -n 's/^\([0-9]*\) files scanned.*/\1/p' "$work/base-tree.err")
  echo "| baseline ($baseline) | $base_best | ${base_times[*]} | ${base_files:-?} | $base_findings |"
fi
if [ "$secretlint_on" = yes ]; then
  sl_best=$(printf '%s\n' "${sl_times[@]}" | best)
  sl_findings=$(grep -c ': line [0-9]*, col' "$work/sl-tree.out" || true)
  echo "| secretlint $sl_version | $sl_best | ${sl_times[*]} | $fcount | $sl_findings |"
fi
if [ -n "$base" ]; then
  echo
  echo "Current / baseline, best of $runs: $(awk -v a="$ours_best" -v b="$base_best" 'BEGIN { printf "%.2f", a / b }')."
fi
