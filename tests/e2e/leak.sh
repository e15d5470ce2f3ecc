#!/usr/bin/env bash
# Never leak: with default options no output (stdout, stderr, -o file) of any format
# contains a planted secret; with --show-secrets, jsonl carries each one exactly.
. "$(dirname "$0")/lib.sh"

$GEN tree "$T/tree" --json >"$T/expected.jsonl"
$GEN secrets >"$T/secrets"
A=$($GEN token ghp 1) B=$($GEN token stripe 1) C=$($GEN token ghp 2) D=$($GEN token ghp 3)
printf '%s\n' "$A" "$B" "$C" "$D" >>"$T/secrets"
# Two secrets on one line: the redacted line must mask both.
printf 'tokens: a=%s b=%s\n' "$A" "$B" >"$T/tree/src/both.txt"
printf 'gh=%s\n' "$C" | python3 -c 'import gzip,sys; sys.stdout.buffer.write(gzip.compress(sys.stdin.buffer.read()))' >"$T/tree/logs.txt.gz"
cd "$T/tree"

leaks() { # leaks FILE...: planted values found in FILEs
	while read -r s; do
		[ -n "$s" ] && cat "$@" | grep -qF -- "$s" && printf '%s... ' "${s:0:6}"
	done <"$T/secrets"
	true
}

for fmt in text json jsonl sarif; do
	bb scan --no-config -f "$fmt" .
	check_rc "$fmt" 1
	check_eq "$fmt: no secret on stdout or stderr" "" "$(leaks "$T/out" "$T/err")"
	bb scan --no-config -f "$fmt" -o "$T/report.$fmt" .
	check_eq "$fmt -o FILE: no secret in the file or on stderr" "" "$(leaks "$T/report.$fmt" "$T/out" "$T/err")"
done
printf 'x = "%s"\n' "$D" >"$T/stdin.txt"
RC=0; "$BB" scan --no-config -f jsonl - <"$T/stdin.txt" >"$T/out" 2>"$T/err" || RC=$?
check_rc "stdin" 1
check_eq "stdin: no secret in the report" "" "$(leaks "$T/out" "$T/err")"

bb scan --no-config -f jsonl .
check_eq "the line with two secrets is reported twice" "2" "$($JL fields "$T/out" file | grep -c '^src/both.txt$')"
check_eq "the gzip content is reported" "1" "$($JL fields "$T/out" file | grep -c '^logs.txt.gz$')"

bb scan --no-config -f jsonl --show-secrets .
check_rc "--show-secrets" 1
cp "$T/out" "$T/shown.jsonl"
if python3 - "$T/expected.jsonl" "$T/shown.jsonl" "$A" "$B" "$C" "$E2E" >"$T/msg" <<'EOF'
import json, sys
sys.path.insert(0, sys.argv[6])
from jl import rule_matches
exp = [json.loads(l) for l in open(sys.argv[1])]
exp += [{"rule": "github.pat-classic", "file": "src/both.txt", "secret": sys.argv[3]},
        {"rule": "stripe.secret-key-live", "file": "src/both.txt", "secret": sys.argv[4]},
        {"rule": "github.pat-classic", "file": "logs.txt.gz", "secret": sys.argv[5]}]
got = [json.loads(l) for l in open(sys.argv[2])]
bad = 0
for e in exp:
    if not e["secret"]:
        continue
    hits = [g for g in got if rule_matches(e["rule"], g["rule"], g["kind"]) and g["file"] == e["file"]]
    vals = [g.get("secret") for g in hits]
    if vals != [e["secret"]]:
        bad += 1
        print("%s in %s: expected secret %r..., got %r" % (e["rule"], e["file"], e["secret"][:6],
              [v[:6] + "..." if v else v for v in vals]))
print("%d planted secrets compared" % sum(1 for e in exp if e["secret"]))
sys.exit(1 if bad else 0)
EOF
then ok "--show-secrets: jsonl secret equals each planted value ($(tail -1 "$T/msg"))"; else bad "--show-secrets values" "$(cat "$T/msg")"; fi
bb scan --no-config --show-secrets .
check_grep "--show-secrets: text shows the value" "$A" "$T/out"

finish
