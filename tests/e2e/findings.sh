#!/usr/bin/env bash
# Findings and exit codes: the planted tree gives exactly the expected findings
# (exit 1), a clean tree gives nothing (exit 0), errors give exit 2 with a message
# that names the culprit.
. "$(dirname "$0")/lib.sh"

$GEN tree "$T/tree" >"$T/expected.tsv"
bb scan --no-config --format jsonl "$T/tree"
check_rc "planted tree" 1
if $JL match "$T/expected.tsv" "$T/out" >"$T/diff"; then
	ok "findings are exactly (rule, file, line, column) of $(wc -l <"$T/expected.tsv") planted secrets"
else
	bad "findings differ from the planted set" "$(cat "$T/diff")"
fi

# A single file given as the root is reported under the path given.
cd "$T/tree"
bb scan --no-config --format jsonl ci/deploy.sh
check_rc "single file root" 1
check_eq "single file root: file field" "github.pat-classic	ci/deploy.sh	2	21" \
	"$($JL fields "$T/out" rule,file,line,column)"
cd "$T"

mkdir -p "$T/clean/src"
printf 'def add(a, b):\n    return a + b\n' >"$T/clean/src/math.py"
printf '# clean\npassword = os.environ["DB_PASSWORD"]\n' >"$T/clean/README.md"
bb scan --no-config "$T/clean"
check_rc "clean tree" 0
check_eq "clean tree: stdout empty" "" "$(cat "$T/out")"
bb scan --no-config -q "$T/clean"
check_eq "-q: stderr empty" "" "$(cat "$T/err")"
bb scan --no-config --format jsonl "$T/clean"
check_eq "clean tree: jsonl empty" "" "$(cat "$T/out")"

bb scan --no-config "$T/does-not-exist"
check_rc "missing path" 2
check_grep "missing path: named on stderr" "does-not-exist" "$T/err"

bb scan --no-such-option "$T/clean"
check_rc "unknown option" 2
# short options as getopt takes them: grouped flags, attached or following values
bb scan --no-config -qj1 -fjsonl "$T/clean"
check_rc "-qj1 -fjsonl" 0
check_eq "-qj1 -fjsonl: quiet, jsonl" "" "$(cat "$T/out" "$T/err")"
bb scan --no-config -qf json "$T/clean"
check_rc "-qf json" 0
check_grep "-qf json: a json document" '"findings"' "$T/out"
bb scan --no-config -qz "$T/clean"
check_rc "-qz: unknown option in a group" 2
check_grep "-qz: the option and the group named" "'-z' in '-qz'" "$T/err"
bb scan --format xml "$T/clean"
check_rc "unknown format" 2
bb scan --threads 0 "$T/clean"
check_rc "--threads 0" 2
bb scan --only no-such.signature "$T/clean"
check_rc "--only with an unknown id" 2

# Signature files passed with --signatures.
sig() { # sig FILE ID PATTERN: a well-formed signature file with one signature
	printf '{"format": 1, "signatures": [{"id": "%s", "name": "Test", "kind": "secret", "severity": "high", "pattern": "%s", "examples": ["xyzzy_0f3a9c81", "xyzzy_9e8d7c6b"], "negative_examples": ["xyzzy_"]}]}\n' "$2" "$3" >"$1"
}
printf '{"format": 1, "signatures": [{"id": "test.cut", "name": \n' >"$T/truncated.json"
bb scan --no-config --signatures "$T/truncated.json" "$T/clean"
check_rc "truncated signature file" 2
check_grep "truncated signature file: file named" "truncated.json" "$T/err"

printf '{"format": 1, "signatures": [{"id": "test.noname", "kind": "secret", "severity": "high", "pattern": "xyzzy_[0-9a-f]{8}", "examples": ["xyzzy_0f3a9c81", "xyzzy_9e8d7c6b"], "negative_examples": ["xyzzy_"]}]}\n' >"$T/noname.json"
bb scan --no-config --signatures "$T/noname.json" "$T/clean"
check_rc "signature without name" 2
check_grep "signature without name: file named" "noname.json" "$T/err"
check_grep "signature without name: id named" "test.noname" "$T/err"

sig "$T/paren.json" test.paren 'xyzzy_([0-9a-f]{8}'
bb scan --no-config --signatures "$T/paren.json" "$T/clean"
check_rc "unbalanced parenthesis" 2
check_grep "unbalanced parenthesis: file named" "paren.json" "$T/err"
check_grep "unbalanced parenthesis: id named" "test.paren" "$T/err"

sig "$T/backref.json" test.backref 'xyzzy_(a)\\1'
bb scan --no-config --signatures "$T/backref.json" "$T/clean"
check_rc "backreference (Hyperscan rejects it)" 2
check_grep "backreference: file named" "backref.json" "$T/err"
check_grep "backreference: id named" "test.backref" "$T/err"

sig "$T/dup.json" github.pat-classic 'xyzzy_[0-9a-f]{8}'
bb scan --no-config --signatures "$T/dup.json" "$T/clean"
check_rc "id already used by a built-in signature" 2
check_grep "duplicate id: id named" "github.pat-classic" "$T/err"

bb scan --no-config --signatures "$T/nowhere.json" "$T/clean"
check_rc "missing signature file" 2

sig "$T/good.json" test.xyzzy 'xyzzy_[0-9a-f]{8}'
bb scan --no-config --signatures "$T/good.json" "$T/clean"
check_rc "well-formed extra signature file, clean tree" 0
mkdir "$T/sigdir"
cp "$T/good.json" "$T/sigdir/extra.json"
printf 'k = xyzzy_%s\n' 5e1f0c2d >"$T/tree/src/x.txt"
bb scan --no-config -f jsonl --signatures "$T/sigdir" "$T/tree"
check_eq "--signatures DIR keeps the built-in set" "ci/deploy.sh" "$($JL fields "$T/out" rule,file | awk '$1 == "github.pat-classic" {print $2}')"
check_eq "--signatures DIR: its finding" "test.xyzzy	src/x.txt	1	5" "$($JL fields "$T/out" rule,file,line,column | grep '^test')"
bb scan --no-config -f jsonl --signatures-only --signatures "$T/good.json" "$T/tree"
check_rc "--signatures-only" 1
check_eq "--signatures-only: only its signatures" "test.xyzzy	src/x.txt" "$($JL fields "$T/out" rule,file)"
bb scan --no-config --signatures-only "$T/tree"
check_rc "--signatures-only without --signatures" 2
rm "$T/tree/src/x.txt"

# Config files.
mkdir -p "$T/cfg"
cp -r "$T/clean/." "$T/cfg/"
printf '{"allow": ' >"$T/cfg/.blackbar.json"
bb scan "$T/cfg"
check_rc "truncated .blackbar.json" 2
check_grep "truncated .blackbar.json: named" ".blackbar.json" "$T/err"
printf '{"allow": {"secrets": ["(unclosed"]}}' >"$T/cfg/.blackbar.json"
bb scan "$T/cfg"
check_rc "config with an invalid secret regex" 2
printf '{"exclude": "not-a-list"}' >"$T/cfg/.blackbar.json"
bb scan "$T/cfg"
check_rc "config with a wrongly typed field" 2
bb scan --no-config "$T/cfg"
check_rc "--no-config ignores the broken config" 0
bb scan --config "$T/missing.json" "$T/clean"
check_rc "--config naming a missing file" 2

finish
