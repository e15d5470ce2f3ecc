#!/usr/bin/env bash
# Threads: the same tree scanned with 1, 3 and 8 threads (8 three times) gives
# byte-identical jsonl and text reports.
. "$(dirname "$0")/lib.sh"

$GEN many "$T/tree" 400
$GEN tree "$T/tree/std" >/dev/null

bb scan --no-config -f jsonl --threads 1 "$T/tree"
check_rc "--threads 1" 1
cp "$T/out" "$T/one.jsonl"
N=$(wc -l <"$T/one.jsonl")
if [ "$N" -ge 500 ]; then ok "--threads 1: $N findings"; else bad "--threads 1: too few findings" "expected >= 500, got $N"; fi

for run in "3 a" "8 a" "8 b" "8 c"; do
	set -- $run
	bb scan --no-config -f jsonl --threads "$1" "$T/tree"
	check_same "--threads $1 (run $2): jsonl identical to --threads 1" "$T/one.jsonl" "$T/out"
done

bb scan --no-config -f text --threads 1 "$T/tree"
cp "$T/out" "$T/one.txt"
bb scan --no-config -f text --threads 8 "$T/tree"
check_same "--threads 8: text identical to --threads 1" "$T/one.txt" "$T/out"

finish
