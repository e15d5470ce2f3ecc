#!/usr/bin/env bash
# scan --staged: what the next commit would contain (the index), not the work tree.
. "$(dirname "$0")/lib.sh"

R=$T/repo
mkrepo "$R"
S1=$(tok ghp 1) S2=$(tok ghp 2) S3=$(tok ghp 3) S4=$(tok ghp 4) S5=$(tok ghp 5)

echo "== first commit: no HEAD yet"
printf 'import os\n\nTOKEN = "%s"\n' "$S1" >"$R/app.py"
echo "just text" >"$R/notes.txt"
git -C "$R" add app.py notes.txt
bb scan --staged -f jsonl "$R"
check_rc "staged secret before the first commit" 1
check_eq "one finding, at the staged path and line:column" "app.py	3	10	github.pat-classic" "$(q file,line,column,rule)"
check_eq "no commit fields for staged content" "	" "$(q commit,author)"

echo "== the index, not the work tree"
rm "$R/app.py"
bb scan --staged -f jsonl "$R"
check_rc "staged secret deleted from the work tree (still staged)" 1
check_eq "still reported at app.py:3" "app.py	3" "$(q file,line)"
printf 'import os\n\nTOKEN = os.environ["TOKEN"]\n' >"$R/app.py"
bb scan --staged -f jsonl "$R"
check_eq "staged secret replaced in the work tree only: still reported" "app.py	3" "$(q file,line)"
git -C "$R" add app.py
commit "$R" "initial"

bb scan --staged -f json "$R"
check_rc "nothing staged after a commit" 0
check_eq "nothing staged: no blob scanned" "0" "$($GT stats "$T/out" files_scanned)"

printf 'extra = "%s"\n' "$S2" >>"$R/notes.txt"
printf 'KEY=%s\n' "$S3" >"$R/untracked.txt"
bb scan --staged -f jsonl "$R"
check_rc "secrets only in the work tree (modified tracked file, untracked file)" 0
check_eq "no findings for unstaged content" "" "$(q file)"
git -C "$R" add -N untracked.txt
bb scan --staged -f jsonl "$R"
check_rc "intent-to-add file (git add -N): its content is not staged" 0
git -C "$R" rm -q --cached untracked.txt
git -C "$R" checkout -q -- notes.txt

echo "== line numbers of the staged content"
mkdir -p "$R/src/conf"
printf '# settings\n[github]\ntoken = %s\n' "$S4" >"$R/src/conf/settings.ini"
git -C "$R" add src/conf/settings.ini
{ for i in 1 2 3 4 5 6 7 8 9 10; do echo "# unstaged line $i"; done; cat "$R/src/conf/settings.ini"; } >"$T/tmp" && mv "$T/tmp" "$R/src/conf/settings.ini"
bb scan --staged -f jsonl "$R"
check_eq "line in the staged blob (3), not in the work tree (13)" "src/conf/settings.ini	3	9" "$(q file,line,column)"
(cd "$R/src" && "$BB" scan --staged -f jsonl >"$T/out" 2>"$T/err") && RC=0 || RC=$?
check_eq "run from a subdirectory: the whole index, paths relative to the top level" "src/conf/settings.ini	3" "$(q file,line)"
git -C "$R" checkout -q -- src/conf/settings.ini
commit "$R" "settings"

echo "== deletions, renames, mode changes"
git -C "$R" rm -q src/conf/settings.ini
bb scan --staged -f jsonl "$R"
check_rc "a staged deletion of a file with a secret adds nothing" 0
git -C "$R" reset -q --hard
git -C "$R" mv src/conf/settings.ini src/settings.ini
bb scan --staged -f jsonl "$R"
check_eq "pure rename: no finding under the old path" "0" "$(n file=src/conf/settings.ini)"
[ "$(n)" = 0 ] || check_eq "pure rename: reported (if at all) at the new path and its line" "src/settings.ini	3" "$(q file,line)"
printf '[other]\nkey = %s\n' "$S5" >>"$R/src/settings.ini"
git -C "$R" add src/settings.ini
bb scan --staged -f jsonl "$R"
check_rc "rename with an added secret" 1
check_eq "the added secret at the new path, staged line 5" "src/settings.ini	5	7" "$(q file,line,column file=src/settings.ini rule=github.pat-classic | sort -k2n | tail -1)"
git -C "$R" reset -q --hard

chmod +x "$R/notes.txt"
git -C "$R" add notes.txt
bb scan --staged -f jsonl "$R"
check_rc "mode change of a clean file" 0
printf '#!/bin/sh\nexport GH=%s\n' "$(tok ghp 6)" >"$R/deploy.sh"
git -C "$R" add deploy.sh
git -C "$R" update-index --chmod=+x deploy.sh
bb scan --staged -f jsonl "$R"
check_eq "new executable file (100755) with a secret" "deploy.sh	2	11" "$(q file,line,column)"
git -C "$R" reset -q --hard
git -C "$R" clean -qfd

ln -s "$(tok ghp 7)" "$R/link"
git -C "$R" add link
bb scan --staged -f jsonl "$R"
check_rc "a symbolic link's target string is not file content" 0
git -C "$R" reset -q --hard
git -C "$R" clean -qfd

echo "== sensitive files by name"
echo "DEBUG=1" >"$R/.env"
git -C "$R" add .env
bb scan --staged -f jsonl "$R"
check_eq "a staged .env is a sensitive-file finding" "sensitive-file	.env" "$(q kind,file)"
git -C "$R" rm -q --cached .env
rm "$R/.env"

echo "== submodules"
SUB=$T/subproject
mkrepo "$SUB"
printf 'K=%s\n' "$(tok ghp 8)" >"$SUB/secret.txt"
git -C "$SUB" add secret.txt
commit "$SUB" "sub"
git -C "$R" submodule add -q "file://$SUB" mod 2>/dev/null
bb scan --staged -f json "$R"
check_rc "staged submodule (and .gitmodules): its content is not scanned" 0
check_grep "warning names the submodule" "mod: submodule" "$T/err"
check_eq "warning in the json report" "mod	submodule: not scanned" "$($GT warnings "$T/out")"
commit "$R" "submodule"

echo "== linked worktree"
git -C "$R" worktree add -q "$T/wt" -b wt-branch
printf 'token: %s\n' "$(tok ghp 9)" >"$T/wt/ci.yml"
git -C "$T/wt" add ci.yml
bb scan --staged -f jsonl "$T/wt"
check_eq "worktree: its own index" "ci.yml	1" "$(q file,line)"
bb scan --staged -f jsonl "$R"
check_rc "main work tree: the worktree's index is not ours" 0

echo "== GIT_INDEX_FILE (git sets it for hooks: commit -a, commit PATH)"
printf 'k = %s\n' "$(tok ghp 10)" >"$R/alt.txt"
GIT_INDEX_FILE=$T/alt-index git -C "$R" read-tree HEAD
GIT_INDEX_FILE=$T/alt-index git -C "$R" add alt.txt
RC=0
(cd "$R" && GIT_INDEX_FILE=$T/alt-index "$BB" scan --staged -f jsonl . >"$T/out" 2>"$T/err") || RC=$?
check_rc "GIT_INDEX_FILE names the index to scan" 1
check_eq "the secret staged in that index" "alt.txt	1" "$(q file,line)"
rm "$R/alt.txt"

echo "== GIT_DIR and GIT_WORK_TREE (a repository kept apart from its work tree)"
git init -q --bare "$T/dotfiles.git"
mkdir -p "$T/home-tree"
dot() { git --git-dir="$T/dotfiles.git" --work-tree="$T/home-tree" "$@"; }
dot config user.name "Test User"
dot config user.email "test@example.org"
printf 'export GH=%s\n' "$(tok ghp 11)" >"$T/home-tree/.profile"
dot add .profile
RC=0
(cd "$T/home-tree" && GIT_DIR=$T/dotfiles.git GIT_WORK_TREE=$T/home-tree "$BB" scan --staged -f jsonl . >"$T/out" 2>"$T/err") || RC=$?
check_rc "GIT_DIR and GIT_WORK_TREE name the repository (as git sets them for hooks)" 1
check_eq "the staged secret" ".profile	1" "$(q file,line)"

echo "== errors"
mkdir -p "$T/plain"
bb scan --staged "$T/plain"
check_rc "not a repository" 2
check_grep "clear error" "not a git repository" "$T/err"
bb scan --staged "$R" "$T/plain"
check_rc "two paths" 2

finish
