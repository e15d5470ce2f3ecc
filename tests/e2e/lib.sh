# Shared helpers for the end-to-end tests. Source it from a test script run as
#   bash TEST.sh BLACKBAR_BINARY E2E_SOURCE_DIR
# It creates a private work directory ($T, removed on exit), defines `bb` (runs the
# binary, capturing stdout, stderr and the exit code) and the check_* assertions.
# Failures are counted; `finish` prints the tally and sets the exit status.
set -eu

BB=${1:?usage: $0 BLACKBAR_BINARY E2E_SOURCE_DIR}
E2E=$(cd "${2:-$(dirname "$0")}" && pwd)
case $BB in /*) ;; *) BB=$(pwd)/$BB ;; esac
GEN="python3 $E2E/gen.py"
JL="python3 $E2E/jl.py"

T=$(mktemp -d "${TMPDIR:-/tmp}/blackbar-e2e.XXXXXX")
cleanup() { chmod -R u+rwx "$T" 2>/dev/null || true; rm -rf "$T"; }
trap cleanup EXIT
# Compiled signatures are cached (compiling takes seconds); tests share one cache
# directory when ctest provides it.
export BLACKBAR_CACHE_DIR=${BLACKBAR_CACHE_DIR:-$T/cache}
export NO_COLOR=1

# bb ARGS...: runs blackbar; output in $T/out, $T/err, exit code in $RC.
bb() {
	RC=0
	"$BB" "$@" >"$T/out" 2>"$T/err" || RC=$?
}

. "$E2E/../check.sh"
