#!/usr/bin/env bash
# The pre-commit framework (https://pre-commit.com) with blackbar's
# .pre-commit-hooks.yaml: `pre-commit try-repo <blackbar repository> blackbar`
# blocks a file with a secret and passes a clean one, with blackbar on PATH.
# Skipped (exit 77) only when the pre-commit program is not installed.
. "$(dirname "$0")/lib.sh"

command -v pre-commit >/dev/null 2>&1 || { echo "SKIP: pre-commit is not installed"; exit 77; }
echo "pre-commit $(pre-commit --version 2>&1 | awk '{print $NF}'), manifest from $SRC"
export PATH="$BBDIR:$PATH" PRE_COMMIT_HOME=$T/pre-commit-cache
# try-repo copies uncommitted changes of the hook repository through git, which
# needs the repository's own configuration to be readable under our HOME.
git config --global --add safe.directory '*'

R=$T/project
mkrepo "$R"
printf 'export GITHUB_TOKEN=%s\n' "$(tok ghp 71)" >"$R/deploy.sh"
printf 'nothing to see here\n' >"$R/clean.txt"
git -C "$R" add deploy.sh clean.txt

# try HOOK_REPO FILE: sets RC, output in $T/pc.out
try() {
	RC=0
	(cd "$R" && pre-commit try-repo "$1" blackbar --files "$2") >"$T/pc.out" 2>&1 || RC=$?
}

# checks HOOK_REPO LABEL
checks() {
	try "$1" deploy.sh
	if [ "$RC" -ne 0 ] && grep -q "Failed" "$T/pc.out"; then
		ok "$2: a file with a secret fails the hook (exit $RC)"
	else
		bad "$2: a file with a secret fails the hook" "exit $RC" "$(tail -15 "$T/pc.out")"
	fi
	check_grep "$2: the finding is shown" "deploy.sh:1:21" "$T/pc.out"
	check_nogrep "$2: the secret is not shown" "$(tok ghp 71)" "$T/pc.out"
	try "$1" clean.txt
	if [ "$RC" -eq 0 ] && grep -q "Passed" "$T/pc.out"; then
		ok "$2: a clean file passes (exit 0)"
	else
		bad "$2: a clean file passes" "exit $RC" "$(tail -15 "$T/pc.out")"
	fi
}

if ! git -C "$SRC" rev-parse --git-dir >/dev/null 2>&1 || ! git -C "$SRC" cat-file -e HEAD:.pre-commit-hooks.yaml 2>/dev/null; then
	bad "the blackbar repository has .pre-commit-hooks.yaml committed" "$SRC is not a git repository with the manifest committed"
	finish
fi

echo "== try-repo against the blackbar repository"
HOOKREPO=$SRC
LABEL="try-repo $SRC"
try "$SRC" clean.txt
if grep -q "InvalidManifestError" "$T/pc.out"; then
	bad "the blackbar manifest is valid for this pre-commit" "$(grep -E '==> At key|=====>' "$T/pc.out" | head -3)"
	# Go on with a copy of the manifest without `stages`, to check the rest of it.
	HOOKREPO=$T/manifest
	LABEL="manifest without its stages line"
	mkrepo "$HOOKREPO"
	grep -v '^[[:space:]]*stages:' "$SRC/.pre-commit-hooks.yaml" >"$HOOKREPO/.pre-commit-hooks.yaml"
	git -C "$HOOKREPO" add .pre-commit-hooks.yaml
	commit "$HOOKREPO" "manifest without stages"
	echo "== try-repo with a copy of the manifest without stages"
else
	ok "the blackbar manifest is valid for this pre-commit"
fi
checks "$HOOKREPO" "$LABEL"

echo "== a .pre-commit-config.yaml and git commit"
rev=$(git -C "$HOOKREPO" rev-parse HEAD)
printf 'repos:\n  - repo: %s\n    rev: %s\n    hooks:\n      - id: blackbar\n' "$HOOKREPO" "$rev" >"$R/.pre-commit-config.yaml"
git -C "$R" add .pre-commit-config.yaml
RC=0
(cd "$R" && pre-commit install) >"$T/pc.out" 2>&1 || RC=$?
check_rc "pre-commit install" 0
RC=0
git -C "$R" commit -q -m "with a secret" >"$T/pc.out" 2>&1 || RC=$?
check_nonzero "git commit through the framework: blocked" "committed"
git -C "$R" rm -q --cached deploy.sh
RC=0
git -C "$R" commit -q -m "clean" >"$T/pc.out" 2>&1 || RC=$?
if [ "$RC" -eq 0 ]; then ok "git commit through the framework: clean commit passes"; else bad "clean commit passes" "exit $RC" "$(tail -15 "$T/pc.out")"; fi

finish
