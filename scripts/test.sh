#!/bin/sh
# Builds blackbar with warnings as errors and runs every test (ctest); then builds
# it again with AddressSanitizer and UndefinedBehaviorSanitizer (build-asan/) and
# runs the suite once more, where any sanitizer report fails the test that hit it;
# and with ThreadSanitizer (build-tsan/) for the tests that scan on many threads.
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
(cd build-asan && ctest --output-on-failure -j"$(nproc)" -E '^git\.memory$' "$@")
# A ThreadSanitizer report makes blackbar exit 66, which fails the test. (The whole
# suite passes under TSan too, in about twice the time: `ctest` in build-tsan/.)
cmake -S . -B build-tsan -DBLACKBAR_TSAN=ON >/dev/null
cmake --build build-tsan -j"$(nproc)"
cd build-tsan && ctest --output-on-failure -j"$(nproc)" \
	-R '^(e2e\.(threads|findings|chunks|hostile|leak_all)|git\.(history|clones|blobs))$' "$@"
