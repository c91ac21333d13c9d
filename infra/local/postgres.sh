#!/usr/bin/env bash
# A PostgreSQL server on this machine for a shared run store (and the tests of one): Debian's postgresql (installed
# with apt when missing), its own cluster under $RUN_DIR/postgres on 127.0.0.1:${DETCON_PG_PORT:-55432}, a role and
# a database "detcon". As root it runs the server as the user postgres (PostgreSQL refuses to run as root).
# Usage: postgres.sh up|down|status|env
#   eval "$(infra/local/postgres.sh env)"   # DETCON_TEST_PG_URL=jdbc:postgresql://127.0.0.1:55432/detcon?...
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PORT="${DETCON_PG_PORT:-55432}"
PG_DIR="$RUN_DIR/postgres"
DATA="$PG_DIR/data"
PASSWORD_FILE="$PG_DIR/password"
URL_BASE="jdbc:postgresql://127.0.0.1:$PORT/detcon"

bin_dir() {
  local d
  d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  if [[ -z "$d" ]]; then
    log "installing Debian's postgresql (once)"
    export DEBIAN_FRONTEND=noninteractive
    { apt-get update -qq && apt-get install -y -qq postgresql >/dev/null; } >&2 || die "could not install postgresql"
    d="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
  fi
  echo "$d"
}

# as_pg CMD...: runs CMD as the server's user (postgres when we are root)
as_pg() {
  if [[ "$(id -u)" == 0 ]]; then
    su postgres -s /bin/bash -c "$(printf '%q ' "$@")"
  else
    "$@"
  fi
}

password() {
  if [[ ! -f "$PASSWORD_FILE" ]]; then
    (umask 077; head -c 30 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 24 >"$PASSWORD_FILE")
  fi
  cat "$PASSWORD_FILE"
}

running() {
  local bin; bin="$(bin_dir)"
  [[ -f "$DATA/PG_VERSION" ]] && as_pg "$bin/pg_ctl" -D "$DATA" status >/dev/null 2>&1
}

up() {
  prepare_run_dir
  mkdir -p "$PG_DIR"
  local bin pw; bin="$(bin_dir)"; pw="$(password)"
  if [[ "$(id -u)" == 0 ]]; then
    chown postgres "$PG_DIR"
    # the server's user must reach its data directory
    local d="$PG_DIR"; while [[ "$d" != / ]]; do chmod o+x "$d" 2>/dev/null || true; d="$(dirname "$d")"; done
  fi
  if [[ ! -f "$DATA/PG_VERSION" ]]; then
    rm -rf "$DATA"
    local pwfile="$PG_DIR/.initdb-pw"
    (umask 077; echo "$pw" >"$pwfile")
    [[ "$(id -u)" == 0 ]] && chown postgres "$pwfile"
    as_pg "$bin/initdb" -D "$DATA" -A scram-sha-256 -U postgres --pwfile="$pwfile" \
      >"$LOG_DIR/postgres-initdb.log" 2>&1 || { rm -f "$pwfile"; tail -5 "$LOG_DIR/postgres-initdb.log" >&2; die "initdb failed"; }
    rm -f "$pwfile"
  fi
  if ! running; then
    as_pg "$bin/pg_ctl" -D "$DATA" -w -t 60 -l "$PG_DIR/server.log" \
      -o "-p $PORT -k $DATA -c listen_addresses=127.0.0.1" start >/dev/null 9>&- \
      || { tail -5 "$PG_DIR/server.log" >&2; die "the server did not start (log: $PG_DIR/server.log)"; }
  fi
  PGPASSWORD="$pw" "$bin/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -qtA -c \
    "DO \$\$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'detcon') THEN
       CREATE ROLE detcon LOGIN PASSWORD '$pw'; END IF; END\$\$;" >/dev/null
  if [[ -z "$(PGPASSWORD="$pw" "$bin/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -qtA -c \
        "SELECT 1 FROM pg_database WHERE datname = 'detcon'")" ]]; then
    PGPASSWORD="$pw" "$bin/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -qtA -c \
      "CREATE DATABASE detcon OWNER detcon" >/dev/null
  fi
  log "PostgreSQL on 127.0.0.1:$PORT, database detcon (eval \"\$($0 env)\" for DETCON_TEST_PG_URL)"
}

down() {
  local bin; bin="$(bin_dir)"
  if running; then
    as_pg "$bin/pg_ctl" -D "$DATA" -m fast stop >/dev/null
    log "stopped"
  else
    log "not running"
  fi
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) if running; then echo "PostgreSQL: running on 127.0.0.1:$PORT"; else echo "PostgreSQL: stopped"; fi ;;
  env) echo "export DETCON_TEST_PG_URL='$URL_BASE?user=detcon&password=$(password)'" ;;
  *) echo "usage: $0 up|down|status|env" >&2; exit 2 ;;
esac
