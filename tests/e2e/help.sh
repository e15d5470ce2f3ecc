#!/usr/bin/env bash
# --help for every command: exit 0, the usage line on stdout once, starting with
# "Usage: blackbar <command>", and a paragraph saying what the command does.
. "$(dirname "$0")/lib.sh"

for cmd in "scan" "redact" "hook claude" "install claude" "uninstall claude" \
	"install git-hook" "signatures list" "signatures check" "bench" "bench signatures"; do
	# shellcheck disable=SC2086 # the command's words are meant to split
	bb $cmd --help
	check_rc "$cmd --help" 0
	check_eq "$cmd --help: one usage line" 1 "$(grep -c '^Usage:' "$T/out")"
	check_grep "$cmd --help names the command" "Usage: blackbar ${cmd%% *}" "$T/out"
	check_eq "$cmd --help: text after the usage line" 1 \
		"$(awk 'NR > 2 && NF { n++ } END { print (n > 0) }' "$T/out")"
done
bb help
check_rc "help" 0
check_grep "help lists the commands" "Commands:" "$T/out"
bb no-such-command
check_rc "unknown command" 2
finish
