#!/usr/bin/env bash
# Regenerates the API types from the backend's OpenAPI schema and fails if the committed copy differs.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd ../backend && ../.venv/bin/python manage.py spectacular --format openapi-json --file "$tmp/openapi.json" >/dev/null)
npx openapi-typescript "$tmp/openapi.json" -o "$tmp/api-types.ts" >/dev/null
if [ "${1:-}" = "--write" ]; then
  cp "$tmp/api-types.ts" src/lib/api-types.ts
  echo "src/lib/api-types.ts updated"
elif ! diff -q "$tmp/api-types.ts" src/lib/api-types.ts >/dev/null; then
  echo "src/lib/api-types.ts is out of date with the API schema: run 'npm run api-types'" >&2
  diff -u src/lib/api-types.ts "$tmp/api-types.ts" | head -40 >&2
  exit 1
else
  echo "API types match the schema"
fi
