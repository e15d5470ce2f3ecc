#!/usr/bin/env bash
# scan --git on shallow and partial clones: no crash, a warning for what is
# missing, the secrets in the objects that are present still found, and an exit
# code that reflects findings only.
. "$(dirname "$0")/lib.sh"

SRC_REPO=$T/origin
mkrepo "$SRC_REPO"
git -C "$SRC_REPO" config uploadpack.allowFilter true
OLD=$(tok ghp 21) MID=$(tok ghp 22) CUR=$(tok ghp 23)
printf 'old=%s\n' "$OLD" >"$SRC_REPO/old.txt"
git -C "$SRC_REPO" add old.txt
commit "$SRC_REPO" "old secret"
git -C "$SRC_REPO" rm -q old.txt
commit "$SRC_REPO" "remove it"
printf 'mid=%s\n' "$MID" >"$SRC_REPO/mid.txt"
git -C "$SRC_REPO" add mid.txt
commit "$SRC_REPO" "mid secret"
for i in 1 2 3; do
	echo "change $i" >>"$SRC_REPO/notes.txt"
	git -C "$SRC_REPO" add notes.txt
	commit "$SRC_REPO" "notes $i"
done
printf 'line\ncur=%s\n' "$CUR" >"$SRC_REPO/cur.txt"
git -C "$SRC_REPO" add cur.txt
commit "$SRC_REPO" "current secret"
HEADC=$(git -C "$SRC_REPO" rev-parse HEAD)

# crashed: exit codes 0/1/2 are answers, anything else (a signal) is a crash
no_crash() { if [ "$RC" -le 2 ]; then ok "$1: no crash (exit $RC)"; else bad "$1: no crash" "exit $RC" "$(tail -5 "$T/err")"; fi; }

echo "== full clone (reference)"
git clone -q "file://$SRC_REPO" "$T/full"
bb scan --git -f jsonl "$T/full"
check_eq "full clone: all three secrets" "cur.txt mid.txt old.txt" "$(q file | sort | tr '\n' ' ' | sed 's/ $//')"

echo "== shallow clone, depth 1"
git clone -q --depth 1 "file://$SRC_REPO" "$T/shallow1"
bb scan --git -f json "$T/shallow1"
no_crash "depth 1"
check_grep "depth 1: a warning says the history is shallow" "shallow" "$T/err"
check_eq "depth 1: the secrets in the blobs present (cur.txt, mid.txt) are found" "cur.txt mid.txt" "$(q file | sort | tr '\n' ' ' | sed 's/ $//')"
check_rc "depth 1: exit reflects the findings" 1
check_eq "depth 1: cur.txt attributed to the only commit present" "$HEADC" "$(q commit file=cur.txt)"

echo "== shallow clone, depth 3"
git clone -q --depth 3 "file://$SRC_REPO" "$T/shallow3"
bb scan --git -f json "$T/shallow3"
no_crash "depth 3"
check_eq "depth 3: cur.txt and mid.txt found" "cur.txt mid.txt" "$(q file | sort | tr '\n' ' ' | sed 's/ $//')"
check_eq "depth 3: cur.txt attributed to its own commit" "$HEADC" "$(q commit file=cur.txt)"
check_grep "depth 3: a warning says the history is shallow" "shallow" "$T/err"

echo "== partial clone, --filter=blob:none"
git clone -q --filter=blob:none "file://$SRC_REPO" "$T/partial"
if [ -z "$(git -C "$T/partial" rev-list --all --objects --missing=print | grep '^?')" ]; then
	bad "partial clone has missing blobs" "the clone is complete: uploadpack.allowFilter not honoured?"
fi
bb scan --git -f json "$T/partial"
no_crash "blob:none"
check_rc "blob:none: exit 1 for the findings in the blobs present, not 2 for the missing ones" 1
check_eq "blob:none: the checked-out blobs are scanned" "cur.txt mid.txt" "$(q file | sort | tr '\n' ' ' | sed 's/ $//')"
check_grep "blob:none: a warning for the missing blob" "old.txt@" "$T/err"
check_grep "blob:none: the warning says why" "missing" "$T/err"
missing=$(git -C "$T/partial" rev-list --all --objects --missing=print | grep -c '^?' || true)
check_eq "blob:none: one warning per missing blob in the json report" "$missing" "$($GT stats "$T/out" warnings)"

echo "== partial clone with nothing checked out: only warnings"
git clone -q --filter=blob:none --no-checkout "file://$SRC_REPO" "$T/partial0"
bb scan --git -f json "$T/partial0"
check_rc "blob:none, no blob present: no findings, warnings only, exit 0" 0
missing=$(git -C "$T/partial0" rev-list --all --objects --missing=print | grep -c '^?' || true)
check_eq "one warning per missing blob ($missing)" "$missing" "$($GT stats "$T/out" warnings)"

echo "== partial clone, --filter=tree:0"
git clone -q --filter=tree:0 "file://$SRC_REPO" "$T/treeless"
bb scan --git -f json "$T/treeless"
no_crash "tree:0"
check_grep "tree:0: a warning that trees (so history) are missing" "missing" "$T/err"
check_eq "tree:0: cur.txt found" "1" "$(n file=cur.txt)"

finish
