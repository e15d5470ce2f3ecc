#!/usr/bin/env bash
# Hostile input at full size: what blackbar does, how long it takes and how much
# memory it uses. Prints a Markdown table (README "Hostile input"): one row per
# case with wall time, peak RSS, exit code and what blackbar said on stderr.
# The same behaviours are checked at smaller sizes by ctest (tests/e2e/hostile.sh).
#
# Usage: bench/hostile.sh [--quick]   (--quick: 1/10 sizes, no million-file tree)
# Needs about 5 GB of free disk in $TMPDIR (the million-file tree) and zstd(1).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
BB=${BLACKBAR:-$repo/build/blackbar}
GEN="python3 $repo/tests/e2e/gen.py"
quick=0
[ "${1:-}" = --quick ] && quick=1
[ -x "$BB" ] || { echo "hostile: build first (cmake --build build)" >&2; exit 2; }
T=$(mktemp -d "${TMPDIR:-/var/tmp}/bb-hostile.XXXXXX")
cleanup() { chmod -R u+rwx "$T" 2>/dev/null || true; rm -rf "$T"; }
trap cleanup EXIT
export BLACKBAR_CACHE_DIR=$T/cache NO_COLOR=1
scale() { if [ $quick = 1 ]; then echo $(($1 / 10)); else echo "$1"; fi; }

echo "# blackbar hostile-input run"
echo
echo "- machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)," \
	"$(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- blackbar: $("$BB" --version | head -1)"
echo
echo "| input | time | peak RSS | exit | what blackbar says |"
echo "|---|---:|---:|---:|---|"

# row NAME CMD...: runs CMD (stdin from /dev/null unless redirected in CMD), prints
# a row. What blackbar says: its last line on stderr that is not the summary, else
# the summary.
row() {
	local name=$1
	shift
	local rc=0
	/usr/bin/time -f '%e %M' -o "$T/time" timeout 900 "$@" >"$T/out" 2>"$T/err" </dev/null || rc=$?
	read -r secs kb < <(tail -1 "$T/time") || true
	local said
	said=$(grep -v -e '^blackbar: [0-9]* finding' -e '^Command exited' "$T/err" | tail -1 | cut -c1-140 || true)
	[ -n "$said" ] || said=$(tail -1 "$T/err" | cut -c1-140)
	if [ -z "$said" ] && [ "$(head -c1 "$T/out")" = "{" ]; then # a hook's answer
		said=$(python3 -c '
import json, sys
h = json.load(open(sys.argv[1])).get("hookSpecificOutput", {})
parts = [k + "=" + str(h[k]) for k in ("permissionDecision",) if k in h]
u = h.get("updatedToolOutput")
if u is not None:
    t = json.dumps(u)
    parts.append("updatedToolOutput of %d bytes, %d redaction(s)" % (len(t), t.count("[REDACTED:")))
print("answer: " + (", ".join(parts) or "{}"))' "$T/out" 2>&1 | cut -c1-140)
	fi
	[ $rc = 124 ] && said="TIMED OUT after 900 s"
	said=${said//|/\\|}
	printf '| %s | %.2f s | %d MiB | %d | %s |\n' "$name" "$secs" $((kb / 1024)) "$rc" "$said"
}
scan() { row "$1" "$BB" scan --no-config -f jsonl "${@:2}"; }

# warm the signature cache so that every row measures the input, not the compile
"$BB" scan --no-config - </dev/null >/dev/null 2>&1 || true

# ---- compressed --------------------------------------------------------------------
$GEN bomb "$T/zeros.gz" zeros
scan "gzip bomb: 1 GiB of zeros in $(($(stat -c %s "$T/zeros.gz") / 1024)) KiB" "$T/zeros.gz"
$GEN bomb "$T/text.gz" text
scan "gzip bomb: a secret, then 1 GiB of text lines" "$T/text.gz"
n=$(scale 10)
head -c $((n << 30)) /dev/zero | zstd -q -19 --long=27 -o "$T/zeros.zst" 2>/dev/null ||
	head -c $((n << 30)) /dev/zero | zstd -q -1 -o "$T/zeros.zst"
scan "zstd bomb: $n GiB of zeros in $(($(stat -c %s "$T/zeros.zst") / 1024)) KiB" "$T/zeros.zst"

# ---- sizes -------------------------------------------------------------------------
n=$(scale 10)
truncate -s "${n}G" "$T/sparse.img"
scan "$n GB sparse file" "$T/sparse.img"
printf 'token=%s\n' "$($GEN token ghp 1)" >"$T/sparse-text.log"
truncate -s "${n}G" "$T/sparse-text.log"
scan "$n GB sparse file starting with a line of text and a secret" "$T/sparse-text.log"
n=$(scale 50)
$GEN oneline "$T/oneline.js" "$n"
scan "$n MB on a single line, a secret at its end" "$T/oneline.js"
n=$(scale 100000)
python3 - "$T/many.txt" "$n" "$repo/tests/e2e" <<'PY'
import sys
sys.path.insert(0, sys.argv[3])
from gen import ghp
with open(sys.argv[1], "w") as f:
    for i in range(int(sys.argv[2])):
        f.write("token%d = %s\n" % (i, ghp(10000 + i)))
PY
scan "$n secrets in one file ($(($(stat -c %s "$T/many.txt") >> 20)) MB)" "$T/many.txt"

# ---- trees -------------------------------------------------------------------------
if [ $quick = 0 ]; then
	python3 - "$T/million" <<'PY'
import os, sys
root = sys.argv[1]
for d in range(1000):
    p = os.path.join(root, "d%03d" % d)
    os.makedirs(p)
    for f in range(1000):
        with open(os.path.join(p, "f%03d.txt" % f), "w") as fh:
            fh.write("value %d\n" % (d * 1000 + f))
PY
	scan "a tree of 1,000,000 files" "$T/million"
	rm -rf "$T/million"
fi
n=$(scale 10000)
python3 - "$T/deep" "$n" "$($GEN token ghp 2)" <<'PY'
import os, sys
root, depth, tok = sys.argv[1], int(sys.argv[2]), sys.argv[3]
os.makedirs(root)
fd = os.open(root, os.O_RDONLY)
for i in range(depth):  # paths far past PATH_MAX: built with mkdirat/openat
    os.mkdir("d", dir_fd=fd)
    nfd = os.open("d", os.O_RDONLY, dir_fd=fd)
    os.close(fd)
    fd = nfd
with os.fdopen(os.open("leaf.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd), "w") as f:
    f.write("token=%s\n" % tok)
os.close(fd)
PY
scan "$n nested directories (path of $((n * 2)) bytes), a secret at the bottom" "$T/deep"
mkdir -p "$T/loops/a/b/c"
for i in $(seq 1 50); do ln -s ../.. "$T/loops/a/b/c/up$i"; ln -s "$T/loops" "$T/loops/a/root$i"; done
ln -s self "$T/loops/self"
scan "symlink loops (101 links to ancestors, a self link), --follow-symlinks" --follow-symlinks "$T/loops"
mkdir "$T/devs"
mkfifo "$T/devs/fifo"
ln -s /dev/zero "$T/devs/zero"
ln -s /dev/urandom "$T/devs/urandom"
mknod "$T/devs/null" c 1 3 2>/dev/null || true
scan "a FIFO, /dev/zero and /dev/urandom (links followed), a device node" --follow-symlinks "$T/devs"
scan "/dev/zero given on the command line" /dev/zero

# ---- files that change -------------------------------------------------------------
n=$(scale 20000)
$GEN many "$T/churn" "$n"
(
	end=$((SECONDS + 30))
	while [ $SECONDS -lt $end ]; do
		for f in "$T"/churn/d0[0-4]/e*/f*.txt; do rm -f "$f"; done
		$GEN many "$T/churn" "$n" # recreated, rewritten while the scan reads them
	done
) &
churn=$!
sleep 0.2
scan "$n files deleted, recreated and rewritten during the scan" "$T/churn"
kill $churn 2>/dev/null || true
wait $churn 2>/dev/null || true
python3 - "$T/growing.log" <<'PY' &
import sys, time
end = time.time() + 20
with open(sys.argv[1], "w") as f:
    while time.time() < end:  # append, and every 64 MiB cut back to nothing
        f.write("log line with nothing in it\n" * 10000)
        f.flush()
        if f.tell() > 64 << 20:
            f.truncate(0)
            f.seek(0)
PY
grower=$!
sleep 0.5
scan "a log appended to and truncated while scanned" "$T/growing.log"
kill $grower 2>/dev/null || true
wait $grower 2>/dev/null || true
mkdir "$T/locked"
printf 'token=%s\n' "$($GEN token ghp 3)" >"$T/locked/secret.txt"
chmod 000 "$T/locked/secret.txt"
chmod 755 "$T"
if command -v setpriv >/dev/null && [ "$(id -u)" = 0 ]; then
	row "an unreadable file (run as an unprivileged user)" setpriv --reuid=65534 --regid=65534 \
		--clear-groups env BLACKBAR_CACHE_DIR="$T/nobody-cache" "$BB" scan --no-config "$T/locked"
elif [ "$(id -u)" != 0 ]; then
	scan "an unreadable file" "$T/locked"
fi

# ---- the hook ----------------------------------------------------------------------
n=$(scale 100)
python3 - "$T/post.json" "$n" "$($GEN token ghp 4)" <<'PY'
import json, sys
path, mb, tok = sys.argv[1], int(sys.argv[2]), sys.argv[3]
line = "2026-11-21T09:00:00Z INFO request served in 12 ms, nothing secret here\n"
body = line * (mb * 1000000 // len(line)) + "token=" + tok + "\n"
json.dump({"session_id": "s", "transcript_path": "/dev/null", "cwd": "/tmp", "hook_event_name":
           "PostToolUse", "tool_name": "Bash", "tool_input": {"command": "cat app.log"},
           "tool_use_id": "t", "tool_response": {"stdout": body, "stderr": "", "interrupted": False}},
          open(path, "w"))
PY
row "hook: a $n MB PostToolUse Bash output, a secret at its end" sh -c '"$0" hook claude <"$1"' "$BB" "$T/post.json"
python3 - "$T/nested.json" <<'PY'
import sys
open(sys.argv[1], "w").write('{"hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":'
                             + "[" * 1000000 + "]" * 1000000 + "}")
PY
row "hook: JSON nested 1,000,000 deep" sh -c '"$0" hook claude <"$1"' "$BB" "$T/nested.json"
head -c $((600 << 20)) /dev/zero | tr '\0' ' ' >"$T/huge.json"
row "hook: a 600 MB event (over the 512 MiB limit)" sh -c '"$0" hook claude <"$1"' "$BB" "$T/huge.json"

# ---- the cache ---------------------------------------------------------------------
printf 'token=%s\n' "$($GEN token ghp 6)" >"$T/one.txt"
c=$(ls "$T"/cache/*.bbdb | head -1)
truncate -s $(($(stat -c %s "$c") / 2)) "$c"
scan "cache file truncated to half" "$T/one.txt"
python3 -c 'import sys; f = open(sys.argv[1], "r+b"); f.seek(4096); f.write(b"\xa5" * 65536)' "$c"
scan "cache file with 64 KiB overwritten" "$T/one.txt"
mkdir "$T/ro-cache"
chmod 555 "$T/ro-cache"
if [ "$(id -u)" = 0 ]; then
	row "cache directory without write permission (unprivileged user)" setpriv --reuid=65534 \
		--regid=65534 --clear-groups env BLACKBAR_CACHE_DIR="$T/ro-cache" "$BB" scan --no-config "$T/one.txt"
else
	row "cache directory without write permission" env BLACKBAR_CACHE_DIR="$T/ro-cache" "$BB" scan --no-config "$T/one.txt"
fi
rm -rf "$T/shared-cache"
row "8 runs at once sharing one empty cache directory" sh -c '
	for i in 1 2 3 4 5 6 7 8; do
		BLACKBAR_CACHE_DIR="$2/shared-cache" "$0" scan --no-config -f jsonl "$1" >"$2/par$i" 2>"$2/par$i.err" &
	done
	wait
	for i in 2 3 4 5 6 7 8; do cmp -s "$2/par1" "$2/par$i" || { echo "run $i differs" >&2; exit 3; }; done
	echo "8 identical reports (JSON Lines); $(ls "$2/shared-cache" | grep -c bbdb) cache file" >&2' "$BB" "$T/one.txt" "$T"
