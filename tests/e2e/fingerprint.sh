#!/usr/bin/env bash
# Fingerprints depend on the signature and the secret only: the same secret moved
# to another line, column, file or root keeps its fingerprint; another secret gets
# another one.
. "$(dirname "$0")/lib.sh"

S=$($GEN token ghp 5) O=$($GEN token ghp 6)
mkdir -p "$T/a/deep/er"
printf 'token=%s\n' "$S" >"$T/a/one.txt"
printf '\n\n\n\n\n\n\n\n\n    {"token": "%s"}\n' "$S" >"$T/a/deep/er/two.json"
printf 'x\nGH=%s\n' "$O" >"$T/a/other.env.sh"

bb scan --no-config -f jsonl "$T/a"
check_rc "scan" 1
$JL fields "$T/out" file,line,column,fingerprint >"$T/fp"
fp() { awk -v f="$1" '$1 == f {print $4}' "$T/fp"; }
check_eq "positions differ" "deep/er/two.json 10 16|one.txt 1 7" \
	"$(awk '$1 != "other.env.sh" {printf "%s%s %s %s", (NR > 1 ? "|" : ""), $1, $2, $3}' "$T/fp")"
check_eq "same secret, other file and line: same fingerprint" "$(fp one.txt)" "$(fp deep/er/two.json)"
if [ "$(fp one.txt)" != "$(fp other.env.sh)" ] && [ -n "$(fp other.env.sh)" ]; then
	ok "other secret: other fingerprint"
else
	bad "other secret: other fingerprint" "both $(fp one.txt)"
fi
FIRST=$(fp one.txt)

bb scan --no-config -f jsonl "$T/a/deep/er/two.json"
check_eq "file scanned as the root: same fingerprint" "$FIRST" "$($JL fields "$T/out" fingerprint)"
RC=0; "$BB" scan --no-config -f jsonl - <"$T/a/one.txt" >"$T/out" 2>"$T/err" || RC=$?
check_eq "stdin: same fingerprint" "$FIRST" "$($JL fields "$T/out" fingerprint)"
printf 'token=%s\n' "$S" | gzip >"$T/a/one.txt.gz"
bb scan --no-config -f jsonl "$T/a/one.txt.gz"
check_eq "inside gzip: same fingerprint" "$FIRST" "$($JL fields "$T/out" fingerprint)"
bb scan --no-config -f jsonl --show-secrets "$T/a/one.txt"
check_eq "--show-secrets: same fingerprint" "$FIRST" "$($JL fields "$T/out" fingerprint)"
bb scan --no-config -f sarif "$T/a/one.txt"
check_grep "sarif partialFingerprints carry it" "\"$FIRST\"" "$T/out"

finish
