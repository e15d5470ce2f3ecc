#!/usr/bin/env bash
# scan --git: every blob of the history once, with the commit that introduced it;
# all references; --since REV and A..B.
. "$(dirname "$0")/lib.sh"

R=$T/repo
mkrepo "$R"
S1=$(tok ghp 11) S2=$(tok ghp 12) S3=$(tok ghp 13) S4=$(tok ghp 14) S5=$(tok ghp 15) \
	S6=$(tok ghp 16) S7=$(tok ghp 17)
rev() { git -C "$R" rev-parse "$1"; }

echo "hello" >"$R/README"
git -C "$R" add README
commit "$R" "A: readme"
A=$(rev HEAD)

mkdir -p "$R/config"
printf '[server]\nport = 8080\n[github]\ntoken = %s\n' "$S1" >"$R/config/app.ini"
git -C "$R" add config/app.ini
GIT_AUTHOR_NAME="Alice Example" GIT_AUTHOR_EMAIL="alice@example.org" \
	commit "$R" "B: add config" "2021-02-03T04:05:06Z" "2022-03-04T05:06:07Z"
B=$(rev HEAD)
cp "$R/config/app.ini" "$T/app.ini.B"

git -C "$R" rm -q config/app.ini
commit "$R" "C: remove the token"
C=$(rev HEAD)

mkdir -p "$R/a" "$R/b"
printf 'one\nGH=%s\n' "$S2" >"$R/a/one.txt"
git -C "$R" add a/one.txt
commit "$R" "D: one"
D=$(rev HEAD)
printf 'two\n\n\n\nGH=%s\n' "$S2" >"$R/b/two.txt"
git -C "$R" add b/two.txt
commit "$R" "E: two"
E=$(rev HEAD)

mkdir -p "$R/config"
cp "$T/app.ini.B" "$R/config/app.ini"
git -C "$R" add config/app.ini
commit "$R" "F: the same config blob again"
F=$(rev HEAD)

git -C "$R" checkout -q -b feature
printf 'feat=%s\n' "$S3" >"$R/feat.txt"
git -C "$R" add feat.txt
commit "$R" "G: feature branch only"
G=$(rev HEAD)

for br in x1 x2; do
	git -C "$R" checkout -q -b "$br" main
	printf 'dup=%s\n' "$S4" >"$R/dup.txt"
	git -C "$R" add dup.txt
	commit "$R" "dup on $br"
done
X1=$(rev x1) X2=$(rev x2)

git -C "$R" checkout -q -b tmp main
printf 'tagged=%s\n' "$S5" >"$R/tagged.txt"
git -C "$R" add tagged.txt
commit "$R" "only reachable from a tag"
TG=$(rev HEAD)
git -C "$R" tag -a v-only -m "annotated tag"
git -C "$R" checkout -q main
git -C "$R" branch -q -D tmp

git -C "$R" checkout -q -b m main
printf 'merged=%s\n' "$S7" >"$R/m.txt"
git -C "$R" add m.txt
commit "$R" "M1: on the merged branch"
M1=$(rev HEAD)
git -C "$R" checkout -q main
GIT_AUTHOR_DATE="@1700000000 +0000" GIT_COMMITTER_DATE="@1700000000 +0000" \
	git -C "$R" merge -q --no-ff --no-edit m
MERGE=$(rev HEAD)
git -C "$R" branch -q -D m

printf 'stashed=%s\n' "$S6" >>"$R/README"
git -C "$R" stash -q
ST=$(rev refs/stash)
check_eq "work tree clean, secrets only in the history" "" "$(git -C "$R" status --porcelain)"

echo "== whole history"
bb scan --git -f jsonl "$R"
check_rc "history with secrets" 1
check_eq "B's secret: introduced in B (full hash), by Alice; F's identical blob not again" \
	"config/app.ini	4	9	$B	Alice Example <alice@example.org>" \
	"$(q file,line,column,commit,author file=config/app.ini)"
# B was authored in 2021 and committed (e.g. rebased) in 2022: the date that goes
# with the author is the author date, as git log and other scanners show it.
check_eq "date: B's author date (not its committer date)" "2021-02-03T04:05:06Z" "$(q date file=config/app.ini)"
check_eq "the same secret in two files (different blobs): each where it was introduced" \
	"a/one.txt	2	$D
b/two.txt	5	$E" "$(q file,line,commit file=a/one.txt; q file,line,commit file=b/two.txt)"
check_eq "a branch that is not checked out" "feat.txt	$G" "$(q file,commit file=feat.txt)"
dups=$(q commit file=dup.txt)
if [ "$dups" = "$X1" ] || [ "$dups" = "$X2" ]; then ok "the same blob on two branches: reported once (commit ${dups:0:12})"; else bad "the same blob on two branches: once" "expected one finding at $X1 or $X2" "actual: $dups"; fi
check_eq "a commit only reachable from an annotated tag" "tagged.txt	$TG" "$(q file,commit file=tagged.txt)"
check_eq "merged branch: at the branch's commit, not at the merge" "m.txt	$M1" "$(q file,commit file=m.txt)"
check_eq "refs/stash is scanned" "README	2	$ST" "$(q file,line,commit file=README)"
check_eq "nothing else" "8" "$(n)"
check_eq "the same secret has one fingerprint wherever it is" "1" "$({ q fingerprint file=a/one.txt; q fingerprint file=b/two.txt; } | sort -u | wc -l | tr -d ' ')"

bb scan --git -f text "$R"
check_grep "text output names the commit" "commit ${B:0:12} by Alice Example <alice@example.org>" "$T/out"

bb scan --git -f json -j 1 "$R"
check_eq "one thread: the same findings" "8" "$($GT stats "$T/out" findings)"

echo "== --since REV and A..B"
bb scan --git --since "$C" -f jsonl "$R"
check_rc "--since C" 1
check_eq "--since C: the config blob is reported where it came back (F), after C" "config/app.ini	$F" "$(q file,commit file=config/app.ini)"
check_eq "--since C: all later secrets" "8" "$(n)"
bb scan --git --since "$E" -f jsonl "$R"
check_eq "--since E: not D's nor E's" "0" "$(($(n file=a/one.txt) + $(n file=b/two.txt)))"
check_eq "--since E: the rest" "README config/app.ini dup.txt feat.txt m.txt tagged.txt" "$(q file | sort | tr '\n' ' ' | sed 's/ $//')"
bb scan --git --since "$A..$D" -f jsonl "$R"
check_eq "A..D: B's and D's commits only" "a/one.txt	$D
config/app.ini	$B" "$(q file,commit | sort)"
bb scan --git --since "$D..$E" -f jsonl "$R"
check_eq "D..E: E only" "b/two.txt	$E" "$(q file,commit)"
bb scan --git --since "$E..$E" -f jsonl "$R"
check_rc "an empty range" 0
bb scan --git --since v-only -f jsonl "$R"
check_eq "--since an annotated tag: its commit and older are excluded" "0" "$(n file=tagged.txt)"
bb scan --git --since no-such-rev "$R"
check_rc "--since an unknown revision" 2
check_grep "error names the revision" "no-such-rev" "$T/err"
bb scan --since "$A" "$R"
check_rc "--since without --git" 2

echo "== a file with a secret, edited later"
R2=$T/edited
mkrepo "$R2"
printf '[github]\ntoken = %s\n' "$S1" >"$R2/settings.ini"
git -C "$R2" add settings.ini
GIT_AUTHOR_NAME="Alice Example" GIT_AUTHOR_EMAIL="alice@example.org" commit "$R2" "Alice adds the token"
AL=$(git -C "$R2" rev-parse HEAD)
for i in 1 2 3; do
	printf '[setting%d]\nvalue = %d\n' "$i" "$i" >>"$R2/settings.ini"
	git -C "$R2" add settings.ini
	GIT_AUTHOR_NAME="Bob Other" GIT_AUTHOR_EMAIL="bob@example.org" commit "$R2" "Bob edits another section ($i)"
done
bb scan --git -f jsonl "$R2"
check_eq "the secret is reported once, at the commit and author that introduced it (not at Bob's 3 edits)" \
	"settings.ini	2	$AL	Alice Example <alice@example.org>" "$(q file,line,commit,author)"

echo "== errors and empty repositories"
mkdir -p "$T/plain"
echo "GH=$S1" >"$T/plain/f.txt"
bb scan --git "$T/plain"
check_rc "not a repository" 2
check_grep "clear error" "not a git repository" "$T/err"
bb scan --git "$T/missing"
check_rc "missing path" 2
mkrepo "$T/empty"
bb scan --git -f json "$T/empty"
check_rc "a repository without commits" 0

finish
