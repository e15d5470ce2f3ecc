#!/bin/sh
# Builds blackbar and scans the bundled demo project: a small clinic web app with
# planted fake secrets, PHI and sensitive files (generated into build/demo by
# demo/generate.py, so this repository holds no token in one piece).
# Installs missing Debian packages first. Exit status: blackbar's (1 = findings).
set -eu
cd "$(dirname "$0")/.."
scripts/deps.sh
cmake -S . -B build >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
rm -rf build/demo
python3 demo/generate.py build/demo >/dev/null
exec build/blackbar scan "$@" build/demo
