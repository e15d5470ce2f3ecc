#!/usr/bin/env bash
# Compressed files: secrets inside gzip and zstd files are found with decoded_from;
# --no-decompress skips them; corrupt data and decompression bombs give a warning,
# never a crash, and the exit code reflects findings only.
. "$(dirname "$0")/lib.sh"

G=$($GEN token ghp 8)
mkdir -p "$T/c"
printf 'line one\n  secret: %s\n' "$G" >"$T/plain.txt"
python3 -c 'import gzip,sys; sys.stdout.buffer.write(gzip.compress(open(sys.argv[1],"rb").read()))' "$T/plain.txt" >"$T/c/app.log.gz"
EXPECT="app.log.gz	gzip	2	11	2	50"
if command -v zstd >/dev/null 2>&1; then
	zstd -q -c "$T/plain.txt" >"$T/c/app.log.zst"
	EXPECT="$EXPECT
app.log.zst	zstd	2	11	2	50"
else
	echo "skip zstd half: the zstd command is not installed"
fi

bb scan --no-config -f jsonl "$T/c"
check_rc "compressed files" 1
check_eq "found in decoded content: file, decoded_from, line, column, end" "$EXPECT" \
	"$($JL fields "$T/out" file,decoded_from,line,column,end_line,end_column)"
bb scan --no-config -f text "$T/c"
check_grep "text output says decoded" "(decoded gzip)" "$T/out"
bb scan --no-config --no-decompress -f jsonl "$T/c"
check_rc "--no-decompress: compressed files skipped" 0

mkdir "$T/bad"
head -c 30 "$T/c/app.log.gz" >"$T/bad/cut.gz"
printf '\037\213\010\000garbage that is not deflate data at all\n' >"$T/bad/junk.gz"
bb scan --no-config -f json "$T/bad"
check_rc "truncated and corrupt gzip: no crash" 0
check_grep "truncated gzip: warning names the file" "cut.gz" "$T/err"
check_grep "corrupt gzip: warning names the file" "junk.gz" "$T/err"

mkdir "$T/bomb"
$GEN bomb "$T/bomb/zeros.gz" zeros
echo "zeros.gz: $(wc -c <"$T/bomb/zeros.gz") bytes, 1 GiB of zeros once decoded"
START=$(date +%s)
RC=0
timeout 30 "$BB" scan --no-config -f json "$T/bomb" >"$T/out" 2>"$T/err" || RC=$?
check_rc "gzip bomb of zeros: no findings, no error ($(( $(date +%s) - START )) s)" 0
check_grep "gzip bomb: warning on stderr" "zeros.gz" "$T/err"
check_eq "gzip bomb: listed in json warnings" "zeros.gz" \
	"$(python3 -c 'import json,sys; print(" ".join(w["file"] for w in json.load(open(sys.argv[1]))["warnings"]))' "$T/out")"

rm "$T/bomb/zeros.gz"
$GEN bomb "$T/bomb/text.gz" text
RC=0
timeout 30 "$BB" scan --no-config -f jsonl "$T/bomb" >"$T/out" 2>"$T/err" || RC=$?
check_rc "gzip bomb with a secret on its first line: exit code from the finding" 1
check_eq "gzip bomb: the secret is found" "github.pat-classic	text.gz	1	gzip" "$($JL fields "$T/out" rule,file,line,decoded_from)"
check_grep "gzip bomb: warning on stderr" "text.gz" "$T/err"

finish
