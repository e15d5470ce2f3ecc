#!/usr/bin/env bash
# install git-hook / uninstall git-hook, and real `git commit` runs through the hook.
. "$(dirname "$0")/lib.sh"

# try_commit DIR ARGS...: git commit (hooks run); exit in $RC, output in $T/err.
try_commit() {
	local d=$1
	shift
	RC=0
	git -C "$d" commit "$@" >"$T/out" 2>"$T/err" || RC=$?
}
head_of() { git -C "$1" rev-parse -q --verify HEAD 2>/dev/null || echo none; }

R=$T/repo
mkrepo "$R"
echo "hello" >"$R/README"
git -C "$R" add README
commit "$R" "initial"

echo "== install, block, pass, bypass"
bb install git-hook "$R"
check_rc "install" 0
H=$R/.git/hooks/pre-commit
if [ -x "$H" ]; then ok "hook written and executable"; else bad "hook written and executable" "no executable $H"; fi
check_grep "the hook calls this blackbar by absolute path" "blackbar='$BBDIR/blackbar'" "$H"
cp "$H" "$T/hook.first"

printf 'GITHUB_TOKEN=%s\n' "$(tok ghp 1)" >"$R/ci.env.sh"
git -C "$R" add ci.env.sh
before=$(head_of "$R")
try_commit "$R" -m "add token"
check_nonzero "staged secret blocks git commit" "commit succeeded"
check_eq "HEAD unchanged" "$before" "$(head_of "$R")"
check_grep "the finding is shown" "ci.env.sh:1:14" "$T/err"
check_grep "message: blocked" "commit blocked" "$T/err"
check_grep "message: how to allow (inline)" "blackbar:allow" "$T/err"
check_grep "message: rotate" "rotate" "$T/err"
check_grep "message: --no-verify" "git commit --no-verify" "$T/err"
check_nogrep "the secret is not printed" "$(tok ghp 1)" "$T/err"

try_commit "$R" --no-verify -m "add token anyway"
check_rc "--no-verify bypasses the hook" 0
check_eq "commit made" "add token anyway" "$(git -C "$R" log -1 --format=%s)"

echo "more" >>"$R/README"
git -C "$R" add README
try_commit "$R" -m "clean change"
check_rc "clean commit passes" 0
check_eq "clean commit made" "clean change" "$(git -C "$R" log -1 --format=%s)"

echo "== idempotent"
bb install git-hook "$R"
check_rc "second install" 0
check_same "second install leaves the same hook" "$T/hook.first" "$H"
if [ -e "$R/.git/hooks/pre-commit.pre-blackbar" ]; then bad "no chained copy of our own hook" "pre-commit.pre-blackbar exists"; else ok "no chained copy of our own hook"; fi
(cd "$R" && "$BB" install git-hook >"$T/out" 2>"$T/err") && RC=0 || RC=$?
check_rc "install without REPO (current directory)" 0
check_same "still the same hook" "$T/hook.first" "$H"

echo "== git commit -a and git commit PATH (git gives the hook another index)"
printf 'password_token = "%s"\n' "$(tok ghp 2)" >>"$R/README"
before=$(head_of "$R")
try_commit "$R" -a -m "commit -a with a token"
check_nonzero "git commit -a with a secret in a tracked file is blocked" "the commit went through: $(git -C "$R" show --stat --format=%s HEAD | head -3 | tr '\n' ' ')"
[ "$(head_of "$R")" = "$before" ] || git -C "$R" reset -q --hard "$before"
git -C "$R" checkout -q -- README 2>/dev/null || true
printf 'token: %s\n' "$(tok ghp 3)" >>"$R/README"
try_commit "$R" -m "commit PATH with a token" -- README
check_nonzero "git commit -- PATH with a secret in PATH is blocked" "the commit went through"
[ "$(head_of "$R")" = "$before" ] || git -C "$R" reset -q --hard "$before"
git -C "$R" checkout -q -- README
printf 'k=%s\n' "$(tok ghp 4)" >"$R/staged-secret.txt"
git -C "$R" add staged-secret.txt
echo "clean line" >>"$R/README"
try_commit "$R" -m "commit only README" -- README
check_rc "git commit -- PATH commits only PATH: a secret staged in another file does not block it" 0
git -C "$R" reset -q --hard "$before"
rm -f "$R/staged-secret.txt"

echo "== uninstall (no previous hook)"
bb uninstall git-hook "$R"
check_rc "uninstall" 0
if [ -e "$H" ]; then bad "hook removed" "$H still there"; else ok "hook removed"; fi

echo "== an existing hook is kept, runs first, and its failure blocks"
cat >"$H" <<'EOF'
#!/bin/sh
# the project's own hook
echo "project hook ran" >&2
echo ran >>"$(git rev-parse --git-dir)/project-hook.log"
[ ! -e fail-project-hook ] || { echo "project hook: failing" >&2; exit 3; }
exit 0
EOF
chmod 755 "$H"
cp "$H" "$T/project-hook"
bb install git-hook "$R"
check_rc "install over an existing hook" 0
check_same "the existing hook is kept as pre-commit.pre-blackbar" "$T/project-hook" "$R/.git/hooks/pre-commit.pre-blackbar"
check_grep "install says so" "pre-blackbar" "$T/err"
cp "$H" "$T/hook.chained"
bb install git-hook "$R"
check_same "re-install: blackbar's hook unchanged" "$T/hook.chained" "$H"
check_same "re-install: the kept hook unchanged" "$T/project-hook" "$R/.git/hooks/pre-commit.pre-blackbar"

echo "another line" >>"$R/README"
git -C "$R" add README
try_commit "$R" -m "clean, chained"
check_rc "clean commit through both hooks" 0
check_eq "the project hook ran once" "1" "$(wc -l <"$R/.git/project-hook.log" | tr -d ' ')"

printf 'k=%s\n' "$(tok ghp 5)" >"$R/leak.txt"
git -C "$R" add leak.txt
try_commit "$R" -m "secret, chained"
check_nonzero "secret blocked with a chained hook" "commit made"
first=$(grep -n "project hook ran" "$T/err" | head -1 | cut -d: -f1)
ours=$(grep -n "github.pat-classic" "$T/err" | head -1 | cut -d: -f1)
if [ -n "$first" ] && [ -n "$ours" ] && [ "$first" -lt "$ours" ]; then ok "the project hook runs first (line $first, blackbar line $ours)"; else bad "the project hook runs first" "project hook at line '${first}', blackbar at '${ours}'" "$(head -20 "$T/err")"; fi
git -C "$R" rm -q --cached leak.txt
rm "$R/leak.txt"

touch "$R/fail-project-hook"
echo "yet another line" >>"$R/README"
git -C "$R" add README
before=$(head_of "$R")
try_commit "$R" -m "project hook fails"
check_nonzero "the project hook's failure (its exit 3) blocks a clean commit" "commit made"
check_grep "its message is shown" "project hook: failing" "$T/err"
check_nogrep "blackbar does not run after the project hook failed" "blackbar:" "$T/err"
check_eq "HEAD unchanged" "$before" "$(head_of "$R")"
rm "$R/fail-project-hook"
git -C "$R" reset -q --hard

bb uninstall git-hook "$R"
check_rc "uninstall with a kept hook" 0
check_same "the project hook is back as pre-commit" "$T/project-hook" "$H"
if [ -x "$H" ]; then ok "and still executable"; else bad "and still executable" "$(ls -l "$H")"; fi
if [ -e "$R/.git/hooks/pre-commit.pre-blackbar" ]; then bad "no leftover pre-commit.pre-blackbar" "still there"; else ok "no leftover pre-commit.pre-blackbar"; fi
bb uninstall git-hook "$R"
check_rc "uninstall when blackbar's hook is not there" 0
check_same "uninstall leaves a foreign hook alone" "$T/project-hook" "$H"
rm "$H"

echo "== core.hooksPath, relative"
R2=$T/rel
mkrepo "$R2"
git -C "$R2" config core.hooksPath .githooks
mkdir -p "$R2/sub/dir"
(cd "$R2/sub/dir" && "$BB" install git-hook >"$T/out" 2>"$T/err") && RC=0 || RC=$?
check_rc "install from a subdirectory, relative core.hooksPath" 0
if [ -x "$R2/.githooks/pre-commit" ]; then ok "hook in <top>/.githooks"; else bad "hook in <top>/.githooks" "$(find "$R2" -name pre-commit)"; fi
if [ -e "$R2/.git/hooks/pre-commit" ] || [ -e "$R2/sub/dir/.githooks/pre-commit" ]; then bad "not elsewhere" "$(find "$R2" -name pre-commit)"; else ok "not in .git/hooks nor under the subdirectory"; fi
printf 'k=%s\n' "$(tok ghp 6)" >"$R2/a.txt"
git -C "$R2" add a.txt
try_commit "$R2" -m "first commit, with a secret"
check_nonzero "relative core.hooksPath: first commit with a secret blocked" "commit made"

echo "== core.hooksPath, absolute (shared, in the global config)"
git config --global core.hooksPath "$T/shared-hooks"
R3=$T/abs
mkrepo "$R3"
bb install git-hook "$R3"
check_rc "install with an absolute core.hooksPath that does not exist yet" 0
if [ -x "$T/shared-hooks/pre-commit" ]; then ok "hook in the absolute hooks path"; else bad "hook in the absolute hooks path" "$(ls -la "$T/shared-hooks" 2>&1)"; fi
printf 'k=%s\n' "$(tok ghp 7)" >"$R3/a.txt"
git -C "$R3" add a.txt
try_commit "$R3" -m "with a secret"
check_nonzero "absolute core.hooksPath: blocked" "commit made"
bb uninstall git-hook "$R3"
check_rc "uninstall from the absolute hooks path" 0
git config --global --unset core.hooksPath

echo "== linked worktree"
bb install git-hook "$R"
git -C "$R" worktree add -q "$T/wt" -b wt
printf 'k=%s\n' "$(tok ghp 8)" >"$T/wt/w.txt"
git -C "$T/wt" add w.txt
try_commit "$T/wt" -m "worktree secret"
check_nonzero "commit in a linked worktree with a secret blocked" "commit made"
git -C "$T/wt" rm -q --cached w.txt
try_commit "$T/wt" --allow-empty -m "worktree clean"
check_rc "clean commit in the worktree" 0

echo "== unusual paths"
R4="$T/my repo"
mkrepo "$R4"
bb install git-hook "$R4"
check_rc "install in a repository whose path has a space" 0
printf 'k=%s\n' "$(tok ghp 9)" >"$R4/a.txt"
git -C "$R4" add a.txt
try_commit "$R4" -m "secret"
if [ "$RC" -ne 0 ] && grep -q "github.pat-classic" "$T/err"; then ok "path with a space: secret blocked"; else bad "path with a space: secret blocked" "exit $RC" "$(head -5 "$T/err")"; fi
git -C "$R4" rm -q --cached a.txt
echo clean >"$R4/b.txt"
git -C "$R4" add b.txt
try_commit "$R4" -m "clean"
check_rc "path with a space: clean commit passes" 0

Q="$T/it's here"
mkdir -p "$Q"
cp "$BB" "$BBDIR/libblackbar-git.so" "$Q/"
R5=$T/quoted
mkrepo "$R5"
RC=0
"$Q/blackbar" install git-hook "$R5" >"$T/out" 2>"$T/err" || RC=$?
check_rc "install with blackbar in a directory whose name has a quote" 0
echo clean >"$R5/b.txt"
git -C "$R5" add b.txt
try_commit "$R5" -m "clean"
check_rc "that hook runs: a clean commit passes" 0
check_nogrep "no shell syntax error" "Syntax error" "$T/err"

echo "== GIT_DIR and GIT_WORK_TREE (git --git-dir=... --work-tree=... commit)"
git init -q --bare "$T/dotfiles.git"
mkdir -p "$T/home-tree"
dot() { git --git-dir="$T/dotfiles.git" --work-tree="$T/home-tree" "$@"; }
dot config user.name "Test User"
dot config user.email "test@example.org"
bb install git-hook "$T/dotfiles.git"
check_rc "install in a bare repository used with a separate work tree" 0
echo "alias ll='ls -l'" >"$T/home-tree/.bashrc"
dot add .bashrc
RC=0
dot commit -q -m "clean" >"$T/out" 2>"$T/err" || RC=$?
check_rc "separate work tree: a clean commit passes" 0
printf 'export GH=%s\n' "$(tok ghp 10)" >>"$T/home-tree/.bashrc"
dot add .bashrc
RC=0
dot commit -q -m "secret" >"$T/out" 2>"$T/err" || RC=$?
if [ "$RC" -ne 0 ] && grep -q "github.pat-classic" "$T/err"; then ok "separate work tree: a secret is blocked, as a finding"; else bad "separate work tree: a secret is blocked, as a finding" "exit $RC" "$(head -5 "$T/err")"; fi

echo "== errors"
mkdir -p "$T/plain"
bb install git-hook "$T/plain"
check_rc "install in a directory that is not a repository" 2
check_grep "clear error" "not a git repository" "$T/err"
bb uninstall git-hook "$T/plain"
check_rc "uninstall in a non-repository" 2
bb install git-hook "$T/does-not-exist"
check_rc "install in a missing directory" 2
bb install git-hook "$R" "$R2"
check_rc "two repositories" 2

finish
