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

FAILS=0
CHECKS=0

# bb ARGS...: runs blackbar; output in $T/out, $T/err, exit code in $RC.
bb() {
	RC=0
	"$BB" "$@" >"$T/out" 2>"$T/err" || RC=$?
}

ok() { CHECKS=$((CHECKS + 1)); echo "ok   $1"; }
bad() {
	CHECKS=$((CHECKS + 1)); FAILS=$((FAILS + 1))
	echo "FAIL $1"
	shift
	for l in "$@"; do printf '%s\n' "$l" | sed 's/^/     /'; done
}

# check_eq WHAT EXPECTED ACTUAL
check_eq() {
	if [ "$2" = "$3" ]; then ok "$1"; else bad "$1" "expected: $2" "actual:   $3"; fi
}

# check_rc WHAT EXPECTED: compares with $RC from the last bb.
check_rc() {
	if [ "$RC" = "$2" ]; then
		ok "$1 (exit $RC)"
	else
		bad "$1" "expected exit $2, got $RC" "stderr: $(head -c 600 "$T/err")"
	fi
}

# check_same WHAT EXPECTED_FILE ACTUAL_FILE: identical files (diff shown on failure).
check_same() {
	if cmp -s "$2" "$3"; then
		ok "$1"
	else
		bad "$1" "diff expected actual:"
		diff "$2" "$3" | head -40 | sed 's/^/     /' || true
	fi
}

# check_grep WHAT PATTERN FILE / check_nogrep: fixed-string presence or absence.
check_grep() {
	if grep -qF -- "$2" "$3"; then ok "$1"; else bad "$1" "'$2' not in $(basename "$3"):" "$(head -c 600 "$3")"; fi
}
check_nogrep() {
	if grep -qF -- "$2" "$3"; then bad "$1" "'$2' found in $(basename "$3"):" "$(grep -F -- "$2" "$3" | head -3)"; else ok "$1"; fi
}

finish() {
	if [ "$FAILS" -eq 0 ]; then
		echo "PASS: $CHECKS checks"
		exit 0
	fi
	echo "FAILED: $FAILS of $CHECKS checks"
	exit 1
}
