#!/usr/bin/env bash
# Runs every benchmark on the Release build against the embedded PostgreSQL.
#   bench/run.sh [startup]
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
bash scripts/install-deps.sh
bash scripts/build.sh release
REOS_BIN=$REPO/build/host/reos
CONFIG=$REPO/config/demo/hub.yaml
source scripts/embedded_pg_env.sh
bash scripts/pg.sh start
"$REOS_BIN" --config "$CONFIG" migrate >/dev/null
case "${1:-all}" in
  startup | all) build/bench/bench_startup --reos "$REOS_BIN" --config "$CONFIG" --runs 10 ;;
  *) echo "unknown benchmark '$1'" >&2; exit 2 ;;
esac
