#!/usr/bin/env python3
"""`blackbar redact` (standard input, and -- CMD), which the Bash rewrite of the
Claude Code hook relies on: secrets split across write boundaries are replaced
whole, and the wrapped command's exit status is kept (128+N when a signal
killed it).

Usage: test_redact.py --blackbar PATH [--seed N] [-k NAME] [--keep]
"""
import os
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # nothing written next to the sources
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hooklib import SIG, Suite, write  # noqa: E402

S = Suite("hooks: blackbar redact", __doc__)
sec = S.sec

# Writes a file to stdout (or stderr) in chunks of N bytes with a pause between
# them: every secret in it crosses several write (and pipe read) boundaries.
WRITER = os.path.join(S.tmp, "writer.py")
write(WRITER, r'''import os, sys, time
path, size, pause = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
fd = 2 if len(sys.argv) > 4 and sys.argv[4] == "err" else 1
data = open(path, "rb").read()
for i in range(0, len(data), size):
    os.write(fd, data[i:i + size])
    time.sleep(pause)
''')


def red(kind):
    return "[REDACTED:%s]" % SIG[kind]


def sample():
    """A text with several secrets and what the redaction must make of it."""
    g, st, aid, asec, npm = sec.ghp(), sec.stripe(), sec.aws_id(), sec.aws_secret(), sec.npm()
    pg = sec.pg_password()
    text = ("starting job 42\n"
            "GITHUB_TOKEN=%s\n"
            "stripe key %s in the middle of a line\n"
            "[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n"
            "db: postgres://app:%s@db.internal:5432/app\n"
            "//registry.npmjs.org/:_authToken=%s\n"
            "done, no newline at the end" % (g, st, aid, asec, pg, npm))
    want = (text.replace(g, red("ghp")).replace(st, red("stripe")).replace(aid, red("aws-id"))
            .replace(asec, red("aws-sak")).replace(pg, red("pg")).replace(npm, red("npm")))
    return text, want


def pipeline(path, size, pause, *redact_args):
    """python writer | blackbar redact ARGS: returns (rc of redact, stdout, stderr)."""
    cmd = 'python3 "$0" "$1" "$2" "$3" | "$4" redact %s' % " ".join(redact_args)
    return S.run(["bash", "-c", cmd, WRITER, path, str(size), str(pause), S.bb],
                 what="writer | redact")


@S.case
def redact_stdin_split_writes():
    """Standard input written in small delayed chunks: every secret replaced whole"""
    text, want = sample()
    path = write(os.path.join(S.tmp, "sample.txt"), text)
    for size, pause in [(1, 0.0005), (3, 0.002), (7, 0.003), (64, 0.01), (4096, 0)]:
        rc, out, err = pipeline(path, size, pause, "-q")
        S.eq("stdin in %d-byte writes: redacted output" % size, want, out)
        S.eq("stdin in %d-byte writes: exit 1 (something redacted)" % size, 1, rc, detail=err)
    rc, out, err = pipeline(path, 5, 0.001)
    S.check("without -q: a count of redactions on stderr", "redacted" in err, actual=err)
    clean = write(os.path.join(S.tmp, "clean.txt"), "nothing here\n" * 100 + "tail")
    rc, out, err = pipeline(clean, 3, 0, "-q")
    S.eq("clean input: copied unchanged, exit 0", (0, "nothing here\n" * 100 + "tail"), (rc, out))
    rc, out, err = S.run([S.bb, "redact", "-q", path])
    S.eq("redact FILE", (1, want), (rc, out))
    rc, out, err = S.run([S.bb, "redact", "-q", "-"], input=text)
    S.eq("redact -", (1, want), (rc, out))
    rc, out, err = S.run([S.bb, "redact", "-q"], input="")
    S.eq("empty input: empty output, exit 0", (0, ""), (rc, out))


@S.case
def redact_private_key_split():
    """A PEM private key written one byte at a time"""
    pem = sec.pem(8)
    path = write(os.path.join(S.tmp, "key.txt"), "before\n" + pem + "after\n")
    rc, out, err = pipeline(path, 2, 0.0003, "-q")
    body = pem.split("\n")[1:-2]
    S.check("PEM in 2-byte writes: no body line left", not any(b[:16] in out for b in body),
            actual=out[:300])
    S.check("PEM in 2-byte writes: text around it kept",
            out.startswith("before\n") and out.endswith("after\n"), actual=out[:60] + "..." + out[-60:])


@S.case
def redact_command_split_writes():
    """-- CMD: the command's stdout and stderr, written in chunks, each redacted"""
    text, want = sample()
    path = write(os.path.join(S.tmp, "sample2.txt"), text)
    for stream in ("out", "err"):
        rc, out, err = S.run([S.bb, "redact", "-q", "--", "python3", WRITER, path, "3", "0.002", stream],
                             what="redact -- writer (%s)" % stream)
        got = out if stream == "out" else err
        S.eq("-- CMD writing std%s in 3-byte chunks: redacted" % stream, want, got)
        S.eq("-- CMD: the other stream is empty", "", err if stream == "out" else out)
        S.eq("-- CMD: exit status of the command (0)", 0, rc)
    # both streams at once, interleaved writes
    script = ('import sys, time\nt = open(sys.argv[1]).read()\n'
              'for i in range(0, len(t), 4):\n'
              '    sys.stdout.write(t[i:i+4]); sys.stdout.flush()\n'
              '    sys.stderr.write(t[i:i+4]); sys.stderr.flush()\n'
              '    time.sleep(0.001)\n')
    rc, out, err = S.run([S.bb, "redact", "-q", "--", "python3", "-c", script, path])
    S.eq("-- CMD interleaving stdout and stderr: both redacted", (want, want), (out, err))


@S.case
def redact_command_exit_status():
    """-- CMD: the command's exit status, 128+N for a signal, 127 when it cannot run"""
    for cmd, code in [("exit 0", 0), ("exit 1", 1), ("exit 3", 3), ("exit 255", 255),
                      ("echo out; echo err >&2; exit 7", 7), ("kill -TERM $$", 143),
                      ("kill -KILL $$", 137), ("kill -INT $$", 130), ("kill -SEGV $$", 139)]:
        rc, out, err = S.run([S.bb, "redact", "-q", "--", "sh", "-c", cmd])
        S.eq("-- sh -c %r: exit %d" % (cmd, code), code, rc, detail=err)
    rc, out, err = S.run([S.bb, "redact", "-q", "--", "false"])
    S.eq("-- false: exit 1", 1, rc)
    rc, out, err = S.run([S.bb, "redact", "-q", "--", "/no/such/program"])
    S.eq("-- /no/such/program: exit 127", 127, rc, detail=err)
    tok = sec.ghp()
    path = write(os.path.join(S.tmp, "t.txt"), "k=%s\n" % tok)
    rc, out, err = S.run([S.bb, "redact", "-q", "--", "sh", "-c", 'cat "$0"; exit 5', path])
    S.eq("-- CMD printing a secret then failing: exit 5, redacted", (5, "k=%s\n" % red("ghp")),
         (rc, out))
    rc, out, err = S.run([S.bb, "redact", "-q", "--", "sh", "-c", 'cat "$0"; kill -TERM $$', path])
    S.eq("-- CMD printing a secret then killed: exit 143, redacted", (143, "k=%s\n" % red("ghp")),
         (rc, out))


@S.case
def redact_command_large_and_pipes():
    """-- CMD: 8 MB of output; a reader that stops early does not hang it"""
    tok = sec.ghp()
    lines = ["%07d lorem ipsum dolor sit amet" % i for i in range(250000)]
    lines[125000] += " " + tok
    big = write(os.path.join(S.tmp, "big.txt"), "\n".join(lines) + "\n")
    t0 = time.time()
    rc, out, err = S.run([S.bb, "redact", "-q", "--", "cat", big])
    dt = time.time() - t0
    want = "\n".join(lines).replace(tok, red("ghp")) + "\n"
    S.check("8 MB through -- cat: redacted, nothing else changed", rc == 0 and out == want,
            actual="rc %d, len %d vs %d" % (rc, len(out), len(want)))
    S.check("8 MB through -- cat: under 10 s", dt < 10, actual="%.1f s" % dt)
    t0 = time.time()
    p = subprocess.run(["bash", "-c", '"$0" redact -q -- yes | head -c 100000 | wc -c', S.bb],
                       capture_output=True, timeout=60, env=S.env())
    S.eq("redact -- yes | head: ends, output as expected", "100000", p.stdout.decode().strip())
    S.check("redact -- yes | head: ends within 10 s", time.time() - t0 < 10,
            actual="%.1f s" % (time.time() - t0))


if __name__ == "__main__":
    S.main()
