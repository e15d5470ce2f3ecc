#!/usr/bin/env python3
"""`blackbar hook claude`: the Claude Code hook adapter, end to end.

Runs the binary on Claude Code hook events (PreToolUse, PostToolUse,
PostToolUseFailure, UserPromptSubmit) built like Claude Code builds them, with the
per-tool tool_input / tool_response shapes, and checks the answers: deny / ask /
nothing before a call, the tool's own output object with only the secret spans
replaced after it, blocked prompts, failing closed on bad input and bad
configuration, the audit log (also under 240 concurrent hook processes), and
that no answer ever holds a planted secret or says "allow".

Usage: test_claude.py --blackbar PATH [--seed N] [-k NAME] [--keep]
"""
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # nothing written next to the sources
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hooklib import (SIG, Suite, dig, replace_all, same_shape, strings, write,  # noqa: E402
                     write_json)

S = Suite("hooks: blackbar hook claude", __doc__)
sec = S.sec

# ---- fixture tree ------------------------------------------------------------------------
# The project (the event's cwd) and a home directory; the hook itself runs from a
# third directory, so relative paths must be resolved against the event's cwd.

P = os.path.join(S.tmp, "proj")
H = S.home
RUN_DIR = os.path.join(S.tmp, "elsewhere")
os.makedirs(RUN_DIR)
os.makedirs(P)

T_NOTES = sec.ghp()           # line 5 of notes.txt
T_HOME = sec.ghp()            # ~/notes.txt
T_STRIPE = sec.stripe()       # src/settings.py
NPM_HOME = sec.npm()          # ~/.npmrc
AWS_ID = sec.aws_id()
AWS_SECRET = sec.aws_secret()
PEM = sec.pem(6)
PEM_LONG = sec.pem(20)        # keys.txt: a key in a file whose name says nothing

notes_lines = ["line %d: nothing to see" % i for i in range(1, 11)]
notes_lines[4] = "export GITHUB_TOKEN=" + T_NOTES
write(os.path.join(P, "notes.txt"), "\n".join(notes_lines) + "\n")
write(os.path.join(P, ".env"), "DEBUG=1\nLOG_LEVEL=info\n")
write(os.path.join(P, "README.md"), "# demo\nNothing to see here.\n")
os.makedirs(os.path.join(P, "sub"))
write(os.path.join(P, "src/app.py"), "def main():\n    return 0\n")
write(os.path.join(P, "src/settings.py"), 'import stripe\nstripe.api_key = "%s"\n' % T_STRIPE)
write(os.path.join(P, "keys.txt"), PEM_LONG)
write(os.path.join(P, "my dir/creds.txt"), "token: %s\n" % sec.ghp())
# a token split over two files: neither file holds it, `cat part1 part2` prints it
T_SPLIT = sec.ghp()
write(os.path.join(P, "part1"), T_SPLIT[:20])
write(os.path.join(P, "part2"), T_SPLIT[20:] + "\n")
_big = ["filler line %d" % i for i in range(1, 3001)]
_big[-1] = "token = " + sec.ghp()
write(os.path.join(P, "long.log"), "\n".join(_big) + "\n")
T_NB = sec.ghp()
write_json(os.path.join(P, "analysis.ipynb"), {
    "cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
               "source": ["import os\n", "TOKEN = '%s'\n" % T_NB]}],
    "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
write(os.path.join(H, ".npmrc"), "//registry.npmjs.org/:_authToken=%s\n" % NPM_HOME)
write(os.path.join(H, ".ssh/id_rsa"), PEM, 0o600)
write(os.path.join(H, ".aws/credentials"),
      "[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n" % (AWS_ID, AWS_SECRET))
write(os.path.join(H, "notes.txt"), "token=%s\n" % T_HOME)

SESSION = "5f0c1a4e-hooks-test"


def ev(event, tool=None, tool_input=None, tool_response=None, cwd=P, **extra):
    e = {"session_id": SESSION, "transcript_path": os.path.join(H, ".claude/projects/p/s.jsonl"),
         "cwd": cwd, "permission_mode": "default", "hook_event_name": event}
    if tool is not None:
        e["tool_name"] = tool
        e["tool_use_id"] = "toolu_01TEST"
    if tool_input is not None:
        e["tool_input"] = tool_input
    if tool_response is not None:
        e["tool_response"] = tool_response
    e.update(extra)
    return e


def pre(tool, tool_input, **kw):
    return ev("PreToolUse", tool, tool_input, **kw)


def post(tool, tool_input, tool_response, **kw):
    return ev("PostToolUse", tool, tool_input, tool_response, **kw)


def hook(e, env=None, what=None, raw=None, cwd=RUN_DIR):
    return S.hook(e, raw=raw, env=env, cwd=cwd, what=what)


def user_cfg(name, obj):
    path = os.path.join(S.tmp, "cfg", name + ".json")
    write_json(path, obj)
    return S.env(BLACKBAR_USER_CONFIG=path)


SIG_IN_PARENS = re.compile(r"\(([a-z0-9-]+(?:\.[a-z0-9-]+)+)\)")


def expect_decision(what, e, want, env=None, reason_has=(), reason_any=None):
    """Checks the PreToolUse answer: want is 'deny', 'ask' or '-' (no decision,
    exactly {})."""
    r = hook(e, env=env, what=what)
    if want == "-":
        S.eq("%s: no decision ({})" % what, {}, r.json, detail=r.short())
        return r
    ok = S.eq("%s: %s" % (what, want), want, r.decision, detail=r.short())
    if ok:
        reason = r.hso.get("permissionDecisionReason", "")
        keys = set(r.hso)
        S.check("%s: answer has hookEventName, permissionDecision, permissionDecisionReason"
                % what, {"hookEventName", "permissionDecision",
                         "permissionDecisionReason"} <= keys and isinstance(reason, str)
                and reason, actual=r.hso)
        S.eq("%s: nothing but hookSpecificOutput at the top level" % what, ["hookSpecificOutput"],
             sorted(r.json))
        for h in reason_has:
            S.check("%s: reason names %r" % (what, h), h in reason, actual=reason)
        if reason_any:
            S.check("%s: reason says how to carry on" % what,
                    any(x in reason.lower() for x in reason_any), reason_any, reason)
    return r


CARRY_ON = ("ask the user", "environment variable", "instead")


# ==== PreToolUse: reads ==================================================================

@S.case
def pre_read():
    """Read of sensitive files and of files whose content holds a secret"""
    expect_decision("Read .env (sensitive by name)", pre("Read", {"file_path": P + "/.env"}),
                    "deny", reason_has=(P + "/.env", "dotenv.file"), reason_any=CARRY_ON)
    expect_decision("Read notes.txt (token on line 5)", pre("Read", {"file_path": P + "/notes.txt"}),
                    "deny", reason_has=(P + "/notes.txt", SIG["ghp"]), reason_any=CARRY_ON)
    expect_decision("Read src/settings.py (stripe key)",
                    pre("Read", {"file_path": P + "/src/settings.py"}), "deny",
                    reason_has=("settings.py", SIG["stripe"]))
    expect_decision("Read ~/.ssh/id_rsa", pre("Read", {"file_path": H + "/.ssh/id_rsa"}), "deny",
                    reason_has=("id_rsa",))
    expect_decision("Read ~/.aws/credentials", pre("Read", {"file_path": H + "/.aws/credentials"}),
                    "deny", reason_has=(".aws/credentials",))
    expect_decision("Read ~/.npmrc", pre("Read", {"file_path": H + "/.npmrc"}), "deny")
    expect_decision("Read a clean file", pre("Read", {"file_path": P + "/README.md"}), "-")
    expect_decision("Read a clean file with offset/limit",
                    pre("Read", {"file_path": P + "/src/app.py", "offset": 1, "limit": 1}), "-")
    expect_decision("Read a file that does not exist",
                    pre("Read", {"file_path": P + "/missing.txt"}), "-")
    expect_decision("Read with pages/allow_large fields",
                    pre("Read", {"file_path": P + "/README.md", "pages": "1-2",
                                 "allow_large": True}), "-")


@S.case
def pre_read_ranges():
    """Read offset/limit: only the lines that would be read count (token on line 5)"""
    f = P + "/notes.txt"
    cases = [  # (offset, limit, decision)
        (None, None, "deny"), (1, 4, "-"), (1, 5, "deny"), (5, 1, "deny"), (6, None, "-"),
        (6, 100, "-"), (3, 2, "-"), (3, 3, "deny"), (4, 2, "deny"), (2, None, "deny"),
        (None, 4, "-"), (None, 5, "deny"), (0, 4, "-"), (5, None, "deny"), (11, 5, "-"),
    ]
    for off, lim, want in cases:
        ti = {"file_path": f}
        if off is not None:
            ti["offset"] = off
        if lim is not None:
            ti["limit"] = lim
        expect_decision("Read offset=%s limit=%s" % (off, lim), pre("Read", ti), want)
    # a secret outside the range: long.log has the token on line 3000
    expect_decision("Read long.log lines 1-2000 (token on line 3000)",
                    pre("Read", {"file_path": P + "/long.log", "offset": 1, "limit": 2000}), "-")
    expect_decision("Read long.log lines 2001-3000",
                    pre("Read", {"file_path": P + "/long.log", "offset": 2001, "limit": 1000}),
                    "deny")


@S.case
def pre_read_huge_limit():
    """Read with a huge limit (a valid JSON integer): offset + limit must not wrap around"""
    expect_decision("Read long.log offset=2999 limit=2^64-2048",
                    pre("Read", {"file_path": P + "/long.log", "offset": 2999,
                                 "limit": 18446744073709549568}), "deny")
    expect_decision("Read long.log offset=2999 limit=2^53",
                    pre("Read", {"file_path": P + "/long.log", "offset": 2999, "limit": 2 ** 53}),
                    "deny")


@S.case
def pre_read_proc_environ():
    """Reading a process environment (/proc/*/environ) with a token in it"""
    env = S.env(GITHUB_TOKEN=sec.ghp())
    expect_decision("Read /proc/self/environ", pre("Read", {"file_path": "/proc/self/environ"}),
                    "deny", env=env)
    expect_decision("Bash cat /proc/self/environ", pre("Bash", {"command": "cat /proc/self/environ"}),
                    "deny", env=env)
    expect_decision("Bash strings /proc/$PPID/environ",
                    pre("Bash", {"command": "strings /proc/$PPID/environ"}), "deny", env=env)


@S.case
def pre_read_partial_private_key():
    """Read of a private key's body lines without its BEGIN line (keys.txt, 22 lines)"""
    # Lines 2-21 are the whole key body: the model would get the key material.
    expect_decision("Read keys.txt whole", pre("Read", {"file_path": P + "/keys.txt"}), "deny")
    expect_decision("Read keys.txt offset=2 limit=20 (the body, no BEGIN/END line)",
                    pre("Read", {"file_path": P + "/keys.txt", "offset": 2, "limit": 20}), "deny")
    body = PEM_LONG.split("\n")[1:21]
    resp = {"type": "text", "file": {"filePath": P + "/keys.txt", "content": "\n".join(body),
                                     "numLines": 20, "startLine": 2, "totalLines": 22}}
    r = hook(post("Read", {"file_path": P + "/keys.txt", "offset": 2, "limit": 20}, resp),
             what="PostToolUse Read of the key body")
    S.check("PostToolUse Read of the key body: the key lines are redacted",
            isinstance(r.hso.get("updatedToolOutput"), dict) and
            not any(l in json.dumps(r.hso["updatedToolOutput"]) for l in body),
            "updatedToolOutput without the key lines", r.short(200))


@S.case
def pre_notebook_and_grep():
    """NotebookRead, and Grep in content mode on a file"""
    expect_decision("NotebookRead analysis.ipynb (token in a cell)",
                    pre("NotebookRead", {"notebook_path": P + "/analysis.ipynb"}), "deny",
                    reason_has=("analysis.ipynb", SIG["ghp"]))
    expect_decision("Read analysis.ipynb", pre("Read", {"file_path": P + "/analysis.ipynb"}), "deny")
    expect_decision("NotebookRead a missing notebook",
                    pre("NotebookRead", {"notebook_path": P + "/none.ipynb"}), "-")
    expect_decision("Grep content mode on notes.txt",
                    pre("Grep", {"pattern": "TOKEN", "path": P + "/notes.txt",
                                 "output_mode": "content", "-n": True}), "deny",
                    reason_has=("notes.txt", SIG["ghp"]))
    expect_decision("Grep content mode on .env",
                    pre("Grep", {"pattern": "DEBUG", "path": P + "/.env", "output_mode": "content"}),
                    "deny", reason_has=(".env",))
    expect_decision("Grep content mode on ~/.aws/credentials",
                    pre("Grep", {"pattern": "aws", "path": H + "/.aws/credentials",
                                 "output_mode": "content", "-C": 2}), "deny")
    expect_decision("Grep files_with_matches on notes.txt (names only)",
                    pre("Grep", {"pattern": "TOKEN", "path": P + "/notes.txt",
                                 "output_mode": "files_with_matches"}), "-")
    expect_decision("Grep count on notes.txt",
                    pre("Grep", {"pattern": "TOKEN", "path": P + "/notes.txt", "output_mode": "count"}),
                    "-")
    expect_decision("Grep content mode on a clean file",
                    pre("Grep", {"pattern": "main", "path": P + "/src/app.py", "output_mode": "content"}),
                    "-")
    expect_decision("Grep with a token in the pattern",
                    pre("Grep", {"pattern": sec.ghp(), "path": P}), "deny")


@S.case
def pre_grep_relative_path():
    """Grep content mode with a path relative to the event's cwd"""
    expect_decision("Grep content mode on notes.txt (relative to cwd)",
                    pre("Grep", {"pattern": "TOKEN", "path": "notes.txt", "output_mode": "content"}),
                    "deny")


# ==== PreToolUse: writes =================================================================

@S.case
def pre_writes():
    """Write, Edit, MultiEdit, NotebookEdit that hardcode secrets"""
    tok = sec.ghp()
    f = P + "/src/client.py"
    r = expect_decision("Write with a token in content",
                        pre("Write", {"file_path": f, "content": 'TOKEN = "%s"\n' % tok}), "deny",
                        reason_has=(SIG["ghp"],), reason_any=("environment variable",))
    S.check("Write deny: the reason names the file", "client.py" in r.hso.get(
        "permissionDecisionReason", ""), "client.py", r.hso.get("permissionDecisionReason"))
    expect_decision("Write clean content", pre("Write", {"file_path": f,
                                                         "content": "TOKEN = os.environ['T']\n"}), "-")
    expect_decision("Write with an AWS key pair",
                    pre("Write", {"file_path": P + "/deploy.sh", "content":
                                  "export AWS_ACCESS_KEY_ID=%s\nexport AWS_SECRET_ACCESS_KEY=%s\n"
                                  % (sec.aws_id(), sec.aws_secret())}), "deny",
                    reason_has=(SIG["aws-id"],))
    expect_decision("Write a private key", pre("Write", {"file_path": P + "/k.txt",
                                                         "content": sec.pem(4)}), "deny")
    expect_decision("Edit with a token in new_string",
                    pre("Edit", {"file_path": f, "old_string": "TOKEN = None",
                                 "new_string": "TOKEN = '%s'" % sec.ghp(), "replace_all": False}),
                    "deny", reason_has=(SIG["ghp"],))
    expect_decision("Edit removing a token (token in old_string only)",
                    pre("Edit", {"file_path": f, "old_string": "TOKEN = '%s'" % sec.ghp(),
                                 "new_string": "TOKEN = os.environ['TOKEN']"}), "-")
    expect_decision("MultiEdit with a token in the second edit",
                    pre("MultiEdit", {"file_path": f, "edits": [
                        {"old_string": "a", "new_string": "b"},
                        {"old_string": "c", "new_string": "key = '%s'" % sec.stripe(),
                         "replace_all": True}]}), "deny", reason_has=(SIG["stripe"],))
    expect_decision("MultiEdit clean", pre("MultiEdit", {"file_path": f, "edits": [
        {"old_string": "a", "new_string": "b"}]}), "-")
    expect_decision("NotebookEdit with a token in new_source",
                    pre("NotebookEdit", {"notebook_path": P + "/analysis.ipynb", "cell_id": "c1",
                                         "new_source": "T = '%s'" % sec.ghp(), "cell_type": "code",
                                         "edit_mode": "replace"}), "deny")
    expect_decision("NotebookEdit clean",
                    pre("NotebookEdit", {"notebook_path": P + "/analysis.ipynb",
                                         "new_source": "print(1)", "edit_mode": "insert"}), "-")


@S.case
def pre_write_nul():
    """Write content with a NUL character before the secret"""
    tok = sec.ghp()
    expect_decision("Write 'x\\u0000' + token", pre("Write", {
        "file_path": P + "/blob.txt", "content": "header\u0000 token=%s\n" % tok}), "deny")


# ==== PreToolUse: shell commands =========================================================

BASH_DENY = [
    "cat .env", "less .env", "head -n 3 .env", "tail -f .env", "grep DEBUG .env",
    "sed -n 1p .env", "awk '{print}' .env", "base64 .env", "xxd .env", "cp .env /tmp/x",
    "tar czf - .env", "cat ./.env", "cat -- .env", "cat sub/../.env",
    "cat %s/.env" % P, "cat ~/.npmrc", "cat ~/.ssh/id_rsa", "base64 -w0 ~/.ssh/id_rsa",
    "cat $HOME/.aws/credentials", "cat \"$HOME/.npmrc\"", "cat .e\"\"nv",
    "cat notes.txt", "grep -n export notes.txt", "head -20 src/settings.py",
    "wc -l < .env", "cat < .env", "while read l; do echo $l; done < .env",
    "env", "printenv", "printenv GITHUB_TOKEN", "export -p", "set",
    "aws configure get aws_secret_access_key", "aws configure export-credentials",
    "gh auth token", "gh auth status --show-token",
    "git config --get credential.helper", "git config --global --get credential.https://github.com.username",
    "security find-generic-password -s github -w",
    "kubectl get secret db-creds -o yaml", "kubectl get secrets -n prod -o json",
    "echo $AWS_SECRET_ACCESS_KEY", "echo \"${GITHUB_TOKEN}\"", "printf '%s' $NPM_TOKEN",
    # the variable is not the last word, or output goes to a file
    "echo $AWS_SECRET_ACCESS_KEY done", "echo $GITHUB_TOKEN > out.txt",
    "sudo cat .env", "sudo -E cat /etc/../%s/.env" % P.lstrip("/"), "env X=1 cat .env",
    "env -i PATH=/bin cat .env", "FOO=1 cat .env", "nohup cat .env", "timeout 5 cat .env",
    "bash -c 'cat .env'", "sh -c \"cat ~/.npmrc\"", "bash -lc 'printenv'",
    "echo $(cat .env)", "x=`cat .env`", "echo \"$(base64 < .env)\"",
    "ls && cat .env", "ls | cat .env", "ls; cat .env", "false || cat .env", "(cat .env)",
    "cat .env 2>/dev/null | head", "cat part1 notes.txt",
]
BASH_CLEAN = [
    "ls -la", "git status", "npm test", "echo hello", "cat README.md", "grep -rn TODO src",
    "printenv HOME", "echo $HOME", "export FOO=bar", "cat .env.example", "cat part1 part2",
    "python3 -m pytest -q", "git log --oneline -5", "make -j2",
    # incomplete redirections, at the end and inside substitutions (the shell reader
    # once stepped past the end of such a command: ASan catches it in CI)
    "ls >", "echo `ls >`", "x=$(ls <)", "echo hi 2>",
    # a file written to is not one read: redirection targets are not arguments
    "sort names.txt > notes.txt", "make 2>&1 > build.log",
]
BASH_EDGE_DENY = [
    # shell grammar that still runs `cat .env`
    "sudo -u root cat .env", "eval cat .env", "eval 'cat .env'", "{ cat .env; }",
    "if true; then cat .env; fi", "for i in 1; do cat .env; done", "! cat .env",
]


@S.case
def pre_bash():
    """Bash: commands that print sensitive files, stored credentials or the environment"""
    for c in BASH_DENY:
        expect_decision("Bash %r" % c, pre("Bash", {"command": c, "description": "x"}), "deny")
    for c in BASH_CLEAN:
        expect_decision("Bash %r" % c, pre("Bash", {"command": c, "description": "x"}), "-")
    expect_decision("Bash cat .env: reason", pre("Bash", {"command": "cat .env"}), "deny",
                    reason_has=(".env",), reason_any=("ask the user",))
    expect_decision("Bash cat notes.txt: reason", pre("Bash", {"command": "cat notes.txt"}), "deny",
                    reason_has=("notes.txt",))
    tok = sec.ghp()
    expect_decision("Bash with an inline token",
                    pre("Bash", {"command": "curl -H 'Authorization: token %s' https://api.github.com/user"
                                 % tok}), "deny", reason_has=(SIG["ghp"],),
                    reason_any=("environment variable",))
    expect_decision("Bash with an inline AWS key pair",
                    pre("Bash", {"command": "AWS_ACCESS_KEY_ID=%s AWS_SECRET_ACCESS_KEY=%s aws s3 ls"
                                 % (sec.aws_id(), sec.aws_secret())}), "deny")
    expect_decision("Bash relative path against another cwd (home)",
                    pre("Bash", {"command": "cat .npmrc"}, cwd=H), "deny")


@S.case
def pre_bash_grammar():
    """Bash: wrappers and compound commands around `cat .env`"""
    for c in BASH_EDGE_DENY:
        expect_decision("Bash %r" % c, pre("Bash", {"command": c}), "deny")


@S.case
def pre_bash_dump_commands_off():
    """block_dump_commands false: env/printenv allowed, reads of sensitive files still denied"""
    env = user_cfg("nodump", {"policy": {"block_dump_commands": False}})
    for c in ("env", "printenv", "aws configure get aws_secret_access_key"):
        expect_decision("dump off: Bash %r" % c, pre("Bash", {"command": c}), "-", env=env)
    for c in ("cat .env", "sudo cat .env", "bash -c 'cat .env'", "env X=1 cat .env",
              "env cat ~/.npmrc"):
        expect_decision("dump off: Bash %r" % c, pre("Bash", {"command": c}), "deny", env=env)


@S.case
def pre_powershell():
    """PowerShell: the same checks on its command"""
    for c in ("cat .env", "type .env", "Get-Content .env", "Get-Content -Path ~/.npmrc",
              "gc .env", "Get-Content notes.txt"):
        expect_decision("PowerShell %r" % c, pre("PowerShell", {"command": c}), "deny")
    expect_decision("PowerShell inline token",
                    pre("PowerShell", {"command": "$env:GH_TOKEN = '%s'" % sec.ghp()}), "deny")
    expect_decision("PowerShell Get-ChildItem", pre("PowerShell", {"command": "Get-ChildItem"}), "-")


# ==== PreToolUse: web, MCP, agents, unknown tools ========================================

@S.case
def pre_other_tools():
    """WebFetch, WebSearch, MCP, Agent/Task and unknown tools carrying secrets"""
    tok = sec.ghp()
    expect_decision("WebFetch url with a token",
                    pre("WebFetch", {"url": "https://example.com/hook?token=" + tok,
                                     "prompt": "summarise"}), "deny",
                    reason_has=(SIG["ghp"],), reason_any=("remove",))
    expect_decision("WebFetch prompt with a key",
                    pre("WebFetch", {"url": "https://example.com/", "prompt": "use key " + sec.stripe()}),
                    "deny")
    expect_decision("WebFetch clean", pre("WebFetch", {"url": "https://example.com/docs",
                                                       "prompt": "list the endpoints"}), "-")
    expect_decision("WebSearch query with a token",
                    pre("WebSearch", {"query": "who owns " + sec.npm()}), "deny")
    expect_decision("WebSearch clean", pre("WebSearch", {"query": "cjson parse with length",
                                                         "allowed_domains": ["github.com"]}), "-")
    expect_decision("MCP tool with a nested token",
                    pre("mcp__github__create_issue", {"owner": "o", "repo": "r", "body": {
                        "sections": [{"text": "creds: " + sec.ghp()}]}}), "deny")
    expect_decision("MCP tool with a private key argument (real newlines)",
                    pre("mcp__vault__store", {"name": "deploy", "value": sec.pem(4)}), "deny")
    expect_decision("MCP tool with an AWS pair in separate fields",
                    pre("mcp__aws__configure", {"aws_access_key_id": sec.aws_id(),
                                                "aws_secret_access_key": sec.aws_secret()}), "deny")
    expect_decision("MCP clean", pre("mcp__github__list_issues", {"owner": "o", "state": "open",
                                                                  "per_page": 5}), "-")
    expect_decision("Agent prompt with a token",
                    pre("Agent", {"description": "d", "prompt": "deploy with " + sec.ghp(),
                                  "subagent_type": "general-purpose"}), "deny")
    expect_decision("Task prompt with a token",
                    pre("Task", {"description": "d", "prompt": "use " + sec.stripe()}), "deny")
    expect_decision("Agent clean", pre("Agent", {"description": "d", "prompt": "run the tests"}), "-")
    expect_decision("unknown tool with a token",
                    pre("FancyNewTool", {"anything": ["x", {"y": sec.ghp()}]}), "deny")
    expect_decision("unknown tool clean", pre("FancyNewTool", {"anything": [1, 2]}), "-")
    expect_decision("Glob", pre("Glob", {"pattern": "**/*.py", "path": P}), "-")
    expect_decision("TodoWrite clean", pre("TodoWrite", {"todos": [{"content": "a", "status":
                                                                     "pending"}]}), "-")


# ==== policies =============================================================================

@S.case
def policy_ask_none_redact():
    """Policy values: ask gives ask, none and redact give no PreToolUse decision"""
    ask = user_cfg("ask", {"policy": {"secret": "ask", "sensitive-file": "ask"}})
    expect_decision("secret ask: Read notes.txt", pre("Read", {"file_path": P + "/notes.txt"}),
                    "ask", env=ask)
    expect_decision("sensitive-file ask: Read .env", pre("Read", {"file_path": P + "/.env"}),
                    "ask", env=ask)
    expect_decision("secret ask: Bash inline token",
                    pre("Bash", {"command": "echo %s" % sec.ghp()}), "ask", env=ask)
    expect_decision("secret ask: Write token",
                    pre("Write", {"file_path": P + "/x.py", "content": "k='%s'" % sec.ghp()}),
                    "ask", env=ask)
    r = hook(ev("UserPromptSubmit", prompt="here: " + sec.ghp()), env=ask, what="secret ask: prompt")
    S.eq("secret ask: a prompt with a token is still blocked", "block", dig(r.json, "decision"),
         detail=r.short())

    none = user_cfg("none", {"policy": {"secret": "none"}})
    expect_decision("secret none: Read notes.txt", pre("Read", {"file_path": P + "/notes.txt"}),
                    "-", env=none)
    tok = sec.ghp()
    resp = {"stdout": "t=" + tok + "\n", "stderr": "", "interrupted": False, "isImage": False}
    r = hook(post("Bash", {"command": "x"}, resp), env=none, what="secret none: PostToolUse")
    S.eq("secret none: output left alone", {}, r.json, detail=r.short())
    # (the hook printed nothing with the token: the leak check above covers it)

    red = user_cfg("redact", {"policy": {"secret": "redact"}})
    expect_decision("secret redact: Read notes.txt", pre("Read", {"file_path": P + "/notes.txt"}),
                    "-", env=red)
    r = hook(post("Bash", {"command": "x"}, resp), env=red, what="secret redact: PostToolUse")
    S.eq("secret redact: output redacted",
         "t=[REDACTED:%s]\n" % SIG["ghp"], dig(r.hso, "updatedToolOutput", "stdout"), detail=r.short())


@S.case
def policy_project_only_tightens():
    """A project config can tighten the user's policy, never loosen it"""
    notes = pre("Read", {"file_path": P + "/notes.txt"})
    envf = pre("Read", {"file_path": P + "/.env"})
    ask_user = os.path.join(S.tmp, "cfg", "user-ask.json")
    write_json(ask_user, {"policy": {"secret": "ask"}})
    proj_cfg = os.path.join(S.tmp, "cfg", "project.json")

    def project(obj, user=None):
        write_json(proj_cfg, obj)
        return S.env(BLACKBAR_CONFIG=proj_cfg, BLACKBAR_USER_CONFIG=user or S.nouser)

    expect_decision("user ask + project deny -> deny", notes, "deny",
                    env=project({"policy": {"secret": "deny"}}, ask_user))
    expect_decision("user ask + project redact -> ask", notes, "ask",
                    env=project({"policy": {"secret": "redact"}}, ask_user))
    expect_decision("project secret none -> still deny", notes, "deny",
                    env=project({"policy": {"secret": "none"}}))
    expect_decision("project sensitive-file none -> still deny", envf, "deny",
                    env=project({"policy": {"sensitive-file": "none"}}))
    expect_decision("project block_dump_commands false -> env still denied",
                    pre("Bash", {"command": "env"}), "deny",
                    env=project({"policy": {"block_dump_commands": False}}))
    r = hook(pre("Bash", {"command": "ls"}), env=project({"policy": {"bash_rewrite": True}}),
             what="project bash_rewrite true")
    S.eq("project bash_rewrite true -> rewritten (tighter)", "ask", r.decision, detail=r.short())
    expect_decision("project pii deny -> Write with a card number denied",
                    pre("Write", {"file_path": P + "/c.txt", "content": "card: " + sec.card()}),
                    "deny", env=project({"policy": {"pii": "deny"}}))
    # allowlists and excludes in a repository's config switch findings off
    for name, cfg in [("allow.signatures", {"allow": {"signatures": [SIG["ghp"]]}}),
                      ("allow.paths", {"allow": {"paths": ["**"]}}),
                      ("allow.secrets", {"allow": {"secrets": [".*"]}}),
                      ("exclude", {"exclude": ["**"]})]:
        e = project(cfg)
        expect_decision("project %s -> Read notes.txt still denied" % name, notes, "deny", env=e)
        expect_decision("project %s -> Read .env still denied" % name, envf, "deny", env=e)


@S.case
def policy_project_config_discovery():
    """The project config is found at $CLAUDE_PROJECT_DIR/.blackbar.json, else <cwd>/.blackbar.json"""
    d = os.path.join(S.tmp, "proj2")
    write(d + "/README.md", "hi\n")
    write_json(d + "/.blackbar.json", {"policy": {"bash_rewrite": True}})
    r = hook(pre("Bash", {"command": "ls"}, cwd=d), what="cwd/.blackbar.json")
    S.eq("<cwd>/.blackbar.json is read (bash_rewrite from it)", "ask", r.decision, detail=r.short())
    r = hook(pre("Bash", {"command": "ls"}, cwd=P), env=S.env(CLAUDE_PROJECT_DIR=d),
             what="$CLAUDE_PROJECT_DIR/.blackbar.json")
    S.eq("$CLAUDE_PROJECT_DIR/.blackbar.json is read", "ask", r.decision, detail=r.short())
    r = hook(pre("Bash", {"command": "ls"}, cwd=d), env=S.env(
        BLACKBAR_CONFIG=os.path.join(S.tmp, "cfg", "none-such.json")), what="BLACKBAR_CONFIG")
    S.eq("BLACKBAR_CONFIG replaces <cwd>/.blackbar.json", {}, r.json, detail=r.short())
    env = S.env(HOME=None, BLACKBAR_USER_CONFIG=None)
    expect_decision("no HOME and no user config: still checks", pre("Bash", {"command": "cat .env"}),
                    "deny", env=env)


# ==== bash_rewrite =========================================================================

REWRITE = None


def rewrite_env():
    global REWRITE
    if REWRITE is None:
        REWRITE = user_cfg("rewrite", {"policy": {"bash_rewrite": True}})
    return REWRITE


def sh_quote(s):
    return "'" + s.replace("'", "'\\''") + "'"


@S.case
def bash_rewrite_shape():
    """bash_rewrite: ask with updatedInput = the whole tool_input, command wrapped"""
    env = rewrite_env()
    ti = {"command": "ls -la src", "description": "List files", "timeout": 120000,
          "run_in_background": False, "dangerouslyDisableSandbox": True}
    r = hook(pre("Bash", ti), env=env, what="rewrite ls")
    S.eq("rewrite: permissionDecision ask", "ask", r.decision, detail=r.short())
    upd = r.hso.get("updatedInput")
    want = dict(ti, command="%s redact -q -- bash -c %s" % (sh_quote(S.bb), sh_quote(ti["command"])))
    S.eq("rewrite: updatedInput is tool_input with command wrapped", want, upd)
    S.check("rewrite: additionalContext tells the model about the redaction",
            "redact" in str(r.hso.get("additionalContext", "")).lower(), actual=r.hso)
    r = hook(pre("Bash", dict(ti, run_in_background=True)), env=env, what="rewrite background")
    S.eq("rewrite: run_in_background true is not rewritten", {}, r.json, detail=r.short())
    r = hook(pre("PowerShell", {"command": "Get-ChildItem"}), env=env, what="rewrite PowerShell")
    S.eq("rewrite: PowerShell is not wrapped in bash", {}, r.json, detail=r.short())
    r = hook(pre("Bash", {"command": "cat .env"}), env=env, what="rewrite cat .env")
    S.eq("rewrite: a dangerous command is still denied, not rewritten", "deny", r.decision)
    S.check("rewrite: the denial has no updatedInput", "updatedInput" not in r.hso, actual=r.hso)
    r = hook(pre("Bash", {"command": "echo %s" % sec.ghp()}), env=env, what="rewrite inline token")
    S.eq("rewrite: an inline secret is still denied", "deny", r.decision)


def run_both(cmd, rewritten, cwd):
    env = S.env()
    orig = subprocess.run(["bash", "-c", cmd], capture_output=True, cwd=cwd, env=env, timeout=30)
    new = subprocess.run(["bash", "-c", rewritten], capture_output=True, cwd=cwd, env=env, timeout=30)
    return orig, new


@S.case
def bash_rewrite_runs_the_same():
    """bash_rewrite: the rewritten command exits like the original, with redacted output"""
    env = rewrite_env()
    red = "[REDACTED:%s]" % SIG["ghp"]
    cmds = [
        ("echo \"it's $HOME\"; echo 'single '\"'\"' quote'", 0),
        ("printf '%s\\n' \"a b\" 'c'\"d\" '$HOME' \"$((1+2))\"", 0),
        ("echo one\necho two\n\necho three", 0),
        ("for i in 1 2 3; do echo \"$i\"; done; exit 3", 3),
        ("false", 1),
        ("echo out; echo err >&2; exit 1", 1),
        ("test -e /no/such/file", 1),
        ("x='a'\\''b'; echo \"$x\" \\$x", 0),
        ("cat part1 part2", 0),
        ("cat part1 part2 >&2; exit 4", 4),
        ("echo \"pre $(cat part1 part2) post\" | tr a-z A-Z | tr A-Z a-z >/dev/null; cat part1 part2",
         0),
        ("sh -c 'kill -TERM $$'; exit $?", 143),
        ("cd src && pwd && ls", 0),
        ("printf 'no newline at end'", 0),
    ]
    for cmd, code in cmds:
        r = hook(pre("Bash", {"command": cmd, "description": "d"}), env=env,
                 what="rewrite %r" % cmd[:30])
        new_cmd = dig(r.hso, "updatedInput", "command")
        if not S.check("rewrite %r: rewritten" % cmd[:40], isinstance(new_cmd, str), "a command",
                       r.short()):
            continue
        orig, new = run_both(cmd, new_cmd, P)
        S.no_leak("rewritten run of %r" % cmd[:30], new.stdout, new.stderr)
        exp_out = orig.stdout.decode().replace(T_SPLIT, red)
        exp_err = orig.stderr.decode().replace(T_SPLIT, red)
        S.eq("rewrite %r: exit status %d" % (cmd[:40], code), (code, code),
             (orig.returncode, new.returncode))
        S.eq("rewrite %r: stdout" % cmd[:40], exp_out, new.stdout.decode())
        S.eq("rewrite %r: stderr" % cmd[:40], exp_err, new.stderr.decode())


@S.case
def bash_rewrite_odd_executable_path():
    """bash_rewrite: the executable's own path is quoted too (a path with a quote)"""
    d = os.path.join(S.tmp, "it's here")
    os.makedirs(d)
    exe = os.path.join(d, "blackbar")
    shutil.copy2(S.bb, exe)
    rc, out, err = S.run([exe, "hook", "claude"], input=json.dumps(pre("Bash", {"command": "echo hi"})),
                         env=rewrite_env(), cwd=RUN_DIR)
    cmd = dig(json.loads(out) if rc == 0 else {}, "hookSpecificOutput", "updatedInput", "command")
    if S.check("odd path: rewritten", isinstance(cmd, str), "a command", out + err):
        p = subprocess.run(["bash", "-c", cmd], capture_output=True, cwd=P, timeout=30)
        S.eq("odd path: the rewritten command runs", (0, b"hi\n"), (p.returncode, p.stdout),
             detail="command: %s\nstderr: %s" % (cmd, p.stderr.decode()[:300]))


# ==== PostToolUse ==========================================================================

def expect_redacted(what, tool, tool_input, resp, pairs, mcp=None):
    """Checks that updatedToolOutput is resp with exactly `pairs` replaced."""
    r = hook(post(tool, tool_input, resp), what=what)
    want = replace_all(resp, pairs)
    got = r.hso.get("updatedToolOutput")
    S.eq("%s: updatedToolOutput is the output with only the secrets replaced" % what, want, got,
         detail=r.short(300) if got is None else None)
    if mcp is None:
        mcp = tool.startswith("mcp__")
    if mcp:
        S.eq("%s: updatedMCPToolOutput is the same" % what, want, r.hso.get("updatedMCPToolOutput"))
    else:
        S.check("%s: no updatedMCPToolOutput for a built-in tool" % what,
                "updatedMCPToolOutput" not in r.hso, actual=r.hso.get("updatedMCPToolOutput"))
    ctx = r.hso.get("additionalContext", "")
    S.check("%s: additionalContext says values were redacted" % what,
            isinstance(ctx, str) and ("redact" in ctx.lower() or "withheld" in ctx.lower()),
            "a notice", ctx)
    S.check("%s: no decision:block (it would not hide anything)" % what,
            "decision" not in (r.json or {}), actual=r.json)
    return r


def red(kind):
    return "[REDACTED:%s]" % SIG[kind]


@S.case
def post_bash():
    """PostToolUse Bash: stdout/stderr redacted in the tool's own object"""
    t1, t2, aid, asec = sec.ghp(), sec.stripe(), sec.aws_id(), sec.aws_secret()
    resp = {"stdout": "deploying\nGITHUB_TOKEN=%s\nAWS_ACCESS_KEY_ID=%s\naws_secret_access_key = %s\ndone\n"
            % (t1, aid, asec),
            "stderr": "warning: using key %s\n" % t2, "interrupted": False, "isImage": False,
            "returnCodeInterpretation": "ok", "noOutputExpected": False,
            "backgroundTaskId": None, "structuredContent": [{"type": "text", "text": "x"}],
            "dangerouslyDisableSandbox": False}
    expect_redacted("Bash", "Bash", {"command": "./deploy.sh"}, resp,
                    [(t1, red("ghp")), (aid, red("aws-id")), (asec, red("aws-sak")),
                     (t2, red("stripe"))])
    tok = sec.ghp()
    expect_redacted("PowerShell", "PowerShell", {"command": "Get-Content x"},
                    {"stdout": "T=" + tok, "stderr": "", "interrupted": False}, [(tok, red("ghp"))])
    clean = {"stdout": "all good\n", "stderr": "", "interrupted": False, "isImage": False}
    r = hook(post("Bash", {"command": "make"}, clean), what="Bash clean")
    S.eq("Bash clean output: {}", {}, r.json, detail=r.short())
    pem = sec.pem(5)
    r = hook(post("Bash", {"command": "cat k"}, {"stdout": pem, "stderr": "", "interrupted": False}),
             what="Bash private key body")
    S.check("Bash private key: no key line left",
            not any(l in json.dumps(r.json) for l in pem.split("\n")[1:-2]), actual=r.short(200))


@S.case
def post_bash_persisted():
    """PostToolUse Bash over the inline limit: the persisted file is read and redacted"""
    filler = "".join("row %05d lorem ipsum dolor sit amet consectetur\n" % i for i in range(2500))
    cases = []
    tok_file = sec.ghp()
    full = filler[:60000] + "late secret " + tok_file + "\n" + filler[60000:]
    cases.append(("secret only in the persisted file", full, tok_file))
    tok_prev = sec.ghp()
    full2 = filler[:1000] + "early secret " + tok_prev + "\n" + filler[1000:]
    cases.append(("secret in the preview (and the file)", full2, tok_prev))
    for i, (name, text, tok) in enumerate(cases):
        path = os.path.join(S.tmp, "persisted-%d.txt" % i)
        write(path, text)
        resp = {"stdout": text[:30000], "stderr": "", "interrupted": False, "isImage": False,
                "persistedOutputPath": path, "persistedOutputSize": len(text)}
        r = hook(post("Bash", {"command": "./gen"}, resp), what="persisted: " + name)
        out = r.hso.get("updatedToolOutput")
        if not S.check("persisted, %s: updatedToolOutput set" % name, isinstance(out, dict),
                       "an object", r.short(300)):
            continue
        S.eq("persisted, %s: persistedOutputPath/Size removed, other fields kept" % name,
             ["interrupted", "isImage", "stderr", "stdout"], sorted(out))
        redacted = text.replace(tok, red("ghp"))
        so = out.get("stdout", "")
        cut = so.find("\n[blackbar: output cut")
        body = so[:cut] if cut >= 0 else so
        S.check("persisted, %s: stdout is the redacted file text, cut (notice included) "
                "within the 30000 characters shown inline" % name,
                cut > 29000 and body == redacted[:len(body)] and len(so) <= 30000,
                "redacted text[:~29900] + a short notice, at most 30000 in all",
                "len %d, cut at %d, first difference at %s" % (len(so), cut, next(
                    (k for k in range(min(len(body), len(redacted))) if body[k] != redacted[k]), None)))
        S.check("persisted, %s: notice after the cut holds no text of the output" % name,
                "lorem" not in so[len(body):], actual=so[len(body):])
        if name.startswith("secret in the preview"):
            S.check("persisted, %s: the redaction mark is in stdout" % name, red("ghp") in so,
                    actual=so[:200])
    # a clean file and a clean preview: nothing to do
    path = os.path.join(S.tmp, "persisted-clean.txt")
    write(path, filler)
    resp = {"stdout": filler[:30000], "stderr": "", "interrupted": False,
            "persistedOutputPath": path, "persistedOutputSize": len(filler)}
    r = hook(post("Bash", {"command": "./gen"}, resp), what="persisted clean")
    S.eq("persisted, clean: {}", {}, r.json, detail=r.short(200))
    # the file is gone but the preview has a secret
    tok = sec.ghp()
    resp = {"stdout": "x " + tok + "\n" + filler[:20000], "stderr": "", "interrupted": False,
            "persistedOutputPath": path + ".gone", "persistedOutputSize": 99999}
    r = hook(post("Bash", {"command": "./gen"}, resp), what="persisted file missing")
    out = r.hso.get("updatedToolOutput") or {}
    S.eq("persisted, file missing: preview redacted, path dropped",
         ({"interrupted": False, "stderr": "", "stdout": resp["stdout"].replace(tok, red("ghp"))}),
         out)


@S.case
def post_builtin_shapes():
    """PostToolUse Read, Grep, WebFetch, WebSearch, Agent, Edit, Write, NotebookEdit shapes"""
    t = [sec.ghp() for _ in range(12)]
    p = [(x, red("ghp")) for x in t]
    expect_redacted("Read", "Read", {"file_path": P + "/notes.txt"}, {
        "type": "text", "file": {"filePath": P + "/notes.txt",
                                 "content": "a\nexport GITHUB_TOKEN=%s\nb\n" % t[0],
                                 "numLines": 3, "startLine": 1, "totalLines": 3,
                                 "truncatedByTokenCap": False}}, p)
    expect_redacted("Grep content", "Grep", {"pattern": "TOKEN", "output_mode": "content"}, {
        "mode": "content", "numFiles": 2, "filenames": [], "numLines": 2,
        "content": "a.txt:1:TOKEN=%s\nb.txt:9:TOKEN=%s" % (t[1], t[2]), "appliedLimit": 250}, p)
    expect_redacted("WebFetch", "WebFetch", {"url": "https://x.test/", "prompt": "p"}, {
        "bytes": 5120, "code": 200, "codeText": "OK", "result": "The page lists key %s." % t[3],
        "durationMs": 321, "url": "https://x.test/"}, p)
    expect_redacted("WebSearch", "WebSearch", {"query": "q"}, {
        "query": "q", "results": [
            "A text result mentioning %s" % t[4],
            {"tool_use_id": "srvtoolu_1", "content": [
                {"title": "t1", "url": "https://a.test/", "snippet": "leaked %s here" % t[5]},
                {"title": "t2", "url": "https://b.test/"}]}],
        "durationSeconds": 1.25, "searchCount": 1}, p)
    expect_redacted("Agent", "Agent", {"description": "d", "prompt": "p"}, {
        "status": "completed", "agentId": "a1", "prompt": "p",
        "content": [{"type": "text", "text": "Found the token %s in ci.yml" % t[6]}],
        "totalToolUseCount": 3, "totalDurationMs": 1000, "totalTokens": 1234,
        "usage": {"input_tokens": 10, "output_tokens": 20, "cache_creation_input_tokens": None}}, p)
    expect_redacted("Edit", "Edit", {"file_path": P + "/a.py", "old_string": "x", "new_string": "y"}, {
        "filePath": P + "/a.py", "oldString": "x", "newString": "y",
        "originalFile": "x\nKEY = '%s'\n" % t[7],
        "structuredPatch": [{"oldStart": 1, "oldLines": 2, "newStart": 1, "newLines": 2,
                             "lines": ["-x", "+y", " KEY = '%s'" % t[7]]}],
        "userModified": False, "replaceAll": False}, p)
    expect_redacted("Write", "Write", {"file_path": P + "/b.py", "content": "c"}, {
        "type": "update", "filePath": P + "/b.py", "content": "c",
        "structuredPatch": [], "originalFile": "OLD = '%s'\n" % t[8]}, p)
    expect_redacted("NotebookEdit", "NotebookEdit", {"notebook_path": P + "/n.ipynb", "new_source": "s"}, {
        "new_source": "s", "old_source": "T = '%s'" % t[9], "cell_id": "c1", "cell_type": "code",
        "language": "python", "edit_mode": "replace", "notebook_path": P + "/n.ipynb",
        "original_file": "{\"cells\": [\"T = '%s'\"]}" % t[9], "updated_file": "{}"}, p)
    r = hook(post("Write", {"file_path": P + "/c.py", "content": "x"}, {
        "type": "create", "filePath": P + "/c.py", "content": "x", "structuredPatch": [],
        "originalFile": None}), what="Write clean")
    S.eq("Write clean output: {}", {}, r.json)
    # a large image: base64 must not be touched
    import base64
    import random as _r
    blob = base64.b64encode(bytes(_r.Random(7).randrange(256) for _ in range(150000))).decode()
    r = hook(post("Read", {"file_path": P + "/i.png"}, {"type": "image", "file": {
        "base64": blob, "type": "image/png", "originalSize": 150000}}), what="Read image")
    S.eq("Read image (150 KB of base64): {}", {}, r.json, detail=r.short(200))


@S.case
def post_mcp():
    """PostToolUse MCP: string, content blocks, object; both updated fields set"""
    t = [sec.ghp() for _ in range(4)]
    p = [(x, red("ghp")) for x in t]
    expect_redacted("MCP string", "mcp__srv__get", {"id": 1}, "secret: %s" % t[0], p)
    expect_redacted("MCP content blocks", "mcp__srv__get", {"id": 1}, [
        {"type": "text", "text": "first %s" % t[1]}, {"type": "text", "text": "clean"},
        {"type": "image", "data": "iVBORw0KGgo=", "mimeType": "image/png"}], p)
    expect_redacted("MCP object", "mcp__srv__get", {"id": 1}, {
        "content": [{"type": "text", "text": "k=%s" % t[2]}], "isError": False,
        "structuredContent": {"items": [{"name": "a", "token": t[3], "n": 3, "ok": True,
                                         "none": None}]}}, p)
    r = hook(post("mcp__srv__get", {"id": 1}, [{"type": "text", "text": "nothing"}]),
             what="MCP clean")
    S.eq("MCP clean: {}", {}, r.json)


@S.case
def post_edge_strings():
    """PostToolUse: secrets after a NUL, in object keys, next to lone surrogates"""
    tok = sec.ghp()
    expect_redacted("Bash stdout with a NUL before the token", "Bash", {"command": "x"}, {
        "stdout": "bin\u0000ary " + tok + "\n", "stderr": "", "interrupted": False},
        [(tok, red("ghp"))])
    tok = sec.ghp()
    r = hook(post("mcp__kv__dump", {}, {"entries": {tok: "github"}}), what="MCP key")
    S.check("MCP output with the token as an object key: key redacted",
            tok not in json.dumps(r.json) and r.hso.get("updatedToolOutput") is not None,
            "updatedToolOutput without the token", r.short(300))
    tok = sec.ghp()
    raw = json.dumps(post("mcp__srv__get", {}, {"text": "odd \ud800 char", "t": tok}))
    r = hook(None, raw=raw, what="lone surrogate")
    S.eq("MCP output with a lone surrogate escape (valid JSON): answered, token redacted",
         (0, True), (r.rc, red("ghp") in r.out), detail=r.short(300))


@S.case
def post_pii_and_big():
    """PostToolUse: PII is redacted by default; a 6 MB output is handled"""
    card = sec.card()
    r = hook(post("Bash", {"command": "x"}, {"stdout": "card: %s\n" % card, "stderr": "",
                                            "interrupted": False}), what="PII")
    so = dig(r.hso, "updatedToolOutput", "stdout") or ""
    S.check("PII card number redacted (policy pii: redact)", card not in so and "[REDACTED:" in so,
            "[REDACTED:...]", so or r.short())
    tok = sec.ghp()
    big = "".join("%06d some log line\n" % i for i in range(300000)) + "end " + tok + "\n"
    r = hook(post("Bash", {"command": "x"}, {"stdout": big, "stderr": "", "interrupted": False}),
             what="6 MB output")
    dt = r.elapsed
    so = dig(r.hso, "updatedToolOutput", "stdout") or ""
    S.check("6 MB output: token at the end redacted", so.endswith("end %s\n" % red("ghp")),
            actual=so[-80:] or r.short(200))
    S.check("6 MB output: answered within 5 s", dt < 5, actual="%.2f s" % dt)


@S.case
def post_tool_failure():
    """PostToolUseFailure: additionalContext only, when the error holds a secret"""
    tok = sec.ghp()
    r = hook(ev("PostToolUseFailure", "Bash", {"command": "./deploy"},
                error="Exit code 1\nauth failed for %s\n" % tok, is_interrupt=False),
             what="failure with a token")
    S.eq("failure with a token: only additionalContext", ["additionalContext", "hookEventName"],
         sorted(r.hso), detail=r.short())
    S.eq("failure with a token: nothing else at top level", ["hookSpecificOutput"], sorted(r.json or {}))
    S.check("failure with a token: context names the signature, says not to use it",
            SIG["ghp"] in r.hso.get("additionalContext", ""), actual=r.hso.get("additionalContext"))
    r = hook(ev("PostToolUseFailure", "Bash", {"command": "make"}, error="Exit code 2\nmake: *** no rule"),
             what="failure clean")
    S.eq("failure clean: {}", {}, r.json)
    r = hook(ev("PostToolUseFailure", "mcp__s__t", {}, error="MCP error: bad key %s" % sec.stripe()),
             what="MCP failure")
    S.check("MCP failure with a key: additionalContext", "additionalContext" in r.hso, actual=r.json)


# ==== UserPromptSubmit =====================================================================

def prompt(text, cwd=P):
    return ev("UserPromptSubmit", prompt=text, cwd=cwd)


def expect_block(what, e, env=None):
    r = hook(e, env=env, what=what)
    ok = S.eq("%s: blocked" % what, "block", dig(r.json, "decision"), detail=r.short())
    if ok:
        S.check("%s: reason given" % what, isinstance(r.json.get("reason"), str) and r.json["reason"],
                actual=r.json)
        S.eq("%s: hookSpecificOutput" % what,
             {"hookEventName": "UserPromptSubmit", "suppressOriginalPrompt": True}, r.hso)
    return r


@S.case
def prompt_secrets_and_mentions():
    """UserPromptSubmit: secrets in the prompt, @-mentions of sensitive files"""
    expect_block("prompt with a token", prompt("please use %s to push" % sec.ghp()))
    expect_block("prompt with an AWS pair", prompt("key %s secret aws_secret_access_key=%s"
                                                   % (sec.aws_id(), sec.aws_secret())))
    expect_block("prompt with a private key", prompt("here is my key:\n" + sec.pem(3)))
    expect_block("@.env", prompt("look at @.env and fix the config"))
    expect_block("@.env at the start", prompt("@.env"))
    expect_block("@notes.txt (holds a token)", prompt("summarise @notes.txt please"))
    expect_block("@src/settings.py", prompt("what does @src/settings.py do?"))
    expect_block("@sub/../notes.txt", prompt("see @sub/../notes.txt"))
    expect_block("@absolute path", prompt("see @%s/notes.txt" % P))
    expect_block("(@notes.txt)", prompt("the file (@notes.txt) is old"))
    expect_block("@.env relative to another cwd", prompt("read @.npmrc", cwd=H))
    for text in ("mail a@b.com about it", "ping @alice", "see @README.md", "see @src/app.py",
                 "hello world", "write to ops@b.com and @missing.txt"):
        r = hook(prompt(text), what="prompt %r" % text)
        S.check("prompt %r: not blocked" % text, dig(r.json, "decision") != "block", actual=r.json)


@S.case
def prompt_mentions_other_forms():
    """UserPromptSubmit: @~/file and quoted @"path with spaces" mentions"""
    expect_block("@~/notes.txt (home file with a token)", prompt("see @~/notes.txt"))
    expect_block("@~/.ssh/id_rsa", prompt("see @~/.ssh/id_rsa"))
    expect_block('@"my dir/creds.txt" (quoted)', prompt('check @"my dir/creds.txt" now'))


@S.case
def prompt_pii():
    """UserPromptSubmit: PII under the default redact policy warns, does not block"""
    card = sec.card()
    r = hook(prompt("charge my card: %s tomorrow" % card), what="prompt with a card")
    S.check("PII prompt: not blocked", dig(r.json, "decision") != "block", actual=r.json)
    msg = (r.json or {}).get("systemMessage", "")
    S.check("PII prompt: systemMessage warning", isinstance(msg, str) and "payment" in msg.lower(),
            "a warning naming the finding", r.json)
    S.check("PII prompt: the warning does not repeat the number", card not in r.out, actual=r.out)
    pii_deny = user_cfg("pii-deny", {"policy": {"pii": "deny"}})
    expect_block("PII prompt with pii: deny", prompt("card: %s" % sec.card()), env=pii_deny)


# ==== failing closed =======================================================================

@S.case
def fail_unreadable_input():
    """Input that is not a Claude Code event: exit 2, one line on stderr"""
    for name, raw in [("empty", ""), ("whitespace", " \n\t"), ("garbage", b"\x00\xff\xfe garbage"),
                      ("truncated", json.dumps(pre("Bash", {"command": "cat .env"}))[:-7]),
                      ("not JSON", "hook_event_name=PreToolUse"), ("array", "[]"),
                      ("string", '"PreToolUse"'), ("number", "42"), ("null", "null"),
                      ("empty object", "{}"), ("event a number", '{"hook_event_name": 5}'),
                      ("event null", '{"hook_event_name": null, "tool_name": "Bash"}'),
                      ("unterminated string", '{"hook_event_name": "PreToolUse", "tool_name": "Ba'),
                      ("deeply nested", '{"hook_event_name":"PreToolUse","tool_name":"Bash",'
                       '"tool_input":' + "[" * 5000 + "]" * 5000 + "}")]:
        r = hook(None, raw=raw, what="input: " + name)
        S.eq("input %s: exit 2" % name, 2, r.rc, detail=r.short())
    # an answer that cannot be written: exit 2
    evf = write_json(os.path.join(S.tmp, "ev-cat-env.json"), pre("Bash", {"command": "cat .env"}))
    for name, redir in [("stdout closed", ">&-"), ("stdout full (/dev/full)", ">/dev/full")]:
        if name.endswith("(/dev/full)") and not os.path.exists("/dev/full"):
            continue
        rc, out, err = S.run(["sh", "-c", '"$0" hook claude < "$1" %s' % redir, S.bb, evf],
                             what="hook with " + name)
        S.eq("answer cannot be written (%s): exit 2 with one line on stderr" % name, (2, 1),
             (rc, len(err.strip().splitlines())), detail=err)
    for args in (["hook"], ["hook", "cursor"]):
        rc, out, err = S.run([S.bb] + args, input="{}")
        S.check("`blackbar %s`: refused (exit 2), nothing on stdout" % " ".join(args),
                rc == 2 and not out.strip(), actual="rc %d out %r" % (rc, out[:100]))
    rc, out, err = S.run([S.bb, "hook", "claude-code"], input=json.dumps(pre("Bash", {
        "command": "cat .env"})), cwd=RUN_DIR)
    S.check("`blackbar hook claude-code` is the same adapter", rc == 0 and '"deny"' in out,
            actual=out + err)


@S.case
def fail_wrong_types():
    """Wrongly typed or missing fields: deny / block / withhold"""
    for name, ti in [("tool_input a string", "cat .env"), ("tool_input an array", ["cat .env"]),
                     ("tool_input null", None), ("command a number", {"command": 5}),
                     ("command missing", {"description": "x"})]:
        e = pre("Bash", {})
        e["tool_input"] = ti
        expect_decision("Bash %s" % name, e, "deny")
    e = pre("Bash", {})
    del e["tool_input"]
    expect_decision("Bash without tool_input", e, "deny")
    for name, ti in [("file_path a number", {"file_path": 7}),
                     ("file_path missing", {"offset": 1}),
                     ("offset negative", {"file_path": P + "/README.md", "offset": -1}),
                     ("limit negative", {"file_path": P + "/README.md", "limit": -5}),
                     ("offset a string", {"file_path": P + "/README.md", "offset": "5"}),
                     ("file_path an object", {"file_path": {"p": P}})]:
        expect_decision("Read %s" % name, pre("Read", ti), "deny")
    expect_decision("Write without content", pre("Write", {"file_path": P + "/x"}), "deny")
    expect_decision("Write content a number", pre("Write", {"file_path": P + "/x", "content": 3}), "deny")
    expect_decision("Edit new_string an array",
                    pre("Edit", {"file_path": P + "/x", "old_string": "a", "new_string": ["b"]}), "deny")
    e = pre("Bash", {"command": "ls"})
    del e["tool_name"]
    expect_decision("PreToolUse without tool_name", e, "deny")
    e["tool_name"] = 12
    expect_decision("PreToolUse with tool_name a number", e, "deny")
    # PostToolUse without a tool name: output withheld
    tok = sec.ghp()
    e = post("Bash", {"command": "x"}, {"stdout": tok, "stderr": "", "interrupted": False})
    del e["tool_name"]
    r = hook(e, what="PostToolUse without tool_name")
    expect_withheld("PostToolUse without tool_name", r, e["tool_response"])
    e = ev("PostToolUseFailure", None, {"command": "x"}, error="Exit code 1\n" + sec.ghp())
    r = hook(e, what="PostToolUseFailure without tool_name")
    S.check("PostToolUseFailure without tool_name: additionalContext",
            isinstance(r.hso.get("additionalContext"), str), actual=r.json)
    for name, e in [("prompt missing", ev("UserPromptSubmit")),
                    ("prompt a number", ev("UserPromptSubmit", prompt=42)),
                    ("prompt null", ev("UserPromptSubmit", prompt=None))]:
        expect_block("UserPromptSubmit %s" % name, e)
    r = hook(ev("SessionStart", source="startup"), what="SessionStart")
    S.eq("an event the adapter does not handle: exit 0 {}", (0, {}), (r.rc, r.json))


def expect_withheld(what, r, resp):
    out = r.hso.get("updatedToolOutput")
    ok = S.check("%s: output withheld with the same shape" % what, same_shape(resp, out),
                 resp, out if out is not None else r.short())
    if ok:
        vals = set(strings(out))
        S.check("%s: every string replaced by one notice" % what,
                len(vals) == 1 and "withheld" in next(iter(vals)).lower(), actual=sorted(vals))
    S.check("%s: additionalContext" % what, isinstance(r.hso.get("additionalContext"), str),
            actual=r.json)


BAD_CONFIGS = [
    ("invalid JSON", "{\"policy\": {\"secret\": \"deny\",}"),
    ("truncated JSON", "{\"policy\": {"),
    ("not an object", "[1, 2]"),
    ("unknown policy value", json.dumps({"policy": {"secret": "block"}})),
    ("policy value of the wrong type", json.dumps({"policy": {"secret": True}})),
    ("policy not an object", json.dumps({"policy": "strict"})),
    ("unknown policy key", json.dumps({"policy": {"secrets": "deny"}})),
    ("bash_rewrite not a bool", json.dumps({"policy": {"bash_rewrite": "yes"}})),
    ("audit_log a number", json.dumps({"policy": {"audit_log": 1}})),
    ("signatures: missing file", json.dumps({"signatures": ["does-not-exist.json"]})),
    ("signatures not an array", json.dumps({"signatures": "x.json"})),
]


def bad_sig_configs():
    d = os.path.join(S.tmp, "badsigs")
    tok = sec.ghp()
    write(d + "/broken.json", '{"signatures": [{"id": "x", "pattern": "%s", ' % tok)
    write(d + "/badregex.json", json.dumps({"signatures": [{
        "id": "local.bad", "name": "bad", "kind": "secret", "severity": "high",
        "pattern": "(unclosed[" + tok}]}))
    extra = []
    if os.geteuid() != 0:  # root reads a mode-000 file anyway
        write(d + "/unreadable.json", '{"signatures": []}', mode=0)
        extra.append(("signatures: unreadable file",
                      json.dumps({"signatures": [d + "/unreadable.json"]})))
    return extra + [("signatures: invalid JSON file holding a token",
             json.dumps({"signatures": [d + "/broken.json"]})),
            ("signatures: invalid regex holding a token",
             json.dumps({"signatures": [d + "/badregex.json"]}))]


@S.case
def fail_broken_config():
    """A broken project or user config fails closed on every event"""
    tok = sec.ghp()
    bash_resp = {"stdout": "ok " + tok + "\n", "stderr": "warn", "interrupted": False, "isImage": False,
                 "persistedOutputPath": "/tmp/x", "persistedOutputSize": 10}
    read_resp = {"type": "text", "file": {"filePath": P + "/a", "content": "T=" + tok, "numLines": 1,
                                          "startLine": 1, "totalLines": 1}}
    cfg = os.path.join(S.tmp, "cfg", "broken.json")
    for name, text in BAD_CONFIGS + bad_sig_configs():
        write(cfg, text)
        for where, env in [("project", S.env(BLACKBAR_CONFIG=cfg)),
                           ("user", S.env(BLACKBAR_USER_CONFIG=cfg))]:
            label = "%s config, %s" % (where, name)
            expect_decision(label + ": PreToolUse clean Bash", pre("Bash", {"command": "ls"}),
                            "deny", env=env)
            r = hook(prompt("hello"), env=env, what=label + ": prompt")
            S.eq(label + ": UserPromptSubmit blocked", "block", dig(r.json, "decision"),
                 detail=r.short())
            r = hook(post("Bash", {"command": "x"}, bash_resp), env=env, what=label + ": post Bash")
            expect_withheld(label + ": PostToolUse Bash", r, bash_resp)
            if where == "project" and name == "invalid JSON":
                r = hook(post("Read", {"file_path": P + "/a"}, read_resp), env=env,
                         what=label + ": post Read")
                expect_withheld(label + ": PostToolUse Read", r, read_resp)
                r = hook(post("mcp__s__t", {}, "text " + tok), env=env, what=label + ": post MCP")
                S.check(label + ": PostToolUse MCP string withheld",
                        isinstance(r.hso.get("updatedToolOutput"), str) and
                        "withheld" in r.hso["updatedToolOutput"], actual=r.json)
                r = hook(ev("PostToolUseFailure", "Bash", {"command": "x"}, error="e " + tok),
                         env=env, what=label + ": failure")
                S.check(label + ": PostToolUseFailure context",
                        isinstance(r.hso.get("additionalContext"), str), actual=r.json)
    # the same broken file found by location rather than by BLACKBAR_CONFIG
    d = os.path.join(S.tmp, "proj-broken")
    write(d + "/.blackbar.json", "{not json")
    expect_decision("broken <cwd>/.blackbar.json", pre("Bash", {"command": "ls"}, cwd=d), "deny")
    expect_decision("broken $CLAUDE_PROJECT_DIR/.blackbar.json", pre("Bash", {"command": "ls"}),
                    "deny", env=S.env(CLAUDE_PROJECT_DIR=d))
    # a config path that is a directory, or unreadable
    expect_decision("project config is a directory", pre("Bash", {"command": "ls"}), "deny",
                    env=S.env(BLACKBAR_CONFIG=d))
    if os.geteuid() != 0:
        write(cfg, json.dumps({"policy": {}}), mode=0)
        expect_decision("project config unreadable (mode 000)", pre("Bash", {"command": "ls"}),
                        "deny", env=S.env(BLACKBAR_CONFIG=cfg))
        os.chmod(cfg, 0o600)


# ==== audit log ============================================================================

AUDIT_FIELDS = ("time", "agent", "session", "event", "tool", "decision", "signatures",
                "fingerprints", "findings")


def read_log(path):
    lines = open(path, encoding="utf-8").read().split("\n")
    S.eq("audit log ends with a newline", "", lines[-1])
    out = []
    for i, l in enumerate(lines[:-1]):
        try:
            out.append(json.loads(l))
        except ValueError:
            S.check("audit line %d is JSON" % (i + 1), False, actual=l[:300])
            out.append(None)
    return out


@S.case
def audit_log_decisions():
    """audit_log: one JSON line per deny/ask/redact/block/warn, never a secret"""
    log = os.path.join(S.tmp, "audit", "one.jsonl")
    env = user_cfg("audit", {"policy": {"audit_log": log}})
    envask = user_cfg("audit-ask", {"policy": {"audit_log": log, "sensitive-file": "ask"}})
    tok = sec.ghp()
    hook(pre("Read", {"file_path": P + "/notes.txt"}), env=env, what="audit deny")
    hook(pre("Read", {"file_path": P + "/.env"}), env=envask, what="audit ask")
    hook(post("Bash", {"command": "x"}, {"stdout": tok, "stderr": "", "interrupted": False}),
         env=env, what="audit redact")
    hook(prompt("token " + sec.ghp()), env=env, what="audit block")
    hook(ev("PostToolUseFailure", "Bash", {"command": "x"}, error="Exit code 1\n" + sec.ghp()),
         env=env, what="audit warn")
    hook(prompt("card: " + sec.card()), env=env, what="audit warn PII")
    hook(pre("Bash", {"command": "cat .env"}), env=env, what="audit deny bash")
    hook(pre("Bash", {"command": "ls"}), env=env, what="audit clean call")
    hook(post("Bash", {"command": "x"}, {"stdout": "ok", "stderr": "", "interrupted": False}),
         env=env, what="audit clean output")
    text = open(log, encoding="utf-8").read()
    S.no_leak("audit log", text)
    S.eq("audit log mode 0600", "0o600", oct(stat.S_IMODE(os.stat(log).st_mode)))
    recs = read_log(log)
    got = [(r.get("event"), r.get("tool"), r.get("decision")) for r in recs if r]
    want = [("PreToolUse", "Read", "deny"), ("PreToolUse", "Read", "ask"),
            ("PostToolUse", "Bash", "redact"), ("UserPromptSubmit", None, "block"),
            ("PostToolUseFailure", "Bash", "warn"), ("UserPromptSubmit", None, "warn"),
            ("PreToolUse", "Bash", "deny")]
    S.eq("audit: one line per decision, none for clean calls", want, got)
    for r in recs:
        if not r:
            continue
        miss = [f for f in AUDIT_FIELDS if f not in r and not (f == "tool" and r.get("event") ==
                                                                 "UserPromptSubmit")]
        S.check("audit %s/%s: has %s" % (r.get("event"), r.get("decision"), ", ".join(AUDIT_FIELDS)),
                not miss, actual="missing %s in %s" % (miss, r))
        S.eq("audit %s/%s: agent and session" % (r.get("event"), r.get("decision")),
             ("claude-code", SESSION), (r.get("agent"), r.get("session")))
        S.check("audit %s/%s: signatures and fingerprints are lists of equal length"
                % (r.get("event"), r.get("decision")),
                isinstance(r.get("signatures"), list) and isinstance(r.get("fingerprints"), list) and
                len(r["signatures"]) == len(r["fingerprints"]) and r.get("findings", 0) >= 1,
                actual=r)
        S.check("audit %s: time is ISO-8601 UTC" % r.get("decision"),
                re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$", str(r.get("time"))),
                actual=r.get("time"))
    if recs and recs[0]:
        S.eq("audit deny Read: path and signature", (P + "/notes.txt", [SIG["ghp"]]),
             (recs[0].get("path"), recs[0].get("signatures")))


@S.case
def audit_log_secret_in_path():
    """audit_log: a file name holding a token does not put the token in the log"""
    log = os.path.join(S.tmp, "audit", "path.jsonl")
    env = user_cfg("audit-path", {"policy": {"audit_log": log}})
    tok = sec.ghp()
    f = write(os.path.join(P, "leak-%s.txt" % tok), "key = %s\n" % sec.stripe())
    r = hook(pre("Read", {"file_path": f}), env=env, what="Read of a file named after a token")
    S.eq("file named after a token: denied", "deny", r.decision)
    S.no_leak("audit log (file named after a token)", open(log).read())
    os.unlink(f)


@S.case
def audit_log_concurrent():
    """audit_log: 240 hook processes at once (xargs -P 32), every line whole"""
    d = os.path.join(S.tmp, "conc")
    os.makedirs(d)
    log = os.path.join(d, "audit.jsonl")
    cfg = os.path.join(d, "user.json")
    write_json(cfg, {"policy": {"audit_log": log}})
    n = 240
    kinds = []
    for i in range(n):
        k = i % 3
        if k == 0:
            e = pre("Read", {"file_path": P + "/notes.txt"})
        elif k == 1:
            e = post("Bash", {"command": "x"}, {"stdout": "t=" + T_NOTES + "\n" + "pad " * 200,
                                                "stderr": "", "interrupted": False})
        else:
            e = pre("Bash", {"command": "cat ~/.npmrc"})
        # long lines (over PIPE_BUF) so that interleaved writes would show
        e["session_id"] = "conc-%03d-" % i + "s" * 6000
        write_json(os.path.join(d, "ev%03d.json" % i), e)
        kinds.append(k)
    script = ('cd "$1" && seq -f "%%03g" 0 %d | xargs -P 32 -I{} sh -c \'"$0" hook claude '
              '< ev{}.json > out{}.json 2> err{}.txt; echo $? > rc{}.txt\' "$2"' % (n - 1))
    env = S.env(BLACKBAR_USER_CONFIG=cfg)
    t0 = time.time()
    p = subprocess.run(["bash", "-c", script, "x", d, S.bb], env=env, capture_output=True, timeout=120)
    S.eq("concurrent: xargs finished", 0, p.returncode, detail=p.stderr.decode()[:500])
    print("     (%d processes in %.1f s)" % (n, time.time() - t0))
    bad = []
    for i in range(n):
        rc = open(os.path.join(d, "rc%03d.txt" % i)).read().strip()
        out = open(os.path.join(d, "out%03d.json" % i)).read()
        err = open(os.path.join(d, "err%03d.txt" % i)).read()
        S.no_leak("concurrent answer %d" % i, out, err)
        try:
            j = json.loads(out)
        except ValueError:
            j = None
        ok = rc == "0" and isinstance(j, dict) and (
            dig(j, "hookSpecificOutput", "permissionDecision") == "deny" if kinds[i] != 1
            else isinstance(dig(j, "hookSpecificOutput", "updatedToolOutput"), dict))
        if not ok:
            bad.append("%d: rc %s out %s err %s" % (i, rc, out[:100], err[:100]))
    S.check("concurrent: all %d answers right" % n, not bad, actual="\n".join(bad[:5]))
    text = open(log, encoding="utf-8").read()
    S.no_leak("concurrent audit log", text)
    recs = read_log(log)
    S.eq("concurrent: %d lines, every one JSON" % n, (n, n), (len(recs), sum(1 for r in recs if r)))
    sessions = sorted(str(r.get("session"))[:8] for r in recs if r)
    S.check("concurrent: every session id whole in the log",
            all(r.get("session", "").endswith("s" * 6000) for r in recs if r))
    S.eq("concurrent: one line per process (sessions)", ["conc-%03d" % i for i in range(n)], sessions)
    S.eq("concurrent: audit log mode 0600", "0o600", oct(stat.S_IMODE(os.stat(log).st_mode)))


if __name__ == "__main__":
    S.main()
