#!/usr/bin/env bash
# Invoice throughput benchmark on SQLite and PostgreSQL (see docs/performance.md).
#
#   benchmarks/run.sh [benchmark options...]      e.g. benchmarks/run.sh --count 5000 --workers 4
#
# Builds in Release, runs SQLite on a fresh temp file, then PostgreSQL: on the server in
# KONTOR_BENCH_POSTGRES when set (a fresh database is created and dropped there), otherwise on a
# throwaway cluster started and stopped here (scripts/pg-throwaway.sh). For each database: the single
# mode (create, then issue, one invoice per transaction) and the batch mode (create + issue + post
# BENCH_BATCH invoices in one transaction, InvoiceService.CreateManyAsync). Options are passed to every run.
# Environment: BENCH_ARTIFACTS (build output, default /tmp/kontor-bench-artifacts), BENCH_BATCH (default 100; 0 = skip batch mode).
set -euo pipefail
cd "$(dirname "$0")/.."

artifacts="${BENCH_ARTIFACTS:-/tmp/kontor-bench-artifacts}"
batch="${BENCH_BATCH:-100}"
if ! build_log="$(dotnet build benchmarks/Kontor.Benchmarks -c Release --artifacts-path "$artifacts" -nologo -v quiet 2>&1)"; then
  echo "benchmark build failed:" >&2; grep -E "error" <<<"$build_log" | sort -u >&2; exit 2
fi
bench="$artifacts/bin/Kontor.Benchmarks/release/Kontor.Benchmarks"

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -n1); load average $(cut -d' ' -f1-3 /proc/loadavg)"
status=0
run() { "$bench" "$@" || status=1; echo; }

run --provider sqlite "$@"
if [[ "$batch" != 0 ]]; then run --provider sqlite --mode batch --batch "$batch" "$@"; fi

if [[ -z "${KONTOR_BENCH_POSTGRES:-}" ]]; then
  # shellcheck source=../scripts/pg-throwaway.sh
  source scripts/pg-throwaway.sh
  trap pg_throwaway_stop EXIT
  pg_throwaway_start KONTOR_BENCH_POSTGRES
fi
run --provider postgres --postgres "$KONTOR_BENCH_POSTGRES" "$@"
if [[ "$batch" != 0 ]]; then run --provider postgres --postgres "$KONTOR_BENCH_POSTGRES" --mode batch --batch "$batch" "$@"; fi
exit $status
