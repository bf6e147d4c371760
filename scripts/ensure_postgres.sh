#!/usr/bin/env bash
# The PostgreSQL tests need a server on 127.0.0.1:5432; start Debian's cluster when none answers.
set -euo pipefail
HOST=${PGHOST:-127.0.0.1}
PORT=${PGPORT:-5432}
if pg_isready -q -h "$HOST" -p "$PORT" 2>/dev/null; then
  exit 0
fi
if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
  echo "PostgreSQL is not answering on $HOST:$PORT; starting Debian's cluster..."
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  for _ in $(seq 1 30); do
    pg_isready -q -h "$HOST" -p "$PORT" && exit 0
    sleep 1
  done
fi
message="PostgreSQL is not answering on $HOST:$PORT and could not be started; the PostgreSQL tests need it."
if [ "${CI:-}" = "true" ]; then
  echo "$message" >&2
  exit 1
fi
echo "WARNING: $message They will be skipped outside CI." >&2
