#!/usr/bin/env bash
# Compiled-signature cache: created on the first run, reused with identical results,
# silently rebuilt when truncated or overwritten, keyed on the signature set, never
# a reason to fail.
. "$(dirname "$0")/lib.sh"

$GEN tree "$T/tree" >/dev/null
C="$T/cachedir"
mkdir "$C"
cache_files() { find "$C" -type f ! -name compile.lock | sort; } # compile.lock serialises compiles
# scan ARGS...: jsonl scan of the tree with the test's cache directory
scan() { bb scan --no-config -f jsonl --cache-dir "$C" "$@" "$T/tree"; }
stderr_clean() { # only the summary line on stderr
	if grep -v '^blackbar: [0-9]* finding' "$T/err" >"$T/noise"; then bad "$1: stderr has only the summary" "$(cat "$T/noise")"; else ok "$1: stderr has only the summary"; fi
}

bb scan --no-config -f jsonl --no-cache "$T/tree"
check_rc "--no-cache" 1
cp "$T/out" "$T/reference.jsonl"

scan
check_rc "first run, empty cache directory" 1
check_same "first run: same findings as --no-cache" "$T/reference.jsonl" "$T/out"
F=$(cache_files | head -1)
if [ -n "$F" ] && [ -s "$F" ]; then ok "first run created a cache file ($(basename "$F"), $(wc -c <"$F") bytes)"; else bad "no cache file created in $C" "$(ls -la "$C")"; fi
[ -n "$F" ] || finish
SIZE=$(wc -c <"$F")
cp "$F" "$T/cache.orig"

scan
check_same "second run: identical findings" "$T/reference.jsonl" "$T/out"
check_eq "second run: the cache file is reused, not rewritten" "$(cache_files)" "$F"
check_same "second run: the cache file is unchanged" "$T/cache.orig" "$F"

# corrupt HOW: damages the cache file, scans, expects the same results and a rebuilt file
corrupt() {
	scan
	check_rc "$1" 1
	check_same "$1: identical findings" "$T/reference.jsonl" "$T/out"
	stderr_clean "$1"
	# compiling is deterministic: the rebuilt file equals the first one
	check_same "$1: cache file rebuilt" "$T/cache.orig" "$F"
}
truncate -s $((SIZE / 2)) "$F"
corrupt "cache truncated to half"
: >"$F"
corrupt "cache emptied"
python3 -c 'import sys; f = open(sys.argv[1], "r+b"); f.seek(int(sys.argv[2]) // 2); f.write(b"\xa5" * 4096)' "$F" "$SIZE"
corrupt "4 KiB in the middle of the cache overwritten"
python3 -c 'import sys; f = open(sys.argv[1], "r+b"); f.write(b"\0" * 64)' "$F"
corrupt "cache header zeroed"
python3 -c 'import sys, os; f = open(sys.argv[1], "r+b"); f.seek(-16, os.SEEK_END); f.write(os.urandom(16))' "$F"
corrupt "last 16 bytes of the cache overwritten"

# Another signature set: its own results, and the built-in set's results after it.
printf '{"format": 1, "signatures": [{"id": "test.xyzzy", "name": "Xyzzy token", "kind": "secret", "severity": "high", "pattern": "\\\\b(xyzzy_[0-9a-f]{16})\\\\b", "secret_group": 1, "examples": ["k = xyzzy_0f3a9c81e2d4b765", "xyzzy_9e8d7c6b5a413021"], "negative_examples": ["xyzzy_short"]}]}\n' >"$T/extra.json"
printf 'key = xyzzy_%s\n' 9c0ffee15a1e2b3d >"$T/tree/extra.txt"
scan --signatures "$T/extra.json"
check_eq "extra signatures: their finding appears" "1" "$($JL fields "$T/out" rule | grep -c '^test.xyzzy$' || true)"
scan
check_eq "built-in set again: the extra signature is gone" "0" "$($JL fields "$T/out" rule | grep -c '^test.xyzzy$' || true)"
rm "$T/tree/extra.txt"

# A cache that cannot be written is not an error.
printf 'not a directory\n' >"$T/afile"
bb scan --no-config -f jsonl --cache-dir "$T/afile/sub" "$T/tree"
check_rc "cache directory under a regular file" 1
check_same "cache directory under a regular file: same findings" "$T/reference.jsonl" "$T/out"

# Four first runs at once on an empty cache directory.
rm -rf "$C"/*
for i in 1 2 3 4; do
	"$BB" scan --no-config -f jsonl --cache-dir "$C" "$T/tree" >"$T/par$i" 2>"$T/parerr$i" &
done
wait
for i in 1 2 3 4; do
	check_same "parallel first run $i: identical findings" "$T/reference.jsonl" "$T/par$i"
done
scan
check_same "after the parallel runs: identical findings" "$T/reference.jsonl" "$T/out"

rm -rf "$C"/*
bb scan --no-config -f jsonl --no-cache --cache-dir "$C" "$T/tree"
check_eq "--no-cache writes nothing" "" "$(cache_files)"

# The cache file is used where it is mapped. Cut short in place under a running scan
# (blackbar never does that; a user might), it ends the scan with exit 2 and a
# message, not a crash.
scan
F=$(cache_files)
mkfifo "$T/feed"
RC=0
( r=0; "$BB" scan --no-config -f jsonl --cache-dir "$C" - <"$T/feed" >"$T/out" 2>"$T/err" || r=$?; echo $r >"$T/rc" ) &
exec 3>"$T/feed"
printf 'token=%s\n' "$($GEN token ghp 1)" >&3
sleep 1 # the scan has loaded the cache and waits for more input
truncate -s 100 "$F"
exec 3>&-
wait
RC=$(cat "$T/rc")
check_rc "cache truncated under a running scan" 2
check_grep "cache truncated under a running scan: says so" "truncated while in use" "$T/err"
scan
check_rc "and the next run rebuilds it" 1

finish
