#!/usr/bin/env bash
# Standard input: "-" scans what is piped in; findings are reported under "-".
. "$(dirname "$0")/lib.sh"

G=$($GEN token ghp 9)
# stdin STRING ARGS...: runs blackbar with STRING on standard input
stdin() { local s=$1; shift; RC=0; printf '%s' "$s" | "$BB" "$@" >"$T/out" 2>"$T/err" || RC=$?; }

stdin "$(printf 'one\n\ttwo=%s\n' "$G")" scan --no-config -f jsonl -
check_rc "secret on stdin" 1
check_eq "reported as file '-' at line 2, column 6 (a tab is one column)" "github.pat-classic	-	2	6	2	45" \
	"$($JL fields "$T/out" rule,file,line,column,end_line,end_column)"

stdin "nothing to see here" scan --no-config -
check_rc "clean stdin" 0
check_eq "clean stdin: stdout empty" "" "$(cat "$T/out")"
RC=0; "$BB" scan --no-config - </dev/null >"$T/out" 2>"$T/err" || RC=$?
check_rc "empty stdin" 0

mkdir "$T/d"
printf 'x=%s\n' "$($GEN token ghp 10)" >"$T/d/f.txt"
stdin "$(printf 'two=%s' "$G")" scan --no-config -f jsonl - "$T/d"
check_rc "stdin and a directory together" 1
check_eq "stdin and a directory together: both reported" "-	1|f.txt	1" "$($JL fields "$T/out" file,line | paste -sd'|')"

stdin "$(printf 'two=%s' "$G")" scan --no-config -f jsonl -
cp "$T/out" "$T/stdin.jsonl"
stdin "$(printf 'two=%s' "$G")" scan --no-config -f sarif -
if $JL sarif "$T/out" "$T/stdin.jsonl" "$E2E/data/sarif/sarif-schema-2.1.0.json" >"$T/msg"; then
	ok "sarif from stdin: schema-valid, same result as jsonl"
else
	bad "sarif from stdin" "$(cat "$T/msg")"
fi

finish
