# Shared helpers for the git tests. Source it from a test script run as
#   bash TEST.sh BLACKBAR_BINARY GIT_TESTS_SOURCE_DIR
# It creates a private work directory ($T, removed on exit) with its own HOME, so
# no git configuration of the user or the system leaks in, and defines:
#   bb ARGS...         runs blackbar: stdout in $T/out, stderr in $T/err, exit in $RC
#   mkrepo DIR         a new repository (branch main, user configured, no signing)
#   tok KIND [N]       a secret-shaped value generated now (see gt.py)
#   commit DIR MSG     commits what is staged in DIR with fixed dates
#   q FIELDS [K=V..]   findings of the last report ($T/out), one TSV line each; n: count
#   ok/bad/check_*     assertions; `finish` prints the tally and sets the status
set -eu

BB=${1:?usage: $0 BLACKBAR_BINARY GIT_TESTS_SOURCE_DIR}
HERE=$(cd "${2:-$(dirname "$0")}" && pwd)
SRC=$(cd "$HERE/../.." && pwd)
case $BB in /*) ;; *) BB=$(pwd)/$BB ;; esac
BBDIR=$(cd "$(dirname "$BB")" && pwd)
GT="python3 $HERE/gt.py"

T=$(mktemp -d "${TMPDIR:-/tmp}/blackbar-git.XXXXXX")
T=$(cd "$T" && pwd -P)
cleanup() { chmod -R u+rwx "$T" 2>/dev/null || true; rm -rf "$T"; }
trap cleanup EXIT

# A git environment of our own: no system config, an empty HOME, nothing inherited
# from a git process that may be running us (a hook, a rebase).
export HOME=$T/home
mkdir -p "$HOME"
export GIT_CONFIG_NOSYSTEM=1 GIT_CEILING_DIRECTORIES=$T
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY GIT_ALTERNATE_OBJECT_DIRECTORIES \
	GIT_COMMON_DIR GIT_NAMESPACE GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_AUTHOR_DATE \
	GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL GIT_COMMITTER_DATE GIT_CONFIG_GLOBAL GIT_EDITOR \
	XDG_CONFIG_HOME PRE_COMMIT_HOME 2>/dev/null || true
git config --global init.defaultBranch main
git config --global advice.detachedHead false
git config --global protocol.file.allow always
export GIT_EDITOR=: GIT_PAGER=cat PAGER=cat
export BLACKBAR_CACHE_DIR=${BLACKBAR_CACHE_DIR:-$T/cache}
export NO_COLOR=1 LC_ALL=C

bb() {
	RC=0
	"$BB" "$@" >"$T/out" 2>"$T/err" || RC=$?
}

mkrepo() {
	git init -q -b main "$1"
	git -C "$1" config user.name "Test User"
	git -C "$1" config user.email "test@example.org"
	git -C "$1" config commit.gpgsign false
}

tok() { $GT token "$@"; }

# commit DIR MSG [AUTHOR_DATE [COMMITTER_DATE]]: commits the index, no hooks run.
NEXT_DATE=1600000000
commit() {
	NEXT_DATE=$((NEXT_DATE + 60))
	local ad=${3:-@$NEXT_DATE +0000} cd=${4:-${3:-@$NEXT_DATE +0000}}
	GIT_AUTHOR_DATE=$ad GIT_COMMITTER_DATE=$cd git -C "$1" commit -q --no-verify -m "$2"
}

. "$HERE/../check.sh"

# Findings of the last report ($T/out, jsonl or json): q FIELDS [K=V...], n [K=V...]
q() { $GT q "$T/out" "$@"; }
n() { $GT n "$T/out" "$@"; }
