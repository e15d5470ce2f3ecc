#!/usr/bin/env bash
# scan --git over generated histories (git fast-import) of 1,000 and 6,000 commits:
# every planted secret found once, at the commit that added it, and peak RSS
# (GNU time) modest and not growing with the length of the history. Environment:
# GIT_MEM_COMMITS (default 6000), GIT_MEM_MAX_MIB (peak RSS limit for the larger
# history, default 160), GIT_MEM_MAX_GROWTH_MIB (how much more anonymous memory the
# larger history may take than the 1000-commit one, default 24).
. "$(dirname "$0")/lib.sh"

N=${GIT_MEM_COMMITS:-6000}
MAX_MIB=${GIT_MEM_MAX_MIB:-160}
MAX_GROWTH_MIB=${GIT_MEM_MAX_GROWTH_MIB:-24}
[ -x /usr/bin/time ] || { echo "SKIP: needs GNU time (/usr/bin/time)"; exit 77; }

# gen DIR COMMITS: prints the number of planted secrets
gen() {
	git init -q --bare "$1"
	$GT history "$2" memtest 2>"$T/planted" | git -C "$1" fast-import --quiet
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

echo "== 1000 commits"
P1=$(gen "$T/h1000.git" 1000)
measure "$T/h1000.git"
check_rc "1000 commits" 1
check_eq "1000 commits: every planted secret once" "$P1" "$($GT stats "$T/out" findings)"
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
# What legitimately grows with the history is the set of blob ids seen (~50 bytes a
# blob) and the revision walk's commit list: well under a MiB here.
growth=$(((ANON_KIB - A1) / 1024))
if [ "$growth" -le "$MAX_GROWTH_MIB" ]; then
	ok "bounded: anonymous memory grows by $growth MiB from 1000 to $N commits (<= $MAX_GROWTH_MIB MiB)"
else
	bad "bounded: anonymous memory does not grow with the history" \
		"expected at most $MAX_GROWTH_MIB MiB more for $N commits than for 1000" \
		"actual: peak RssAnon $((A1 / 1024)) MiB -> $((ANON_KIB / 1024)) MiB (+$growth MiB); peak RSS $((R1 / 1024)) -> $((RSS_KIB / 1024)) MiB"
fi

finish
