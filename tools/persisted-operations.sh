#!/usr/bin/env bash
# Generates the persisted-operations manifest (docs/adr/0802-persisted-operations.md) from .graphql files:
# one JSON object, id "sha256:<lowercase hex of the UTF-8 document text>" -> document text, keys sorted.
# The document text is the file's content without trailing newlines; clients send exactly that text's hash.
#
#   bash tools/persisted-operations.sh [operations-dir] [manifest]
#   (defaults: src/Host/GraphQL/PersistedOperations/operations, src/Host/persisted-operations.json)
#
# Needs bash, sha256sum and jq. Commit the .graphql files and the manifest together; the host test
# PersistedOperationsManifestTests fails when the manifest does not match the files or the schema.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="${1:-$root/src/Host/GraphQL/PersistedOperations/operations}"
out="${2:-$root/src/Host/persisted-operations.json}"
manifest='{}'
shopt -s nullglob
files=("$dir"/*.graphql)
if [ ${#files[@]} -eq 0 ]; then
  echo "no .graphql files in $dir" >&2
  exit 1
fi
for file in "${files[@]}"; do
  doc="$(tr -d '\r' < "$file")"   # command substitution drops the trailing newlines
  hash="$(printf '%s' "$doc" | sha256sum | cut -d' ' -f1)"
  manifest="$(jq --arg id "sha256:$hash" --arg doc "$doc" '. + {($id): $doc}' <<< "$manifest")"
done
jq -S . <<< "$manifest" > "$out"
echo "wrote ${#files[@]} operations to $out"
