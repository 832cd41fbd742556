#!/usr/bin/env bash
# `pnpm services`: the PostgreSQL and Redis that `pnpm test:scale` (and a local scale-out run)
# expect, on this machine: PostgreSQL on 127.0.0.1:5432 with the role tessera/tessera, Redis on
# 127.0.0.1:6379. Idempotent: installs with apt only what is missing, starts only what is not
# running, creates the role only if it does not exist. Debian/Ubuntu without systemd (CI
# containers) is the target; anything else: start both yourself and set TEST_DATABASE_URL /
# TEST_REDIS_URL.
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
# Another apt process (unattended upgrades, a parallel CI step) may hold the dpkg lock for a while.
apt_get() { $SUDO apt-get -o DPkg::Lock::Timeout=120 "$@"; }
as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}

PG_HOST=127.0.0.1
PG_PORT=5432
REDIS_PORT=6379

# 1. Install what is missing (the package lists are refreshed only when something is).
missing=()
if ! compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null || ! command -v pg_ctlcluster >/dev/null; then
  missing+=(postgresql)
fi
if ! command -v redis-server >/dev/null || ! command -v redis-cli >/dev/null; then
  missing+=(redis-server)
fi
if [ "${#missing[@]}" -gt 0 ]; then
  echo "services: installing ${missing[*]}"
  apt_get update -qq
  apt_get install -y -qq "${missing[@]}" >/dev/null
fi

# 2. PostgreSQL: the newest installed version's `main` cluster.
PG_VERSION=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h | awk -v v="$PG_VERSION" '$1 == v && $2 == "main" { found = 1 } END { exit !found }'; then
  echo "services: creating PostgreSQL $PG_VERSION cluster main"
  $SUDO pg_createcluster "$PG_VERSION" main --port "$PG_PORT" >/dev/null
fi
if ! pg_isready -q -h "$PG_HOST" -p "$PG_PORT"; then
  status=$(pg_lsclusters -h | awk -v v="$PG_VERSION" '$1 == v && $2 == "main" { print $4 }')
  if [ "$status" != "online" ]; then
    echo "services: starting PostgreSQL $PG_VERSION"
    $SUDO pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" main start
  fi
fi
for _ in $(seq 1 60); do
  if pg_isready -q -h "$PG_HOST" -p "$PG_PORT"; then break; fi
  sleep 0.5
done
if ! pg_isready -q -h "$PG_HOST" -p "$PG_PORT"; then
  echo "services: PostgreSQL does not answer on $PG_HOST:$PG_PORT" >&2
  exit 1
fi

# The test role. CREATEDB is enough: the test harness creates a template database it then owns,
# copies it (CREATE DATABASE … TEMPLATE needs ownership of the template, not superuser) and drops
# its own copies. TCP connections need a password.
as_postgres psql -q -v ON_ERROR_STOP=1 -p "$PG_PORT" -d postgres <<'SQL'
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'tessera') THEN
    CREATE ROLE tessera LOGIN CREATEDB PASSWORD 'tessera';
  END IF;
END
$$;
SQL

# 3. Redis: in-memory only (no snapshots, no append-only file); tests own their keys.
if ! redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1; then
  echo "services: starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no >/dev/null
fi
for _ in $(seq 1 40); do
  if [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = "PONG" ]; then break; fi
  sleep 0.25
done
if [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" != "PONG" ]; then
  echo "services: Redis does not answer on 127.0.0.1:$REDIS_PORT" >&2
  exit 1
fi

echo "services: PostgreSQL $PG_VERSION on $PG_HOST:$PG_PORT (role tessera), Redis on 127.0.0.1:$REDIS_PORT"
