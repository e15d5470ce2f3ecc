#!/usr/bin/env bash
# Awkward input: invalid UTF-8 and multi-byte characters before a secret (columns in
# code points), NUL bytes before and after the first 8 KiB, CRLF line endings, an
# unreadable file, a FIFO, a symlink loop and a symlink out of the tree, UTF-16 text.
. "$(dirname "$0")/lib.sh"

G=$($GEN token ghp 7)
mkdir -p "$T/tree/sub" "$T/outside"

# Line 2: u-umlaut, euro, emoji (2, 3, 4 bytes: one column each), " key=": the
# secret starts at column 9, byte 17.
printf 'ok\n\xc3\xbc\xe2\x82\xac\xf0\x9f\x98\x80 key=%s \xc3\xa9\n' "$G" >"$T/tree/utf8.txt"
# Line 2: four bytes that are no UTF-8 (0xff, 0xfe, and the overlong pair 0xc0 0xaf),
# one column each as the redacted line shows each as one '?', then " key=": the
# secret starts at column 10, byte 12. A truncated sequence ends the line.
printf 'ok\n\xff\xfe\xc0\xaf key=%s \xe2\x82\n' "$G" >"$T/tree/invalid.txt"
printf 'a\r\nb\r\n  tok=%s\r\nend\r\n' "$G" >"$T/tree/crlf.txt"
python3 - "$T/tree" "$G" <<'EOF'
import sys
d, g = sys.argv[1], sys.argv[2].encode()
open(d + "/nul-late.txt", "wb").write(b"x" * 9000 + b"\n\0\0\0\ntoken=" + g + b"\n")
open(d + "/nul-early.bin", "wb").write(b"abc\0\ntoken=" + g + b"\n")
# UTF-16: little-endian with a byte order mark and CRLF (what Windows tools write);
# big-endian without one, an unpaired surrogate and an odd byte at the end (each
# read as U+FFFD); 16-bit numbers, which are binary, not text.
t = "# settings\r\n$token = '%s'\r\n" % g.decode()
open(d + "/u16le.ps1", "wb").write(b"\xff\xfe" + t.encode("utf-16-le"))
t = "line one\n\ud800 k=%s\n" % g.decode()
open(d + "/u16be.txt", "wb").write(t.encode("utf-16-be", "surrogatepass") + b"A")
open(d + "/u16ints.bin", "wb").write(bytes(range(200)) * 40 + b"\ntoken=" + g + b"\n")
EOF
mkfifo "$T/tree/fifo"
ln -s .. "$T/tree/sub/loop"
printf 'token=%s\n' "$G" >"$T/outside/target.txt"
ln -s ../../outside/target.txt "$T/tree/sub/link.txt"

RC=0
timeout 20 "$BB" scan --no-config -f jsonl "$T/tree" >"$T/out" 2>"$T/err" || RC=$?
check_rc "tree with a FIFO and a symlink loop finishes" 1
if $JL fields "$T/out" file,line,column,end_line,end_column,start_offset >"$T/pos" 2>"$T/msg"; then
	ok "report is valid JSON despite invalid UTF-8 in the input"
else
	bad "report is not valid JSON" "$(cat "$T/msg")"
fi
pos() { awk -F'\t' -v f="$1" '$1 == f {print $2, $3, $4, $5, $6}' "$T/pos"; }
check_eq "multi-byte characters: line col end_line end_col offset" "2 9 2 48 17" "$(pos utf8.txt)"
check_eq "invalid UTF-8: line col end_line end_col offset" "2 10 2 49 12" "$(pos invalid.txt)"
check_eq "CRLF: line col end_line end_col offset" "3 7 3 46 12" "$(pos crlf.txt)"
check_eq "NUL after the first 8 KiB: still text, secret found" "3 7 3 46 9011" "$(pos nul-late.txt)"
check_eq "NUL in the first 8 KiB: binary, skipped" "" "$(pos nul-early.bin)"
check_eq "symlinks not followed by default" "" "$(pos sub/link.txt)"
check_eq "UTF-16LE with a BOM: line col end_line end_col" "2 11 2 50" "$(pos u16le.ps1 | cut -d' ' -f1-4)"
check_eq "UTF-16BE, unpaired surrogate: line col end_line end_col" "2 5 2 44" "$(pos u16be.txt | cut -d' ' -f1-4)"
check_eq "UTF-16: decoded_from" "u16be.txt	utf-16be u16le.ps1	utf-16le" \
	"$($JL fields "$T/out" file,decoded_from | grep u16 | sort | tr '\n' ' ' | sed 's/ $//')"
check_eq "16-bit binary data: not read as UTF-16, skipped" "" "$(pos u16ints.bin)"
check_eq "nothing else found (FIFO, loop)" "6" "$(wc -l <"$T/pos")"
if $JL spans "$T/out" "$T/tree" >"$T/msg"; then ok "spans agree with positions"; else bad "spans" "$(cat "$T/msg")"; fi
check_eq "CRLF: no carriage return in redacted" "  tok=ghp_" "$($JL fields "$T/out" file,redacted | awk -F'\t' '$1 == "crlf.txt" {print $2}' | tr -d '*')"
if python3 -c 'import json,sys; [json.loads(l)["redacted"].encode("utf-8") for l in open(sys.argv[1])]' "$T/out" 2>"$T/msg"; then
	ok "redacted lines are valid UTF-8"
else
	bad "redacted lines" "$(cat "$T/msg")"
fi

RC=0
timeout 20 "$BB" scan --no-config -f jsonl --follow-symlinks "$T/tree" >"$T/out" 2>"$T/err" || RC=$?
check_rc "--follow-symlinks with a loop finishes" 1
$JL fields "$T/out" file | sort >"$T/files"
check_eq "--follow-symlinks: loop scanned once, link to a file outside followed" \
	"crlf.txt invalid.txt nul-late.txt sub/link.txt u16be.txt u16le.ps1 utf8.txt" "$(tr '\n' ' ' <"$T/files" | sed 's/ $//')"

# Odd file names: a space, non-ASCII, a byte that is not UTF-8, a newline, an escape
# sequence. Reports stay valid; the text report prints no control character raw.
mkdir "$T/names"
for n in 'sp ace' $'\xc3\xbcn\xc3\xaf' $'bad\xffname' $'new\nline' $'esc\e[31mred'; do
	printf 'k=%s\n' "$G" >"$T/names/$n.txt"
done
bb scan --no-config -f jsonl "$T/names"
check_rc "odd file names" 1
check_eq "odd file names: jsonl names (the non-UTF-8 byte as U+FFFD)" \
	"$(printf '%s|' $'bad\xef\xbf\xbdname.txt' $'esc\e[31mred.txt' $'new\nline.txt' 'sp ace.txt' $'\xc3\xbcn\xc3\xaf.txt')" \
	"$(python3 -c 'import json,sys; print("".join(json.loads(l)["file"] + "|" for l in open(sys.argv[1])), end="")' "$T/out")"
cp "$T/out" "$T/names.jsonl"
bb scan --no-config -f sarif "$T/names"
if $JL sarif "$T/out" "$T/names.jsonl" "$E2E/data/sarif/sarif-schema-2.1.0.json" >"$T/msg"; then ok "odd file names: SARIF valid, URIs percent-encoded"; else bad "odd file names: SARIF" "$(cat "$T/msg")"; fi
bb scan --no-config -f text --color never "$T/names"
check_nogrep "odd file names: no raw escape character in the text report" $'\e' "$T/out"
check_eq "odd file names: no file name split over lines in the text report" "" \
	"$(grep -v -e '^    ' -e ':1:3  high  github' "$T/out" || true)"

RC=0
timeout 20 "$BB" scan --no-config -f jsonl "$T/tree/fifo" >"$T/out" 2>"$T/err" || RC=$?
check_rc "a FIFO given as the root does not hang" 0

if [ "$(id -u)" = 0 ]; then
	echo "skip unreadable file: running as root, which reads it anyway"
else
	mkdir "$T/locked"
	printf 'token=%s\n' "$G" >"$T/locked/secret.txt"
	printf 'nothing\n' >"$T/locked/plain.txt"
	chmod 000 "$T/locked/secret.txt"
	bb scan --no-config -f json "$T/locked"
	check_rc "unreadable file: a warning, not an error" 0
	check_grep "unreadable file: named on stderr" "secret.txt" "$T/err"
	check_grep "unreadable file: listed in json warnings" "secret.txt" "$T/out"
fi

finish
