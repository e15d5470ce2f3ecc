#!/usr/bin/env bash
# Every output format: jsonl fields and types, the json document and its stats, text
# lines with path:line:col, SARIF valid against the 2.1.0 schema; -o FILE; the
# signatures listing.
. "$(dirname "$0")/lib.sh"

$GEN tree "$T/tree" >/dev/null
cd "$T/tree"
VERSION=$("$BB" --version | awk '{print $2}')

bb scan --no-config -f jsonl .
check_rc "jsonl" 1
cp "$T/out" "$T/report.jsonl"
N=$(wc -l <"$T/report.jsonl")
if $JL types "$T/report.jsonl" >"$T/msg"; then ok "jsonl: $N findings, every field present with its type"; else bad "jsonl field types" "$(cat "$T/msg")"; fi
if $JL spans "$T/report.jsonl" . >"$T/msg"; then ok "jsonl: byte spans agree with line/column and are masked in redacted"; else bad "jsonl spans" "$(cat "$T/msg")"; fi
check_eq "jsonl: files are relative to the root" "" \
	"$($JL fields "$T/report.jsonl" file | grep -E '^(/|\./)' || true)"
check_eq "jsonl: validated is checksum for the GitHub token" "checksum" \
	"$($JL fields "$T/report.jsonl" rule,validated | awk '$1 == "github.pat-classic" {print $2}')"
check_eq "jsonl: GitHub token spans 40 code points" "2 21 2 60" \
	"$($JL fields "$T/report.jsonl" rule,line,column,end_line,end_column | awk '$1 == "github.pat-classic" {print $2, $3, $4, $5}')"
check_eq "jsonl: PEM key body spans lines 2 to 5" "2 1 5 64" \
	"$($JL fields "$T/report.jsonl" rule,line,column,end_line,end_column | awk '$1 == "private-key.pem" {print $2, $3, $4, $5}')"

bb scan --no-config -f json .
check_rc "json" 1
cp "$T/out" "$T/report.json"
if $JL json "$T/report.json" "$T/report.jsonl" "$VERSION" >"$T/msg"; then ok "json: document shape, same findings as jsonl, stats consistent"; else bad "json document" "$(cat "$T/msg")"; fi
stat_of() { $JL stats "$T/report.json" "$1"; }
NFILES=$(find . -type f | wc -l)
check_eq "json: stats.files_seen" "$NFILES" "$(stat_of files_seen)"
check_eq "json: stats.files_scanned" "$NFILES" "$(stat_of files_scanned)"
check_eq "json: stats.bytes_scanned" "$(cat $(find . -type f) | wc -c)" "$(stat_of bytes_scanned)"
check_eq "json: stats.signatures" "$("$BB" signatures list | wc -l)" "$(stat_of signatures)"

bb scan --no-config .
check_rc "text" 1
cp "$T/out" "$T/report.txt"
missing=""
while IFS=$'\t' read -r rule file line col; do
	grep -F "$file:$line:$col " "$T/report.txt" | grep -qF " $rule " || missing="$missing $file:$line:$col"
done < <($JL fields "$T/report.jsonl" rule,file,line,column)
check_eq "text: every finding shows path:line:col and its rule" "" "$missing"
check_nogrep "text: no color codes when not a terminal" $'\033[' "$T/report.txt"
bb scan --no-config --color always .
check_grep "text: --color always colors" $'\033[' "$T/out"

bb scan --no-config -f sarif .
check_rc "sarif" 1
cp "$T/out" "$T/report.sarif"
if $JL sarif "$T/report.sarif" "$T/report.jsonl" "$E2E/data/sarif/sarif-schema-2.1.0.json" >"$T/msg"; then
	ok "sarif: valid against sarif-schema-2.1.0.json; results match jsonl ($(tail -1 "$T/msg"))"
else
	bad "sarif" "$(cat "$T/msg")"
fi
bb scan --no-config -f sarif "$T/does-not-exist-either" ; check_rc "sarif, missing path" 2
mkdir "$T/empty"
bb scan --no-config -f sarif "$T/empty"
check_rc "sarif, nothing found" 0
printf '' >"$T/none.jsonl"
if $JL sarif "$T/out" "$T/none.jsonl" "$E2E/data/sarif/sarif-schema-2.1.0.json" >"$T/msg"; then ok "sarif with no results is valid"; else bad "empty sarif" "$(cat "$T/msg")"; fi

for fmt in text json jsonl sarif; do
	bb scan --no-config -f "$fmt" .
	cp "$T/out" "$T/stdout.$fmt"
	bb scan --no-config -f "$fmt" -o "$T/file.$fmt" .
	check_rc "-o with $fmt" 1
	check_eq "-o with $fmt: stdout empty" "" "$(cat "$T/out")"
	# json stats carry the elapsed time and sarif none; compare without it
	sed -i -e 's/"seconds":.*//' "$T/stdout.$fmt" "$T/file.$fmt"
	check_same "-o with $fmt: same report as stdout" "$T/stdout.$fmt" "$T/file.$fmt"
done
bb scan --no-config -o "$T/no/such/dir/report.txt" .
check_rc "-o into a missing directory" 2

bb signatures list --format json
check_rc "signatures list --format json" 0
if python3 - "$T/out" "$("$BB" signatures list | wc -l)" >"$T/msg" <<'EOF'
import json, re, sys
sigs = json.load(open(sys.argv[1]))
ids = [s["id"] for s in sigs]
errs = []
if len(sigs) != int(sys.argv[2]):
    errs.append("%d signatures in json, %s in text" % (len(sigs), sys.argv[2]))
if len(set(ids)) != len(ids):
    errs.append("duplicate ids")
for s in sigs:
    if not re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)+", s["id"]):
        errs.append("bad id %r" % s["id"])
    if s["kind"] not in ("secret", "phi", "pii", "sensitive-file"):
        errs.append("%s: kind %r" % (s["id"], s["kind"]))
    if s["severity"] not in ("critical", "high", "medium", "low", "info"):
        errs.append("%s: severity %r" % (s["id"], s["severity"]))
print("\n".join(errs))
sys.exit(1 if errs else 0)
EOF
then ok "signatures list --format json: $("$BB" signatures list | wc -l) signatures, ids unique and well-formed"; else bad "signatures list json" "$(cat "$T/msg")"; fi

finish
