#!/usr/bin/env bash
# Configures and builds with CMake. Usage: scripts/build.sh [release|debug|asan]  (default release)
# The build folder is build/ (release), build-debug/ or build-asan/; ccache is used when present.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PRESET=${1:-release}
cd "$REPO"
cmake --preset "$PRESET" >/dev/null
cmake --build --preset "$PRESET"
