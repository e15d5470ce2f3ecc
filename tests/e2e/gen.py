#!/usr/bin/env python3
"""Test data for the end-to-end tests.

Secret-shaped values are assembled here at run time and never appear whole in the
repository. Values are deterministic: `gen.py token KIND [N]` always prints the same
value for the same KIND and N, and different N give different values.

  gen.py token KIND [N]        print one value (KIND: see TOKENS)
  gen.py tree DIR              write the standard fixture tree into DIR and print
                               its expected findings (rule, file, line, column), TSV
  gen.py tree DIR --json       the same as JSON lines, with the planted secrets
  gen.py secrets               print every value planted by `tree`, one per line
  gen.py big FILE              a 17 MB file with secrets across 4 MiB chunk
                               boundaries; prints the expected (rule, line) pairs
  gen.py many DIR N            N files in nested directories, 0-3 secrets each
  gen.py bomb FILE zeros|text  1 GiB gzip-compressed: zeros, or text lines after
                               one line with a secret
  gen.py straddle FILE         a multi-byte character and a CRLF split by chunk
                               boundaries; prints (rule, line, column)
  gen.py oneline FILE MB       a MB-megabyte single-line file ending in a secret
"""
import os
import random
import sys
import zlib

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from tokens import B62, B64, UPPER_DIGITS, crc_token, pick as _pick  # noqa: E402


def _rng(kind, n):
    return random.Random("%s:%d" % (kind, n))


def ghp(n=0):
    return crc_token("gh" + "p_", _pick(_rng("ghp", n), B62, 30))


def npm(n=0):
    return crc_token("np" + "m_", _pick(_rng("npm", n), B62, 30))


def aws_id(n=0):
    return "AK" + "IA" + _pick(_rng("akia", n), UPPER_DIGITS, 16)


def aws_secret(n=0):
    return _pick(_rng("awss", n), B64, 40)


def stripe(n=0):
    return "sk" + "_live_" + _pick(_rng("stripe", n), B62, 32)


def pem_body(n=0):
    r = _rng("pem", n)
    return "\n".join(_pick(r, B64, 64) for _ in range(4))


def pg_password(n=0):
    return _pick(_rng("pg", n), B62, 18)


def ssn(n=0):
    r = _rng("ssn", n)
    return "%03d-%02d-%04d" % (r.randint(100, 599), r.randint(10, 99), r.randint(1000, 9999))


TOKENS = {
    "ghp": ghp, "npm": npm, "aws-id": aws_id, "aws-secret": aws_secret,
    "stripe": stripe, "pem-body": pem_body, "pg-password": pg_password, "ssn": ssn,
}

PEM_BEGIN = "-----BEGIN RSA " + "PRIVATE KEY-----"
PEM_END = "-----END RSA " + "PRIVATE KEY-----"


def tree(root):
    """The standard fixture tree. Returns [(rule, file, line, column, secret)].
    `rule` is a signature id, or KIND:GLOB (any signature of that kind whose id
    matches the glob) where the id is not fixed yet."""
    import os
    exp = []

    def write(rel, text):
        p = os.path.join(root, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w", encoding="utf-8", newline="") as f:
            f.write(text)

    def plant(rule, rel, text, secret):
        # The expected position is where the secret starts in `text`.
        i = text.index(secret)
        line = text.count("\n", 0, i) + 1
        col = i - (text.rfind("\n", 0, i) + 1) + 1
        exp.append((rule, rel, line, col, secret))

    t = "# deploy settings\nexport GITHUB_TOKEN=%s\n" % ghp()
    write("ci/deploy.sh", t)
    plant("github.pat-classic", "ci/deploy.sh", t, ghp())

    t = "[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n" % (aws_id(), aws_secret())
    write("config/aws/credentials", t)
    plant("aws.access-key-id", "config/aws/credentials", t, aws_id())
    plant("aws.secret-access-key", "config/aws/credentials", t, aws_secret())

    t = 'import stripe\n\n\nstripe.api_key = "%s"\n' % stripe()
    write("src/billing.py", t)
    plant("stripe.secret-key-live", "src/billing.py", t, stripe())

    t = "%s\n%s\n%s\n" % (PEM_BEGIN, pem_body(), PEM_END)
    write("keys/server.key", t)
    plant("private-key.pem", "keys/server.key", t, pem_body())
    exp.append(("sensitive-file:private-key.key-file", "keys/server.key", 1, 1, None))  # by its name

    t = "{\n  \"db\": \"postgres://app:%s@db.internal:5432/app\"\n}\n" % pg_password()
    write("src/settings.json", t)
    plant("postgres.connection-uri", "src/settings.json", t, pg_password())

    t = "name,notes\nJane Roe,SSN: %s\n" % ssn()
    write("data/people.csv", t)
    plant("pii:*ssn*", "data/people.csv", t, ssn())

    write("app/.env", "DEBUG=1\nLOG_LEVEL=info\n")
    exp.append(("sensitive-file:*env*", "app/.env", 1, 1, None))

    write("README.md", "# demo\nNothing to see here.\n")
    return exp


def big(path):
    """17 MB of filler lines with secrets placed across the 4 MiB chunk boundaries
    and one at the very end without a trailing newline. Returns [(rule, line)]."""
    mib = 1 << 20
    filler = b"lorem ipsum dolor sit amet, consectetur adipiscing elit\n"
    plants = [  # (offset of the secret's first byte, text before it, secret, rule)
        (4 * mib - 10, b"token=", ghp(100), "github.pat-classic"),    # straddles
        (8 * mib - 40, b"token=", ghp(101), "github.pat-classic"),    # ends at the boundary
        (12 * mib, b"token=", ghp(102), "github.pat-classic"),        # starts at it
        (16 * mib + 10, b"aws_secret_access_key = ", aws_secret(100),  # keyword before it
         "aws.secret-access-key"),
    ]
    data = bytearray()
    exp = []
    for off, before, secret, rule in plants:
        start = off - len(before)
        while len(data) + len(filler) < start:
            data += filler
        if start > len(data):
            data += b"y" * (start - len(data) - 1) + b"\n"
        data += before
        assert len(data) == off, (len(data), off)
        data += secret.encode() + b"\n"
        exp.append((rule, data.count(b"\n", 0, off) + 1))
    data += filler * 1000
    data += b"last=" + ghp(103).encode()  # no trailing newline
    exp.append(("github.pat-classic", data.count(b"\n") + 1))
    with open(path, "wb") as f:
        f.write(data)
    return exp


def straddle(path):
    """9 MB: a 100 KB line of two-byte characters, one of which straddles the
    4 MiB boundary, with a secret after it; a CRLF split by the 8 MiB boundary
    right after a secret; the same secret twice on the last line.
    Returns [(rule, line, column)]."""
    mib = 1 << 20
    filler = b"lorem ipsum dolor sit amet\n"
    data = bytearray()
    exp = []

    def fill_to(n):
        while len(data) + len(filler) < n:
            data.extend(filler)

    fill_to(4 * mib - 100000)
    start = len(data)
    line = bytearray(b"x" if (4 * mib - 1 - start) % 2 else b"")
    while start + len(line) < 4 * mib + 1:  # the last one is at 4 MiB - 1 and 4 MiB
        line += "\u00e9".encode()
    line += b" key="
    exp.append(("github.pat-classic", data.count(b"\n") + 1, len(line.decode()) + 1))
    data += line + ghp(300).encode() + b"\n"
    fill_to(8 * mib - 200)
    data += b"y" * (8 * mib - 1 - len(data) - 1 - 44) + b"\ntok="
    exp.append(("github.pat-classic", data.count(b"\n") + 1, 5))
    data += ghp(301).encode() + b"\r\nafter\r\n"  # the CR at 8 MiB - 1, the LF at 8 MiB
    assert data.index(b"\r\nafter") == 8 * mib - 1
    n = data.count(b"\n") + 1
    exp += [("github.pat-classic", n, 3), ("github.pat-classic", n, 46)]
    data += b"z=%s z=%s\n" % (ghp(302).encode(), ghp(302).encode())
    with open(path, "wb") as f:
        f.write(data)
    return exp


def oneline(path, mb):
    r = _rng("oneline", 0)
    chunk = ("var a=" + ",".join(str(r.randint(0, 99999)) for _ in range(2000)) + ";").encode()
    with open(path, "wb") as f:
        size = 0
        while size < mb * 1000000:
            f.write(chunk)
            size += len(chunk)
        f.write(b'var t="' + ghp(999).encode() + b'";')


def many(root, n):
    """n files in nested directories, with zero to three secrets each."""
    import os
    r = _rng("many", n)
    for i in range(n):
        d = os.path.join(root, "d%02d" % (i % 17), "e%d" % (i % 5))
        os.makedirs(d, exist_ok=True)
        lines = ["# file %d" % i] + ["x = %d" % r.randint(0, 10 ** 6) for _ in range(r.randint(0, 200))]
        for k in range(r.randint(0, 3)):
            v = r.choice([
                "token = '%s'" % ghp(1000 + i * 4 + k),
                "aws_secret_access_key = %s" % aws_secret(1000 + i * 4 + k),
                "key: %s" % stripe(1000 + i * 4 + k),
                "url = postgres://u:%s@h/db" % pg_password(1000 + i * 4 + k),
                "a=%s b=%s" % (aws_id(1000 + i * 4 + k), npm(1000 + i * 4 + k)),
            ])
            lines.insert(r.randint(0, len(lines)), v)
        with open(os.path.join(d, "f%03d.txt" % i), "w") as f:
            f.write("\n".join(lines) + "\n")


def bomb(path, head, unit, total):
    """A gzip file of `head` then `total` bytes of `unit` repeated. Built from one
    fully flushed deflate block repeated, so that it takes no time to write."""
    import struct
    block = unit * ((1 << 20) // len(unit))
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = c.compress(head) + c.flush(zlib.Z_FULL_FLUSH)
    rep = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    crc = zlib.crc32(head)
    n = total // len(block)
    for _ in range(n):
        crc = zlib.crc32(block, crc)
    with open(path, "wb") as f:
        f.write(b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff" + first)
        for _ in range(n):
            f.write(rep)
        f.write(zlib.compressobj(9, zlib.DEFLATED, -15).flush())  # an empty final block
        f.write(struct.pack("<II", crc, (len(head) + n * len(block)) & 0xFFFFFFFF))


def main(argv):
    cmd = argv[1] if len(argv) > 1 else ""
    if cmd == "token":
        print(TOKENS[argv[2]](int(argv[3]) if len(argv) > 3 else 0))
    elif cmd == "tree" and argv[3:] == ["--json"]:
        import json
        for rule, rel, line, col, secret in tree(argv[2]):
            print(json.dumps({"rule": rule, "file": rel, "line": line, "column": col, "secret": secret}))
    elif cmd == "tree":
        for rule, rel, line, col, _ in tree(argv[2]):
            print("%s\t%s\t%d\t%d" % (rule, rel, line, col))
    elif cmd == "secrets":
        import tempfile
        with tempfile.TemporaryDirectory() as d:
            for e in tree(d):
                if e[4]:
                    for part in e[4].split("\n"):
                        print(part)
    elif cmd == "big":
        for rule, line in big(argv[2]):
            print("%s\t%d" % (rule, line))
    elif cmd == "many":
        many(argv[2], int(argv[3]))
    elif cmd == "bomb" and argv[3] == "zeros":
        bomb(argv[2], b"", b"\0", 1 << 30)
    elif cmd == "bomb" and argv[3] == "text":
        bomb(argv[2], ("token=%s\n" % ghp(200)).encode(), b"a" * 63 + b"\n", 1 << 30)
    elif cmd == "straddle":
        for rule, line, col in straddle(argv[2]):
            print("%s\t%d\t%d" % (rule, line, col))
    elif cmd == "oneline":
        oneline(argv[2], int(argv[3]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
