#!/usr/bin/env bash
# Allowing a reviewed finding so that the pre-commit hook lets the commit through:
# inline `blackbar:allow` (all, or by signature id) and .blackbar.json
# allow.fingerprints, which the hook's message suggests.
. "$(dirname "$0")/lib.sh"

R=$T/repo
mkrepo "$R"
echo "hello" >"$R/README"
git -C "$R" add README
commit "$R" "initial"
bb install git-hook "$R"
check_rc "install" 0

# try_commit MSG: git commit with the hook; exit in $RC
try_commit() { RC=0; git -C "$R" commit -q -m "$1" >"$T/out" 2>"$T/err" || RC=$?; }
subject() { git -C "$R" log -1 --format=%s; }

echo "== inline"
printf 'TOKEN = "%s"  # blackbar:allow\n' "$(tok ghp 51)" >"$R/a.py"
git -C "$R" add a.py
try_commit "allow all"
check_rc "# blackbar:allow on the line: the commit goes through" 0
check_eq "committed" "allow all" "$(subject)"

printf 'TOKEN = "%s"  # blackbar:allow github.pat-classic\n' "$(tok ghp 52)" >"$R/b.py"
git -C "$R" add b.py
try_commit "allow by id"
check_rc "# blackbar:allow github.pat-classic: the commit goes through" 0

printf 'token: %s # blackbar:allow aws.access-key-id, stripe.\n' "$(tok ghp 53)" >"$R/c.yml"
git -C "$R" add c.yml
try_commit "allow another id"
check_nonzero "allow naming other ids (and a family): still blocked" "committed"
check_grep "the finding is shown" "c.yml:1:8" "$T/err"
printf 'token: %s # blackbar:allow aws.access-key-id, github.pat-classic\n' "$(tok ghp 53)" >"$R/c.yml"
git -C "$R" add c.yml
try_commit "allow in a list"
check_rc "allow with a list that includes the id" 0

printf '# blackbar:allow\nTOKEN=%s\n' "$(tok ghp 54)" >"$R/d.sh"
git -C "$R" add d.sh
try_commit "allow on the line above"
check_nonzero "an allow comment on another line does not apply" "committed"
git -C "$R" rm -q --cached d.sh
rm "$R/d.sh"

bb scan --staged --no-inline-allow -f jsonl "$R"
check_rc "nothing staged: --no-inline-allow has nothing to report" 0
bb scan --git --no-inline-allow -f jsonl "$R"
check_eq "--git --no-inline-allow: the allowed ones are reported" "a.py b.py c.yml" "$(q file | sort -u | tr '\n' ' ' | sed 's/ $//')"
bb scan --git -f jsonl "$R"
check_rc "--git honours inline allows" 0

echo "== .blackbar.json allow.fingerprints"
printf 'export GH=%s\n' "$(tok ghp 55)" >"$R/e.sh"
git -C "$R" add e.sh
bb scan --staged -f jsonl "$R"
fp=$(q fingerprint)
check_eq "one fingerprint" "32" "${#fp}"
printf '{"allow": {"fingerprints": ["%s"]}}\n' "$fp" >"$R/.blackbar.json"
git -C "$R" add .blackbar.json
try_commit "allowed by fingerprint"
check_rc "allow.fingerprints in .blackbar.json: the commit goes through" 0
printf '{"allow": {"paths": ["fixtures/**"]}}\n' >"$R/.blackbar.json"
mkdir -p "$R/fixtures"
printf 'GH=%s\n' "$(tok ghp 56)" >"$R/fixtures/token.txt"
git -C "$R" add .blackbar.json fixtures
try_commit "allowed by path"
check_rc "allow.paths in .blackbar.json: the commit goes through" 0

echo "== history scans and .blackbar.json"
bb scan --git -f jsonl "$R"
check_eq "--git: allow.paths of the work tree's .blackbar.json applies (fixtures/** allowed, e.sh not)" "e.sh" "$(q file | sort -u)"
bb scan --git --no-config -f jsonl "$R"
check_eq "--git --no-config: they are reported" "e.sh fixtures/token.txt" "$(q file | sort -u | tr '\n' ' ' | sed 's/ $//')"
bb scan --git --no-config --exclude fixtures -f jsonl "$R"
check_eq "--git --exclude: excluded paths are not scanned" "e.sh" "$(q file | sort -u | tr '\n' ' ' | sed 's/ $//')"

finish
