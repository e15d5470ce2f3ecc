#!/usr/bin/env bash
# Agent-hook latency, process start included (bench/hooklat.c), on three events:
#   a PreToolUse Write of 16 KiB of source code, a PostToolUse Bash output of
#   1 MiB, and a PreToolUse Read of a clean file;
# and, in the same run, gitleaks' stdin mode on the same 16 KiB when a gitleaks
# binary is installed (peers/run-peer.sh's rules: PATH or $GITLEAKS_BIN).
# Usage: bench/hooklat.sh [RUNS]     (default 300)
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
BLACKBAR=${BLACKBAR:-$repo/build/blackbar}
LAT=${LAT:-$repo/build/bb-hooklat}
RUNS=${1:-300}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bb-hooklat.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
[ -x "$BLACKBAR" ] && [ -x "$LAT" ] || { echo "hooklat: build first (cmake --build build)" >&2; exit 2; }

# Payloads: real source text from this repository, no secrets in it.
python3 - "$tmp" "$repo" <<'PY'
import json, os, sys
tmp, repo = sys.argv[1], sys.argv[2]
src = b""
for root, _, files in sorted(os.walk(os.path.join(repo, "scanner", "lib"))):
    for f in sorted(files):
        if f.endswith(".c"):
            src += open(os.path.join(root, f), "rb").read()
text = src.decode()
code16 = text[:16384]
out1m = (text * (1 + (1 << 20) // len(text)))[: 1 << 20]
open(os.path.join(tmp, "write16k.txt"), "w").write(code16)
open(os.path.join(tmp, "clean.txt"), "w").write(text[:4000])
base = {"session_id": "bench", "transcript_path": "/dev/null", "cwd": tmp, "permission_mode": "default"}
ev = lambda **kw: json.dumps(dict(base, **kw))
open(os.path.join(tmp, "pre-write.json"), "w").write(ev(hook_event_name="PreToolUse", tool_name="Write",
    tool_input={"file_path": os.path.join(tmp, "app.c"), "content": code16}, tool_use_id="t1"))
open(os.path.join(tmp, "post-bash.json"), "w").write(ev(hook_event_name="PostToolUse", tool_name="Bash",
    tool_input={"command": "make"}, tool_use_id="t2",
    tool_response={"stdout": out1m, "stderr": "", "interrupted": False, "isImage": False}))
open(os.path.join(tmp, "pre-read.json"), "w").write(ev(hook_event_name="PreToolUse", tool_name="Read",
    tool_input={"file_path": os.path.join(tmp, "clean.txt")}, tool_use_id="t3"))
PY

export BLACKBAR_CACHE_DIR="$tmp/cache" BLACKBAR_USER_CONFIG=/nonexistent
"$BLACKBAR" signatures list > /dev/null   # warm the compiled-signature cache
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); runs: $RUNS"
printf '%-38s ' "floor: /bin/true (process start):"; "$LAT" "$RUNS" "$tmp/pre-read.json" /bin/true
printf '%-38s ' "blackbar PreToolUse Write 16 KiB:";  "$LAT" "$RUNS" "$tmp/pre-write.json" "$BLACKBAR" hook claude
printf '%-38s ' "blackbar PostToolUse Bash 1 MiB:";   "$LAT" "$RUNS" "$tmp/post-bash.json" "$BLACKBAR" hook claude
printf '%-38s ' "blackbar PreToolUse Read (clean):";   "$LAT" "$RUNS" "$tmp/pre-read.json" "$BLACKBAR" hook claude
printf '%-38s ' "blackbar scan - (16 KiB on stdin):"; "$LAT" "$RUNS" "$tmp/write16k.txt" "$BLACKBAR" scan -q --no-config -
gl=${GITLEAKS_BIN:-$(command -v gitleaks || true)}
if [ -n "$gl" ] && [ -x "$gl" ]; then
	printf '%-38s ' "gitleaks stdin (16 KiB):"; "$LAT" "$RUNS" "$tmp/write16k.txt" "$gl" stdin --no-banner --log-level error
else
	echo "gitleaks: not installed (peers/run-peer.sh looks for it on PATH or \$GITLEAKS_BIN); skipped"
fi
