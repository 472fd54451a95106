# shellcheck shell=bash
# Throwaway PostgreSQL cluster for tests and benchmarks.
#
# Source this file, then:
#   pg_throwaway_start [VAR]   # initdb + start a private cluster on a free 127.0.0.1 port.
#                              # Sets PG_BIN, PG_DIR, PG_DATA, PG_PORT, PG_LOG and exports
#                              # PG_THROWAWAY_CONNSTR (Npgsql connection string); when VAR is
#                              # given, also exports VAR with the same connection string.
#   pg_throwaway_stop          # stop the cluster (immediate) and delete its directory.
#                              # Idempotent and quiet; safe to call from an EXIT trap.
#
# The cluster: superuser "kontor", trust auth, UTF8, C.UTF-8 locale, unix socket only in
# PG_DIR, durability switched off (fsync, synchronous_commit, full_page_writes) because the
# data is thrown away. initdb/pg_ctl refuse to run as root, so as root they run as the
# "postgres" system user (created when absent).
#
# Tunables (environment):
#   PG_THROWAWAY_PORT_BASE   first port to try (default 55432)
#   PG_THROWAWAY_USER        database superuser name (default kontor)
#   PG_THROWAWAY_CONN_EXTRA  appended to the connection string
#                            (default "Pooling=true;Maximum Pool Size=100")
#   PG_THROWAWAY_OPTS        extra postgres server options appended to the defaults

# Newest /usr/lib/postgresql/<ver>/bin that has initdb; prints it, or fails.
pg_throwaway_find_bin() {
  local best="" bestver=-1 d ver
  for d in /usr/lib/postgresql/*/bin; do
    [[ -x "$d/initdb" && -x "$d/pg_ctl" ]] || continue
    ver="${d#/usr/lib/postgresql/}"; ver="${ver%/bin}"
    [[ "$ver" =~ ^[0-9]+$ ]] || continue
    if (( ver > bestver )); then bestver=$ver; best=$d; fi
  done
  [[ -n "$best" ]] || return 1
  printf '%s\n' "$best"
}

# Run a command as the cluster owner (postgres when we are root, ourselves otherwise),
# from inside PG_DIR so an unreadable cwd does not matter.
_pg_throwaway_as_owner() {
  if [[ $EUID -eq 0 ]]; then
    (cd "$PG_DIR" && runuser -u postgres -- "$@")
  else
    (cd "$PG_DIR" && "$@")
  fi
}

# True when nothing accepts connections on 127.0.0.1:$1.
_pg_throwaway_port_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

pg_throwaway_start() {
  local var="${1:-}"
  local user="${PG_THROWAWAY_USER:-kontor}"
  local port="${PG_THROWAWAY_PORT_BASE:-55432}"
  local base="${TMPDIR:-/tmp}" tries started=0

  if [[ -n "${PG_DIR:-}" && -d "${PG_DIR}" ]]; then
    echo "pg-throwaway: a cluster is already running in $PG_DIR" >&2
    return 1
  fi

  if ! PG_BIN="$(pg_throwaway_find_bin)"; then
    echo "pg-throwaway: no PostgreSQL server found (/usr/lib/postgresql/*/bin/initdb); install the Debian package 'postgresql'" >&2
    return 1
  fi

  if [[ $EUID -eq 0 ]] && ! id -u postgres >/dev/null 2>&1; then
    useradd --system --user-group --no-create-home --home-dir /var/lib/postgresql \
      --shell /usr/sbin/nologin postgres
  fi

  # The unix socket path (PG_DIR/.s.PGSQL.NNNNN) must stay under ~100 bytes, and as root
  # the postgres user must be able to reach the directory: fall back to /tmp otherwise.
  if [[ ! -d "$base" || ${#base} -gt 60 ]]; then base=/tmp; fi
  PG_DIR="$(mktemp -d "$base/kontor-pg.XXXXXX")"
  if [[ $EUID -eq 0 ]]; then
    chown postgres: "$PG_DIR"
    if ! runuser -u postgres -- test -w "$PG_DIR" 2>/dev/null; then
      rmdir "$PG_DIR"
      PG_DIR="$(mktemp -d /tmp/kontor-pg.XXXXXX)"
      chown postgres: "$PG_DIR"
    fi
  fi
  chmod 700 "$PG_DIR"
  PG_DATA="$PG_DIR/data"
  PG_LOG="$PG_DIR/log"

  if ! _pg_throwaway_as_owner "$PG_BIN/initdb" -D "$PG_DATA" -A trust -U "$user" -E UTF8 \
         --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1; then
    # Some systems lack the C.UTF-8 locale: a plain C locale with UTF8 encoding works everywhere.
    _pg_throwaway_as_owner rm -rf "$PG_DATA"
    if ! _pg_throwaway_as_owner "$PG_BIN/initdb" -D "$PG_DATA" -A trust -U "$user" -E UTF8 \
           --no-locale >"$PG_DIR/initdb.log" 2>&1; then
      echo "pg-throwaway: initdb failed:" >&2
      cat "$PG_DIR/initdb.log" >&2 || true
      return 1
    fi
  fi

  # Probe upward for a free port; a port can still be taken between the probe and the bind
  # (another run starting at the same time), so a failed start moves on to the next port.
  for (( tries = 0; tries < 50; tries++, port++ )); do
    _pg_throwaway_port_free "$port" || continue
    rm -f "$PG_LOG"
    if _pg_throwaway_as_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 \
         -o "-p $port -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 ${PG_THROWAWAY_OPTS:-}" \
         start >/dev/null 2>&1; then
      started=1
      break
    fi
    # A failed start leaves no server; stop anything half-started, just in case.
    _pg_throwaway_as_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" stop -m immediate >/dev/null 2>&1 || true
    if ! grep -qiE 'could not (bind|create listen)|address already in use' "$PG_LOG" 2>/dev/null; then
      echo "pg-throwaway: PostgreSQL failed to start on port $port:" >&2
      tail -n 30 "$PG_LOG" >&2 2>/dev/null || true
      return 1
    fi
  done
  if (( ! started )); then
    echo "pg-throwaway: found no free port from ${PG_THROWAWAY_PORT_BASE:-55432} upward" >&2
    return 1
  fi

  PG_PORT=$port
  PG_THROWAWAY_CONNSTR="Host=127.0.0.1;Port=$PG_PORT;Username=$user;Database=postgres"
  local extra="${PG_THROWAWAY_CONN_EXTRA-Pooling=true;Maximum Pool Size=100}"
  [[ -n "$extra" ]] && PG_THROWAWAY_CONNSTR+=";$extra"
  export PG_BIN PG_DIR PG_DATA PG_PORT PG_LOG PG_THROWAWAY_CONNSTR
  if [[ -n "$var" ]]; then
    printf -v "$var" '%s' "$PG_THROWAWAY_CONNSTR"
    export "${var?}"
  fi
}

pg_throwaway_stop() {
  [[ -n "${PG_DIR:-}" ]] || return 0
  if [[ -d "$PG_DIR" ]]; then
    if [[ -n "${PG_DATA:-}" && -f "$PG_DATA/postmaster.pid" ]]; then
      if ! _pg_throwaway_as_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" stop -m immediate -w -t 30 \
             >/dev/null 2>&1; then
        # pg_ctl could not stop it: kill the postmaster we started (its pid is in line 1).
        local pid
        pid="$(head -n 1 "$PG_DATA/postmaster.pid" 2>/dev/null || true)"
        if [[ "$pid" =~ ^[0-9]+$ ]]; then kill -KILL "$pid" 2>/dev/null || true; fi
      fi
    fi
    rm -rf "$PG_DIR" 2>/dev/null || true
  fi
  unset PG_DIR PG_DATA PG_PORT PG_LOG
  return 0
}
