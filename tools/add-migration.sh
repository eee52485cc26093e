#!/usr/bin/env bash
# Adds a migration to one module for both providers.
# Usage: tools/add-migration.sh <Module|Auth|Audit> <MigrationName>   (Auth and Audit live in the Host)
#   e.g. tools/add-migration.sh Schools AddSchoolHistory
set -euo pipefail
module=$1; name=$2
cd "$(dirname "$0")/.."
if [ "$module" = "Auth" ] || [ "$module" = "Audit" ]; then
  project=src/Host/Enrollment.Host.csproj; context=$module; dir=$module/Migrations
else
  project=src/Modules/$module/Enrollment.$module/Enrollment.$module.csproj; context=$module; dir=Data/Migrations
fi
dotnet build "$project" -v q -nologo >/dev/null
for provider in Sqlite Postgres; do
  dotnet ef migrations add "$name" --no-build --project "$project" --startup-project "$project" \
    --context "${context}${provider}DbContext" --output-dir "$dir/$provider"
done
# Migrations are internal like everything else in a module (EF finds non-public migration types).
grep -rl -E "^    (public )?partial class" --include=*.cs "$(dirname "$project")/$dir" \
  | xargs sed -i -E 's/^    (public )?partial class /    internal partial class /'
