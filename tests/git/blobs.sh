#!/usr/bin/env bash
# scan --git and --staged on unusual blobs: larger than --max-file-size, binary,
# gzip-compressed, CRLF, no trailing newline.
. "$(dirname "$0")/lib.sh"

R=$T/repo
mkrepo "$R"
BIG=$(tok ghp 31) BIN=$(tok ghp 32) GZ=$(tok ghp 33) PLAIN=$(tok ghp 34) CRLF=$(tok ghp 35) \
	LAST=$(tok ghp 36)
python3 - "$R" "$BIG" "$BIN" "$GZ" "$PLAIN" "$CRLF" "$LAST" <<'EOF'
import gzip, sys
root, big, binary, gz, plain, crlf, last = sys.argv[1:]
with open(root + "/big.log", "w") as f:
    line = "2024-01-01 INFO request served in 12 ms from the cache layer\n"
    f.write(line * 40000)            # ~2.5 MB
    f.write("token=%s\n" % big)
with open(root + "/blob.bin", "wb") as f:
    f.write(b"\x00\x01\x02\x03" * 64 + ("token=%s\n" % binary).encode())
with open(root + "/settings.json.gz", "wb") as f:
    f.write(gzip.compress(('{\n  "gh": "%s"\n}\n' % gz).encode(), mtime=0))
with open(root + "/plain.txt", "w") as f:
    f.write("token=%s\n" % plain)
with open(root + "/dos.ini", "wb") as f:
    f.write(b"[a]\r\nx=1\r\ntoken=" + crlf.encode() + b"\r\n")
with open(root + "/last.txt", "w") as f:
    f.write("a\nb\ntoken=%s" % last)  # no newline at the end
EOF
git -C "$R" add .
commit "$R" "unusual blobs"

echo "== --git"
bb scan --git --max-file-size 1M -f json "$R"
check_rc "--max-file-size 1M" 1
check_eq "the big blob is not reported" "0" "$(n file=big.log)"
check_grep "a warning names the skipped blob and the limit" "big.log@" "$T/err"
check_grep "the warning says it is larger than the limit" "larger than the limit" "$T/err"
check_eq "binary blob: not scanned for patterns" "0" "$(n file=blob.bin)"
check_eq "gzip blob: decoded, the secret found at its line" "settings.json.gz	2	gzip" "$(q file,line,decoded_from file=settings.json.gz)"
check_eq "plain blob found" "plain.txt	1	7" "$(q file,line,column file=plain.txt)"
check_eq "CRLF blob: line 3, column 7" "dos.ini	3	7" "$(q file,line,column file=dos.ini)"
check_eq "no newline at the end" "last.txt	3	7" "$(q file,line,column file=last.txt)"
check_eq "six blobs seen" "6" "$($GT stats "$T/out" files_seen)"
check_eq "two skipped (big, binary)" "2" "$($GT stats "$T/out" files_skipped)"
check_eq "one warning" "1" "$($GT stats "$T/out" warnings)"

bb scan --git -f json "$R"
check_eq "without --max-file-size the 2.5 MB blob is scanned" "big.log	40001" "$(q file,line file=big.log)"
bb scan --git --no-decompress -f json "$R"
check_eq "--no-decompress: the gzip blob is not decoded" "0" "$(n file=settings.json.gz)"

echo "== --staged"
R2=$T/staged
mkrepo "$R2"
cp "$R"/* "$R2"/
git -C "$R2" add .
bb scan --staged --max-file-size 1M -f json "$R2"
check_eq "staged: big blob skipped with a warning" "0" "$(n file=big.log)"
check_grep "staged: the warning" "big.log" "$T/err"
check_eq "staged: the gzip blob decoded" "1" "$(n file=settings.json.gz decoded_from=gzip)"
check_eq "staged: binary blob not scanned" "0" "$(n file=blob.bin)"

echo "== --exclude: content first committed under an excluded path"
R3=$T/excl
mkrepo "$R3"
mkdir -p "$R3/vendor/lib" "$R3/src"
printf 'token=%s\n' "$(tok ghp 37)" >"$R3/vendor/lib/conf.txt"
git -C "$R3" add . && commit "$R3" "vendored"
cp -r "$R3/vendor/lib" "$R3/src/lib" # the same blob, and the same tree, elsewhere
git -C "$R3" add . && commit "$R3" "copied into src"
bb scan --git --exclude 'vendor/**' -f json "$R3"
check_eq "excluded path: nothing reported there" "0" "$(n file=vendor/lib/conf.txt)"
check_eq "the same content at a scanned path, added later, is reported" "1" "$(n file=src/lib/conf.txt)"

finish
