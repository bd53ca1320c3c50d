#!/usr/bin/env bash
# Runs every benchmark on the Release build against the embedded PostgreSQL.
#   bench/run.sh [startup|plugin_call|queue|mls_sync|reso_sync|api|webhooks]
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
WHICH=${1:-all}
case "$WHICH" in
  startup | plugin_call | queue | mls_sync | reso_sync | webhooks | api | all) ;;
  *) echo "unknown benchmark '$1'" >&2; exit 2 ;;
esac
if [[ $WHICH == startup || $WHICH == all ]]; then
  build/bench/bench_startup --reos "$REOS_BIN" --config "$CONFIG" --runs 10
fi
if [[ $WHICH == plugin_call || $WHICH == all ]]; then
  build/bench/plugin_call/bench_plugin_call --plugin-host "$REPO/build/host/reos-plugin-host" \
    --in-process 200000 --out-of-process 20000
fi
if [[ $WHICH == queue || $WHICH == all ]]; then
  build/bench/bench_queue --pg "$(bash scripts/pg.sh url postgres)" --jobs 20000 --processes 1,2
fi
if [[ $WHICH == mls_sync || $WHICH == all ]]; then
  build/bench/mls_sync/bench_mls_sync --reos "$REOS_BIN" --pg "$(bash scripts/pg.sh url postgres)" \
    --listings 10000,100000 --page 2500
fi
if [[ $WHICH == reso_sync || $WHICH == all ]]; then
  build/bench/reso_sync/bench_reso_sync --reos "$REOS_BIN" --pg "$(bash scripts/pg.sh url postgres)" \
    --listings 10000,100000 --page 2500
fi
if [[ $WHICH == webhooks || $WHICH == all ]]; then
  # Signed SendGrid posts → verify → inbox commit (single, 100 per request) and the long
  # SIGKILL crash run; Standard Webhooks when the sendgrid plugin is not built.
  build/bench/webhooks/bench_webhooks --reos "$REOS_BIN" --plugins "$REPO/build/plugins" \
    --pg "$(bash scripts/pg.sh url postgres)" --seconds 10 --crash-seconds 30
fi
if [[ $WHICH == api || $WHICH == all ]]; then
  build/bench/api/bench_api --pg "$(bash scripts/pg.sh url postgres)" --listings 100000 \
    --rate 1000 --seconds 10
fi
