#!/bin/sh
# Installs what blackbar needs to build and test, from Debian packages, when it is
# missing. Safe to run again: it installs nothing when everything is present.
#   scripts/deps.sh          build and test dependencies
#   scripts/deps.sh fuzz     also clang with its sanitizer and libFuzzer runtimes
#                            (scripts/fuzz.sh) and zstd (for seeds)
set -eu
pkgs="build-essential cmake pkg-config libhyperscan-dev libpcre2-dev libmagic-dev
libcjson-dev libzstd-dev zlib1g-dev libmd-dev libxxhash-dev libbz2-dev liblzma-dev
libgit2-dev git python3 python3-jsonschema file ca-certificates gnuplot-nox"
[ "${1:-}" = fuzz ] && pkgs="$pkgs clang libclang-rt-14-dev zstd"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "deps: installing$missing" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
