#!/usr/bin/env bash
# Crash-safety long run (docs/commerce.md, "Crash safety"): Kontor.Web as a real process, killed with SIGKILL many times
# while a generator posts signed shop orders; then every order answered 2xx must exist once with its invoice and payment,
# numbering must have no gaps and the books must balance. The same test runs in ./test.sh with 5 kills per database.
#
#   scripts/crash-test.sh [rounds] [sqlite|postgres|both]      default: 30 kills, both databases
#
# Environment: KONTOR_CRASH_WORKERS (concurrent shop workers, default 4); KONTOR_TEST_POSTGRES (an existing server where
# the test may CREATE DATABASE; otherwise a throwaway cluster is started and stopped); KONTOR_CRASH_ARTIFACTS (build
# output, default /tmp/kontor-crash-build); KONTOR_CRASH_LOG (log file).
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."

rounds="${1:-${KONTOR_CRASH_ROUNDS:-30}}"
which="${2:-both}"
case "$which" in
  sqlite)   filter="FullyQualifiedName~SqliteCrashSafetyTests" ;;
  postgres) filter="FullyQualifiedName~PostgresCrashSafetyTests" ;;
  both)     filter="FullyQualifiedName~CrashSafetyTests" ;;
  *) echo "crash-test.sh: the second argument is sqlite, postgres or both" >&2; exit 2 ;;
esac
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "crash-test.sh: rounds must be a positive number" >&2; exit 2; }
artifacts="${KONTOR_CRASH_ARTIFACTS:-/tmp/kontor-crash-build}"
log="${KONTOR_CRASH_LOG:-$(mktemp --suffix=.log "${TMPDIR:-/tmp}/kontor-crash.XXXXXX")}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_CLI_UI_LANGUAGE=en

if [[ "$which" != sqlite && -z "${KONTOR_TEST_POSTGRES:-}" ]]; then
  # shellcheck source=scripts/pg-throwaway.sh
  source ./scripts/pg-throwaway.sh
  trap pg_throwaway_stop EXIT
  pg_throwaway_start KONTOR_TEST_POSTGRES
fi

echo "crash-test.sh: building (Release) into $artifacts"
dotnet build tests/Kontor.Tests -c Release --artifacts-path "$artifacts" -v q -nologo
echo "crash-test.sh: $rounds kills per database ($which); log: $log"
set +e
KONTOR_CRASH_ROUNDS="$rounds" dotnet test tests/Kontor.Tests -c Release --artifacts-path "$artifacts" --no-build \
  --filter "$filter" --logger "console;verbosity=detailed" -nologo 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e
echo
grep -h '^crash-safety:' "$log" || true
exit "$rc"
