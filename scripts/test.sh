#!/bin/sh
# Builds blackbar with warnings as errors and runs every test (ctest).
# Installs missing Debian packages first. Usage: scripts/test.sh [ctest args...]
set -eu
cd "$(dirname "$0")/.."
scripts/deps.sh
cmake -S . -B build -DBLACKBAR_WERROR=ON >/dev/null
cmake --build build -j"$(nproc)"
cd build && ctest --output-on-failure -j"$(nproc)" "$@"
