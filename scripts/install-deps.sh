#!/usr/bin/env bash
# Installs every Debian package the hub needs to build, run and test.
# Idempotent: when everything is already present it prints nothing and exits 0.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config ccache clang-format curl ca-certificates
  libpqxx-dev libpq-dev postgresql-15 postgresql-15-postgis-3 postgresql-contrib
  nlohmann-json3-dev libvalijson-dev libspdlog-dev libfmt-dev libyaml-cpp-dev
  libmicrohttpd-dev libcurl4-openssl-dev libssl-dev libexpat1-dev
  libjwt-dev libargon2-dev libkainjow-mustache-dev postfix libgmime-3.0-dev wrk openssl
  sasl2-bin libsasl2-modules
  libgtest-dev libgmock-dev libbenchmark-dev
  procps util-linux
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  SUDO="sudo"
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Debian's postgresql-common would otherwise create and start a system cluster we never use.
if [ ! -e /etc/postgresql-common/createcluster.conf ]; then
  $SUDO mkdir -p /etc/postgresql-common
  echo "create_main_cluster = false" | $SUDO tee /etc/postgresql-common/createcluster.conf >/dev/null
fi
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
