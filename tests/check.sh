# Assertions shared by the shell test suites (tests/e2e, tests/git). Source it after
# setting $T (the test's work directory: $T/out and $T/err hold the last run's output,
# $RC its exit status). Failures are counted; `finish` prints the tally and sets the
# exit status.
FAILS=0
CHECKS=0

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

# check_rc WHAT EXPECTED: compares with $RC from the last run (or set by hand).
check_rc() {
	if [ "$RC" = "$2" ]; then
		ok "$1 (exit $RC)"
	else
		bad "$1" "expected exit $2, got $RC" "stderr: $(head -c 800 "$T/err" 2>/dev/null)" \
			"stdout: $(head -c 300 "$T/out" 2>/dev/null)"
	fi
}

# check_nonzero WHAT [DETAIL]: $RC is not 0 (a commit was blocked, a run failed);
# DETAIL says what happened instead when it was 0.
check_nonzero() {
	if [ "$RC" -ne 0 ]; then ok "$1 (exit $RC)"; else bad "$1" "${2:-exit 0}"; fi
}

# check_same WHAT EXPECTED_FILE ACTUAL_FILE: identical bytes (the diff on failure).
check_same() {
	if cmp -s "$2" "$3"; then ok "$1"; else bad "$1" "diff expected actual:" "$(diff "$2" "$3" | head -40)"; fi
}

# check_grep WHAT STRING FILE / check_nogrep: a fixed string present, or absent.
check_grep() {
	if grep -qF -- "$2" "$3"; then ok "$1"; else bad "$1" "'$2' not in $(basename "$3"):" "$(head -c 800 "$3")"; fi
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
