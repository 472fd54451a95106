#!/usr/bin/env bash
# Runs Kontor on the embedded SQLite database (data/kontor.db, created, migrated and filled with demo
# data on first start). Open http://localhost:5080 and sign in as the administrator below.
#
#   ./run.sh                     # http://localhost:5080
#   KONTOR_URLS=http://0.0.0.0:8080 ./run.sh
#
# The first administrator is created from KONTOR_ADMIN_EMAIL / KONTOR_ADMIN_PASSWORD when the
# database has no user yet; the defaults below are for the demo only.
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")"

export KONTOR_ADMIN_EMAIL="${KONTOR_ADMIN_EMAIL:-admin@kontor.local}"
export KONTOR_ADMIN_PASSWORD="${KONTOR_ADMIN_PASSWORD:-kontor-demo-2026}"
export ConnectionStrings__Kontor="${ConnectionStrings__Kontor:-Data Source=$PWD/data/kontor.db}"
export Kontor__KeysDirectory="${Kontor__KeysDirectory:-$PWD/data/keys}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

urls="${KONTOR_URLS:-http://localhost:5080}"
echo "Kontor: starting on $urls — sign in as $KONTOR_ADMIN_EMAIL (API page: $urls/api-docs)"
exec dotnet run --project src/Kontor.Web -c Release -- --urls "$urls"
