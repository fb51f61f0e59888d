#!/bin/sh
# Kept's container entrypoint: one image, three roles (docs/operations.md).
#   migrate  apply pending migrations and exit (safe to run twice, and from two containers at once)
#   api      the HTTP API, serving the web app (WORKER=off in a scaled topology; run workers apart)
#   worker   a job worker (alerts, e-mail, webhooks, digests); METRICS_PORT for Prometheus
# Anything else is run as given (e.g. `node -e …` for a one-off). The process is exec'd, so SIGTERM
# reaches Node directly and the graceful shutdown runs (SHUTDOWN_TIMEOUT_MS).
set -eu

APP_ROOT="${APP_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}"
cd "$APP_ROOT"

role="${1:-api}"
case "$role" in
  migrate)
    shift
    exec node scripts/migrate.mjs "$@"
    ;;
  api)
    shift
    exec node dist/apps/api/src/main.js "$@"
    ;;
  worker)
    shift
    exec node dist/apps/api/src/worker.js "$@"
    ;;
  *)
    exec "$@"
    ;;
esac
