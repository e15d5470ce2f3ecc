#!/usr/bin/env bash
# Throughput on the standard large corpus (the Linux 6.1 source tree), in one run,
# side by side on the same machine:
#
#   blackbar      full built-in signature set, JSON Lines to /dev/null
#   read floor    the same walker and reader with matching switched off (--no-match)
#   matcher floor the read floor plus the Hyperscan candidate pass, with nothing
#                 confirmed (--no-confirm): how much of a scan the candidate stage
#                 alone costs, and so how near the read floor any confirmation
#                 work could bring a scan with this signature set
#   peers         through peers/run-peer.sh, each one that is installed
#                 (peers/install-peers.sh): ripgrep (the 23-pattern raw-regex
#                 baseline), git-secrets, gitleaks (only if a binary exists),
#                 secretlint (slow: PEER_RUNS runs, default 1)
#
# and blackbar's start-up costs (bench/startup.c: cold compile, warm cache load).
# Each tool runs RUNS times (default 3) after a warm-up read of the tree (the
# three blackbar runs interleaved, round by round); the median wall time is
# reported, with peak RSS (GNU time) and findings count (a tool that is fast
# because it finds nothing shows up here).
#
# Usage: bench/throughput.sh [CORPUS_PARENT_DIR]    (default /var/tmp/blackbar-corpus)
# Environment: RUNS, BLACKBAR (binary, default build/blackbar), PEERS (the peers
# scripts directory, default ../shared/peers next to the repository), THREADS,
# PEER_TOOLS (default "ripgrep git-secrets gitleaks secretlint"), PEER_RUNS.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
BLACKBAR=${BLACKBAR:-$repo/build/blackbar}
PEERS=${PEERS:-$repo/../shared/peers}
RUNS=${RUNS:-3}
PEER_TOOLS=${PEER_TOOLS:-ripgrep git-secrets gitleaks secretlint}
PEER_RUNS=${PEER_RUNS:-1}
THREADS=${THREADS:-$(nproc)}
parent=${1:-/var/tmp/blackbar-corpus}

[ -x "$BLACKBAR" ] || { echo "throughput: build blackbar first ($BLACKBAR)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "throughput: needs GNU time (apt-get install time)" >&2; exit 2; }
corpus=$("$PEERS/get-corpus.sh" "$parent" | tail -n1)
corpus=$(cd "$corpus" && pwd -P) # find, rg and the peers walk the real tree, not a link to it
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bb-throughput.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

bytes=$(find "$corpus" -type f -printf '%s\n' | awk '{s += $1} END {print s}')
files=$(find "$corpus" -type f | wc -l)
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GiB, Linux $(uname -r)"
echo "corpus: $corpus ($files files, $(awk -v b="$bytes" 'BEGIN {printf "%.1f", b / 1e6}') MB)"
echo "warming the page cache..."
find "$corpus" -type f -print0 | xargs -0 cat > /dev/null

# median: the median of the numbers on standard input (whitespace-separated).
median() { tr ' ' '\n' | sed '/^$/d' | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

# blackbar_runs: the three blackbar runs (full scan, read floor, matcher floor),
# RUNS rounds with the three interleaved, so that the machine's drift touches
# each alike and their ratios hold; prints "NAME wall_s rss_kib findings" per
# run (median wall, highest RSS).
blackbar_runs() {
	local names=(blackbar read-floor matcher-floor) extra=("" --no-match --no-confirm)
	local -A bw brss
	local i w m
	for _ in $(seq "$RUNS"); do
		for i in 0 1 2; do
			# shellcheck disable=SC2086 # extra[i] is one flag or none
			/usr/bin/time -f '%e %M' -o "$tmp/time" "$BLACKBAR" scan -q --no-config --no-progress \
				--threads "$THREADS" ${extra[i]} --format jsonl "$corpus" > "$tmp/${names[i]}.out" 2>/dev/null || true
			read -r w m < <(tail -n1 "$tmp/time")
			bw[$i]+="$w "
			[ "$m" -gt "${brss[$i]:-0}" ] && brss[$i]=$m
		done
	done
	for i in 0 1 2; do
		echo "${names[i]} $(median <<< "${bw[$i]}") ${brss[$i]} $(wc -l < "$tmp/${names[i]}.out")"
	done
}

# peer_run TOOL OUT: one run through the shared peer script (it converts to JSON
# Lines itself); prints "wall_s rss_kib", or returns 3 when TOOL is not installed.
peer_run() {
	local rc=0
	PEER_TIME_FILE="$tmp/ptime" RG_THREADS="$THREADS" "$PEERS/run-peer.sh" "$1" "$corpus" "$2" \
		2>"$tmp/perr" || rc=$?
	[ "$rc" -eq 0 ] || return "$rc"
	awk '/Elapsed \(wall/ {n = split($NF, t, ":"); s = t[n] + (n > 1 ? t[n - 1] * 60 : 0) + (n > 2 ? t[n - 2] * 3600 : 0); print s}
	     /Maximum resident/ {print $NF}' "$tmp/ptime" | paste -sd' '
}

results=()
mapfile -t results < <(blackbar_runs)
for tool in $PEER_TOOLS; do
	n=$RUNS
	[ "$tool" = ripgrep ] || n=$PEER_RUNS
	walls=() rss=0 ok=1
	for _ in $(seq "$n"); do
		if ! line=$(peer_run "$tool" "$tmp/$tool.jsonl"); then
			echo "$tool: not measured ($(tail -n1 "$tmp/perr"))" >&2
			ok=0
			break
		fi
		read -r w m <<< "$line"
		walls+=("$w")
		[ "$m" -gt "$rss" ] && rss=$m
	done
	[ "$ok" = 1 ] || continue
	med=$(printf '%s\n' "${walls[@]}" | median)
	name=$tool
	[ "$tool" = ripgrep ] && name=ripgrep-baseline
	results+=("$name $med $rss $(wc -l < "$tmp/$tool.jsonl")")
done

printf '\n| run | wall s | MB/s | files/s | peak RSS MiB | findings |\n| --- | ---: | ---: | ---: | ---: | ---: |\n'
for r in "${results[@]}"; do
	read -r name wall rss found <<< "$r"
	awk -v n="$name" -v w="$wall" -v r="$rss" -v f="$found" -v b="$bytes" -v c="$files" \
		'BEGIN {printf "| %s | %.2f | %.0f | %.0f | %.1f | %d |\n", n, w, b / 1e6 / w, c / w, r / 1024, f}'
done
bb=$(printf '%s\n' "${results[@]}" | awk '$1 == "blackbar" {print $2}')
fl=$(printf '%s\n' "${results[@]}" | awk '$1 == "read-floor" {print $2}')
echo
mf=$(printf '%s\n' "${results[@]}" | awk '$1 == "matcher-floor" {print $2}')
awk -v a="$bb" -v f="$fl" 'BEGIN {printf "blackbar reaches %.0f%% of the read floor\n", 100 * f / a}'
awk -v m="$mf" -v f="$fl" -v a="$bb" 'BEGIN {printf "the candidate pass alone (no confirmation) reaches %.0f%% of the read floor; confirmation and reporting add %.0f%% to it\n", 100 * f / m, 100 * (a - m) / m}'
for r in "${results[@]}"; do
	read -r name wall _ <<< "$r"
	case $name in blackbar | read-floor | matcher-floor) continue ;; esac
	awk -v a="$bb" -v p="$wall" -v n="$name" 'BEGIN {printf "blackbar is %.2fx as fast as %s\n", p / a, n}'
done
echo
if [ -x "$(dirname "$BLACKBAR")/bb-startup" ]; then
	"$(dirname "$BLACKBAR")/bb-startup" 50
fi
