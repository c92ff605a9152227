#!/usr/bin/env bash
# Installs the Debian packages anjian needs to build, test and run. Idempotent: it asks apt only
# for what is missing, so a second run costs a dpkg query and nothing else.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  libboost-graph-dev libtbb-dev libyaml-cpp-dev libhdf5-dev librandom123-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  nlohmann-json3-dev libssl-dev
  pybind11-dev python3-dev python3-numpy python3-pandas python3-h5py python3-pytest python3-matplotlib python3-yaml
  # the Python package's analysis side: statistics, labelled arrays, networks, notebooks
  python3-scipy python3-xarray python3-networkx python3-nbclient python3-nbformat python3-ipykernel
  # calibration (docs/calibration.md): Optuna's samplers and its SQLite study storage
  python3-optuna
  # sweeps across ranks: `mpirun -n N anjian sweep` (docs/experiments.md)
  openmpi-bin libopenmpi-dev
  # `anjian serve`: its HTTP server and session store; Chromium and a CJK font for its browser tests
  libcpp-httplib-dev libsqlite3-dev chromium fonts-wqy-microhei
  # make sanitize and make fuzz: clang with its sanitizer and libFuzzer runtimes
  clang libclang-rt-14-dev
)
# Node.js and npm build the trainer's browser app; Debian's own only where the machine has none.
command -v npm >/dev/null || packages+=(nodejs npm)

# The browser app's packages, exactly as web/package-lock.json pins them (again whenever the lockfile
# changes).
install_web_modules() {
  local web
  web="$(cd "$(dirname "$0")/.." && pwd)/web"
  if [ ! -f "$web/node_modules/.package-lock.json" ] || [ "$web/package-lock.json" -nt "$web/node_modules/.package-lock.json" ]; then
    echo "setup: npm ci in web/"
    (cd "$web" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  install_web_modules
  exit 0
fi

echo "setup: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "setup: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
install_web_modules
