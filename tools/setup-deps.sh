#!/usr/bin/env bash
# Installs the Debian packages anjian needs to build, test and run. Idempotent: it asks apt only
# for what is missing, so a second run costs a dpkg query and nothing else.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  libboost-graph-dev libtbb-dev libyaml-cpp-dev libhdf5-dev librandom123-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  nlohmann-json3-dev
  pybind11-dev python3-dev python3-numpy python3-pandas python3-h5py python3-pytest python3-matplotlib python3-yaml
  # the Python package's analysis side: statistics, labelled arrays, networks, notebooks
  python3-scipy python3-xarray python3-networkx python3-nbclient python3-nbformat python3-ipykernel
  # make sanitize and make fuzz: clang with its sanitizer and libFuzzer runtimes
  clang libclang-rt-14-dev
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "setup: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "setup: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
