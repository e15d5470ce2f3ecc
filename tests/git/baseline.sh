#!/usr/bin/env bash
# Baselines: --write-baseline FILE, then --baseline FILE reports only new findings,
# whatever moved; writing again gives the same bytes. For a directory scan, a
# history scan and a staged scan.
. "$(dirname "$0")/lib.sh"

R=$T/repo
mkrepo "$R"
S1=$(tok ghp 41) S2=$(tok aws-id 42) NEW=$(tok ghp 43) NEW2=$(tok stripe 44)
mkdir -p "$R/src" "$R/deploy"
printf 'import os\n\nTOKEN = "%s"\n' "$S1" >"$R/src/app.py"
printf '[default]\naws_access_key_id = %s\n' "$S2" >"$R/deploy/credentials.ini"
git -C "$R" add .
commit "$R" "initial"
BL=$T/baseline.json

# shift FILE: five unrelated lines above everything else
shift_lines() { { printf '# a\n# b\n# c\n# d\n# e\n'; cat "$1"; } >"$T/tmp" && mv "$T/tmp" "$1"; }

echo "== directory scan"
bb scan --write-baseline "$BL" "$R"
check_rc "--write-baseline: exit 0 even with findings" 0
check_grep "says how many were recorded" "2 findings recorded" "$T/err"
check_nogrep "the baseline holds no secret" "$S1" "$BL"
cp "$BL" "$T/bl.first"
bb scan --baseline "$BL" -f jsonl "$R"
check_rc "--baseline: nothing new" 0
check_eq "no findings reported" "" "$(cat "$T/out")"
check_grep "the summary counts the baselined ones" "2 in the baseline" "$T/err"

shift_lines "$R/src/app.py"
shift_lines "$R/deploy/credentials.ini"
bb scan --baseline "$BL" -f jsonl "$R"
check_rc "lines shifted above the secrets: still nothing" 0
bb scan --write-baseline "$BL" "$R"
if cmp -s "$T/bl.first" "$BL"; then ok "--write-baseline again after the shift: byte-identical"; else bad "--write-baseline again: byte-identical" "$(diff "$T/bl.first" "$BL" | head -20)"; fi
bb scan --baseline "$BL" -j 1 -f jsonl "$R"
check_rc "one thread: still nothing" 0

printf 'STRIPE = "%s"\n' "$NEW2" >>"$R/src/app.py"
bb scan --baseline "$BL" -f jsonl "$R"
check_rc "a new secret" 1
check_eq "only the new one is reported, at its line" "src/app.py	9	stripe.secret-key-live" "$(q file,line,rule)"
git -C "$R" checkout -q -- src/app.py deploy/credentials.ini

echo "== history scan"
BG=$T/git-baseline.json
bb scan --git --write-baseline "$BG" "$R"
check_rc "--git --write-baseline" 0
cp "$BG" "$T/bg.first"
shift_lines "$R/src/app.py"
git -C "$R" add src/app.py
commit "$R" "shift lines"
git -C "$R" mv deploy/credentials.ini deploy/aws.ini
commit "$R" "rename"
bb scan --git --baseline "$BG" -f jsonl "$R"
check_rc "--git: later blobs with the same secrets (moved lines, renamed file)" 0
bb scan --git --write-baseline "$BG" "$R"
if cmp -s "$T/bg.first" "$BG"; then ok "--git --write-baseline again: byte-identical"; else bad "--git --write-baseline again: byte-identical" "$(diff "$T/bg.first" "$BG" | head -20)"; fi
bb scan --git --baseline "$T/bg.first" -f jsonl "$R"
check_rc "the first baseline still covers the whole history" 0
printf 'NEW_TOKEN = "%s"\n' "$NEW" >>"$R/src/app.py"
git -C "$R" add src/app.py
commit "$R" "new token"
NC=$(git -C "$R" rev-parse HEAD)
bb scan --git --baseline "$T/bg.first" -f jsonl "$R"
check_rc "--git: a new secret in a new commit" 1
check_eq "only the new one, with its commit" "src/app.py	9	$NC" "$(q file,line,commit)"

echo "== staged scan, and the baseline file committed in the repository"
git -C "$R" reset -q --hard HEAD~1
cp "$T/bg.first" "$R/.blackbar-baseline.json"
git -C "$R" add .blackbar-baseline.json
bb scan --staged -f jsonl "$R"
check_rc "the baseline file itself is no finding" 0
shift_lines "$R/src/app.py"
git -C "$R" add src/app.py
bb scan --staged --baseline "$R/.blackbar-baseline.json" -f jsonl "$R"
check_rc "--staged: a baselined secret in a changed file" 0
printf 'N = "%s"\n' "$NEW" >>"$R/src/app.py"
git -C "$R" add src/app.py
bb scan --staged --baseline "$R/.blackbar-baseline.json" -f jsonl "$R"
check_eq "--staged: only the new one" "src/app.py	14" "$(q file,line)"

echo "== the baseline named in .blackbar.json (what the pre-commit hook uses)"
echo '{"something": "else"}' >"$T/notabaseline.json"
git -C "$R" reset -q --hard HEAD
cp "$T/bg.first" "$R/.blackbar-baseline.json"
shift_lines "$R/src/app.py"
git -C "$R" add src/app.py
printf '{"baseline": ".blackbar-baseline.json"}\n' >"$R/.blackbar.json"
(cd "$R" && "$BB" scan --staged -f jsonl . >"$T/out" 2>"$T/err") && RC=0 || RC=$?
check_rc "config baseline: a baselined secret in a changed file passes" 0
printf 'N = "%s"\n' "$NEW" >>"$R/src/app.py"
git -C "$R" add src/app.py
(cd "$R" && "$BB" scan --staged -f jsonl . >"$T/out" 2>"$T/err") && RC=0 || RC=$?
check_rc "config baseline: a new secret is still reported" 1
check_eq "config baseline: only the new one (the last line)" "src/app.py	$(wc -l <"$R/src/app.py")" "$(q file,line)"
bb scan --staged --baseline "$T/notabaseline.json" -f jsonl "$R"
check_rc "--baseline on the command line wins over the config's" 2
printf '{"baseline": "gone.json"}\n' >"$R/.blackbar.json"
(cd "$R" && "$BB" scan --staged -f jsonl . >"$T/out" 2>"$T/err") && RC=0 || RC=$?
check_rc "config baseline missing: every finding reported" 1
check_grep "config baseline missing: a warning names it" "gone.json" "$T/err"
printf '{"baseline": 7}\n' >"$R/.blackbar.json"
(cd "$R" && "$BB" scan --staged -f jsonl . >"$T/out" 2>"$T/err") && RC=0 || RC=$?
check_rc "config baseline not a path: an error" 2
rm "$R/.blackbar.json"

echo "== bad baselines"
echo '{"something": "else"}' >"$T/notabaseline.json"
bb scan --baseline "$T/notabaseline.json" "$R"
check_rc "not a baseline" 2
bb scan --baseline "$T/missing.json" "$R"
check_rc "missing baseline" 2
bb scan --write-baseline "$T/no/such/dir/b.json" "$R"
check_rc "unwritable baseline" 2

finish
