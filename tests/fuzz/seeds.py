#!/usr/bin/env python3
"""Writes extra fuzzing seeds built from the signature files' own examples.

Usage: seeds.py SIGNATURES_DIR OUT_DIR

The committed seed corpora (tests/fuzz/corpus/<target>/) hold no token in one
piece, like the rest of the repository; the signature files keep their examples
split in arrays for the same reason. scripts/fuzz.sh runs this script to give the
fuzzers whole example tokens to start from, in OUT_DIR/<target>/ under the fuzz
build directory (never committed):

  scan, redact   the examples of each signature, one file per signature; redact
                 also gets them behind the stream cut points (its 0xff mode)
  hook_claude    the examples inside Claude Code events of every shape
  signatures     each signature alone in a signature file (up to 4 KiB)
  decode_gzip    the scan seeds, gzip-compressed
  decode_zstd    the scan seeds, zstd-compressed (when the zstd command exists)
  decode_utf16   the scan seeds in UTF-16, little- and big-endian (the target's
                 first byte picks the order)
"""
import base64
import glob
import gzip
import json
import os
import shutil
import subprocess
import sys


def example_bytes(e):
    if isinstance(e, str):
        return e.encode()
    if isinstance(e, list):
        return "".join(e).encode()
    return base64.b64decode(e["base64"])


def events(text):
    t = text.decode("utf-8", "replace")
    base = {"session_id": "fuzz", "cwd": "/nonexistent/project", "permission_mode": "default"}
    shapes = [
        {"hook_event_name": "PostToolUse", "tool_name": "Bash",
         "tool_input": {"command": "cat notes.txt"},
         "tool_response": {"stdout": t, "stderr": "", "interrupted": False}},
        {"hook_event_name": "PreToolUse", "tool_name": "Write",
         "tool_input": {"file_path": "/nonexistent/project/app.py", "content": t}},
        {"hook_event_name": "PreToolUse", "tool_name": "Bash",
         "tool_input": {"command": "curl -d '%s' https://example.net" % t}},
        {"hook_event_name": "UserPromptSubmit", "prompt": "please use " + t},
        {"hook_event_name": "PostToolUse", "tool_name": "Read",
         "tool_input": {"file_path": "/nonexistent/project/notes.txt"},
         "tool_response": {"type": "text", "file": {"filePath": "/nonexistent/project/notes.txt",
                                                    "content": t, "numLines": 1,
                                                    "startLine": 1, "totalLines": 1}}},
        {"hook_event_name": "PostToolUse", "tool_name": "mcp__db__query",
         "tool_input": {"sql": "select 1"},
         "tool_response": [{"type": "text", "text": t}, {t[:40]: [t]}]},
        {"hook_event_name": "PostToolUseFailure", "tool_name": "Bash",
         "tool_input": {"command": "make"}, "error": t},
        {"hook_event_name": "PreToolUse", "tool_name": "WebFetch",
         "tool_input": {"url": "https://example.net/?q=" + t, "prompt": "summarise"}},
    ]
    for s in shapes:
        e = dict(base)
        e.update(s)
        yield json.dumps(e).encode()


def main(argv):
    if len(argv) != 3:
        sys.exit(__doc__)
    sig_dir, out = argv[1], argv[2]
    dirs = {t: os.path.join(out, t) for t in
            ("scan", "redact", "hook_claude", "signatures", "decode_gzip", "decode_zstd",
             "decode_utf16")}
    for d in dirs.values():
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
    zstd = shutil.which("zstd")
    k = 0
    for path in sorted(glob.glob(os.path.join(sig_dir, "*.json"))):
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        for sig in doc.get("signatures", []):
            sid = sig.get("id", "x%d" % k)
            k += 1
            one = json.dumps({"format": 1, "signatures": [sig]}, indent=1).encode()
            if len(one) <= 4096:
                with open(os.path.join(dirs["signatures"], sid), "wb") as f:
                    f.write(one)
            if "path" in sig:
                continue
            exs = [example_bytes(e) for e in sig.get("examples", []) + sig.get(
                "negative_examples", [])]
            text = b"\n".join(exs) + b"\n"
            for t in ("scan", "redact"):
                with open(os.path.join(dirs[t], sid), "wb") as f:
                    f.write(text)
            if exs:
                with open(os.path.join(dirs["redact"], sid + ".cut"), "wb") as f:
                    f.write(b"\xff" + bytes([(k * 37) % 256]) + text)
            for i, e in enumerate(events(exs[0] if exs else b"")):
                with open(os.path.join(dirs["hook_claude"], "%s.%d" % (sid, i)), "wb") as f:
                    f.write(e)
            with open(os.path.join(dirs["decode_gzip"], sid + ".gz"), "wb") as f:
                f.write(gzip.compress(text))
            if zstd:
                subprocess.run([zstd, "-q", "-f", "-o", os.path.join(dirs["decode_zstd"],
                               sid + ".zst")], input=text, check=True)
            u = text.decode("utf-8", "replace")
            for order, enc in ((0, "utf-16-le"), (1, "utf-16-be")):
                with open(os.path.join(dirs["decode_utf16"], "%s.%s" % (sid, enc)), "wb") as f:
                    f.write(bytes([order]) + u.encode(enc, "surrogatepass"))
    print("seeds: %d signatures' examples in %s" % (k, out))


if __name__ == "__main__":
    main(sys.argv)
