#!/usr/bin/env bash
# Chunk boundaries: large files are read in 4 MiB chunks. Secrets straddling,
# ending at and starting at a boundary, a keyword before a boundary with its secret
# after it, and a secret at the very end without a newline are each found exactly
# once at the right line; a multi-byte character and a CRLF split by a boundary do
# not shift columns or lines. A 50 MB single-line file is scanned in bounded time.
. "$(dirname "$0")/lib.sh"

$GEN big "$T/big.txt" | sort >"$T/expected"
echo "big.txt: $(wc -c <"$T/big.txt") bytes, $(wc -l <"$T/expected") planted secrets"

RC=0
timeout 60 "$BB" scan --no-config -f jsonl "$T/big.txt" >"$T/out" 2>"$T/err" || RC=$?
check_rc "big file" 1
$JL fields "$T/out" rule,line | sort >"$T/actual"
check_same "big file: each secret once, at its line" "$T/expected" "$T/actual"
if $JL spans "$T/out" "$T/big.txt" >"$T/msg"; then ok "big file: offsets agree with lines and columns"; else bad "big file offsets" "$(cat "$T/msg")"; fi

RC=0
timeout 60 "$BB" scan --no-config -f jsonl - <"$T/big.txt" >"$T/out" 2>"$T/err" || RC=$?
check_rc "big file on stdin" 1
$JL fields "$T/out" rule,line | sort >"$T/actual"
check_same "big file on stdin: each secret once, at its line" "$T/expected" "$T/actual"

$GEN straddle "$T/straddle.txt" >"$T/expected"
RC=0
timeout 60 "$BB" scan --no-config -f jsonl "$T/straddle.txt" >"$T/out" 2>"$T/err" || RC=$?
check_rc "multi-byte character and CRLF split by chunk boundaries" 1
$JL fields "$T/out" rule,line,column >"$T/actual"
check_same "split character and CRLF: lines and columns (columns count code points across chunks)" "$T/expected" "$T/actual"
if $JL spans "$T/out" "$T/straddle.txt" >"$T/msg"; then ok "split character and CRLF: spans agree"; else bad "straddle spans" "$(cat "$T/msg")"; fi
check_eq "same secret twice on a line: one fingerprint" "1" "$($JL fields "$T/out" line,fingerprint | tail -2 | cut -f2 | sort -u | wc -l)"

$GEN oneline "$T/min.js" 50
SIZE=$(wc -c <"$T/min.js")
echo "min.js: $SIZE bytes on one line"
START=$(date +%s)
RC=0
timeout 60 "$BB" scan --no-config -f jsonl "$T/min.js" >"$T/out" 2>"$T/err" || RC=$?
check_rc "50 MB single line, within 60 s ($(( $(date +%s) - START )) s)" 1
check_eq "50 MB single line: the secret at its end" "github.pat-classic	1	$((SIZE - 42))" \
	"$($JL fields "$T/out" rule,line,start_offset)"
check_eq "50 MB single line: the redacted line is cut to at most 400 characters" "1" \
	"$($JL fields "$T/out" redacted | awk 'length($0) <= 400' | wc -l)"

finish
