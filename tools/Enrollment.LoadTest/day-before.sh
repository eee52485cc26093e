#!/usr/bin/env bash
# The day before an opening (docs/benchmarks.md, "Seventh day"): seeds a National data dir with a Release host on
# 1 April 2026, then signs PARENTS parents up on 31 March (a share with a draft) and writes the generator's state file.
# The result is what cost-run.sh replays, as often as needed, from a copy.
#
#   tools/Enrollment.LoadTest/day-before.sh <data-dir> <state.json> <parents> [host-bin-dir]
#
# PostgreSQL: PG_DATABASE=<name> seeds and prepares that database (created afresh on the server at 127.0.0.1 as user
# postgres, password PGPASSWORD or "postgres"); the data dir then holds the host's files (keys, outbox). Replay it with
# PG_TEMPLATE=<name> tools/Enrollment.LoadTest/cost-run.sh …, which copies the database for each run.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
data="$1"; state="$2"; parents="$3"
bin="${4:-$root/src/Host/bin/Release/net10.0}"
port="${PORT:-5491}"
url="http://127.0.0.1:$port"
export ASPNETCORE_ENVIRONMENT=Benchmark ASPNETCORE_URLS="$url" DemoData__Profile=National Logging__LogLevel__Default=Warning
export RateLimits__SignInPerIp=100000000 RateLimits__SignInPerAccount=1000 RateLimits__AnonymousGraphQLPerIp=100000000
export Database__DataDirectory="$data"
if [[ -n "${PG_DATABASE:-}" ]]; then
  export PGPASSWORD="${PGPASSWORD:-postgres}"
  psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS $PG_DATABASE WITH (FORCE)" -c "CREATE DATABASE $PG_DATABASE"
  export Database__Provider=Postgres
  export Database__ConnectionString="Host=127.0.0.1;Username=postgres;Password=$PGPASSWORD;Database=$PG_DATABASE"
fi

host=
trap '[[ -n "$host" ]] && { kill $host 2> /dev/null || true; wait $host 2> /dev/null || true; }' EXIT
start_host() {
  (cd "$root/src/Host" && exec dotnet "$bin/Enrollment.Host.dll") >> "$data.host.log" 2>&1 &
  host=$!
  until curl -fs "$url/healthz" > /dev/null; do
    kill -0 "$host" 2> /dev/null || { echo "host exited, see $data.host.log"; exit 2; }
    sleep 2
  done
}
stop_host() { kill "$host"; wait "$host" || true; host=; }

rm -rf "$data" "$data.host.log"; mkdir -p "$data"
echo "$(date -u +%T) seeding (National)…"
Clock__Now=2026-04-01T10:00:00+06:00 start_host
stop_host
# The day before: sessions that last into the opening; cheap password hashing (benchmarks only, refused in Production).
echo "$(date -u +%T) preparing $parents parents…"
Clock__Now=2026-03-31T10:00:00+06:00 Auth__AccessTokenLifetime=3.00:00:00 Auth__PasswordHashIterations=1000 start_host
dotnet "$root/tools/Enrollment.LoadTest/bin/Release/net10.0/Enrollment.LoadTest.dll" --url "$url" --phase prepare \
  --parents "$parents" --concurrency 16 --draft-share 0.3 --state "$state"
stop_host
echo "$(date -u +%T) prepared: $data, $state"
