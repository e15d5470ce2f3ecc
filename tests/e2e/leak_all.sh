#!/usr/bin/env bash
# Never leak, everywhere: known secrets are planted in a tree, a git history, hook
# events, a labelled corpus and broken input; then every command runs in every output
# format (scan of files, of a git history and of staged changes, baselines, redact,
# the Claude Code hook with its audit log, bench signatures, the signature cache,
# error messages). No planted secret may appear in any stdout, stderr or file that
# blackbar wrote, unless --show-secrets was given (checked too: the test can fail).
# (leak.sh checks the scan formats in more detail.)
. "$(dirname "$0")/lib.sh"

$GEN tree "$T/tree" >/dev/null
$GEN secrets >"$T/secrets"
A=$($GEN token ghp 11) B=$($GEN token stripe 11)
printf '%s\n' "$A" "$B" >>"$T/secrets"
export BLACKBAR_CACHE_DIR=$T/cache XDG_CONFIG_HOME=$T/xdg XDG_STATE_HOME=$T/state HOME=$T/home
mkdir -p "$T/out.d" "$T/home" "$XDG_CONFIG_HOME/blackbar"
printf '{"policy": {"audit_log": true}}\n' >"$XDG_CONFIG_HOME/blackbar/config.json"

n=0
# run NAME ARGS...: runs blackbar, keeping stdout and stderr under $T/out.d
run() {
	local name=$1
	shift
	n=$((n + 1))
	RC=0
	"$BB" "$@" >"$T/out.d/$n.$name.out" 2>"$T/out.d/$n.$name.err" || RC=$?
	case $RC in 0 | 1) ;; *) [ "${EXPECT_ERROR:-}" ] || bad "$name: exit $RC" "$(head -3 "$T/out.d/$n.$name.err")" ;; esac
}
# leaks PATH...: planted values found in the files under PATHs (first 6 characters)
leaks() {
	[ -z "${WHERE:-}" ] || { grep -rlaF -f <(grep -v "^$" "$T/secrets") "$@" || true; return; }
	while read -r s; do
		[ -n "$s" ] && grep -rqaF -- "$s" "$@" && printf '%s... ' "${s:0:6}"
	done <"$T/secrets"
	true
}

# ---- scan: files, stdin, every format, -o, baselines -----------------------------------
cd "$T/tree"
for fmt in text json jsonl sarif; do
	run "scan-$fmt" scan -f "$fmt" .
	run "scan-$fmt-o" scan -f "$fmt" -o "$T/out.d/report.$fmt" .
done
run scan-stdin scan -f jsonl - <"$T/tree/ci/deploy.sh"
run scan-low scan -f text --min-confidence low --kind secret,phi,pii,sensitive-file .
run write-baseline scan --write-baseline "$T/out.d/baseline.json" .
run with-baseline scan -f sarif --baseline "$T/out.d/baseline.json" .

# ---- git: history, staged, pre-commit hook -------------------------------------------------
git init -q -b main "$T/repo"
cp -r "$T/tree/." "$T/repo/"
cd "$T/repo"
git -c user.name=t -c user.email=t@example.org add -A
git -c user.name=t -c user.email=t@example.org commit -qm one
printf 'second = "%s"\n' "$A" >later.py
git add later.py
for fmt in text json jsonl sarif; do
	run "staged-$fmt" scan --staged -f "$fmt"
	run "git-$fmt" scan --git -f "$fmt" .
done
run install-git-hook install git-hook
RC=0
git -c user.name=t -c user.email=t@example.org commit -qm two >"$T/out.d/commit.out" 2>"$T/out.d/commit.err" || RC=$?
check_rc "pre-commit hook stops the commit" 1

# ---- redact -----------------------------------------------------------------------------
cd "$T/tree"
cat ci/deploy.sh src/billing.py config/aws/credentials >"$T/mixed.txt"
run redact-file redact "$T/mixed.txt"
run redact-stdin redact - <"$T/mixed.txt"
run redact-cmd redact -- sh -c 'cat "$1"; cat "$1" >&2' sh "$T/mixed.txt"
check_eq "redact -- CMD: the command's output is there, redacted" "2" \
	"$(cat "$T/out.d/$n.redact-cmd.out" "$T/out.d/$n.redact-cmd.err" | grep -c 'REDACTED:github.pat-classic')"

# ---- the Claude Code hook, with the audit log --------------------------------------------
python3 - "$T/ev" "$T/tree" "$A" "$B" <<'EOF'
import json, os, sys
d, cwd, a, b = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
os.makedirs(d)
base = {"session_id": "s", "transcript_path": "/dev/null", "cwd": cwd, "permission_mode": "default"}
def ev(name, **kw):
    json.dump(dict(base, **kw), open(os.path.join(d, name + ".json"), "w"))
ev("bash-secret", hook_event_name="PreToolUse", tool_name="Bash", tool_use_id="1",
   tool_input={"command": "curl -H 'Authorization: token %s' https://api.github.com" % a})
ev("write-secret", hook_event_name="PreToolUse", tool_name="Write", tool_use_id="2",
   tool_input={"file_path": cwd + "/x.py", "content": "KEY = '%s'\n" % b})
ev("edit-secret", hook_event_name="PreToolUse", tool_name="Edit", tool_use_id="3",
   tool_input={"file_path": cwd + "/x.py", "old_string": "a", "new_string": "t = '%s'" % a})
ev("read-env", hook_event_name="PreToolUse", tool_name="Read", tool_use_id="4",
   tool_input={"file_path": cwd + "/ci/deploy.sh"})
ev("post-bash", hook_event_name="PostToolUse", tool_name="Bash", tool_use_id="5",
   tool_input={"command": "env"},
   tool_response={"stdout": "GITHUB_TOKEN=%s\nSTRIPE=%s\n" % (a, b), "stderr": "", "interrupted": False})
ev("post-read", hook_event_name="PostToolUse", tool_name="Read", tool_use_id="6",
   tool_input={"file_path": cwd + "/src/billing.py"},
   tool_response={"type": "text", "file": {"filePath": cwd + "/src/billing.py",
                  "content": "stripe.api_key = '%s'\n" % b, "numLines": 1, "startLine": 1, "totalLines": 1}})
ev("post-mcp", hook_event_name="PostToolUse", tool_name="mcp__db__query", tool_use_id="7",
   tool_input={"sql": "select 1"}, tool_response={"rows": [{"token": a}]})
ev("prompt", hook_event_name="UserPromptSubmit", prompt="use this key %s please" % b)
# broken events carrying secrets: the error must not quote them
open(os.path.join(d, "truncated.json"), "w").write(json.dumps(dict(base, hook_event_name="PreToolUse",
    tool_name="Bash", tool_input={"command": "echo " + a}))[:-3])
open(os.path.join(d, "wrong-type.json"), "w").write(json.dumps(dict(base, hook_event_name=a, tool_name=b)))
EOF
for f in "$T"/ev/*.json; do
	e=$(basename "$f" .json)
	case $e in truncated | wrong-type) EXPECT_ERROR=1 ;; *) EXPECT_ERROR= ;; esac
	run "hook-$e" hook claude <"$f"
done
EXPECT_ERROR=
check_grep "hook: the Bash command with a token is denied" '"deny"' "$T"/out.d/*.hook-bash-secret.out
check_grep "hook: the Bash output is redacted" 'REDACTED:github.pat-classic' "$T"/out.d/*.hook-post-bash.out
AUDIT=$XDG_STATE_HOME/blackbar/audit.jsonl
check_eq "audit log written, one line per decision (at least 6)" "1" "$([ -f "$AUDIT" ] && [ "$(wc -l <"$AUDIT")" -ge 6 ] && echo 1)"

# ---- bench signatures over a corpus of the planted secrets ----------------------------------
python3 - "$T/secrets" "$T/corpus.jsonl" <<'EOF'
import json, sys
vals = [l.strip() for l in open(sys.argv[1]) if len(l.strip()) > 8]
with open(sys.argv[2], "w") as f:
    for i, v in enumerate(vals):
        f.write(json.dumps({"text": "key = %s" % v, "label": "positive", "category": "c%d" % (i % 3)}) + "\n")
        f.write(json.dumps({"text": "nothing here %d" % i, "label": "negative", "category": "c%d" % (i % 3)}) + "\n")
EOF
run bench bench signatures --corpus "$T/corpus.jsonl" --out "$T/out.d/bench" --no-plots
[ -s "$T/out.d/bench/signatures.csv" ] && ok "bench wrote its report" || bad "bench: no signatures.csv" "$(cat "$T/out.d/$n.bench.err")"

# ---- error messages that could quote their input ------------------------------------------
EXPECT_ERROR=1
printf '{"allow": {"secrets": ["%s"]' "$A" >"$T/bad-config.json"
run bad-config scan --config "$T/bad-config.json" "$T/tree"
printf '[{"id": "x.y", "pattern": "(%s"}]' "$B" >"$T/bad-sigs.json"
run bad-signatures scan --signatures "$T/bad-sigs.json" "$T/tree"
run bad-option scan --format "$A" "$T/tree"
run bad-kind scan --kind "secret,$B" "$T/tree"
run bad-command "$A"
run bad-option-name scan "--$B" "$T/tree"
# (file names are printed as they are: a path is a name, not content)
EXPECT_ERROR=
check_eq "errors were reported (exit 2)" "2" "$RC"

# ---- everything blackbar wrote ------------------------------------------------------------
check_eq "no planted secret in any output, report, baseline or bench file" "" "$(leaks "$T/out.d")$(WHERE=1 leaks "$T/out.d" | tr "\n" " ")"
check_eq "no planted secret in the git hook's output" "" "$(leaks "$T/out.d/commit.out" "$T/out.d/commit.err")"
check_eq "no planted secret in the audit log" "" "$(leaks "$XDG_STATE_HOME")"
check_eq "no planted secret in the signature cache" "" "$(leaks "$BLACKBAR_CACHE_DIR")"

# ---- the control: with --show-secrets, the same leak check finds them -----------------------
cd "$T/tree"
"$BB" scan -f jsonl --show-secrets . >"$T/shown.jsonl" 2>/dev/null || true
printf 'x = "%s"\n' "$A" | "$BB" scan -f jsonl --show-secrets - >>"$T/shown.jsonl" 2>/dev/null || true
check_eq "control: --show-secrets puts 7 or more planted secrets in the report" "1" \
	"$(leaks "$T/shown.jsonl" | wc -w | awk '{print ($1 >= 7)}')"
finish
