#!/usr/bin/env bash
# Dogfood: blackbar's own repository, scanned with its committed .blackbar.json,
# has no finding and no warning (signature examples, test data and fuzz inputs are
# allowed or excluded there, and nothing else is secret-shaped).
. "$(dirname "$0")/lib.sh"

cd "$E2E/../.."
bb scan -f jsonl .
check_rc "scan of the repository" 0
check_eq "no finding" "" "$(head -c 2000 "$T/out")"
check_eq "no warning" "" "$(grep -v '^blackbar: 0 findings' "$T/err" | head -c 2000)"
finish
