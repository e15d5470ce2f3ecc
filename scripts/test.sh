#!/bin/sh
# Builds blackbar with warnings as errors and runs every test (ctest); then builds
# it again with AddressSanitizer and UndefinedBehaviorSanitizer (build-asan/) and
# runs the suite once more, where any sanitizer report fails the test that hit it.
# Installs missing Debian packages first. Usage: scripts/test.sh [ctest args...]
set -eu
cd "$(dirname "$0")/.."
scripts/deps.sh
cmake -S . -B build -DBLACKBAR_WERROR=ON >/dev/null
cmake --build build -j"$(nproc)"
(cd build && ctest --output-on-failure -j"$(nproc)" "$@")
# Not -Werror here: with -fsanitize, gcc warns about format truncation it cannot
# rule out. git.memory measures peak RSS, which ASan's shadow memory and quarantine
# inflate: it runs in the build above only.
cmake -S . -B build-asan -DBLACKBAR_SANITIZE=ON >/dev/null
cmake --build build-asan -j"$(nproc)"
cd build-asan && ctest --output-on-failure -j"$(nproc)" -E '^git\.memory$' "$@"
