#!/bin/sh
# Builds the libFuzzer targets (tests/fuzz; README "Fuzzing and sanitizers") in
# build-fuzz/ with clang, ASan and UBSan, and runs each for SECONDS (default 600),
# one after the other, under nice. Installs missing Debian packages first.
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]   (default: every target)
#
# A target starts from its committed corpus (tests/fuzz/corpus/<target>/) and from
# seeds made of the signatures' own examples (build-fuzz/seeds/; never committed:
# they hold whole tokens). What it finds accumulates in build-fuzz/corpus/<target>/.
# Then the inputs that add coverage are merged into tests/fuzz/corpus/<target>/,
# except those in which blackbar finds a secret (the repository holds no token in
# one piece; they stay in build-fuzz/held-back/<target>/). A crash stops the target
# and is saved as build-fuzz/crashes/<target>/crash-*: once fixed, copy it into the
# target's corpus, so that ctest (fuzz.replay.<target>) replays it from then on.
# Printed per target: executions, CPU time without a crash, the crash file if any.
set -eu
cd "$(dirname "$0")/.."
secs=${1:-600}
[ $# -gt 0 ] && shift
targets=${*:-"hook_claude signatures decode_gzip decode_zstd decode_utf16 scan redact"}
scripts/deps.sh fuzz

B=build-fuzz
cmake -S . -B $B -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
	-DBLACKBAR_FUZZ=ON >/dev/null
build=blackbar
for t in $targets; do build="$build fuzz_$t"; done
# shellcheck disable=SC2086 # one word per target
nice -n 19 cmake --build $B -j"$(nproc)" --target $build >/dev/null
python3 tests/fuzz/seeds.py signatures $B/seeds >/dev/null
export BLACKBAR_CACHE_DIR="$PWD/$B/fuzz-cache"

# CPU seconds (user + system) from the children line of the shell's `times`.
cpu_of_times() {
	sed -n 2p | tr 'ms' '  ' | awk '{ printf "%.0f", $1 * 60 + $2 + $3 * 60 + $4 }'
}

summary=""
for t in $targets; do
	mkdir -p $B/corpus/$t $B/crashes/$t $B/held-back/$t
	limits="-timeout=10 -rss_limit_mb=4096"
	opts="-max_total_time=$secs -print_final_stats=1"
	case $t in
	scan | redact | hook_claude) opts="$opts -dict=tests/fuzz/scan.dict -max_len=16384" ;;
	signatures)
		opts="$opts -dict=tests/fuzz/signatures.dict -max_len=4096"
		# Hyperscan compiles about 10 times slower under ASan (a signature
		# file that compiles in 0.7 s takes 5 to 15 s here): not a hang
		limits="-timeout=60 -rss_limit_mb=4096" ;;
	decode_*) opts="$opts -max_len=65536" ;;
	esac
	opts="$opts $limits"
	echo "== fuzz_$t: $secs s" >&2
	log=$B/fuzz-$t.log
	before=$(ls $B/crashes/$t | wc -l)
	# shellcheck disable=SC2086
	cpu=$( (nice -n 19 $B/tests/fuzz/fuzz_$t $opts -artifact_prefix=$B/crashes/$t/ \
		$B/corpus/$t tests/fuzz/corpus/$t $B/seeds/$t </dev/null >"$log" 2>&1 || true
		times) | cpu_of_times)
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	crash=""
	[ "$(ls $B/crashes/$t | wc -l)" -gt "$before" ] &&
		crash=$(ls -t $B/crashes/$t | head -1)

	# merge what adds coverage (edges, not hit counts: a corpus 4 times smaller)
	# into the committed corpus, holding back secrets
	ls tests/fuzz/corpus/$t >$B/corpus-$t.before
	# shellcheck disable=SC2086
	nice -n 19 $B/tests/fuzz/fuzz_$t -merge=1 -use_counters=0 $limits \
		tests/fuzz/corpus/$t $B/corpus/$t </dev/null >$B/merge-$t.log 2>&1 || true
	added=0 held=0
	for f in $(ls tests/fuzz/corpus/$t | comm -13 $B/corpus-$t.before -); do
		if $B/blackbar scan -q --no-config --no-decompress --kind secret \
			"tests/fuzz/corpus/$t/$f" >/dev/null 2>&1; then
			added=$((added + 1))
		else
			mv "tests/fuzz/corpus/$t/$f" $B/held-back/$t/
			held=$((held + 1))
		fi
	done

	line=$(printf '%-12s %10s execs %7s s CPU  %4d new seeds (%d held back)  %s' "$t" \
		"${execs:-?}" "$cpu" "$added" "$held" "${crash:+CRASH $B/crashes/$t/$crash}")
	echo "$line" >&2
	summary="$summary$line
"
	[ -z "$crash" ] || tail -n 60 "$log" >&2
done
printf '\n%s' "$summary"
case $summary in *CRASH*) exit 1 ;; esac
