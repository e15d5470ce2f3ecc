#!/usr/bin/env bash
# Benchmark switches: --no-match (the read floor) and --no-confirm (reading plus
# the candidate matcher) read and count every byte a normal scan does but report
# no content finding; findings by file name, which need no matching, remain.
. "$(dirname "$0")/lib.sh"

$GEN tree "$T/tree" >/dev/null

# kinds FILE: the sorted distinct kinds of a JSON Lines report.
kinds() { $JL fields "$1" kind | sort -u | paste -sd' '; }

bb scan --no-config -f jsonl "$T/tree"
check_rc "normal scan" 1
all=$(kinds "$T/out")
case " $all " in
*" secret "*) ok "normal scan: content findings ($all)" ;;
*) bad "normal scan: content findings" "kinds: $all" ;;
esac
bb scan --no-config -f json "$T/tree"
want_bytes=$($JL stats "$T/out" bytes_scanned)

for sw in --no-match --no-confirm; do
	bb scan --no-config -f jsonl "$sw" "$T/tree"
	check_eq "$sw: only findings by file name" "sensitive-file" "$(kinds "$T/out")"
	bb scan --no-config -f json "$sw" "$T/tree"
	check_eq "$sw: every byte read" "$want_bytes" "$($JL stats "$T/out" bytes_scanned)"
done

finish
