#!/usr/bin/env bash
# Throughput on the standard large corpus (the Linux 6.1 source tree), in one run,
# side by side on the same machine:
#
#   blackbar      full built-in signature set, JSON Lines to /dev/null
#   read floor    the same walker and reader with matching switched off (--no-match)
#   ripgrep       the 23-pattern raw-regex baseline (peers/run-peer.sh ripgrep)
#
# and blackbar's start-up costs (bench/startup.c: cold compile, warm cache load).
# Each tool runs RUNS times (default 3) after a warm-up read of the tree; the
# median wall time is reported, with peak RSS (GNU time) and findings count (a
# tool that is fast because it finds nothing shows up here).
#
# Usage: bench/throughput.sh [CORPUS_PARENT_DIR]    (default /var/tmp/blackbar-corpus)
# Environment: RUNS, BLACKBAR (binary, default build/blackbar), PEERS (the peers
# scripts directory, default ../shared/peers next to the repository), THREADS.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
BLACKBAR=${BLACKBAR:-$repo/build/blackbar}
PEERS=${PEERS:-$repo/../shared/peers}
RUNS=${RUNS:-3}
THREADS=${THREADS:-$(nproc)}
parent=${1:-/var/tmp/blackbar-corpus}

[ -x "$BLACKBAR" ] || { echo "throughput: build blackbar first ($BLACKBAR)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "throughput: needs GNU time (apt-get install time)" >&2; exit 2; }
corpus=$("$PEERS/get-corpus.sh" "$parent" | tail -n1)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bb-throughput.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

bytes=$(find "$corpus" -type f -printf '%s\n' | awk '{s += $1} END {print s}')
files=$(find "$corpus" -type f | wc -l)
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GiB, Linux $(uname -r)"
echo "corpus: $corpus ($files files, $(awk -v b="$bytes" 'BEGIN {printf "%.1f", b / 1e6}') MB)"
echo "warming the page cache..."
find "$corpus" -type f -print0 | xargs -0 cat > /dev/null

# run NAME CMD...: RUNS timed runs; prints "NAME wall_s rss_kib findings" (median wall).
run() {
	local name=$1
	shift
	local walls=() rss=0 out="$tmp/$name.out"
	for _ in $(seq "$RUNS"); do
		/usr/bin/time -f '%e %M' -o "$tmp/time" "$@" > "$out" 2>/dev/null || true
		read -r w m < <(tail -n1 "$tmp/time")
		walls+=("$w")
		[ "$m" -gt "$rss" ] && rss=$m
	done
	local med
	med=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}')
	echo "$name $med $rss $(wc -l < "$out")"
}

rg_run() { # ripgrep through the shared peer script (it converts to JSON Lines itself)
	PEER_TIME_FILE="$tmp/rgtime" RG_THREADS="$THREADS" "$PEERS/run-peer.sh" ripgrep "$corpus" "$1" 2>/dev/null
	awk '/Elapsed \(wall/ {n = split($NF, t, ":"); s = t[n] + (n > 1 ? t[n - 1] * 60 : 0); print s}
	     /Maximum resident/ {print $NF}' "$tmp/rgtime" | paste -sd' '
}

results=()
results+=("$(run blackbar "$BLACKBAR" scan -q --no-config --no-progress --threads "$THREADS" --format jsonl "$corpus")")
results+=("$(run read-floor "$BLACKBAR" scan -q --no-config --no-progress --threads "$THREADS" --no-match --format jsonl "$corpus")")
if command -v rg > /dev/null; then
	walls=() rss=0
	for _ in $(seq "$RUNS"); do
		read -r w m < <(rg_run "$tmp/rg.jsonl")
		walls+=("$w")
		[ "$m" -gt "$rss" ] && rss=$m
	done
	med=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}')
	results+=("ripgrep-baseline $med $rss $(wc -l < "$tmp/rg.jsonl")")
else
	echo "ripgrep not installed (peers/install-peers.sh): baseline skipped" >&2
fi

printf '\n| run | wall s | MB/s | files/s | peak RSS MiB | findings |\n| --- | ---: | ---: | ---: | ---: | ---: |\n'
for r in "${results[@]}"; do
	read -r name wall rss found <<< "$r"
	awk -v n="$name" -v w="$wall" -v r="$rss" -v f="$found" -v b="$bytes" -v c="$files" \
		'BEGIN {printf "| %s | %.2f | %.0f | %.0f | %.1f | %d |\n", n, w, b / 1e6 / w, c / w, r / 1024, f}'
done
bb=$(printf '%s\n' "${results[@]}" | awk '$1 == "blackbar" {print $2}')
fl=$(printf '%s\n' "${results[@]}" | awk '$1 == "read-floor" {print $2}')
rgw=$(printf '%s\n' "${results[@]}" | awk '$1 == "ripgrep-baseline" {print $2}')
echo
awk -v a="$bb" -v f="$fl" 'BEGIN {printf "blackbar reaches %.0f%% of the read floor\n", 100 * f / a}'
[ -n "$rgw" ] && awk -v a="$bb" -v r="$rgw" 'BEGIN {printf "blackbar is %.2fx the ripgrep baseline\n", r / a}'
echo
if [ -x "$(dirname "$BLACKBAR")/bb-startup" ]; then
	"$(dirname "$BLACKBAR")/bb-startup" 50
fi
