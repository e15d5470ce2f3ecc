"""Shared helpers for the agent-hook tests (tests/hooks/*.py).

Secret-shaped values are assembled here at run time from random pieces and never
appear whole in the repository. Every value planted by a test is registered, and
every stdout and stderr the tests capture (hook answers, installer and redactor
output, audit logs) is checked against every registered value: the value itself,
its JSON-escaped form, and any 8-character window of its random part.

A test script creates one `Suite`, declares cases with `@suite.case`, and calls
`suite.main()`. Each case prints one line per check ("ok   ..." or "FAIL ..."
with the expected and actual values); the script exits 1 when a check failed.
"""
import argparse
import json
import os
import random
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import time
import traceback

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from tokens import B62, B64, UPPER_DIGITS as B32, crc_token, pick  # noqa: E402

# Signature ids the tests expect for each kind of planted value.
SIG = {
    "ghp": "github.pat-classic",
    "npm": "npm.access-token",
    "aws-id": "aws.access-key-id",
    "aws-sak": "aws.secret-access-key",
    "stripe": "stripe.secret-key-live",
    "pem": "private-key.pem",
    "pg": "postgres.connection-uri",
}

PLACEHOLDER = re.compile(r"(?i)example|sample|dummy|placeholder|change_?me|redacted|replace_?me|"
                         r"fake|test|xxx|\*\*\*|\.\.\.")

SANITIZER_MARKS = ("AddressSanitizer", "LeakSanitizer", "UndefinedBehaviorSanitizer",
                   "runtime error:", "Segmentation fault", "core dumped", "Aborted")


class Secrets:
    """Generates secret-shaped values and remembers each one (with the length of
    its fixed, non-secret prefix) for the leak checks."""

    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.planted = []      # (value, fixed prefix length)
        self.pii = []          # PII values (checked in messages the hook writes)
        self._windows = None
        self._nwin = 0

    def _pick(self, alphabet, k):
        # No runs of three equal characters and no word that makes a value look
        # like a placeholder (the scanner drops those, on purpose).
        while True:
            s = pick(self.rng, alphabet, k)
            if not PLACEHOLDER.search(s):
                return s

    def plant(self, value, prefix=0):
        self.planted.append((value, prefix))
        return value

    def _crc_token(self, prefix):
        return self.plant(crc_token(prefix, self._pick(B62, 30)), len(prefix))

    def ghp(self):
        return self._crc_token("gh" + "p_")

    def npm(self):
        return self._crc_token("np" + "m_")

    def aws_id(self):
        return self.plant("AK" + "IA" + self._pick(B32, 16), 4)

    def aws_secret(self):
        """The 40-character secret; write it after `aws_secret_access_key = `."""
        return self.plant(self._pick(B64, 40))

    def stripe(self):
        return self.plant("sk" + "_live_" + self._pick(B62, 32), 8)

    def pg_password(self):
        """Write it as postgres://app:PASSWORD@db.internal:5432/app."""
        return self.plant(self._pick(B62, 18))

    def pem(self, lines=6):
        """A PEM private key; each body line is registered."""
        body = [self.plant(self._pick(B64, 64)) for _ in range(lines)]
        return "\n".join(["-----BEGIN RSA " + "PRIVATE KEY-----"] + body +
                         ["-----END RSA " + "PRIVATE KEY-----"]) + "\n"

    def card(self):
        """A Luhn-valid payment card number (PII), 4-4-4-4 with dashes."""
        digits = [4] + [self.rng.randrange(10) for _ in range(14)]
        for check in range(10):
            total = 0
            for i, d in enumerate(reversed(digits + [check])):
                if i % 2:
                    d *= 2
                    if d > 9:
                        d -= 9
                total += d
            if total % 10 == 0:
                break
        s = "".join(map(str, digits + [check]))
        value = "-".join(s[i:i + 4] for i in range(0, 16, 4))
        self.pii.append(value)
        return value

    def leaks(self, text):
        """The planted values found in `text` (whole, JSON-escaped, or any
        8-character window of their random part)."""
        if not text:
            return []
        if self._windows is None or self._nwin != len(self.planted):
            self._windows = {}
            for value, prefix in self.planted:
                for i in range(len(value) - 7):
                    if i + 8 > prefix:
                        self._windows.setdefault(value[i:i + 8], (value, i))
            self._nwin = len(self.planted)
        found = {}
        plain = text.replace("\\/", "/")
        # planted values are made of these characters: only runs of them can hold one
        for run in RUN.findall(plain):
            for i in range(len(run) - 7):
                hit = self._windows.get(run[i:i + 8])
                if hit and hit[0] not in found:
                    found[hit[0]] = "8-char window at offset %d of the value" % hit[1]
        return ["%s...(%d chars): %s" % (v[:4], len(v), how) for v, how in found.items()]


RUN = re.compile(r"[A-Za-z0-9+/_]{8,}")


class Result:
    def __init__(self, rc, out, err):
        self.rc, self.out, self.err = rc, out, err
        self.json = None
        if rc == 0:
            try:
                self.json = json.loads(out)
            except ValueError:
                self.json = None

    @property
    def hso(self):
        if isinstance(self.json, dict):
            h = self.json.get("hookSpecificOutput")
            return h if isinstance(h, dict) else {}
        return {}

    @property
    def decision(self):
        """PreToolUse permissionDecision, or '-' for none."""
        return self.hso.get("permissionDecision", "-")

    def short(self, n=600):
        s = "rc=%d stdout=%s" % (self.rc, self.out.strip()[:n])
        if self.err.strip():
            s += " stderr=%s" % self.err.strip()[:300]
        return s


def dig(obj, *path):
    for k in path:
        if isinstance(obj, dict) and k in obj:
            obj = obj[k]
        elif isinstance(obj, list) and isinstance(k, int) and -len(obj) <= k < len(obj):
            obj = obj[k]
        else:
            return None
    return obj


class CaseFailed(Exception):
    pass


class Suite:
    def __init__(self, name, description=""):
        ap = argparse.ArgumentParser(description=description)
        ap.add_argument("--blackbar", required=True, help="the blackbar executable")
        ap.add_argument("--seed", default=os.environ.get("HOOKS_TEST_SEED"),
                        help="seed of the generated values (default: random)")
        ap.add_argument("--keep", action="store_true", help="keep the work directory")
        ap.add_argument("-k", dest="only", default=None, help="run cases whose name has this")
        self.args = ap.parse_args()
        self.name = name
        self.bb = os.path.abspath(self.args.blackbar)
        seed = self.args.seed or str(random.SystemRandom().randrange(1 << 32))
        self.seed = seed
        self.sec = Secrets(seed)
        self.cases = []
        self.checks = 0
        self.fails = 0
        self.failed_cases = []
        self.current = None
        self.tmp = tempfile.mkdtemp(prefix="blackbar-hooks-")
        self.home = os.path.join(self.tmp, "home")
        os.makedirs(self.home)
        self.cache = os.environ.get("BLACKBAR_CACHE_DIR") or os.path.join(self.tmp, "cache")
        self.nouser = os.path.join(self.tmp, "no-such-user-config.json")
        self.base_env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": self.home,
            "LANG": "C.UTF-8",
            "NO_COLOR": "1",
            "BLACKBAR_USER_CONFIG": self.nouser,
            "BLACKBAR_CACHE_DIR": self.cache,
        }
        for k in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS", "TMPDIR"):
            if k in os.environ:
                self.base_env[k] = os.environ[k]

    # ---- cases and checks -------------------------------------------------------

    def case(self, fn):
        self.cases.append(fn)
        return fn

    def _record(self, ok, what, lines=()):
        self.checks += 1
        if ok:
            print("ok   %s" % what)
        else:
            self.fails += 1
            if self.current and self.current not in self.failed_cases:
                self.failed_cases.append(self.current)
            print("FAIL %s" % what)
            for l in lines:
                for sub in str(l).splitlines() or [""]:
                    print("       %s" % sub)
        sys.stdout.flush()
        return ok

    def check(self, what, cond, expected=None, actual=None, detail=None):
        lines = []
        if not cond:
            if expected is not None or actual is not None:
                lines += ["expected: %s" % _show(expected), "actual:   %s" % _show(actual)]
            if detail:
                lines.append(detail)
        return self._record(bool(cond), what, lines)

    def eq(self, what, expected, actual, detail=None):
        return self.check(what, expected == actual, expected, actual, detail)

    def no_leak(self, what, *texts):
        leaks = []
        for t in texts:
            leaks += self.sec.leaks(t if isinstance(t, str) else
                                    t.decode("utf-8", "replace") if t else "")
        if leaks:
            self._record(False, "no secret in %s" % what, leaks)
        else:
            self.checks += 1  # silent when clean: it runs on every output
        return not leaks

    # ---- running things -----------------------------------------------------------

    def env(self, **kw):
        e = dict(self.base_env)
        for k, v in kw.items():
            if v is None:
                e.pop(k, None)
            else:
                e[k] = v
        return e

    def run(self, argv, input=None, env=None, cwd=None, timeout=60, what=None, leak_ok=False):
        """Runs a command; checks its stdout and stderr for secrets and for crash
        marks. Returns (rc, stdout, stderr) as text."""
        if isinstance(input, str):
            input = input.encode()
        t0 = time.time()
        p = subprocess.run(argv, input=input, capture_output=True, env=env or self.env(),
                           cwd=cwd or self.tmp, timeout=timeout)
        self.last_elapsed = time.time() - t0
        out = p.stdout.decode("utf-8", "replace")
        err = p.stderr.decode("utf-8", "replace")
        label = what or " ".join(os.path.basename(a) if i == 0 else a
                                 for i, a in enumerate(argv))[:80]
        if not leak_ok:
            self.no_leak(label, out, err)
        marks = [m for m in SANITIZER_MARKS if m in err]
        if marks or p.returncode < 0:
            self._record(False, "no crash: %s" % label,
                         ["exit %d, stderr: %s" % (p.returncode, err[:800])])
        return p.returncode, out, err

    def hook(self, event, raw=None, env=None, cwd=None, what=None):
        """Runs `blackbar hook claude` on one event (a dict, or raw bytes/str) and
        checks the invariants of every answer: exit 0 with one JSON object on
        stdout and nothing else, or exit 2 with one line on stderr and nothing on
        stdout; never "allow"."""
        data = raw if raw is not None else json.dumps(event)
        rc, out, err = self.run([self.bb, "hook", "claude"], input=data, env=env, cwd=cwd,
                                what=what or "hook answer")
        r = Result(rc, out, err)
        r.elapsed = self.last_elapsed
        label = what or "hook answer"
        problems = []
        if rc == 0:
            if not isinstance(r.json, dict):
                problems.append("exit 0 without one JSON object on stdout")
            elif out.count("\n") != 1 or not out.endswith("\n"):
                problems.append("stdout is not exactly one line")
        elif rc == 2:
            if out.strip():
                problems.append("exit 2 with something on stdout")
            if err.strip() == "" or err.strip().count("\n") != 0:
                problems.append("exit 2 without exactly one line on stderr")
        else:
            problems.append("exit status %d (only 0 and 2 are allowed)" % rc)
        if isinstance(r.json, dict):
            if r.hso.get("permissionDecision") == "allow" or r.json.get("decision") == "approve":
                problems.append("answered allow")
            if r.hso and r.json and isinstance(event, dict) and \
                    r.hso.get("hookEventName") != event.get("hook_event_name"):
                problems.append("hookEventName %r is not the event's" % r.hso.get("hookEventName"))
        if problems:
            self._record(False, "protocol: %s" % label, problems + [r.short()])
        return r

    # ---- main -----------------------------------------------------------------------

    def main(self):
        print("# %s; blackbar %s; seed %s; work dir %s" % (self.name, self.bb, self.seed, self.tmp))
        t0 = time.time()
        # compile the signatures once (or find them in the cache) before timing anything
        subprocess.run([self.bb, "hook", "claude"], input=b'{"hook_event_name": "Stop"}',
                       env=self.env(), cwd=self.tmp, capture_output=True, timeout=300)
        print("# signatures ready in %.1f s" % (time.time() - t0))
        try:
            for fn in self.cases:
                name = fn.__name__
                if self.args.only and self.args.only not in name:
                    continue
                self.current = name
                doc = (fn.__doc__ or "").strip().splitlines()
                print("\n== %s%s" % (name, ": " + doc[0] if doc else ""))
                try:
                    fn()
                except CaseFailed:
                    pass
                except Exception:
                    self._record(False, "case %s raised" % name, [traceback.format_exc()])
        finally:
            if self.args.keep:
                print("# kept %s" % self.tmp)
            else:
                shutil.rmtree(self.tmp, ignore_errors=True)
        print("\n# %d checks, %d failed, %.1f s%s" % (
            self.checks, self.fails, time.time() - t0,
            (" (cases: %s)" % ", ".join(self.failed_cases)) if self.failed_cases else ""))
        if self.fails:
            print("# reproduce with --seed %s" % self.seed)
        sys.exit(1 if self.fails else 0)


def _show(v):
    if isinstance(v, (dict, list)):
        s = json.dumps(v, sort_keys=True)
    else:
        s = repr(v)
    return s if len(s) < 1500 else s[:1500] + "...(%d chars)" % len(s)


def write(path, text, mode=None):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    if mode is not None:
        os.chmod(path, mode)
    return path


def write_json(path, obj):
    return write(path, json.dumps(obj, indent=2) + "\n")


def replace_all(obj, pairs):
    """A copy of a JSON value with every (value, replacement) applied to every
    string: the expected redaction."""
    if isinstance(obj, str):
        for a, b in pairs:
            obj = obj.replace(a, b)
        return obj
    if isinstance(obj, list):
        return [replace_all(x, pairs) for x in obj]
    if isinstance(obj, dict):
        return {k: replace_all(v, pairs) for k, v in obj.items()}
    return obj


def same_shape(a, b):
    """True when b has a's structure: same keys, same types, same non-string
    values (strings may differ)."""
    if isinstance(a, dict):
        return isinstance(b, dict) and set(a) == set(b) and all(same_shape(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(same_shape(x, y) for x, y in zip(a, b))
    if isinstance(a, str):
        return isinstance(b, str)
    return type(a) is type(b) and a == b


def strings(obj):
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, list):
        for x in obj:
            yield from strings(x)
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from strings(v)
