#!/usr/bin/env bash
# Kontor test runner: the README's test command and what CI (.ci/run) calls.
#
#   ./test.sh [extra dotnet test args...]      e.g.  ./test.sh --filter "FullyQualifiedName~Ledger"
#
# 1. installs missing system packages (as root; otherwise says what to install and fails):
#    chromium, postgresql (server), fonts-dejavu-core, libxml2-utils, hledger;
# 2. starts a throwaway PostgreSQL cluster on a free 127.0.0.1 port (scripts/pg-throwaway.sh)
#    and exports KONTOR_TEST_POSTGRES / KONTOR_TEST_CHROMIUM for the tests;
# 3. runs `dotnet test Kontor.slnx -c Release "$@"`, streaming the output and teeing it to a log;
# 4. stops the cluster and prints, as the very last line, "N passed, N failed[, N skipped]"
#    summed over every test assembly. Exit code: dotnet test's (non-zero when anything failed).
#
# Environment knobs:
#   KONTOR_TEST_TARGET  what to test (default Kontor.slnx)
#   KONTOR_TEST_LOG     log file path (default: a new file under ${TMPDIR:-/tmp})
set -euo pipefail

cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")"
# shellcheck source=scripts/pg-throwaway.sh
source ./scripts/pg-throwaway.sh

say() { printf 'test.sh: %s\n' "$*"; }
die() { printf 'test.sh: error: %s\n' "$*" >&2; printf '0 passed, 1 failed\n'; exit 1; }

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
export DOTNET_CLI_UI_LANGUAGE=en     # the summary lines parsed below are English
export MSBUILDTERMINALLOGGER=off     # keep VSTest's classic "Passed!  - Failed: ..." summary lines

# ---------------------------------------------------------------------------------------------
# 1. System prerequisites.
# ---------------------------------------------------------------------------------------------
deb_installed() { [[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null || true)" == installed ]]; }

missing=()
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
command -v xmllint >/dev/null 2>&1 || missing+=(libxml2-utils)
command -v hledger >/dev/null 2>&1 || missing+=(hledger)
deb_installed fonts-dejavu-core || missing+=(fonts-dejavu-core)

if (( ${#missing[@]} )); then
  if [[ $EUID -ne 0 ]]; then
    printf 'test.sh: error: missing system packages: %s\n' "${missing[*]}" >&2
    printf 'test.sh: install them (as root) with:\n  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends %s\n' "${missing[*]}" >&2
    printf '0 passed, 1 failed\n'
    exit 1
  fi
  apt_log="$(mktemp "${TMPDIR:-/tmp}/kontor-apt.XXXXXX")"
  say "installing missing packages: ${missing[*]} (apt log: $apt_log)"
  if ! apt-get -o DPkg::Lock::Timeout=600 update >"$apt_log" 2>&1 \
     || ! DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y \
            --no-install-recommends "${missing[@]}" >>"$apt_log" 2>&1; then
    tail -n 40 "$apt_log" >&2 || true
    die "apt-get failed installing: ${missing[*]}"
  fi
  [[ -x /usr/bin/chromium ]] || die "chromium installed but /usr/bin/chromium is missing"
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || die "postgresql installed but no initdb found"
  rm -f "$apt_log"
fi
command -v dotnet >/dev/null 2>&1 || die "the .NET SDK (dotnet) is not on PATH; install the .NET 10 SDK"

# ---------------------------------------------------------------------------------------------
# 2. Throwaway PostgreSQL cluster; stopped on any exit (success, failure, Ctrl-C, TERM).
# ---------------------------------------------------------------------------------------------
DOTNET_PID=""   # dotnet test runs in its own session/process group, whose id is this pid
on_signal() {
  trap - INT TERM HUP
  if [[ -n "$DOTNET_PID" ]]; then
    # Stop dotnet and everything it started (vstest.console, testhost, MSBuild nodes).
    kill -TERM -- "-$DOTNET_PID" 2>/dev/null || kill -TERM "$DOTNET_PID" 2>/dev/null || true
    for _ in {1..100}; do
      kill -0 -- "-$DOTNET_PID" 2>/dev/null || kill -0 "$DOTNET_PID" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL -- "-$DOTNET_PID" 2>/dev/null || kill -KILL "$DOTNET_PID" 2>/dev/null || true
  fi
  exit "$1"
}
trap pg_throwaway_stop EXIT
trap 'on_signal 130' INT
trap 'on_signal 143' TERM
trap 'on_signal 129' HUP

pg_throwaway_start KONTOR_TEST_POSTGRES
export KONTOR_TEST_CHROMIUM=/usr/bin/chromium
say "PostgreSQL $(basename "$(dirname "$PG_BIN")") on 127.0.0.1:$PG_PORT (throwaway cluster in $PG_DIR)"
say "KONTOR_TEST_POSTGRES=$KONTOR_TEST_POSTGRES"
say "KONTOR_TEST_CHROMIUM=$KONTOR_TEST_CHROMIUM"

# ---------------------------------------------------------------------------------------------
# 3. dotnet test, streamed to the terminal and tee'd to a log.
# ---------------------------------------------------------------------------------------------
target="${KONTOR_TEST_TARGET:-Kontor.slnx}"
log="${KONTOR_TEST_LOG:-$(mktemp --suffix=.log "${TMPDIR:-/tmp}/kontor-test.XXXXXX")}"
say "dotnet test $target -c Release $* (log: $log)"

# dotnet runs as a background child in a session of its own (setsid: pid == process group id),
# so the signal trap can stop it and its whole process tree at once; its output goes through
# tee (a process substitution we wait for, so the log is complete before it is parsed).
exec 3> >(tee "$log")
tee_pid=$!
set +e
setsid -w dotnet test "$target" -c Release "$@" </dev/null >&3 2>&1 &
DOTNET_PID=$!
wait "$DOTNET_PID"
rc=$?
set -e
DOTNET_PID=""
exec 3>&-
wait "$tee_pid" 2>/dev/null || true

# ---------------------------------------------------------------------------------------------
# 4. Stop the cluster, then sum the per-assembly VSTest summary lines:
#    "Passed!  - Failed:     0, Passed:    12, Skipped:     0, Total:    12, Duration: ..."
# ---------------------------------------------------------------------------------------------
pg_throwaway_stop

read -r n_sum passed failed skipped < <(
  sed -E 's/\x1b\[[0-9;?]*[A-Za-z]//g' "$log" \
  | sed -n -E 's/^[[:space:]]*[A-Za-z]+![[:space:]]+-[[:space:]]+Failed:[[:space:]]*([0-9]+),[[:space:]]*Passed:[[:space:]]*([0-9]+),[[:space:]]*Skipped:[[:space:]]*([0-9]+),[[:space:]]*Total:.*/\1 \2 \3/p' \
  | awk '{ n++; f += $1; p += $2; s += $3 } END { printf "%d %d %d %d\n", n, p, f, s }'
)

if (( n_sum == 0 )); then
  say "no test summary line found in the dotnet test output (build failure? no tests?) - see $log"
  (( rc != 0 )) || rc=1
  printf '0 passed, 1 failed\n'
  exit "$rc"
fi
if (( rc != 0 && failed == 0 )); then
  # e.g. a test host crashed or a project failed to build while others ran: still a failure.
  say "dotnet test exited with $rc although no test failed - counting it as a failure (see $log)"
  failed=1
fi
(( failed == 0 || rc != 0 )) || rc=1

say "$n_sum test assemblies; log: $log"
summary="$passed passed, $failed failed"
(( skipped > 0 )) && summary+=", $skipped skipped"
printf '%s\n' "$summary"
exit "$rc"
