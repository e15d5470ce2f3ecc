#!/usr/bin/env bash
# scan --git over generated histories (git fast-import) of 3,000 and 12,000 commits
# of small files: every planted secret found once, at the commit that added it;
# peak RSS (GNU time) modest; and memory that does not grow with the length of the
# history. What may grow is the set of blob ids seen (~50 bytes a blob) and the
# revision walk's list of commits: a few MiB here. A cache that keeps what the walk
# parsed (trees, commits) grows with every commit instead.
# Environment: GIT_MEM_COMMITS (default 12000), GIT_MEM_MAX_MIB (peak RSS limit for
# the larger history, default 160), GIT_MEM_MAX_GROWTH_MIB (how much more anonymous
# memory the larger history may take than the 3000-commit one, default 48).
. "$(dirname "$0")/lib.sh"

N=${GIT_MEM_COMMITS:-12000}
N0=3000
MAX_MIB=${GIT_MEM_MAX_MIB:-160}
MAX_GROWTH_MIB=${GIT_MEM_MAX_GROWTH_MIB:-48}
[ -x /usr/bin/time ] || { echo "SKIP: needs GNU time (/usr/bin/time)"; exit 77; }

# gen DIR COMMITS: prints the number of planted secrets
gen() {
	git init -q --bare "$1"
	$GT history "$2" memtest 8 2>"$T/planted" | git -C "$1" fast-import --quiet
	sed -n 's/^# planted: //p' "$T/planted"
}

# measure DIR: scan under GNU time; sets RSS_KIB (peak RSS) and WALL, leaves the json
# report in $T/out. Then scans again, sampling /proc/PID/status every 10 ms, and
# sets ANON_KIB, the peak of RssAnon: heap and stacks, without the mapped
# executable and pack files (which the kernel can drop and read again).
measure() {
	RC=0
	/usr/bin/time -f '%M %e' -o "$T/time" "$BB" scan --git --kind secret -f json "$1" >"$T/out" 2>"$T/err" || RC=$?
	read -r RSS_KIB WALL < <(tail -n1 "$T/time")
	"$BB" scan --git --kind secret -f json -o /dev/null "$1" 2>/dev/null &
	local pid=$! a
	ANON_KIB=0
	while kill -0 "$pid" 2>/dev/null; do
		a=$(awk '/^RssAnon:/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
		[ -n "$a" ] && [ "$a" -gt "$ANON_KIB" ] && ANON_KIB=$a
		sleep 0.01
	done
	wait "$pid" || true
}

echo "== $N0 commits"
P1=$(gen "$T/small.git" "$N0")
measure "$T/small.git"
check_rc "$N0 commits" 1
check_eq "$N0 commits: every planted secret once" "$P1" "$($GT stats "$T/out" findings)"
R1=$RSS_KIB A1=$ANON_KIB
echo "     peak RSS $((R1 / 1024)) MiB (anonymous $((A1 / 1024)) MiB), $WALL s, $($GT stats "$T/out" files_scanned) blobs, $($GT stats "$T/out" bytes_scanned) bytes"

echo "== $N commits"
P2=$(gen "$T/big.git" "$N")
measure "$T/big.git"
check_rc "$N commits" 1
check_eq "$N commits: every planted secret once" "$P2" "$($GT stats "$T/out" findings)"
blobs=$($GT stats "$T/out" files_scanned)
uniq=$(git -C "$T/big.git" rev-list --all --objects | cut -d' ' -f1 | git -C "$T/big.git" cat-file --batch-check='%(objecttype)' | grep -c '^blob$' || true)
check_eq "each unique blob scanned once" "$uniq" "$blobs"
bad_commit=0
while IFS=$'\t' read -r file commit; do
	num=${file#config/deploy}
	num=${num%.sh}
	subject=$(git -C "$T/big.git" log -1 --format=%s "$commit")
	case $subject in "commit $num:"*) ;; *) bad_commit=1; echo "     $file reported at '$subject'" ;; esac
done < <(q file,commit)
check_eq "each secret at the commit that planted it" "0" "$bad_commit"
echo "     peak RSS $((RSS_KIB / 1024)) MiB (anonymous $((ANON_KIB / 1024)) MiB), $WALL s, $blobs blobs, $($GT stats "$T/out" bytes_scanned) bytes"
if [ "$RSS_KIB" -le $((MAX_MIB * 1024)) ]; then
	ok "$N commits: peak RSS $((RSS_KIB / 1024)) MiB <= $MAX_MIB MiB"
else
	bad "$N commits: peak RSS modest" "expected <= $MAX_MIB MiB, got $((RSS_KIB / 1024)) MiB"
fi
growth=$(((ANON_KIB - A1) / 1024))
if [ "$growth" -le "$MAX_GROWTH_MIB" ]; then
	ok "bounded: anonymous memory grows by $growth MiB from $N0 to $N commits (<= $MAX_GROWTH_MIB MiB)"
else
	bad "bounded: anonymous memory does not grow with the history" \
		"expected at most $MAX_GROWTH_MIB MiB more for $N commits than for $N0" \
		"actual: peak RssAnon $((A1 / 1024)) MiB -> $((ANON_KIB / 1024)) MiB (+$growth MiB); peak RSS $((R1 / 1024)) -> $((RSS_KIB / 1024)) MiB"
fi

finish
