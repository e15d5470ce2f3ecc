#!/usr/bin/env python3
"""Reads blackbar reports for the end-to-end tests.

  jl.py fields REPORT F1,F2,...   one TSV line per finding (jsonl or json report)
  jl.py match EXPECTED REPORT     compares findings with EXPECTED (TSV: rule, file,
                                  line, column; rule is an id or KIND:GLOB, any
                                  signature of that kind): exactly one finding per
                                  expected row, nothing else; prints the differences
  jl.py known EXPECTED IDS        the EXPECTED rows whose rule glob matches one of
                                  the signature ids in file IDS (others: a note on
                                  stderr)
  jl.py types REPORT              checks every jsonl field's presence and type
  jl.py spans REPORT ROOT         checks that each finding's byte span, read from
                                  the file under ROOT, agrees with line, column,
                                  end_line, end_column, and is absent from redacted
  jl.py json REPORT JSONL VERSION checks the json document against the jsonl one
  jl.py sarif REPORT JSONL SCHEMA validates SARIF and compares it with the jsonl
  jl.py stats REPORT KEY          one scan statistic of a json report
"""
import fnmatch
import json
import re
import sys


def findings(path):
    """The findings of a jsonl report, or of a json report's "findings"."""
    text = open(path, encoding="utf-8").read()
    try:
        doc = json.loads(text)
    except ValueError:
        return [json.loads(l) for l in text.splitlines() if l.strip()]
    if isinstance(doc, dict) and "findings" in doc:
        return doc["findings"]
    return [doc] if text.strip() else []


def fields(path, names):
    for f in findings(path):
        print("\t".join(str(f.get(n, "")) for n in names.split(",")))


def rule_matches(pattern, rule, kind):
    """pattern: a signature id, or KIND:GLOB."""
    if ":" in pattern:
        k, glob = pattern.split(":", 1)
        return kind == k and fnmatch.fnmatchcase(rule, glob)
    return rule == pattern


def match(expected_path, report):
    exp = [l.rstrip("\n").split("\t") for l in open(expected_path) if l.strip()]
    got = [(f["rule"], f["file"], str(f["line"]), str(f["column"]), f["kind"]) for f in findings(report)]
    left = list(got)
    missing = []
    for rule, file, line, col in exp:
        hit = next((g for g in left if rule_matches(rule, g[0], g[4]) and g[1:4] == (file, line, col)), None)
        if hit:
            left.remove(hit)
        else:
            missing.append("\t".join((rule, file, line, col)))
    for m in missing:
        print("missing:    " + m)
    for g in left:
        print("unexpected: " + "\t".join(g[:4]))
    return 1 if missing or left else 0


def known(expected_path, ids_path):
    ids = [l.split()[:2] for l in open(ids_path) if l.strip()]
    for l in open(expected_path):
        rule = l.split("\t")[0]
        if any(rule_matches(rule, i, k) for i, k in ids):
            sys.stdout.write(l)
        else:
            sys.stderr.write("note: no signature matches %s; left out of the expected findings\n" % rule)


TYPES = {
    "rule": str, "name": str, "kind": str, "severity": str, "confidence": str, "file": str,
    "line": int, "column": int, "end_line": int, "end_column": int,
    "start_offset": int, "end_offset": int, "redacted": str, "fingerprint": str,
    "validated": str,
}
ENUMS = {
    "kind": {"secret", "phi", "pii", "sensitive-file"},
    "severity": {"critical", "high", "medium", "low", "info"},
    "confidence": {"high", "medium", "low"},
    "validated": {"checksum", "structure", "context", "path", "magic", "pattern"},
}


def types(report):
    errors = []
    for i, f in enumerate(findings(report)):
        where = "finding %d (%s)" % (i + 1, f.get("rule"))
        for k, t in TYPES.items():
            if k not in f:
                errors.append("%s: no field %s" % (where, k))
            elif type(f[k]) is not t:
                errors.append("%s: %s is %r, expected %s" % (where, k, f[k], t.__name__))
        for k, allowed in ENUMS.items():
            if f.get(k) not in allowed:
                errors.append("%s: %s=%r not in %s" % (where, k, f.get(k), sorted(allowed)))
        extra = set(f) - set(TYPES) - {"secret", "decoded_from"}
        if extra:
            errors.append("%s: unknown fields %s" % (where, sorted(extra)))
        if not re.fullmatch(r"[0-9a-f]{32}", str(f.get("fingerprint"))):
            errors.append("%s: fingerprint %r is not 32 hex" % (where, f.get("fingerprint")))
        if all(isinstance(f.get(k), int) for k in TYPES if TYPES[k] is int):
            if min(f["line"], f["column"], f["end_line"], f["end_column"]) < 1:
                errors.append("%s: positions are 1-based" % where)
            if (f["end_line"], f["end_column"]) < (f["line"], f["column"]):
                errors.append("%s: end before start" % where)
            if f["end_offset"] <= f["start_offset"] and f["kind"] != "sensitive-file":
                errors.append("%s: empty byte span" % where)
    for e in errors:
        print(e)
    return 1 if errors else 0


def chars(b):
    """Start offsets of the characters of bytes `b`. A byte that is not part of a
    valid UTF-8 sequence is a character of its own (the redacted line shows it as
    one '?')."""
    i, out = 0, []
    while i < len(b):
        c = b[i]
        k = 2 if 0xC2 <= c <= 0xDF else 3 if 0xE0 <= c <= 0xEF else 4 if 0xF0 <= c <= 0xF4 else 1
        try:
            b[i:i + k].decode("utf-8")
        except UnicodeDecodeError:
            k = 1
        out.append(i)
        i += k
    return out


def position(data, off):
    """(line, column) of the character holding byte `off`: 1-based, columns in
    code points."""
    start = data.rfind(b"\n", 0, off) + 1
    end = data.find(b"\n", off)
    starts = chars(data[start:end if end >= 0 else len(data)])
    col = sum(1 for x in starts if x <= off - start)
    return data.count(b"\n", 0, off) + 1, col


def spans(report, root):
    import os
    errors = []
    fs = findings(report)
    for f in fs:
        if f["kind"] == "sensitive-file" or "decoded_from" in f:
            continue
        path = root if os.path.isfile(root) else os.path.join(root, f["file"])
        data = open(path, "rb").read()
        s, e = f["start_offset"], f["end_offset"]
        where = "%s:%s %s" % (f["file"], f["line"], f["rule"])
        if not 0 <= s < e <= len(data):
            errors.append("%s: span %d..%d outside the file (%d bytes)" % (where, s, e, len(data)))
            continue
        got = (f["line"], f["column"], f["end_line"], f["end_column"])
        want = position(data, s) + position(data, e - 1)
        if got != want:
            errors.append("%s: (line, column, end_line, end_column) = %s, the span says %s" % (where, got, want))
        secret = data[s:e].decode("utf-8", "replace")
        if any(len(part) >= 8 and part in f["redacted"] for part in secret.splitlines()):
            errors.append("%s: redacted line shows the secret: %r" % (where, f["redacted"]))
    for e in errors:
        print(e)
    print("%d findings checked" % len(fs))
    return 1 if errors else 0


def check_json(report, jsonl, version):
    doc = json.load(open(report, encoding="utf-8"))
    errors = []
    want_keys = ["tool", "version", "findings", "warnings", "stats"]
    if sorted(doc) != sorted(want_keys):
        errors.append("top-level keys %s, expected %s" % (sorted(doc), sorted(want_keys)))
    if doc.get("tool") != "blackbar" or doc.get("version") != version:
        errors.append("tool/version %r/%r, expected blackbar/%s" % (doc.get("tool"), doc.get("version"), version))
    if doc.get("findings") != findings(jsonl):
        errors.append("json findings differ from the jsonl findings")
    stats = doc.get("stats", {})
    want = {"files_seen", "files_scanned", "files_skipped", "bytes_scanned", "warnings",
            "findings", "signatures", "seconds", "baselined"}
    if set(stats) != want:
        errors.append("stats keys %s, expected %s" % (sorted(stats), sorted(want)))
    if stats.get("findings") != len(doc.get("findings", [])):
        errors.append("stats.findings %r != %d findings" % (stats.get("findings"), len(doc["findings"])))
    if stats.get("warnings") != len(doc.get("warnings", [])):
        errors.append("stats.warnings %r != %d warnings" % (stats.get("warnings"), len(doc["warnings"])))
    for e in errors:
        print(e)
    return 1 if errors else 0


def check_sarif(report, jsonl, schema):
    import jsonschema
    from urllib.parse import unquote
    doc = json.load(open(report, encoding="utf-8"))
    sch = json.load(open(schema, encoding="utf-8"))
    assert sch["$schema"].startswith("http://json-schema.org/draft-07/")
    errors = ["schema: %s at %s" % (e.message[:200], "/".join(map(str, e.absolute_path)))
              for e in jsonschema.Draft7Validator(sch).iter_errors(doc)]
    run = doc["runs"][0] if doc.get("runs") else {}
    rules = run.get("tool", {}).get("driver", {}).get("rules", [])
    base = {k: v.get("uri", "") for k, v in run.get("originalUriBaseIds", {}).items()}
    got = []
    for r in run.get("results", []):
        loc = r["locations"][0]["physicalLocation"]
        art, reg = loc["artifactLocation"], loc["region"]
        if rules[r["ruleIndex"]]["id"] != r["ruleId"]:
            errors.append("ruleIndex %d is %s, not %s" % (r["ruleIndex"], rules[r["ruleIndex"]]["id"], r["ruleId"]))
        got.append((r["ruleId"], unquote(base.get(art.get("uriBaseId"), "") + art["uri"]), reg.get("startLine"),
                    reg.get("startColumn"), reg.get("endLine"), reg.get("endColumn"),
                    r.get("partialFingerprints", {}).get("blackbar/v1")))
    want = []
    for f in findings(jsonl):
        want.append((f["rule"], f["file"], f["line"], f["column"], f["end_line"], f["end_column"] + 1, f["fingerprint"]))
    # URIs are absolute (base + uri), jsonl paths relative to the root: compared apart.
    if sorted(x[:1] + x[2:] for x in got) != sorted(x[:1] + x[2:] for x in want):
        errors.append("results differ from jsonl findings:\n  sarif: %s\n  jsonl: %s" % (sorted(got), sorted(want)))
    for g in got:
        if not any(g[1].endswith("/" + w[1]) or g[1] == w[1] for w in want if w[0] == g[0]):
            errors.append("result uri %s matches no jsonl file" % g[1])
    for e in errors:
        print(e)
    print("%d results, %d rules" % (len(got), len(rules)))
    return 1 if errors else 0


def main(argv):
    if len(argv) == 4 and argv[1] == "fields":
        fields(argv[2], argv[3])
    elif len(argv) == 4 and argv[1] == "match":
        sys.exit(match(argv[2], argv[3]))
    elif len(argv) == 4 and argv[1] == "known":
        known(argv[2], argv[3])
    elif len(argv) == 3 and argv[1] == "types":
        sys.exit(types(argv[2]))
    elif len(argv) == 4 and argv[1] == "spans":
        sys.exit(spans(argv[2], argv[3]))
    elif len(argv) == 5 and argv[1] == "json":
        sys.exit(check_json(argv[2], argv[3], argv[4]))
    elif len(argv) == 5 and argv[1] == "sarif":
        sys.exit(check_sarif(argv[2], argv[3], argv[4]))
    elif len(argv) == 4 and argv[1] == "stats":
        with open(argv[2], encoding="utf-8") as f:
            print(json.load(f)["stats"][argv[3]])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
