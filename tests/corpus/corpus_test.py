#!/usr/bin/env python3
"""Measures blackbar on the labelled external corpus (see data/README.md).

Every record is written to its own directory of a temporary tree (named by the
record's index; the file is the record's `path`, else `sample.txt`), one
`blackbar scan --format jsonl --no-config` runs over the whole tree, and the
findings are mapped back to the records:

- secret recall over the positives of the secret scanners' corpora (noseyparker,
  kingfisher, gitleaks, detect-secrets), leaving out rules tagged `identifier`
  without `secret`, or `hidden`: "any" counts any finding in the text,
  "category" only a finding whose signature maps to the record's category;
- false-positive rate over their negatives, leaving out `conflict` and
  `upstream_note` records: "strict" counts any finding, "scoped" only a finding
  that maps to the record's category;
- PII/PHI recall per presidio entity type (reported, not gated), with the weak
  positives (presidio score at most 0.4) apart.

Exits 1 when a total falls below its floor (--min-*) or above its ceiling
(--max-*), 2 when blackbar fails.
"""
import argparse
import gzip
import collections
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SECRET_SOURCES = {"noseyparker", "kingfisher", "gitleaks", "detect-secrets"}

# A signature id's provider prefix (the part before the first '.') is compared with
# the corpus category. Where the names differ, bench/corpus-categories.json (which
# `blackbar bench signatures` embeds) gives the categories a prefix (or a whole
# signature id, which takes precedence) stands for.
with open(os.path.join(HERE, "..", "..", "bench", "corpus-categories.json"), encoding="utf-8") as _f:
    CATEGORY_MAP = {k: set(v) for k, v in json.load(_f)["map"].items()}


def categories(rule):
    """The corpus categories a finding of signature `rule` counts for."""
    if rule in CATEGORY_MAP:
        return CATEGORY_MAP[rule]
    prefix = rule.split(".", 1)[0]
    return CATEGORY_MAP.get(prefix, {prefix})


def file_name(rec):
    path = rec.get("path") or "sample.txt"
    parts = [p for p in path.replace("\\", "/").split("/") if p not in ("", ".", "..")]
    return os.path.join(*parts) if parts else "sample.txt"


def materialise(records, root):
    for i, rec in enumerate(records):
        path = os.path.join(root, "%05d" % i, file_name(rec))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(rec["text"].encode("utf-8"))


def scan(blackbar, root, extra):
    cmd = [blackbar, "scan", "--format", "jsonl", "--no-config", "-q"] + extra + [root]
    t0 = time.time()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    secs = time.time() - t0
    if p.returncode not in (0, 1):
        sys.stderr.write("blackbar failed (exit %d): %s\n" % (p.returncode, p.stderr.decode(errors="replace")[:2000]))
        sys.exit(2)
    return [json.loads(l) for l in p.stdout.decode("utf-8").splitlines() if l.strip()], secs


def attach(records, found):
    """Per record, the findings that count for it: those whose byte span lies in the
    text, and for an empty text (the file name is the signal) any finding."""
    hits = collections.defaultdict(list)
    ignored = 0
    for f in found:
        i = int(f["file"].split("/", 1)[0])
        n = len(records[i]["text"].encode("utf-8"))
        if n == 0 or f["start_offset"] < f["end_offset"] <= n:
            hits[i].append(f)
        else:
            ignored += 1  # a finding on the file name of a non-empty text
    return hits, ignored


def is_secret_positive(r):
    tags = set(r.get("tags") or ())
    return (r["source"] in SECRET_SOURCES and r["label"] == "positive"
            and not ("identifier" in tags and "secret" not in tags) and "hidden" not in tags)


def is_secret_negative(r):
    return (r["source"] in SECRET_SOURCES and r["label"] == "negative"
            and not r.get("conflict") and not r.get("upstream_note"))


def weak(r):
    scores = r.get("scores")
    return bool(scores) and max(hi for _, hi in scores) <= 0.4


def ratio(a, b):
    return a / b if b else 0.0


def table(title, head, rows):
    print("\n" + title)
    print("  " + "  ".join(h.rjust(w) if i else h.ljust(w) for i, (h, w) in enumerate(head)))
    for row in rows:
        print("  " + "  ".join(str(c).rjust(w) if i else str(c).ljust(w) for i, (c, (_, w)) in enumerate(zip(row, head))))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--blackbar", required=True, help="the blackbar binary")
    ap.add_argument("--corpus", help="corpus file (default: data/external-dev.jsonl.gz)")
    ap.add_argument("--min-secret-recall", type=float, default=0.0, help="floor for secret recall (any finding)")
    ap.add_argument("--min-category-recall", type=float, default=0.0, help="floor for category-matched recall")
    ap.add_argument("--max-fp-rate", type=float, default=1.0, help="ceiling for the scoped false-positive rate")
    ap.add_argument("--max-strict-fp-rate", type=float, default=1.0, help="ceiling for the strict false-positive rate")
    ap.add_argument("--min-pii-recall", type=float, default=0.0, help="floor for PII recall (positives above 0.4)")
    ap.add_argument("--top", type=int, default=25, help="categories shown per table")
    ap.add_argument("--misses", type=int, default=0, help="list this many missed positives and false positives")
    ap.add_argument("--json", help="write the per-record results to this file")
    ap.add_argument("--scan-arg", action="append", default=[], help="extra argument for blackbar scan")
    a = ap.parse_args()

    corpus = a.corpus or os.path.join(HERE, "data", "external-dev.jsonl.gz")
    # The committed copy is gzipped so that other scanners' push protection does not
    # fire on the upstream test tokens it holds.
    opener = gzip.open if corpus.endswith(".gz") else open
    with opener(corpus, "rt", encoding="utf-8") as f:
        records = [json.loads(l) for l in f if l.strip()]
    with tempfile.TemporaryDirectory(prefix="blackbar-corpus.") as root:
        materialise(records, root)
        found, secs = scan(a.blackbar, root, a.scan_arg)
    hits, ignored = attach(records, found)
    print("corpus: %s, %d records; blackbar: %d findings in %.2f s (%d on file names of non-empty texts, not counted)"
          % (corpus, len(records), len(found), secs, ignored))

    def matched(i):
        return any(records[i]["category"] in categories(f["rule"]) for f in hits[i])

    # Secrets: recall and false positives per category.
    pos = collections.defaultdict(lambda: [0, 0, 0])   # category -> n, any, matched
    neg = collections.defaultdict(lambda: [0, 0, 0])   # category -> n, strict, scoped
    unmatched = collections.Counter()
    missed, fps, results = [], [], []
    for i, r in enumerate(records):
        if is_secret_positive(r):
            c = pos[r["category"]]
            c[0] += 1
            c[1] += bool(hits[i])
            c[2] += matched(i)
            if not hits[i]:
                missed.append(i)
            elif not matched(i):
                unmatched[(r["category"], " ".join(sorted({f["rule"].split(".")[0] for f in hits[i]})))] += 1
        elif is_secret_negative(r):
            c = neg[r["category"]]
            c[0] += 1
            c[1] += bool(hits[i])
            c[2] += matched(i)
            if hits[i]:
                fps.append(i)
        results.append({"id": r["id"], "label": r["label"], "category": r["category"],
                        "rules": sorted({f["rule"] for f in hits[i]})})

    tp = [sum(v[k] for v in pos.values()) for k in range(3)]
    tn = [sum(v[k] for v in neg.values()) for k in range(3)]
    top = sorted(pos.items(), key=lambda kv: (-kv[1][0], kv[0]))[:a.top]
    table("Secret recall, top %d categories by positives" % len(top),
          [("category", 22), ("pos", 5), ("any", 6), ("matched", 7), ("neg", 5), ("fp", 4), ("fp-scoped", 9)],
          [(k, v[0], "%.2f" % ratio(v[1], v[0]), "%.2f" % ratio(v[2], v[0]), neg[k][0], neg[k][1], neg[k][2])
           for k, v in top])
    worst = sorted((kv for kv in pos.items() if kv[1][0] >= 5), key=lambda kv: (ratio(kv[1][1], kv[1][0]), -kv[1][0]))[:15]
    table("Lowest recall (categories with 5+ positives)", [("category", 22), ("pos", 5), ("any", 6), ("matched", 7)],
          [(k, v[0], "%.2f" % ratio(v[1], v[0]), "%.2f" % ratio(v[2], v[0])) for k, v in worst])
    worst_fp = sorted((kv for kv in neg.items() if kv[1][1]), key=lambda kv: (-kv[1][1], kv[0]))[:15]
    table("False positives by category", [("category", 22), ("neg", 5), ("strict", 6), ("scoped", 6)],
          [(k, v[0], v[1], v[2]) for k, v in worst_fp])
    table("Found, but by a signature of another category (corpus category, our prefixes)",
          [("category", 22), ("our prefixes", 40), ("n", 4)],
          [(k[0], k[1], n) for k, n in unmatched.most_common(a.top)])

    # gitleaks wraps each secret in many templates: count distinct secrets too.
    wraps = collections.defaultdict(list)
    for i, r in enumerate(records):
        if r.get("secret") and is_secret_positive(r):
            wraps[(r["category"], r["secret"])].append(bool(hits[i]))
    if wraps:
        print("\ngitleaks templates: %d distinct secrets; found in every wrapping: %d, in some: %d, in none: %d"
              % (len(wraps), sum(all(v) for v in wraps.values()),
                 sum(any(v) and not all(v) for v in wraps.values()), sum(not any(v) for v in wraps.values())))

    # PII / PHI: presidio entity types.
    pii = collections.defaultdict(lambda: [0, 0, 0, 0, 0, 0])  # n, hit, weak n, weak hit, neg, neg hit
    for i, r in enumerate(records):
        if r["source"] != "presidio" or r.get("conflict"):
            continue
        c = pii[r["category"]]
        if r["label"] == "negative":
            c[4] += 1
            c[5] += bool(hits[i])
        elif weak(r):
            c[2] += 1
            c[3] += bool(hits[i])
        else:
            c[0] += 1
            c[1] += bool(hits[i])
    pt = [sum(v[k] for v in pii.values()) for k in range(6)]
    table("PII/PHI recall per presidio entity type (weak: presidio score <= 0.4)",
          [("entity", 26), ("pos", 5), ("recall", 6), ("weak", 5), ("w-rec", 6), ("neg", 5), ("fp", 4)],
          [(k, v[0], "%.2f" % ratio(v[1], v[0]), v[2], "%.2f" % ratio(v[3], v[2]) if v[2] else "-", v[4], v[5])
           for k, v in sorted(pii.items(), key=lambda kv: (-kv[1][0] - kv[1][2], kv[0]))[:a.top]])

    if a.misses:
        print("\nMissed positives (first %d):" % a.misses)
        for i in missed[:a.misses]:
            print("  %s  %r" % (records[i]["id"], records[i]["text"][:100]))
        print("False positives (first %d):" % a.misses)
        for i in fps[:a.misses]:
            print("  %s  %s  %r" % (records[i]["id"], " ".join(sorted({f["rule"] for f in hits[i]})), records[i]["text"][:100]))
    if a.json:
        with open(a.json, "w") as f:
            json.dump(results, f, indent=0)

    totals = {
        "secret recall (any finding)": (ratio(tp[1], tp[0]), a.min_secret_recall, ">="),
        "secret recall (category-matched)": (ratio(tp[2], tp[0]), a.min_category_recall, ">="),
        "false-positive rate (scoped)": (ratio(tn[2], tn[0]), a.max_fp_rate, "<="),
        "false-positive rate (strict)": (ratio(tn[1], tn[0]), a.max_strict_fp_rate, "<="),
        "PII recall (score > 0.4)": (ratio(pt[1], pt[0]), a.min_pii_recall, ">="),
    }
    print("\nTotals: %d secret positives, %d secret negatives, %d PII positives (+%d weak), %d PII negatives"
          % (tp[0], tn[0], pt[0], pt[2], pt[4]))
    print("  PII recall on weak positives: %.3f; PII negatives with a finding: %d" % (ratio(pt[3], pt[2]), pt[5]))
    failed = []
    for name, (value, bound, op) in totals.items():
        good = value >= bound if op == ">=" else value <= bound
        print("  %-34s %.3f   (%s %.3f) %s" % (name, value, op, bound, "ok" if good else "FAIL"))
        if not good:
            failed.append(name)
    if failed:
        print("FAILED: " + ", ".join(failed))
        return 1
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
