#!/usr/bin/env bash
# The whole benchmark report in one run, on one machine, peers side by side:
#
#   throughput   bench/throughput.sh: blackbar, its read floor and every installed
#                peer (ripgrep baseline, git-secrets, gitleaks, secretlint) over
#                the Linux 6.1 tree; start-up (cold compile, warm cache load)
#   hook         bench/hooklat.sh: agent-hook latency, process start included
#                (gitleaks stdin beside it when installed)
#   history      bench/history.sh: scan --git of a long generated history, its
#                read floor, git log -p | rg, gitleaks git when installed
#   signatures   blackbar bench signatures: per-signature precision, recall and
#                cost on the labelled corpus and a sample of the Linux tree
#
# Everything lands in OUT (default bench-report/): report.md (the machine, then
# each part's output), the parts' raw output, and signatures/ (CSV, summary.md,
# charts). Peers: run ../shared/peers/install-peers.sh first to have them.
#
# Usage: bench/all.sh [--out DIR] [--quick] [--skip PART]...
#   --quick     fewer runs (throughput 1 run, 100 hook runs, 5,000 commits,
#               16 MB tree sample): a smoke run of the harness in minutes
#   --skip      leave out a part: throughput, hook, history, signatures
# Environment: BLACKBAR (default build/blackbar), PEERS (default ../shared/peers),
# CORPUS_PARENT (where the Linux tree is or goes, default /var/tmp/blackbar-corpus),
# CORPUS_JSONL (labelled corpus, default ../shared/corpus/external-dev.jsonl, else
# the copy in tests/corpus/data).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
export BLACKBAR=${BLACKBAR:-$repo/build/blackbar}
export PEERS=${PEERS:-$repo/../shared/peers}
CORPUS_PARENT=${CORPUS_PARENT:-/var/tmp/blackbar-corpus}
out=bench-report quick=0 skip=" "
while [ $# -gt 0 ]; do
	case $1 in
	--out) out=${2:?--out needs a directory}; shift 2 ;;
	--quick) quick=1; shift ;;
	--skip) skip="$skip${2:?--skip needs a part} "; shift 2 ;;
	-h | --help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) echo "all.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
	esac
done
[ -x "$BLACKBAR" ] || { echo "all.sh: build blackbar first ($BLACKBAR)" >&2; exit 2; }
mkdir -p "$out"
out=$(cd "$out" && pwd -P)
corpus_jsonl=${CORPUS_JSONL:-$repo/../shared/corpus/external-dev.jsonl}
[ -f "$corpus_jsonl" ] || corpus_jsonl=$repo/tests/corpus/data/external-dev.jsonl.gz

if [ "$quick" = 1 ]; then
	export RUNS=1 COMMITS=5000
	hook_runs=100 tree_bytes=16M
else
	hook_runs=300 tree_bytes=128M
fi
wanted() { case $skip in *" $1 "*) return 1 ;; esac; }

report=$out/report.md
{
	echo "# blackbar benchmark report"
	echo
	echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); $("$BLACKBAR" version)"
	echo "- machine: $(nproc) cores online, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GiB RAM, Linux $(uname -r)"
	echo "- load when starting: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "- mode: $([ "$quick" = 1 ] && echo 'quick (smoke run, figures rough)' || echo full)"
	echo
} > "$report"

# part NAME TITLE CMD...: runs CMD, keeps its output in NAME.txt and the report.
part() {
	local name=$1 title=$2
	shift 2
	echo "== $title" >&2
	local t0=$SECONDS rc=0
	"$@" > "$out/$name.txt" 2> "$out/$name.err" || rc=$?
	{
		echo "## $title"
		echo
		if [ "$rc" -ne 0 ]; then
			echo "**failed (exit $rc)**: see $name.err"
			echo
		fi
		if [ -s "$out/$name.txt" ]; then
			echo '```'
			cat "$out/$name.txt"
			echo '```'
			echo
		fi
		echo "($((SECONDS - t0)) s)"
		echo
	} >> "$report"
	return 0
}

if wanted throughput; then
	part throughput "Throughput: Linux 6.1 tree, blackbar vs its read floor vs peers" \
		"$repo/bench/throughput.sh" "$CORPUS_PARENT"
fi
if wanted hook; then
	part hook "Agent-hook latency (process start included)" "$repo/bench/hooklat.sh" "$hook_runs"
fi
if wanted history; then
	part history "History scan (scan --git)" "$repo/bench/history.sh"
fi
if wanted signatures; then
	tree=$("$PEERS/get-corpus.sh" "$CORPUS_PARENT" | tail -n1)
	part signatures "Signatures: precision, recall and cost" \
		"$BLACKBAR" bench signatures --corpus "$corpus_jsonl" --tree "$tree" \
		--tree-bytes "$tree_bytes" --out "$out/signatures"
	if [ -f "$out/signatures/summary.md" ]; then
		# the summary's own sections, one level down, its charts relative to report.md
		sed -e '1d' -e 's/^## /### /' -e 's/](\([a-z-]*\.png\))/](signatures\/\1)/' \
			"$out/signatures/summary.md" >> "$report"
	fi
fi
echo "all.sh: report in $report" >&2
