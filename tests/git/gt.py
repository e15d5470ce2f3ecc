#!/usr/bin/env python3
"""Test data and report queries for the git tests.

Secret-shaped values are assembled here at run time; none appears whole in the
repository. `token KIND N` is deterministic per (KIND, N) within one run directory
seed (GT_SEED, default "git"), and different N give different values.

  gt.py token KIND [N]          one value: ghp (GitHub classic PAT, valid CRC32),
                                aws-id, stripe
  gt.py q REPORT FIELDS [K=V..] findings of a jsonl or json report, one TSV line
                                each with FIELDS (comma-separated), filtered by
                                field=value pairs
  gt.py n REPORT [K=V..]        the number of such findings
  gt.py stats REPORT FIELD      a json report's stats.FIELD
  gt.py warnings REPORT         a json report's warnings, one "file<TAB>message" line
  gt.py sarif REPORT SCHEMA     validates SARIF 2.1.0 (jsonschema Draft 7) and checks
                                rules' help, results' regions and partialFingerprints;
                                prints one summary line, exit 1 with reasons
  gt.py history N SEED [LINES]  a git fast-import stream on stdout: N commits on
                                main over ~60 files of up to LINES lines (default
                                200) with realistic churn (edits,
                                additions, deletions, renames), a secret planted in
                                every 500th commit (its own file, deleted again 7
                                commits later); "# planted: K" on stderr
"""
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, ".."), os.path.join(HERE, "..", "e2e")]
from tokens import B62, UPPER_DIGITS, crc_token, pick as _pick  # noqa: E402
from jl import findings  # noqa: E402  (the report reader of the e2e tests)

SEED = os.environ.get("GT_SEED", "git")


def _rng(kind, n):
    return random.Random("%s:%s:%s" % (SEED, kind, n))


def ghp(n=0):
    return crc_token("gh" + "p_", _pick(_rng("ghp", n), B62, 30))


def aws_id(n=0):
    return "AK" + "IA" + _pick(_rng("akia", n), UPPER_DIGITS, 16)


def stripe(n=0):
    return "sk" + "_live_" + _pick(_rng("stripe", n), B62, 32)


TOKENS = {"ghp": ghp, "aws-id": aws_id, "stripe": stripe}


def selected(path, conds):
    want = dict(c.split("=", 1) for c in conds)
    return [f for f in findings(path) if all(str(f.get(k, "")) == v for k, v in want.items())]


def sarif(report, schema_path):
    import jsonschema
    doc = json.load(open(report, encoding="utf-8"))
    schema = json.load(open(schema_path, encoding="utf-8"))
    errs = sorted(jsonschema.Draft7Validator(schema).iter_errors(doc), key=lambda e: list(e.path))
    problems = ["schema: %s at %s" % (e.message[:200], "/".join(map(str, e.path))) for e in errs[:5]]
    run = doc["runs"][0]
    rules = run["tool"]["driver"].get("rules", [])
    results = run.get("results", [])
    ids = {r["id"] for r in rules}
    for r in rules:
        if not r.get("help", {}).get("text"):
            problems.append("rule %s has no help text" % r["id"])
    for res in results:
        if res.get("ruleId") not in ids:
            problems.append("result rule %s not among the rules" % res.get("ruleId"))
        fp = res.get("partialFingerprints", {})
        if not fp.get("blackbar/v1"):
            problems.append("result without partialFingerprints['blackbar/v1']")
        for loc in res.get("locations", []):
            reg = loc.get("physicalLocation", {}).get("region", {})
            if not isinstance(reg.get("startLine"), int) or not isinstance(reg.get("startColumn"), int):
                problems.append("result without a region (startLine/startColumn)")
        if not res.get("locations"):
            problems.append("result without a location")
    if problems:
        print("\n".join(problems))
        return 1
    print("valid SARIF 2.1.0: %d results, %d rules with help, all with regions and "
          "partialFingerprints" % (len(results), len(rules)))
    return 0


WORDS = ("alpha beta gamma delta request response handler config value index "
         "record buffer parse render client server module import return struct "
         "update delete insert select table column user order item price").split()


def history(n, seed, max_lines=200):
    """A fast-import stream: n commits on refs/heads/main; files start with 20 to
    max_lines lines."""
    r = random.Random("history:%s" % seed)
    out = sys.stdout.buffer
    files = {}  # path -> list of lines
    dirs = ["src", "src/core", "src/net", "lib", "docs", "tests", "tools"]
    exts = [".c", ".h", ".py", ".md", ".txt", ".json"]

    def line():
        return " ".join(r.choice(WORDS) for _ in range(r.randint(3, 12)))

    def editable():  # the planted files stay as they are until deleted
        return sorted(p for p in files if not p.startswith("config/"))

    def new_path():
        while True:
            p = "%s/%s%d%s" % (r.choice(dirs), r.choice(WORDS), r.randint(0, 999), r.choice(exts))
            if p not in files:
                return p

    for _ in range(60):
        files[new_path()] = [line() for _ in range(r.randint(min(20, max_lines), max_lines))]
    planted = 0
    pending_delete = {}  # commit number -> path
    t0 = 1500000000
    for c in range(1, n + 1):
        ops = []  # ("M", path, text) or ("D", path)
        if c == 1:
            ops = [("M", p, None) for p in files]
        else:
            for _ in range(r.randint(1, 4)):
                p = r.choice(editable())
                ls = files[p]
                k = r.random()
                if k < 0.5 and ls:
                    i = r.randrange(len(ls))
                    ls[i] = line()
                elif k < 0.8 and len(ls) < 2 * max_lines:
                    i = r.randint(0, len(ls))
                    ls[i:i] = [line() for _ in range(r.randint(1, 15))]
                elif len(ls) > 10:
                    i = r.randrange(len(ls) - 5)
                    del ls[i:i + r.randint(1, 5)]
                ops.append(("M", p, None))
            x = r.random()
            if x < 0.03:
                p = new_path()
                files[p] = [line() for _ in range(r.randint(5, max(5, max_lines // 2)))]
                ops.append(("M", p, None))
            elif x < 0.04 and len(files) > 30:
                p = r.choice(editable())
                del files[p]
                ops = [o for o in ops if o[1] != p] + [("D", p)]
            elif x < 0.05:
                p = r.choice(editable())
                q = new_path()
                files[q] = files.pop(p)
                ops = [o for o in ops if o[1] != p] + [("D", p), ("M", q, None)]
        if c % 500 == 0:
            p = "config/deploy%d.sh" % c
            files[p] = ["# deploy settings", "GITHUB_TOKEN=%s" % ghp(1000 + c)]
            ops.append(("M", p, None))
            pending_delete[c + 7] = p
            planted += 1
        if c in pending_delete and pending_delete[c] in files:
            p = pending_delete.pop(c)
            del files[p]
            ops = [o for o in ops if o[1] != p] + [("D", p)]
        msg = ("commit %d: %s\n" % (c, line())).encode()
        who = "Dev%d <dev%d@example.org>" % (c % 7, c % 7)
        out.write(b"commit refs/heads/main\n")
        out.write(("committer %s %d +0000\n" % (who, t0 + c * 60)).encode())
        out.write(b"data %d\n%s\n" % (len(msg), msg))
        seen = set()
        for o in ops:
            if o[0] == "D":
                out.write(("D %s\n" % o[1]).encode())
                seen.discard(o[1])
                continue
            if o[1] in seen or o[1] not in files:
                continue
            seen.add(o[1])
            data = ("\n".join(files[o[1]]) + "\n").encode()
            out.write(("M 100644 inline %s\n" % o[1]).encode())
            out.write(b"data %d\n%s\n" % (len(data), data))
        out.write(b"\n")
    out.write(b"done\n")
    print("# planted: %d" % planted, file=sys.stderr)


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    cmd = argv[1]
    if cmd == "token":
        print(TOKENS[argv[2]](int(argv[3]) if len(argv) > 3 else 0))
    elif cmd == "q":
        for f in selected(argv[2], argv[4:]):
            print("\t".join(str(f.get(n, "")) for n in argv[3].split(",")))
    elif cmd == "n":
        print(len(selected(argv[2], argv[3:])))
    elif cmd == "stats":
        print(json.load(open(argv[2], encoding="utf-8"))["stats"][argv[3]])
    elif cmd == "warnings":
        for w in json.load(open(argv[2], encoding="utf-8")).get("warnings", []):
            print("%s\t%s" % (w.get("file"), w.get("message")))
    elif cmd == "sarif":
        return sarif(argv[2], argv[3])
    elif cmd == "history":
        history(int(argv[2]), argv[3], int(argv[4]) if len(argv) > 4 else 200)
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
