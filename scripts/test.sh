#!/usr/bin/env bash
# Quickstart 2: install what is needed, build, start the private PostgreSQL and run every test.
#   scripts/test.sh [--asan] [ctest args...]
# --asan builds and tests with AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/).
# The last lines printed are CTest's summary. A cluster this script started is stopped again.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PRESET=release
if [ "${1:-}" = "--asan" ]; then PRESET=asan; shift; fi
BUILD_DIR=$REPO/build
[ "$PRESET" = asan ] && BUILD_DIR=$REPO/build-asan
cd "$REPO"

bash scripts/install-deps.sh
bash scripts/build.sh "$PRESET"
REOS_BIN=$BUILD_DIR/host/reos
CONFIG=$REPO/config/demo/hub.yaml
source scripts/embedded_pg_env.sh

if ! bash scripts/pg.sh status >/dev/null 2>&1; then
  bash scripts/pg.sh start
  trap 'bash scripts/pg.sh stop >/dev/null 2>&1 || true' EXIT
fi
# template1 carries PostGIS so every per-test database has it without a slow CREATE EXTENSION.
PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 "$(bash scripts/pg.sh url template1)" -c "CREATE EXTENSION IF NOT EXISTS postgis"
export REOS_TEST_PG="$(bash scripts/pg.sh url postgres)"
# Full (slow) unwinding for allocation stacks: the fast unwinder stops at the first library
# built without frame pointers (libcrypto, glib), and the suppressions in lsan.supp must see
# the frames above it.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:fast_unwind_on_malloc=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$REPO/tests/sanitizers/lsan.supp:print_suppressions=0}

ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$(nproc)" "$@"
