#!/usr/bin/env bash
# The opening-morning benchmark (docs/benchmarks.md): a Release host on a shifted clock (Stage One opened at 10:00
# Asia/Bishkek on 1 April 2026) over a seeded national demo database, and the load generator against it over loopback.
#
#   tools/Enrollment.LoadTest/opening-day.sh [data-dir] [load-test arguments…]
#
# The data directory is seeded on first use (National profile; a minute or two) and copied to data-dir.run for each
# run, so every run starts from the same state. Extra host settings through the environment, e.g.
#   Registry__SubmitQueue__Enabled=false                 (one transaction per submit: the "before" measurement)
#   Database__Provider=Postgres Database__ConnectionString="Host=127.0.0.1;Username=postgres;Password=postgres;Database=enrollment_bench"
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
data="${1:-/tmp/enrollment-opening-day}"
shift || true
port="${PORT:-5391}"
url="http://127.0.0.1:$port"

dotnet build -c Release "$root/src/Host" -v q -nologo
dotnet build -c Release "$root/tools/Enrollment.LoadTest" -v q -nologo

export ASPNETCORE_ENVIRONMENT=Benchmark ASPNETCORE_URLS="$url"
export DemoData__Profile=National Clock__Now="${CLOCK_NOW:-2026-04-01T10:00:00+06:00}"
export Auth__AccessTokenLifetime=1.00:00:00 RateLimits__SignInPerIp=100000000 RateLimits__SignInPerAccount=1000
export RateLimits__AnonymousGraphQLPerIp=100000000 Logging__LogLevel__Default=Warning

start_host() {
  (cd "$root/src/Host" && exec dotnet bin/Release/net10.0/Enrollment.Host.dll) > "$1" 2>&1 &
  host=$!
  until curl -fs "$url/healthz" > /dev/null; do
    kill -0 "$host" 2> /dev/null || { echo "host exited, see $1"; exit 2; }
    sleep 2
  done
}

if [[ "${Database__Provider:-Sqlite}" == "Sqlite" && ! -f "$data/enrollment.db" ]]; then
  echo "seeding $data (National)…"
  Database__DataDirectory="$data" start_host "$data.seed.log"
  kill "$host"; wait "$host" || true
fi

run="$data.run"
rm -rf "$run"
if [[ "${Database__Provider:-Sqlite}" == "Sqlite" ]]; then cp -r "$data" "$run"; else mkdir -p "$run"; fi
Database__DataDirectory="$run" start_host "$run.host.log"
trap 'kill $host 2> /dev/null || true' EXIT
dotnet "$root/tools/Enrollment.LoadTest/bin/Release/net10.0/Enrollment.LoadTest.dll" --url "$url" --host-pid "$host" "$@"
