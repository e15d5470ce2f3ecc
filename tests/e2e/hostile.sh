#!/usr/bin/env bash
# Hostile input at test-suite sizes (bench/hostile.sh runs the full sizes and prints
# the README table; chunks.sh has the 50 MB single line): many findings in one file, directories
# nested past PATH_MAX, devices, a sparse file, files vanishing during the scan, a
# large and a deeply nested hook event, a cache directory that cannot be written;
# and the modes of the files blackbar creates, under umask 000.
# A `timeout` guards each run against a hang; no timing is asserted.
. "$(dirname "$0")/lib.sh"

# ---- 20,000 findings in one file ------------------------------------------------------
# tokens 13568 and 14124 contain "fake" by chance; their CRC32 says they are real
python3 - "$T/many.txt" "$E2E" <<'EOF'
import sys
sys.path.insert(0, sys.argv[2])
from gen import ghp
with open(sys.argv[1], "w") as f:
    for i in range(10000, 30000):
        f.write("token%d = %s\n" % (i, ghp(i)))
EOF
RC=0
timeout 120 "$BB" scan --no-config -f jsonl "$T/many.txt" >"$T/out" 2>"$T/err" || RC=$?
check_rc "20,000 secrets in one file" 1
check_eq "20,000 secrets in one file: 20,000 findings, one per line" "20000 20000" \
	"$(wc -l <"$T/out") $($JL fields "$T/out" line | sort -u | wc -l)"
check_eq "tokens with a valid checksum and 'fake' inside are found" "2" \
	"$($JL fields "$T/out" line | grep -cx -e 3569 -e 4125)"

# ---- directories nested past PATH_MAX ---------------------------------------------------
python3 - "$T/deep" "$($GEN token ghp 2)" <<'EOF'
import os, sys
os.makedirs(sys.argv[1])
fd = os.open(sys.argv[1], os.O_RDONLY)
for i in range(2500):  # a path of 5,000 bytes: built with mkdirat/openat
    os.mkdir("d", dir_fd=fd)
    nfd = os.open("d", os.O_RDONLY, dir_fd=fd)
    os.close(fd)
    fd = nfd
with os.fdopen(os.open("leaf.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd), "w") as f:
    f.write("token=%s\n" % sys.argv[2])
EOF
RC=0
timeout 120 "$BB" scan --no-config -f jsonl "$T/deep" >"$T/out" 2>"$T/err" || RC=$?
check_rc "2,500 nested directories (past PATH_MAX)" 1
check_eq "2,500 nested directories: the secret at the bottom, its whole path" "5008" \
	"$($JL fields "$T/out" file | awk '{print length($0)}')"
rm -rf "$T/deep"

# ---- devices and a sparse file --------------------------------------------------------
mkdir "$T/devs"
ln -s /dev/zero "$T/devs/zero"
ln -s /dev/urandom "$T/devs/random"
mkfifo "$T/devs/fifo"
truncate -s 4G "$T/devs/sparse.img"
RC=0
timeout 60 "$BB" scan --no-config --follow-symlinks -f jsonl "$T/devs" >"$T/out" 2>"$T/err" || RC=$?
check_rc "links to /dev/zero and /dev/urandom, a FIFO, a 4 GB sparse file" 0
RC=0
timeout 60 "$BB" scan --no-config /dev/zero >"$T/out" 2>"$T/err" || RC=$?
check_rc "/dev/zero on the command line" 0
check_grep "/dev/zero: a warning names it" "/dev/zero: not a regular file" "$T/err"

# ---- files deleted and rewritten while scanned -------------------------------------------
$GEN many "$T/churn" 2000
(
	for _ in 1 2 3 4; do
		rm -rf "$T"/churn/d0[0-7]
		$GEN many "$T/churn" 2000
	done
) &
churn=$!
for i in 1 2 3; do
	RC=0
	timeout 60 "$BB" scan --no-config -f jsonl "$T/churn" >"$T/out" 2>"$T/err" || RC=$?
	case $RC in
	0 | 1) ok "tree changing under the scan, run $i: exit $RC" ;;
	*) bad "tree changing under the scan, run $i: exit $RC" "$(tail -3 "$T/err")" ;;
	esac
	if $JL fields "$T/out" file >/dev/null 2>"$T/msg"; then
		ok "tree changing under the scan, run $i: the report is whole"
	else
		bad "tree changing under the scan, run $i: broken report" "$(cat "$T/msg")"
	fi
done
wait $churn

# ---- the hook ---------------------------------------------------------------------
G=$($GEN token ghp 4)
python3 - "$T/post.json" "$G" <<'EOF'
import json, sys
line = "2026-11-21T09:00:00Z INFO request served in 12 ms, nothing secret here\n"
body = line * (20000000 // len(line)) + "token=" + sys.argv[2] + "\n"
json.dump({"session_id": "s", "transcript_path": "/dev/null", "cwd": "/tmp", "hook_event_name":
           "PostToolUse", "tool_name": "Bash", "tool_input": {"command": "cat app.log"},
           "tool_use_id": "t", "tool_response": {"stdout": body, "stderr": "", "interrupted": False}},
          open(sys.argv[1], "w"))
EOF
RC=0
timeout 120 "$BB" hook claude <"$T/post.json" >"$T/out" 2>"$T/err" || RC=$?
check_rc "hook: 20 MB PostToolUse output" 0
check_eq "hook: 20 MB output: the secret is gone from the answer" "0" "$(grep -c -F -- "$G" "$T/out" || true)"
check_eq "hook: 20 MB output: redacted output replaces it, every line kept" "True True" "$(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))["hookSpecificOutput"]["updatedToolOutput"]["stdout"]
e = json.load(open(sys.argv[2]))["tool_response"]["stdout"]
print("[REDACTED:github.pat-classic]" in r, r.count("\n") == e.count("\n"))' "$T/out" "$T/post.json" 2>&1)"
python3 -c 'import sys; open(sys.argv[1], "w").write("{\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Bash\",\"tool_input\":" + "[" * 200000 + "]" * 200000 + "}")' "$T/nested.json"
RC=0
timeout 60 "$BB" hook claude <"$T/nested.json" >"$T/out" 2>"$T/err" || RC=$?
check_rc "hook: JSON nested 200,000 deep: blocked (exit 2)" 2
check_eq "hook: nested JSON: one line on stderr" "1" "$(wc -l <"$T/err")"

# ---- caches and created files under umask 000 ---------------------------------------------
printf 'token=%s\n' "$G" >"$T/one.txt"
mode() { stat -c %a "$1"; }
(
	umask 000
	BLACKBAR_CACHE_DIR=$T/newcache/sub "$BB" scan --no-config -f jsonl -o "$T/report.jsonl" "$T/one.txt" \
		>/dev/null 2>"$T/err" || true
)
check_eq "umask 000: cache directories 0700" "700 700" "$(mode "$T/newcache") $(mode "$T/newcache/sub")"
check_eq "umask 000: cache files 0600" "600" "$(for f in "$T"/newcache/sub/*; do mode "$f"; done | sort -u | tr '\n' ' ' | sed 's/ $//')"
check_eq "umask 000: -o report 0600" "600" "$(mode "$T/report.jsonl")"
mkdir -p "$T/xdg/blackbar"
printf '{"policy": {"audit_log": "%s/state/deep/audit.jsonl"}}\n' "$T" >"$T/xdg/blackbar/config.json"
mkdir "$T/proj"
printf 'API_KEY=%s\n' "$G" >"$T/proj/.env"
printf '{"session_id":"s","transcript_path":"/dev/null","cwd":"%s","hook_event_name":"PreToolUse","tool_name":"Read","tool_input":{"file_path":"%s/proj/.env"},"tool_use_id":"t"}' \
	"$T/proj" "$T" >"$T/read-env.json"
(
	umask 000
	cd "$T/proj" && XDG_CONFIG_HOME=$T/xdg "$BB" hook claude <"$T/read-env.json" >"$T/out" 2>"$T/err" || true
)
check_grep "hook: reading .env is denied" '"deny"' "$T/out"
check_eq "umask 000: audit log directories 0700, log 0600" "700 700 600" \
	"$(mode "$T/state") $(mode "$T/state/deep") $(mode "$T/state/deep/audit.jsonl" 2>&1)"

# a cache directory that cannot be written: the scan compiles in memory
mkdir "$T/ro-cache"
chmod 555 "$T/ro-cache"
RC=0
if [ "$(id -u)" != 0 ]; then
	BLACKBAR_CACHE_DIR=$T/ro-cache timeout 120 "$BB" scan --no-config -f jsonl "$T/one.txt" \
		>"$T/out" 2>"$T/err" || RC=$?
elif command -v setpriv >/dev/null; then # root writes anyway: run as nobody
	chmod 755 "$T"
	chmod 644 "$T/one.txt"
	timeout 120 setpriv --reuid=65534 --regid=65534 --clear-groups env BLACKBAR_CACHE_DIR="$T/ro-cache" \
		"$BB" scan --no-config -f jsonl "$T/one.txt" >"$T/out" 2>"$T/err" || RC=$?
fi
if [ "$(id -u)" = 0 ] && ! command -v setpriv >/dev/null; then
	echo "skip read-only cache: root without setpriv writes anyway"
else
	check_rc "cache directory without write permission: the scan still runs" 1
	check_eq "read-only cache: the finding" "github.pat-classic" "$($JL fields "$T/out" rule)"
	check_eq "read-only cache: nothing written" "" "$(ls "$T/ro-cache")"
fi
finish
