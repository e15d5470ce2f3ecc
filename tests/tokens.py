"""Secret-shaped test values, assembled at run time so that no token stands whole
in the repository: the alphabets, random strings without placeholder-like runs, and
GitHub/npm-style tokens with their CRC32 tail. Shared by tests/e2e/gen.py,
tests/git/gt.py, tests/hooks/hooklib.py and bench/history.sh."""
import zlib

B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
B64 = B62 + "+/"
UPPER_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def pick(r, alphabet, k):
    """k characters of alphabet drawn from the random.Random r, without runs of 3
    equal characters (a run looks like a placeholder, which the scanner drops)."""
    out = []
    while len(out) < k:
        c = r.choice(alphabet)
        if len(out) >= 2 and out[-1] == c and out[-2] == c:
            continue
        out.append(c)
    return "".join(out)


def base62(n, width=6):
    s = ""
    while n:
        n, d = divmod(n, 62)
        s = B62[d] + s
    return s.rjust(width, "0")


def crc_token(prefix, body):
    """GitHub/npm style token: prefix + body + base62(crc32(body)), 6 characters."""
    return prefix + body + base62(zlib.crc32(body.encode()) & 0xFFFFFFFF)
