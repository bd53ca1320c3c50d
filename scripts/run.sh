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
# The demo's listings arrive now rather than at the feeds' next scheduled slot; later runs
# find nothing changed and return at once. Two tenants: demo-brokerage reads the King County
# sales file (file_feed); demo-mls-brokerage gets the same sales from an MLS over RETS — the
# RETS protocol test server from tests/, started here on 127.0.0.1:6103 unless it already runs.
if [ "$CONFIG" = "$REPO/config/demo/hub.yaml" ]; then
  echo "reos: syncing the demo feed (King County sales) into properties…"
  "$REOS_BIN" --config "$CONFIG" sync demo-brokerage kc-sales | tail -n 1 ||
    echo "reos: the demo sync did not finish (see above); serving anyway"
  export DEMO_MLS_PASSWORD=demo
  if ! curl -s -o /dev/null "http://127.0.0.1:6103/rets/login"; then
    mkdir -p "$REPO/.reos"
    "$REPO/build/tests/rets/reos-rets-test-server" --csv "$REPO/../shared/data/kc_house_data.csv" \
      --port 6103 --user demo --password "$DEMO_MLS_PASSWORD" >"$REPO/.reos/demo-mls.log" 2>&1 &
    for _ in $(seq 1 50); do
      curl -s -o /dev/null "http://127.0.0.1:6103/rets/login" && break
      sleep 0.1
    done
  fi
  echo "reos: syncing the demo MLS (RETS on 127.0.0.1:6103) into properties…"
  "$REOS_BIN" --config "$CONFIG" sync demo-mls-brokerage demo-mls | tail -n 1 ||
    echo "reos: the demo MLS sync did not finish (see above); serving anyway"
fi
echo "reos: serving on http://$("$REOS_BIN" --config "$CONFIG" config get http.bind):$("$REOS_BIN" --config "$CONFIG" config get http.port) (Ctrl-C to stop; scripts/pg.sh stop stops PostgreSQL)"
exec "$REOS_BIN" --config "$CONFIG" serve
