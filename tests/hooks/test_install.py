#!/usr/bin/env python3
"""`blackbar install claude` / `blackbar uninstall claude` on Claude Code settings.

Every run uses --settings with files in a temporary directory, or --project /
--user with HOME set to a temporary directory: the real ~/.claude and /etc are
never touched.

Usage: test_install.py --blackbar PATH [--seed N] [-k NAME] [--keep]
"""
import copy
import json
import os
import shutil
import stat
import subprocess
import sys

sys.dont_write_bytecode = True  # nothing written next to the sources
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hooklib import Suite, write, write_json  # noqa: E402

S = Suite("hooks: blackbar install/uninstall claude", __doc__)
EVENTS = ("PreToolUse", "PostToolUse", "PostToolUseFailure", "UserPromptSubmit")
TOOL_EVENTS = EVENTS[:3]

OTHER_SETTINGS = {
    "$schema": "https://json.schemastore.org/claude-code-settings.json",
    "model": "opus",
    "cleanupPeriodDays": 30,
    "feedbackSurveyRate": 0.05,
    "includeCoAuthoredBy": False,
    "env": {"GREETING": "h\u00e9llo \u2713", "EMPTY": ""},
    "permissions": {"allow": ["Bash(npm test)", "Read(./src/**)"], "deny": ["Read(./secrets/**)"],
                    "ask": [], "defaultMode": "default"},
    "hooks": {
        "PreToolUse": [
            {"matcher": "Bash", "hooks": [{"type": "command", "command": "~/bin/lint-bash.sh",
                                            "timeout": 5}]},
            {"matcher": "Write|Edit", "hooks": [{"type": "command", "command": "prettier --check",
                                                  "args": ["x"], "async": True}]}],
        "Stop": [{"hooks": [{"type": "command", "command": "notify-send done"}]}],
        "UserPromptSubmit": [{"hooks": [{"type": "http", "url": "http://127.0.0.1:9/p"}]}],
    },
    "statusLine": {"type": "command", "command": "echo hi", "padding": 0},
    "enabledPlugins": {"a@b": True},
    "nested": {"list": [1, 2.5, None, True, {"deep": ["x", []]}], "obj": {}},
}


def bb(*args, env=None, cwd=None):
    return S.run([S.bb] + list(args), env=env or S.env(XDG_CONFIG_HOME=None, XDG_STATE_HOME=None),
                 cwd=cwd)


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def load_pairs(path):
    """The file as nested lists of (key, value) pairs: key order included."""
    with open(path, encoding="utf-8") as f:
        return json.load(f, object_pairs_hook=lambda kv: [list(p) for p in kv])


def is_ours(h):
    return isinstance(h, dict) and isinstance(h.get("command"), str) and \
        h["command"].endswith(" hook claude")


def strip_ours(settings):
    """settings without our handlers (and without groups/events left empty by that)."""
    s = copy.deepcopy(settings)
    hooks = s.get("hooks")
    if not isinstance(hooks, dict):
        return s
    for ev in list(hooks):
        groups = hooks[ev]
        keep = []
        for g in groups:
            hs = g.get("hooks", [])
            if any(is_ours(h) for h in hs):
                hs = [h for h in hs if not is_ours(h)]
                if not hs:
                    continue
                g = dict(g, hooks=hs)
            keep.append(g)
        if keep:
            hooks[ev] = keep
        else:
            del hooks[ev]
    if not hooks:
        del s["hooks"]
    return s


def our_groups(settings, ev):
    return [g for g in settings.get("hooks", {}).get(ev, [])
            if any(is_ours(h) for h in g.get("hooks", []))]


def check_installed(what, settings):
    """Our entries: one group per event, matcher "*" on tool events, none on
    UserPromptSubmit, one command handler with onFailure block and a short timeout."""
    for ev in EVENTS:
        groups = our_groups(settings, ev)
        if not S.eq("%s: one blackbar group in %s" % (what, ev), 1, len(groups),
                    detail=json.dumps(settings.get("hooks", {}).get(ev))[:500]):
            continue
        g = groups[0]
        if ev in TOOL_EVENTS:
            S.eq("%s: %s matcher" % (what, ev), "*", g.get("matcher"))
        else:
            S.check("%s: UserPromptSubmit group has no matcher" % what, "matcher" not in g, actual=g)
        hs = [h for h in g["hooks"] if is_ours(h)]
        S.eq("%s: %s has one blackbar handler" % (what, ev), 1, len(hs))
        h = hs[0]
        S.eq("%s: %s handler type" % (what, ev), "command", h.get("type"))
        S.eq("%s: %s onFailure" % (what, ev), "block", h.get("onFailure"))
        t = h.get("timeout")
        S.check("%s: %s short timeout (1-30 s)" % (what, ev),
                isinstance(t, (int, float)) and not isinstance(t, bool) and 1 <= t <= 30, actual=t)
        S.check("%s: %s shell-form command (no args, no exec form)" % (what, ev),
                "args" not in h and isinstance(h.get("command"), str), actual=h)
        S.check("%s: %s command runs this blackbar with `hook claude`" % (what, ev),
                S.bb in h.get("command", "") and h["command"].endswith(" hook claude"),
                actual=h.get("command"))
        S.check("%s: %s handler is not async" % (what, ev), not h.get("async"), actual=h)


@S.case
def install_missing_file():
    """A missing settings file (and its directory) is created"""
    path = os.path.join(S.tmp, "new", "deeper", "settings.json")
    rc, out, err = bb("install", "claude", "--settings", path)
    S.eq("install into a missing file: exit 0", 0, rc, detail=err)
    S.check("the file exists", os.path.exists(path))
    if not os.path.exists(path):
        return
    s = load(path)
    S.eq("only hooks in a new file", ["hooks"], sorted(s))
    S.eq("hooks for the four events", sorted(EVENTS), sorted(s.get("hooks", {})))
    check_installed("new file", s)
    # the registered command works through sh -c, as Claude Code runs it
    cmd = our_groups(s, "PreToolUse")[0]["hooks"][0]["command"]
    e = {"session_id": "s", "hook_event_name": "PreToolUse", "tool_name": "Bash",
         "cwd": S.tmp, "tool_input": {"command": "printenv"}}
    rc, out, err = S.run(["sh", "-c", cmd], input=json.dumps(e), env=S.env())
    ans = json.loads(out) if rc == 0 and out.strip() else {}
    S.eq("the registered command, run with sh -c, denies printenv", (0, "deny"),
         (rc, ans.get("hookSpecificOutput", {}).get("permissionDecision")), detail=err)


@S.case
def install_keeps_other_settings():
    """An existing file: other settings and other hooks are kept as they were"""
    path = write_json(os.path.join(S.tmp, "keep", "settings.json"), OTHER_SETTINGS)
    before_pairs = load_pairs(path)
    rc, out, err = bb("install", "claude", "--settings", path)
    S.eq("install: exit 0", 0, rc, detail=err)
    after = load(path)
    check_installed("existing file", after)
    S.eq("everything else is unchanged", OTHER_SETTINGS, strip_ours(after))
    # key order of the existing objects is kept too
    after_pairs = load_pairs(path)
    S.eq("top-level key order kept (ours may only be added)",
         [k for k, _ in before_pairs], [k for k, _ in after_pairs if k in dict(before_pairs)])
    pre = after["hooks"]["PreToolUse"]
    S.eq("others' PreToolUse groups stay first, in order",
         OTHER_SETTINGS["hooks"]["PreToolUse"], pre[:2])
    first = open(path, "rb").read()
    rc, out, err = bb("install", "claude", "--settings", path)
    S.eq("second install: exit 0", 0, rc, detail=err)
    S.check("second install: the file is byte-for-byte the same", first == open(path, "rb").read())
    S.eq("second install: same JSON", after, load(path))


@S.case
def install_replaces_old_entries():
    """Entries from an older install (another path) are replaced, not duplicated"""
    old = copy.deepcopy(OTHER_SETTINGS)
    old_h = {"type": "command", "command": "'/opt/old/blackbar' hook claude", "timeout": 60}
    old["hooks"]["PreToolUse"].append({"matcher": "*", "hooks": [old_h]})
    # and one sharing a group with someone else's handler
    old["hooks"]["PostToolUse"] = [{"matcher": "*", "hooks": [
        {"type": "command", "command": "audit-tool post"}, dict(old_h)]}]
    path = write_json(os.path.join(S.tmp, "old", "settings.json"), old)
    rc, out, err = bb("install", "claude", "--settings", path)
    S.eq("install over an old install: exit 0", 0, rc, detail=err)
    s = load(path)
    check_installed("over an old install", s)
    S.check("the old path is gone", "/opt/old/blackbar" not in json.dumps(s), actual=s["hooks"])
    S.check("someone else's handler in the shared group is kept",
            any(h.get("command") == "audit-tool post" for g in s["hooks"]["PostToolUse"]
                for h in g.get("hooks", [])), actual=s["hooks"]["PostToolUse"])


@S.case
def install_deny_reads():
    """--deny-reads adds permissions.deny Read() rules once, keeping the others"""
    path = write_json(os.path.join(S.tmp, "deny", "settings.json"), OTHER_SETTINGS)
    rc, out, err = bb("install", "claude", "--deny-reads", "--settings", path)
    S.eq("install --deny-reads: exit 0", 0, rc, detail=err)
    s = load(path)
    deny = s.get("permissions", {}).get("deny", [])
    S.check("existing deny rule kept", "Read(./secrets/**)" in deny, actual=deny)
    S.check("Read(./.env) added", "Read(./.env)" in deny, actual=deny)
    S.check("a ~/.ssh rule added", any(d.startswith("Read(~/.ssh") for d in deny), actual=deny)
    S.check("only Read(...) rules added",
            all(d.startswith("Read(") for d in deny), actual=deny)
    S.eq("permissions.allow/ask/defaultMode untouched",
         {k: v for k, v in OTHER_SETTINGS["permissions"].items() if k != "deny"},
         {k: v for k, v in s["permissions"].items() if k != "deny"})
    rc, out, err = bb("install", "claude", "--deny-reads", "--settings", path)
    deny2 = load(path)["permissions"]["deny"]
    S.eq("second --deny-reads: no duplicates", len(set(deny2)), len(deny2))
    S.eq("second --deny-reads: same rules", deny, deny2)


@S.case
def install_refuses_bad_files():
    """A settings file that is not a JSON object: exit 2, file unchanged"""
    for name, text in [("invalid JSON", '{"model": "opus",, }\n'),
                       ("truncated", '{"hooks": {"PreToolUse": ['),
                       ("an array", "[1, 2, 3]\n"), ("a string", '"x"'),
                       ("binary", "\x00\x01\x02")]:
        d = os.path.join(S.tmp, "bad-" + name.replace(" ", "-"))
        path = write(os.path.join(d, "settings.json"), text)
        for args in (["install", "claude"], ["install", "claude", "--deny-reads"],
                     ["uninstall", "claude"]):
            rc, out, err = bb(*(args + ["--settings", path]))
            S.eq("%s on %s: exit 2" % (" ".join(args), name), 2, rc, detail=err)
            S.eq("%s on %s: file unchanged" % (" ".join(args), name), text,
                 open(path, encoding="utf-8", newline="").read())
            S.eq("%s on %s: no stray files" % (" ".join(args), name), ["settings.json"],
                 sorted(os.listdir(d)))
            S.check("%s on %s: one-line reason on stderr" % (" ".join(args), name),
                    err.strip() and "\n" not in err.strip(), actual=err)
    # an empty file is an empty object
    path = write(os.path.join(S.tmp, "empty", "settings.json"), "")
    rc, out, err = bb("install", "claude", "--settings", path)
    S.eq("install into an empty file: exit 0", 0, rc, detail=err)
    check_installed("empty file", load(path))


@S.case
def uninstall_keeps_others():
    """uninstall removes only our entries"""
    path = write_json(os.path.join(S.tmp, "un", "settings.json"), OTHER_SETTINGS)
    bb("install", "claude", "--settings", path)
    rc, out, err = bb("uninstall", "claude", "--settings", path)
    S.eq("uninstall: exit 0", 0, rc, detail=err)
    s = load(path)
    S.eq("uninstall: back to the original settings", OTHER_SETTINGS, s)
    first = open(path, "rb").read()
    rc, out, err = bb("uninstall", "claude", "--settings", path)
    S.eq("second uninstall: exit 0", 0, rc)
    S.check("second uninstall: nothing changes", first == open(path, "rb").read())
    # only our hooks: the hooks object goes away
    path2 = os.path.join(S.tmp, "un2", "settings.json")
    bb("install", "claude", "--settings", path2)
    rc, out, err = bb("uninstall", "claude", "--settings", path2)
    S.eq("uninstall of a file with only our hooks leaves {}", {}, load(path2))
    # a missing file stays missing
    path3 = os.path.join(S.tmp, "un3", "settings.json")
    rc, out, err = bb("uninstall", "claude", "--settings", path3)
    S.eq("uninstall of a missing file: exit 0", 0, rc)
    S.check("uninstall of a missing file does not create it", not os.path.exists(path3))
    # deny rules added by --deny-reads are documented to stay
    path4 = write_json(os.path.join(S.tmp, "un4", "settings.json"), {"model": "x"})
    bb("install", "claude", "--deny-reads", "--settings", path4)
    bb("uninstall", "claude", "--settings", path4)
    s = load(path4)
    S.eq("uninstall after --deny-reads: hooks gone", None, s.get("hooks"))
    S.eq("uninstall after --deny-reads: model kept", "x", s.get("model"))


@S.case
def install_dry_run():
    """--dry-run prints the result and changes nothing"""
    path = write_json(os.path.join(S.tmp, "dry", "settings.json"), OTHER_SETTINGS)
    before = open(path, "rb").read()
    rc, out, err = bb("install", "claude", "--dry-run", "--settings", path)
    S.eq("dry run: exit 0", 0, rc, detail=err)
    S.check("dry run: file unchanged", before == open(path, "rb").read())
    try:
        printed = json.loads(out)
    except ValueError:
        printed = None
    S.check("dry run: prints the resulting settings as JSON", isinstance(printed, dict), actual=out[:300])
    if isinstance(printed, dict):
        check_installed("dry run output", printed)
        S.eq("dry run output keeps the other settings", OTHER_SETTINGS, strip_ours(printed))
    path2 = os.path.join(S.tmp, "dry2", "settings.json")
    rc, out, err = bb("install", "claude", "-n", "--settings", path2)
    S.check("dry run on a missing file: not created", not os.path.exists(path2))
    S.check("dry run: -n works", rc == 0 and out.strip().startswith("{"), actual=out[:100])


@S.case
def install_scopes():
    """--project DIR and --user (HOME in a temporary directory), the audit switch"""
    home = os.path.join(S.tmp, "scope-home")
    os.makedirs(home)
    env = S.env(HOME=home, XDG_CONFIG_HOME=None, XDG_STATE_HOME=None)
    proj = os.path.join(S.tmp, "scope-proj")
    os.makedirs(proj)
    rc, out, err = bb("install", "claude", "--project", "--no-audit", proj, env=env)
    S.eq("install --project DIR: exit 0", 0, rc, detail=err)
    ps = os.path.join(proj, ".claude", "settings.json")
    S.check("--project DIR writes DIR/.claude/settings.json", os.path.exists(ps))
    if os.path.exists(ps):
        check_installed("--project", load(ps))
    S.check("--no-audit: no user config written",
            not os.path.exists(os.path.join(home, ".config", "blackbar", "config.json")))
    proj2 = os.path.join(S.tmp, "scope-proj2")
    os.makedirs(proj2)
    rc, out, err = bb("install", "claude", "--no-audit", env=env, cwd=proj2)
    S.check("install without a scope: the current directory's project",
            rc == 0 and os.path.exists(os.path.join(proj2, ".claude", "settings.json")),
            actual=err)
    # --user: HOME/.claude/settings.json, and the audit log switched on
    write_json(os.path.join(home, ".config", "blackbar", "config.json"),
               {"policy": {"pii": "deny"}, "exclude": ["vendor/**"]})
    rc, out, err = bb("install", "claude", "--user", env=env)
    S.eq("install --user: exit 0", 0, rc, detail=err)
    us = os.path.join(home, ".claude", "settings.json")
    S.check("--user writes $HOME/.claude/settings.json", os.path.exists(us))
    if os.path.exists(us):
        check_installed("--user", load(us))
    uc = load(os.path.join(home, ".config", "blackbar", "config.json"))
    S.eq("--user: audit_log turned on, the rest of the user config kept",
         {"policy": {"pii": "deny", "audit_log": True}, "exclude": ["vendor/**"]}, uc)
    # the user config written by install is one the hook accepts
    e = {"session_id": "s", "hook_event_name": "PreToolUse", "tool_name": "Bash",
         "cwd": proj, "tool_input": {"command": "printenv"}}
    rc, out, err = S.run([S.bb, "hook", "claude"], input=json.dumps(e),
                         env=S.env(HOME=home, BLACKBAR_USER_CONFIG=None, XDG_CONFIG_HOME=None,
                                   XDG_STATE_HOME=None))
    S.check("the hook accepts that config and denies printenv",
            rc == 0 and '"deny"' in out, actual=out + err)
    log = os.path.join(home, ".local", "state", "blackbar", "audit.jsonl")
    S.check("the audit log is written to the default place", os.path.exists(log))
    rc, out, err = bb("uninstall", "claude", "--user", env=env)
    S.check("uninstall --user: our hooks gone", rc == 0 and not load(us).get("hooks"), actual=err)
    # --managed with --settings: the flag is accepted, the file given is used
    m = os.path.join(S.tmp, "managed", "50-blackbar.json")
    rc, out, err = bb("install", "claude", "--managed", "--settings", m, env=env)
    S.check("--managed --settings FILE writes FILE", rc == 0 and os.path.exists(m), actual=err)


@S.case
def install_file_details():
    """Mode of an existing file kept; a symlinked settings file stays a symlink"""
    path = write_json(os.path.join(S.tmp, "mode", "settings.json"), {"model": "x"})
    os.chmod(path, 0o600)
    bb("install", "claude", "--settings", path)
    S.eq("mode 0600 kept", "0o600", oct(stat.S_IMODE(os.stat(path).st_mode)))
    d = os.path.join(S.tmp, "link")
    target = write_json(os.path.join(d, "dotfiles", "claude-settings.json"), {"model": "x"})
    link = os.path.join(d, "settings.json")
    os.symlink(target, link)
    rc, out, err = bb("install", "claude", "--settings", link)
    S.eq("install through a symlink: exit 0", 0, rc, detail=err)
    S.check("the symlink is still a symlink", os.path.islink(link))
    check_installed("symlink target", load(target))
    # an executable whose path has a quote and a space: the command must still run
    d = os.path.join(S.tmp, "it's mine")
    os.makedirs(d)
    exe = os.path.join(d, "blackbar")
    shutil.copy2(S.bb, exe)
    path = os.path.join(S.tmp, "quoted", "settings.json")
    rc, out, err = S.run([exe, "install", "claude", "--settings", path], env=S.env())
    if S.eq("install from a path with a quote: exit 0", 0, rc, detail=err):
        cmd = our_groups(load(path), "PreToolUse")[0]["hooks"][0]["command"]
        e = {"session_id": "s", "hook_event_name": "PreToolUse", "tool_name": "Bash",
             "cwd": S.tmp, "tool_input": {"command": "printenv"}}
        rc, out, err = S.run(["sh", "-c", cmd], input=json.dumps(e), env=S.env())
        S.check("the registered command runs from a path with a quote",
                rc == 0 and '"deny"' in out, actual="command %s: rc %d %s" % (cmd, rc, err))
    for args in (["install", "claude", "a", "b"], ["install", "claude", "--bogus"],
                 ["install", "nobody"], ["uninstall"]):
        rc, out, err = bb(*args)
        S.check("%r: refused with an error" % " ".join(args), rc not in (0,) and err.strip(),
                actual="rc %d %s" % (rc, err))


if __name__ == "__main__":
    S.main()
