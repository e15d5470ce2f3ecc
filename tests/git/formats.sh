#!/usr/bin/env bash
# Report formats of history scans: SARIF 2.1.0 valid against the OASIS schema with
# partialFingerprints, rule help and regions; commit, author and date in json and
# jsonl; json stats.
. "$(dirname "$0")/lib.sh"

SCHEMA=$SRC/tests/e2e/data/sarif/sarif-schema-2.1.0.json
R=$T/repo
mkrepo "$R"
mkdir -p "$R/src"
printf 'import os\n\nTOKEN = "%s"\n' "$(tok ghp 61)" >"$R/src/app.py"
git -C "$R" add .
GIT_AUTHOR_NAME="Zoë Ünicode" GIT_AUTHOR_EMAIL="zoe@example.org" commit "$R" "first" "2023-05-06T07:08:09Z"
C1=$(git -C "$R" rev-parse HEAD)
printf '[default]\naws_access_key_id = %s\n' "$(tok aws-id 62)" >"$R/creds.ini"
printf 'STRIPE = "%s"\n' "$(tok stripe 63)" >"$R/src/billing.py"
git -C "$R" add .
commit "$R" "second" "2023-06-07T08:09:10Z"
C2=$(git -C "$R" rev-parse HEAD)
git -C "$R" rm -q creds.ini
commit "$R" "third"

echo "== jsonl"
bb scan --git -f jsonl "$R"
check_rc "jsonl" 1
check_eq "one line per finding, each with commit, author and date" \
	"creds.ini	2	aws.access-key-id	$C2	Test User <test@example.org>	2023-06-07T08:09:10Z
src/app.py	3	github.pat-classic	$C1	Zoë Ünicode <zoe@example.org>	2023-05-06T07:08:09Z
src/billing.py	1	stripe.secret-key-live	$C2	Test User <test@example.org>	2023-06-07T08:09:10Z" \
	"$(q file,line,rule,commit,author,date | sort)"
cp "$T/out" "$T/git.jsonl"
if python3 -c '
import json, re, sys
for l in open(sys.argv[1], encoding="utf-8"):
    f = json.loads(l)
    assert re.fullmatch(r"[0-9a-f]{40}", f["commit"]), f["commit"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", f["date"]), f["date"]
    assert isinstance(f["author"], str) and "<" in f["author"]
' "$T/git.jsonl" 2>"$T/py"; then ok "commit: 40 hex digits; date: ISO 8601 UTC; author: name <email>"; else bad "field formats" "$(cat "$T/py")"; fi

echo "== json"
bb scan --git -f json "$R"
check_rc "json" 1
check_eq "json findings carry the same commits" "$($GT q "$T/git.jsonl" file,line,commit | sort)" "$(q file,line,commit | sort)"
check_eq "stats.findings" "3" "$($GT stats "$T/out" findings)"
check_eq "stats.files_scanned: unique blobs" "3" "$($GT stats "$T/out" files_scanned)"
bytes=$($GT stats "$T/out" bytes_scanned)
expect=$(( $(git -C "$R" cat-file -s "$C1:src/app.py") + $(git -C "$R" cat-file -s "$C2:src/billing.py") + $(git -C "$R" cat-file -s "$C2:creds.ini") ))
check_eq "stats.bytes_scanned: the blobs' sizes" "$expect" "$bytes"

echo "== text"
bb scan --git -f text "$R"
check_grep "text: the commit and author under the finding" "commit ${C1:0:12} by Zoë Ünicode <zoe@example.org>" "$T/out"

echo "== sarif"
bb scan --git -f sarif "$R"
check_rc "sarif" 1
cp "$T/out" "$T/git.sarif"
if $GT sarif "$T/git.sarif" "$SCHEMA" >"$T/msg"; then ok "$(cat "$T/msg")"; else bad "sarif of a --git scan" "$(cat "$T/msg")"; fi
check_eq "three results" "3" "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["runs"][0]["results"]))' "$T/git.sarif")"
check_eq "partialFingerprints are the jsonl fingerprints" \
	"$($GT q "$T/git.jsonl" fingerprint | sort)" \
	"$(python3 -c 'import json,sys; [print(r["partialFingerprints"]["blackbar/v1"]) for r in json.load(open(sys.argv[1]))["runs"][0]["results"]]' "$T/git.sarif" | sort)"
check_eq "regions: file, line, column as in jsonl" \
	"$($GT q "$T/git.jsonl" file,line,column | sort)" \
	"$(python3 -c '
import json, sys
for r in json.load(open(sys.argv[1]))["runs"][0]["results"]:
    p = r["locations"][0]["physicalLocation"]
    print("%s\t%d\t%d" % (p["artifactLocation"]["uri"], p["region"]["startLine"], p["region"]["startColumn"]))' "$T/git.sarif" | sort)"
check_nogrep "no secret in the SARIF" "$(tok ghp 61)" "$T/git.sarif"
bb scan --git -f jsonl "$R"
check_eq "sarif results carry the commit, author and date of the jsonl findings" \
	"$(q commit,author,date | sort)" \
	"$(python3 -c 'import json,sys
for r in json.load(open(sys.argv[1]))["runs"][0]["results"]:
    p = r["properties"]
    assert p["commit"][:12] in r["message"]["text"], r["message"]["text"]
    print("%s\t%s\t%s" % (p["commit"], p["author"], p["date"]))' "$T/git.sarif" | sort)"

bb scan --staged -f sarif "$R"
check_rc "sarif of an empty staged scan" 0
if $GT sarif "$T/out" "$SCHEMA" >"$T/msg"; then ok "empty staged SARIF valid"; else bad "empty staged SARIF" "$(cat "$T/msg")"; fi

echo "== odd names: a newline in a path, bytes that are not UTF-8 in a path and an author"
R2=$T/odd
mkrepo "$R2"
printf 'k=%s\n' "$(tok ghp 64)" >"$R2/$(printf 'new\nline.txt')"
printf 'k=%s\n' "$(tok ghp 65)" >"$R2/$(printf 'lat\351n.txt')"
git -C "$R2" add .
GIT_AUTHOR_NAME="$(printf 'Jos\351 Latin1')" commit "$R2" "odd names" 2>/dev/null
for fmt in json jsonl sarif; do
	bb scan --git -f "$fmt" "$R2"
	if python3 -c '
import json, sys
t = open(sys.argv[1], "rb").read().decode("utf-8")
docs = [json.loads(l) for l in t.splitlines()] if sys.argv[2] == "jsonl" else [json.loads(t)]
' "$T/out" "$fmt" 2>"$T/py"; then ok "$fmt: valid UTF-8 JSON"; else bad "$fmt: valid UTF-8 JSON" "$(tail -2 "$T/py")"; fi
	[ "$fmt" = sarif ] && { if $GT sarif "$T/out" "$SCHEMA" >"$T/msg"; then ok "sarif with odd names valid"; else bad "sarif with odd names" "$(cat "$T/msg")"; fi; }
done
bb scan --git -f text "$R2"
check_eq "text: two findings, each on its own line (no raw newline from the path)" "2" "$(grep -c 'github.pat-classic' "$T/out")"
if grep -q '^line.txt' "$T/out"; then bad "text: the path's newline is not printed as is" "$(cat "$T/out")"; else ok "text: the path's newline is not printed as is"; fi

echo "== -o FILE"
bb scan --git -f jsonl -o "$T/report.jsonl" "$R"
check_rc "-o" 1
if cmp -s "$T/git.jsonl" "$T/report.jsonl"; then ok "-o FILE: same report"; else bad "-o FILE: same report" "$(diff "$T/git.jsonl" "$T/report.jsonl" | head)"; fi

finish
