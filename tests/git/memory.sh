#!/usr/bin/env bash
# scan --git over generated histories (git fast-import) of 1,000 and 4,000 commits:
# every planted secret found once, at the commit that added it, and peak RSS
# (GNU time) modest. Environment: GIT_MEM_COMMITS (default 4000), GIT_MEM_MAX_MIB
# (the limit for the larger history, default 160).
. "$(dirname "$0")/lib.sh"

N=${GIT_MEM_COMMITS:-4000}
MAX_MIB=${GIT_MEM_MAX_MIB:-160}
[ -x /usr/bin/time ] || { echo "SKIP: needs GNU time (/usr/bin/time)"; exit 77; }

# gen DIR COMMITS: prints the number of planted secrets
gen() {
	git init -q --bare "$1"
	$GT history "$2" memtest 2>"$T/planted" | git -C "$1" fast-import --quiet
	sed -n 's/^# planted: //p' "$T/planted"
}

# measure DIR: scan; sets RSS_KIB, WALL, leaves the json report in $T/out
measure() {
	RC=0
	/usr/bin/time -f '%M %e' -o "$T/time" "$BB" scan --git --kind secret -f json "$1" >"$T/out" 2>"$T/err" || RC=$?
	read -r RSS_KIB WALL < <(tail -n1 "$T/time")
}

echo "== 1000 commits"
P1=$(gen "$T/h1000.git" 1000)
measure "$T/h1000.git"
check_rc "1000 commits" 1
check_eq "1000 commits: every planted secret once" "$P1" "$($GT stats "$T/out" findings)"
R1=$RSS_KIB
echo "     peak RSS $((R1 / 1024)) MiB, $WALL s, $($GT stats "$T/out" files_scanned) blobs, $($GT stats "$T/out" bytes_scanned) bytes"

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
echo "     peak RSS $((RSS_KIB / 1024)) MiB, $WALL s, $blobs blobs, $($GT stats "$T/out" bytes_scanned) bytes"
if [ "$RSS_KIB" -le $((MAX_MIB * 1024)) ]; then
	ok "$N commits: peak RSS $((RSS_KIB / 1024)) MiB <= $MAX_MIB MiB"
else
	bad "$N commits: peak RSS modest" "expected <= $MAX_MIB MiB, got $((RSS_KIB / 1024)) MiB"
fi
echo "     growth: $(((RSS_KIB - R1) / 1024)) MiB from 1000 to $N commits"

finish
