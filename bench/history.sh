#!/usr/bin/env bash
# History-scan benchmark: `blackbar scan --git` over a large git history, side by
# side on the same machine with
#
#   read floor    blackbar --git --no-match: the same history walk and blob reads
#                 (libgit2), no matching
#   log|rg        `git log -p --all | rg --no-unicode -f baseline-patterns.txt`,
#                 the 23-pattern raw-regex baseline over the patch text. It only
#                 sees the diffs (added lines, plus removed and context lines), not
#                 whole files: less input than blackbar, which scans every unique
#                 blob in full, and no way to tell which commit added a match
#                 without parsing the log. Its findings column counts added lines
#                 ("+" lines) that match.
#   gitleaks      `gitleaks git` (or `detect` on older v8), only if a binary exists
#                 (PATH or $GITLEAKS_BIN); nothing is downloaded or built here.
#
# The history: REPO if given (any git repository, e.g. a clone of a well-known
# project), else a generated one (default 30,000 commits, written with git
# fast-import in a minute or two and kept for reuse under $HISTORY_DIR): ~400
# files of code-like text in nested directories, edits concentrated on hot files,
# files added, deleted and renamed, topic branches merged back, tags, and secrets
# planted along the way (in new files deleted a few commits later, and in hot files
# that keep being edited). Nothing of it comes from elsewhere.
#
# Each run is timed with GNU time (wall, peak RSS); RUNS runs each (default 3),
# the median wall time is reported. blackbar's blobs/s and MB/s come from its
# JSON stats (files_scanned = unique blobs scanned, bytes_scanned = their bytes).
#
# Usage: bench/history.sh [REPO]
# Environment: COMMITS (generated history size, default 30000), SEED, HISTORY_DIR
# (default /var/tmp/blackbar-history), RUNS, THREADS, BLACKBAR (default
# build/blackbar), PEERS (default ../shared/peers next to the repository),
# GITLEAKS_BIN.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
BLACKBAR=${BLACKBAR:-$repo/build/blackbar}
PEERS=${PEERS:-$repo/../shared/peers}
RUNS=${RUNS:-3}
THREADS=${THREADS:-$(nproc)}
COMMITS=${COMMITS:-30000}
SEED=${SEED:-1}
HISTORY_DIR=${HISTORY_DIR:-/var/tmp/blackbar-history}

[ -x "$BLACKBAR" ] || { echo "history: build blackbar first ($BLACKBAR)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "history: needs GNU time (apt-get install time)" >&2; exit 2; }
command -v git >/dev/null || { echo "history: needs git" >&2; exit 2; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bb-history.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# A private copy of the binary and its git module (found next to it), so a rebuild
# during the runs changes nothing.
mkdir -p "$tmp/bin"
cp "$BLACKBAR" "$tmp/bin/blackbar"
[ -f "$(dirname "$BLACKBAR")/libblackbar-git.so" ] && cp "$(dirname "$BLACKBAR")/libblackbar-git.so" "$tmp/bin/"
BLACKBAR=$tmp/bin/blackbar
export GIT_CONFIG_NOSYSTEM=1 LC_ALL=C

# ---- the history -----------------------------------------------------------------

generate() { # generate DIR: a bare repository of $COMMITS commits
	local dir=$1
	rm -rf "$dir.tmp"
	git init -q --bare "$dir.tmp"
	echo "generating $COMMITS commits into $dir (git fast-import)..." >&2
	python3 - "$COMMITS" "$SEED" "$repo/tests" 2>"$tmp/planted" <<'EOF' | git -C "$dir.tmp" fast-import --quiet --done
import random, sys

n, seed = int(sys.argv[1]), sys.argv[2]
sys.path.insert(0, sys.argv[3])
import tokens  # tests/tokens.py: alphabets, placeholder-free strings, CRC32 tails
from tokens import B62, B64, UPPER_DIGITS
r = random.Random("bench-history:%s" % seed)
out = sys.stdout.buffer

def pick(alphabet, k):
    return tokens.pick(r, alphabet, k)

# Secret-shaped values, assembled here (prefixes split so no token is whole in
# this script).
def ghp():
    return tokens.crc_token("gh" + "p_", pick(B62, 30))
def aws():
    return ("AK" + "IA" + pick(UPPER_DIGITS, 16), pick(B64, 40))
def stripe():
    return "sk" + "_live_" + pick(B62, 32)
def pem():
    body = "\n".join(pick(B64, 64) for _ in range(12))
    return "-----BEGIN RSA " + "PRIVATE KEY-----\n" + body + "\n-----END RSA " + "PRIVATE KEY-----"

WORDS = ("request response handler config value index record buffer parse render "
         "client server module result error status count offset length table column "
         "user order item price cache queue worker thread lock event timer socket "
         "stream reader writer token session header payload schema field").split()
KW = ["if", "for", "while", "return", "let", "const", "def", "func", "int", "struct"]

def code_line():
    k = r.random()
    ind = "    " * r.choice([0, 1, 1, 2, 2, 3])
    if k < 0.1:
        return ""
    if k < 0.2:
        return ind + "# " + " ".join(r.choice(WORDS) for _ in range(r.randint(3, 10)))
    a, b, c = (r.choice(WORDS) for _ in range(3))
    if k < 0.5:
        return "%s%s_%s = %s(%s, %d)" % (ind, a, b, c, r.choice(WORDS), r.randint(0, 9999))
    if k < 0.7:
        return "%s%s %s_%s(%s) {" % (ind, r.choice(KW), a, b, c)
    if k < 0.85:
        return '%s%s.%s("%s %s", %s);' % (ind, a, b, c, r.choice(WORDS), r.choice(WORDS))
    return ind + "}"

dirs = ["src", "src/core", "src/net", "src/db", "src/ui", "src/ui/widgets", "lib",
        "lib/util", "include", "tests", "tests/unit", "tests/integration", "docs",
        "docs/api", "tools", "scripts", "config", "examples", "vendor/json", "web/static"]
exts = [".c", ".h", ".py", ".go", ".js", ".ts", ".md", ".yaml", ".json", ".txt"]

def new_path(files):
    while True:
        p = "%s/%s_%s%s" % (r.choice(dirs), r.choice(WORDS), r.choice(WORDS), r.choice(exts))
        if p not in files:
            return p

def new_file():
    size = int(min(4000, max(5, r.lognormvariate(4.3, 1.0))))  # lines: median ~75
    return [code_line() for _ in range(size)]

main = {}
for _ in range(400):
    main[new_path(main)] = new_file()
hot = sorted(main)[:: 20]  # 20 files take half of the edits
planted = 0
marks = {"main": 0}
mark = 0
t0 = 1400000000
pending = {}  # commit number -> [(path)] to delete on main

def edit(files, p):
    ls = files[p] = list(files[p])  # copy on write (branches share lists)
    k = r.random()
    if k < 0.45 and ls:
        i = r.randrange(len(ls))
        ls[i:i + r.randint(1, 4)] = [code_line() for _ in range(r.randint(1, 4))]
    elif k < 0.8 or len(ls) < 20:
        i = r.randint(0, len(ls))
        ls[i:i] = [code_line() for _ in range(int(r.expovariate(1 / 8)) + 1)]
    else:
        i = r.randrange(len(ls) - 10)
        del ls[i:i + int(r.expovariate(1 / 8)) + 1]

def choose(files):
    if r.random() < 0.5:
        live = [h for h in hot if h in files]
        if live:
            return r.choice(live)
    return r.choice(list(files))

def emit(ref, parents, changes, c, msg):
    """changes: {path: lines or None (delete)}"""
    global mark
    mark += 1
    who = "Developer %d <dev%d@example.org>" % (c % 13, c % 13)
    when = t0 + c * 300
    text = ("%s\n\n%s\n" % (msg, " ".join(r.choice(WORDS) for _ in range(r.randint(5, 25))))).encode()
    w = out.write
    w(b"commit refs/heads/%s\nmark :%d\n" % (ref.encode(), mark))
    w(("author %s %d +0000\ncommitter %s %d +0000\n" % (who, when, who, when + r.randint(0, 9000))).encode())
    w(b"data %d\n%s\n" % (len(text), text))
    if parents and parents[0]:
        w(b"from :%d\n" % parents[0])
    for p in parents[1:]:
        w(b"merge :%d\n" % p)
    for p, ls in sorted(changes.items(), key=lambda x: x[1] is not None):
        if ls is None:
            w(("D %s\n" % p).encode())
        else:
            data = ("\n".join(ls) + "\n").encode()
            w(("M 100644 inline %s\ndata %d\n" % (p, len(data))).encode())
            w(data)
            w(b"\n")
    w(b"\n")
    return mark

def one_change(files, changes):
    for _ in range(min(8, int(r.expovariate(1 / 2)) + 1)):
        p = choose(files)
        edit(files, p)
        changes[p] = files[p]
    x = r.random()
    if x < 0.02:
        p = new_path(files)
        files[p] = new_file()
        changes[p] = files[p]
    elif x < 0.03 and len(files) > 300:
        p = r.choice(list(files))
        if p not in hot:
            del files[p]
            changes[p] = None
    elif x < 0.035:
        p = r.choice(list(files))
        if p not in hot:
            q = new_path(files)
            files[q] = files.pop(p)
            changes[p] = None
            changes[q] = files[q]

c = 0
topic = 0
while c < n:
    c += 1
    if c % 40 == 0 and c + 10 < n:  # a topic branch of 2-8 commits, merged back
        topic += 1
        br = dict(main)
        base = marks["main"]
        tip = base
        touched = {}
        for _ in range(r.randint(2, 8)):
            ch = {}
            one_change(br, ch)
            touched.update(ch)
            tip = emit("topic/%d" % (topic % 7), [tip], ch, c, "topic %d: %s" % (topic, r.choice(WORDS)))
            c += 1
        for p, ls in touched.items():  # the merge takes the branch's side
            if ls is None:
                main.pop(p, None)
            else:
                main[p] = ls
        ch = {p: (main.get(p)) for p in touched}
        marks["main"] = emit("main", [marks["main"], tip], ch, c, "Merge topic %d" % topic)
        continue
    ch = {}
    one_change(main, ch)
    if c % 997 == 0:  # a secret in a new file, deleted again a few commits later
        p = "deploy/env%d.sh" % c
        main[p] = ["#!/bin/sh", "# deployment settings", "export GITHUB_TOKEN=%s" % ghp(),
                   "export REGION=eu-west-1"]
        ch[p] = main[p]
        pending.setdefault(c + 5, []).append(p)
        planted += 1
    if c % 2503 == 0:  # a secret in a hot file that keeps being edited
        p = r.choice(hot)
        if p in main:
            kid, ksec = aws()
            ls = main[p] = list(main[p])
            i = r.randint(0, len(ls))
            ls[i:i] = ["aws_access_key_id = %s" % kid, "aws_secret_access_key = %s" % ksec]
            ch[p] = ls
            planted += 1
    if c % 4001 == 0:
        p = "keys/server%d.pem" % c
        main[p] = pem().split("\n")
        ch[p] = main[p]
        pending.setdefault(c + 3, []).append(p)
        planted += 1
    if c % 3331 == 0:
        p = "src/billing/settings%d.py" % c
        main[p] = ["import os", "", 'STRIPE_KEY = "%s"' % stripe()]
        ch[p] = main[p]
        planted += 1
    for p in pending.pop(c, []):
        if p in main:
            del main[p]
            ch[p] = None
    marks["main"] = emit("main", [marks["main"]], ch, c, "commit %d: %s %s" % (c, r.choice(WORDS), r.choice(WORDS)))
    if c % 2000 == 0:
        out.write(b"reset refs/tags/v1.%d\nfrom :%d\n\n" % (c // 2000, marks["main"]))
out.write(b"done\n")
print("planted %d" % planted, file=sys.stderr)
EOF
	sed -n 's/^planted //p' "$tmp/planted" >"$dir.tmp/bench-planted"
	git -C "$dir.tmp" repack -q -a -d
	rm -rf "$dir"
	mv "$dir.tmp" "$dir"
}

if [ $# -ge 1 ]; then
	R=$(cd "$1" && pwd -P)
	git -C "$R" rev-parse --git-dir >/dev/null 2>&1 || { echo "history: $1 is not a git repository" >&2; exit 2; }
	what="$R"
else
	mkdir -p "$HISTORY_DIR"
	R=$HISTORY_DIR/gen-$COMMITS-$SEED.git
	[ -f "$R/bench-planted" ] || generate "$R"
	what="generated ($COMMITS commits requested, seed $SEED, $(cat "$R/bench-planted") secrets planted)"
fi

# ---- describe the machine and the history ------------------------------------------------

commits=$(git -C "$R" rev-list --all --count)
refs=$(git -C "$R" for-each-ref | wc -l)
read -r blobs blob_bytes < <(git -C "$R" rev-list --all --objects | cut -d' ' -f1 |
	git -C "$R" cat-file --batch-check='%(objecttype) %(objectsize)' |
	awk '$1 == "blob" {n++; s += $2} END {print n + 0, s + 0}')
pack=$(du -sk "$R/objects" 2>/dev/null || du -sk "$R/.git/objects")
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GiB, Linux $(uname -r), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "tools: $(git --version), $("$BLACKBAR" --version 2>/dev/null | awk 'NR == 1'), $(rg --version 2>/dev/null | awk 'NR == 1' | grep . || echo 'no ripgrep')"
echo "history: $what"
awk -v c="$commits" -v r="$refs" -v b="$blobs" -v s="$blob_bytes" -v p="${pack%%[[:space:]]*}" 'BEGIN {
	printf "  %d commits, %d refs, %d unique blobs, %.1f MB of blob content, %.1f MB of objects on disk\n", c, r, b, s / 1e6, p * 1024 / 1e6 }'
echo "warming the page cache..."
cat "$R"/objects/pack/*.pack "$R"/.git/objects/pack/*.pack >/dev/null 2>&1 || true

# ---- runs ------------------------------------------------------------------------------------

# timed NAME CMD...: RUNS runs; sets W (median wall s), M (max peak RSS KiB)
timed() {
	local name=$1 walls=() rss=0 w m
	shift
	M=0
	for _ in $(seq "$RUNS"); do
		/usr/bin/time -f '%e %M' -o "$tmp/time" "$@" >/dev/null 2>"$tmp/$name.err" || true
		read -r w m < <(tail -n1 "$tmp/time")
		walls+=("$w")
		[ "$m" -gt "$M" ] && M=$m
	done
	W=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}')
}

rows=()  # one per run, tab-separated: name, input, wall, blobs/s, MB/s, rss KiB, findings
row() { local IFS=$'\t'; rows+=("$*"); }
bb=("$BLACKBAR" scan --git --no-config --no-progress -q --threads "$THREADS" -f json)

bbrow() { # bbrow NAME EXTRA_ARGS...
	local name=$1
	shift
	timed "$name" "${bb[@]}" "$@" -o "$tmp/$name.json" "$R"
	read -r files bytes found distinct < <(python3 - "$tmp/$name.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
s = d["stats"]
print(s["files_scanned"], s["bytes_scanned"], s["findings"],
      len({(f["file"], f["fingerprint"]) for f in d["findings"]}))
EOF
)
	row "$name" "$files blobs, $(awk -v b="$bytes" 'BEGIN {printf "%.1f MB", b / 1e6}')" "$W" \
		"$(awk -v n="$files" -v w="$W" 'BEGIN {printf "%.0f", n / w}')" \
		"$(awk -v b="$bytes" -v w="$W" 'BEGIN {printf "%.1f", b / 1e6 / w}')" "$M" "$found"
	[ "$name" = blackbar ] && BB_FOUND=$found BB_DISTINCT=$distinct
	return 0
}

echo "blackbar scan --git ($RUNS runs)..."
bbrow blackbar
bbrow "blackbar-1-thread" --threads 1
echo "read floor (--no-match)..."
bbrow read-floor --no-match

if command -v rg >/dev/null && [ -f "$PEERS/baseline-patterns.txt" ]; then
	echo "git log -p --all | rg ($RUNS runs)..."
	pats=$PEERS/baseline-patterns.txt
	git -C "$R" log -p --all --no-color | wc -c >"$tmp/patch-bytes"
	timed rg bash -c 'set -o pipefail; git -C "$1" log -p --all --no-color | rg --no-unicode -f "$2" >"$3"; r=$?; [ $r -le 1 ]' \
		_ "$R" "$pats" "$tmp/rg.out"
	pb=$(cat "$tmp/patch-bytes")
	rgw=$W rgm=$M
	timed gitlog bash -c 'git -C "$1" log -p --all --no-color >/dev/null' _ "$R"
	row "git log -p alone" "$(awk -v b="$pb" 'BEGIN {printf "%.1f MB of patch text", b / 1e6}')" "$W" - \
		"$(awk -v b="$pb" -v w="$W" 'BEGIN {printf "%.1f", b / 1e6 / w}')" "$M" -
	W=$rgw M=$rgm
	added=$(grep -c '^+' "$tmp/rg.out" || true)
	row "git log -p \| rg" "$(awk -v b="$pb" 'BEGIN {printf "%.1f MB of patch text", b / 1e6}')" "$W" - \
		"$(awk -v b="$pb" -v w="$W" 'BEGIN {printf "%.1f", b / 1e6 / w}')" "$M" "$added"
else
	echo "ripgrep or $PEERS/baseline-patterns.txt missing: baseline skipped" >&2
fi

gl=${GITLEAKS_BIN:-$(command -v gitleaks || true)}
if [ -n "$gl" ] && [ -x "$gl" ]; then
	echo "gitleaks ($RUNS runs)..."
	if "$gl" git --help >/dev/null 2>&1; then
		glcmd=("$gl" git "$R")
	else
		glcmd=("$gl" detect --source "$R")
	fi
	timed gitleaks "${glcmd[@]}" --no-banner --exit-code 0 --log-level error \
		--report-format json --report-path "$tmp/gitleaks.json"
	glf=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$tmp/gitleaks.json" 2>/dev/null || echo "?")
	row "gitleaks $("$gl" version 2>/dev/null || true)" "git history" "$W" - - "$M" "$glf"
else
	echo "no gitleaks binary (PATH or \$GITLEAKS_BIN): skipped" >&2
fi

printf '\n| run | input | wall s | blobs/s | MB/s | peak RSS MiB | findings |\n| --- | --- | ---: | ---: | ---: | ---: | ---: |\n'
for row in "${rows[@]}"; do
	IFS=$'\t' read -r name input wall bps mbs rss found <<<"$row"
	awk -v n="$name" -v i="$input" -v w="$wall" -v b="$bps" -v m="$mbs" -v r="$rss" -v f="$found" \
		'BEGIN {printf "| %s | %s | %.2f | %s | %s | %.1f | %s |\n", n, i, w, b, m, r / 1024, f}'
done
echo
echo "blackbar: $BB_FOUND findings, $BB_DISTINCT distinct (file, secret) pairs"
[ -f "$R/bench-planted" ] && echo "planted in the generated history: $(cat "$R/bench-planted") secrets"
echo "log|rg counts added lines that match one of its 23 patterns; it also saw every removed and context line."
