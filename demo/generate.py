#!/usr/bin/env python3
"""Writes the blackbar demo project: a small clinic web app with planted fake
secrets, PHI and sensitive files, plus look-alikes that must NOT be reported.

The secrets are assembled here, at generation time, from a fixed seed: this file
holds no token in one piece, so neither blackbar nor any other scanner's push
protection fires on the repository itself. Every value is fake (random, never
issued by any provider).

Usage: demo/generate.py OUTDIR
"""
import base64
import gzip
import os
import random
import string
import sys
import zlib

rng = random.Random(20261121)
ALNUM = string.ascii_letters + string.digits
B62 = string.digits + string.ascii_uppercase + string.ascii_lowercase


def rand(chars, n):
    return "".join(rng.choice(chars) for _ in range(n))


def base62(n, width):
    s = ""
    while n:
        n, r = divmod(n, 62)
        s = B62[r] + s
    return s.rjust(width, "0")


def github_token(prefix):
    """GitHub's format: prefix, 30 random base62 characters, then their CRC32
    in base62 (6 characters)."""
    body = rand(ALNUM, 30)
    return prefix + body + base62(zlib.crc32(body.encode()), 6)


def luhn_complete(digits):
    """Appends the Luhn check digit."""
    total = 0
    for i, d in enumerate(reversed(digits)):
        v = int(d) * (2 if i % 2 == 0 else 1)
        total += v - 9 if v > 9 else v
    return digits + str((10 - total % 10) % 10)


def npi():
    """A 10-digit NPI: Luhn over the prefix 80840 and the first 9 digits."""
    first9 = "1" + rand(string.digits, 8)
    full = luhn_complete("80840" + first9)
    return first9 + full[-1]


def pem_body(lines):
    return "\n".join(base64.b64encode(rng.randbytes(48)).decode() for _ in range(lines))


def write(root, rel, text, mode=0o644):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    data = text.encode() if isinstance(text, str) else text
    with open(path, "wb") as f:
        f.write(data)
    os.chmod(path, mode)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    root = sys.argv[1]
    os.makedirs(root, exist_ok=True)

    gh = github_token("gh" + "p_")
    aws_id = "AK" + "IA" + rand(string.ascii_uppercase + "234567", 16)
    aws_secret = rand(ALNUM + "/+", 40)
    stripe = "sk_" + "live_" + rand(ALNUM, 24)
    slack_hook = ("https://hooks.slack.com/services/T" + rand(string.ascii_uppercase + string.digits, 10)
                  + "/B" + rand(string.ascii_uppercase + string.digits, 10) + "/" + rand(ALNUM, 24))
    db_password = rand(ALNUM, 18)
    jwt_head = base64.urlsafe_b64encode(b'{"alg":"HS256","typ":"JWT"}').decode().rstrip("=")
    jwt_body = base64.urlsafe_b64encode(
        b'{"sub":"svc-portal","role":"admin","iat":1763700000}').decode().rstrip("=")
    jwt = jwt_head + "." + jwt_body + "." + rand(ALNUM + "-_", 43)
    ssn = "%03d-%02d-%04d" % (rng.randint(100, 665), rng.randint(10, 99), rng.randint(1000, 9999))
    provider_npi = npi()

    write(root, "README.md", """# Acme Clinic Portal

Patient scheduling for Acme Clinic. Configuration comes from the environment;
see `.env.example` for the variables.
""")
    write(root, ".env.example", """DATABASE_URL=postgres://portal:<password>@localhost:5432/portal
STRIPE_KEY=sk_live_your_key_here
GITHUB_TOKEN=${GITHUB_TOKEN}
""")
    write(root, ".env", f"""# local development settings -- do not commit
DATABASE_URL=postgres://portal:{db_password}@db.internal:5432/portal
AWS_ACCESS_KEY_ID={aws_id}
AWS_SECRET_ACCESS_KEY={aws_secret}
""")
    write(root, "portal/settings.py", f'''import os

DEBUG = False
# Read from the environment: not a secret in the code.
DATABASE_PASSWORD = os.environ["DATABASE_PASSWORD"]
STRIPE_SECRET_KEY = "{stripe}"
# Documentation example key from the AWS docs: not a finding.
EXAMPLE_KEY_ID = "AKIAIOSFODNN7EXAMPLE"
SESSION_COOKIE_NAME = "portal_session"
''')
    write(root, "portal/github_sync.py", f'''"""Mirrors appointment templates from the clinic's GitHub repository."""
import requests

TOKEN = "{gh}"


def fetch(path):
    return requests.get(
        "https://api.github.com/repos/acme/templates/contents/" + path,
        headers={{"Authorization": "token " + TOKEN}},
    )
''')
    write(root, "portal/notify.py", f'''import json
import urllib.request

WEBHOOK = "{slack_hook}"


def notify(text):
    body = json.dumps({{"text": text}}).encode()
    urllib.request.urlopen(urllib.request.Request(WEBHOOK, body))
''')
    write(root, "portal/version.py", '''# Look-alikes that are not secrets.
COMMIT = "9fceb02d0ae598e95dc970b74767f19372d61af8"
REQUEST_ID = "3f2b8c1e-7d4a-4e9b-a1c2-5d6e7f8a9b0c"
PASSWORD_MIN_LENGTH = 12
password_hint = "<choose a strong password>"
''')
    write(root, "data/patients.csv", f"""mrn,name,dob,ssn,provider_npi
MRN-0042817,Jane Roe,1984-03-17,{ssn},{provider_npi}
""")
    write(root, "data/hl7/adt_a01.hl7",
          "MSH|^~\\&|PORTAL|ACME|EHR|ACME|20261121093000||ADT^A01|MSG00001|P|2.5\r"
          "PID|1||0042817^^^ACME^MR||ROE^JANE||19840317|F\r")
    write(root, "deploy/id_ed25519",
          "-----BEGIN OPENSSH PRIVATE KEY-----\n" + pem_body(5) +
          "\n-----END OPENSSH PRIVATE KEY-----\n", 0o600)
    write(root, "logs/app-2026-11-20.log.gz", gzip.compress(
        ("2026-11-20T10:00:01Z INFO portal started\n"
         f"2026-11-20T10:00:02Z DEBUG calling billing with Authorization: Bearer {jwt}\n"
         "2026-11-20T10:00:03Z INFO ready\n").encode(), mtime=0))
    print(root)


if __name__ == "__main__":
    main()
