#!/usr/bin/env bash
# Quickstart 1: install what is needed, build, start the private PostgreSQL, migrate, and run
# the hub on the demo configuration (config/demo/) until Ctrl-C.
#   scripts/run.sh [--config FILE]
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CONFIG=$REPO/config/demo/hub.yaml
[ "${1:-}" = "--config" ] && CONFIG=$2
cd "$REPO"

bash scripts/install-deps.sh
bash scripts/build.sh release
REOS_BIN=$REPO/build/host/reos
source scripts/embedded_pg_env.sh
bash scripts/pg.sh start
"$REOS_BIN" --config "$CONFIG" migrate
echo "reos: serving on http://$("$REOS_BIN" --config "$CONFIG" config get http.bind):$("$REOS_BIN" --config "$CONFIG" config get http.port) (Ctrl-C to stop; scripts/pg.sh stop stops PostgreSQL)"
exec "$REOS_BIN" --config "$CONFIG" serve
