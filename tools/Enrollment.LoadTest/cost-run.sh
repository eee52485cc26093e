#!/usr/bin/env bash
# Cost per submit (docs/benchmarks.md, "Cost per submit"): replays one prepared opening against a host started on a fresh
# copy of a prepared data dir, and prints the host's and the generator's CPU-ms per submit and the database counters per
# submit. CPU time does not depend on how busy the machine is, so this is comparable on a shared machine.
#
#   tools/Enrollment.LoadTest/cost-run.sh <prepared-data-dir> <prepared.json> [host-bin-dir] [load-test arguments…]
#
# <prepared-data-dir>: a data dir after `--phase prepare` (the host stopped); <prepared.json>: its --state file;
# host-bin-dir: the host build to measure (default: this tree's Release build). Host settings through the environment as
# for opening-day.sh (e.g. Registry__SubmitQueue__Enabled=false).
# PostgreSQL: PG_TEMPLATE=<database prepared by day-before.sh with PG_DATABASE> runs on a fresh copy of it,
# <template>_run (CREATE DATABASE … TEMPLATE, at 127.0.0.1 as user postgres, password PGPASSWORD or "postgres").
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
prepared="$1"; state="$2"; shift 2
bin="${1:-$root/src/Host/bin/Release/net10.0}"; [[ $# -gt 0 ]] && shift
port="${PORT:-5392}"
url="http://127.0.0.1:$port"
export ASPNETCORE_ENVIRONMENT=Benchmark ASPNETCORE_URLS="$url"
export DemoData__Profile=National Clock__Now="${CLOCK_NOW:-2026-04-01T10:00:00+06:00}"
export Auth__AccessTokenLifetime=1.00:00:00 RateLimits__SignInPerIp=100000000 RateLimits__SignInPerAccount=1000
export RateLimits__AnonymousGraphQLPerIp=100000000 Logging__LogLevel__Default=Warning
run="$prepared.cost-run"
rm -rf "$run"; cp -r "$prepared" "$run"
if [[ -n "${PG_TEMPLATE:-}" ]]; then
  export PGPASSWORD="${PGPASSWORD:-postgres}"
  psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS ${PG_TEMPLATE}_run WITH (FORCE)" \
    -c "CREATE DATABASE ${PG_TEMPLATE}_run TEMPLATE $PG_TEMPLATE"
  export Database__Provider=Postgres
  export Database__ConnectionString="Host=127.0.0.1;Username=postgres;Password=$PGPASSWORD;Database=${PG_TEMPLATE}_run"
fi
(cd "$root/src/Host" && Database__DataDirectory="$run" exec dotnet "$bin/Enrollment.Host.dll") > "$run.host.log" 2>&1 &
host=$!
# The copy is deleted after the run, not before the next one: ext4 skips inodes freed in the last minutes when it
# allocates new ones, so deleting the last run's ≈ 130,000 outbox files just before a run made every message file of
# that run cost several times more kernel time (up to ≈ 8 % of the host's CPU, varying run to run).
# COST_RUN_TRASH=<dir>: move the copy there instead (delete the trash when no run follows): back-to-back runs then do not
# pay for the previous run's freed inodes either.
if [[ -n "${COST_RUN_TRASH:-}" ]]; then
  mkdir -p "$COST_RUN_TRASH"
  trap 'kill $host 2> /dev/null || true; wait $host 2> /dev/null || true; mv "$run" "$COST_RUN_TRASH/$(date +%s%N)"' EXIT
else
  trap 'kill $host 2> /dev/null || true; wait $host 2> /dev/null || true; rm -rf "$run"' EXIT
fi
until curl -fs "$url/healthz" > /dev/null; do
  kill -0 "$host" 2> /dev/null || { echo "host exited, see $run.host.log"; exit 2; }
  sleep 2
done
echo "host $bin (pid $host); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
# The first WARMUP parents (default a third) warm the host up (JIT, caches, pools); only the rest is measured.
python3 - "$state" "$run" "${WARMUP:-0.33}" <<'PY'
import json, sys
parents = json.load(open(sys.argv[1])); share = float(sys.argv[3]); n = int(len(parents) * share)
json.dump(parents[:n], open(sys.argv[2] + ".warmup.json", "w")); json.dump(parents[n:], open(sys.argv[2] + ".measured.json", "w"))
PY
lt="$root/tools/Enrollment.LoadTest/bin/Release/net10.0/Enrollment.LoadTest.dll"
echo "== warm-up"
dotnet "$lt" --url "$url" --phase opening --state "$run.warmup.json" --open-data-every 0 --admin-every 0 "$@" | grep -E "acknowledged|invariants"
echo "== measured"
dotnet "$lt" --url "$url" --phase opening --state "$run.measured.json" --host-pid "$host" --open-data-every 0 --admin-every 0 "$@"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
