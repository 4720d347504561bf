#!/usr/bin/env bash
# make bench: every benchmark, then each figure over its floor (the same
# work with nothing around it, measured in the same run), as the README's
# table shows them. Usage: scripts/bench.sh GO TAGS
set -euo pipefail
go=${1:-go} tags=${2:-}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$go" test -run '^$' -bench . -benchmem -tags "$tags" ./... | tee "$out"
echo
echo "Figure over its floor (same run):"
awk '
	/^Benchmark/ { name = $1; sub(/-[0-9]+$/, "", name); ns[name] = $3 }
	END {
		n = split("VerifyRS256CachedKey:FloorVerifyRS256 VerifyES256CachedKey:FloorVerifyES256 DecodeTypicalAuth0Token:FloorDecodeTypicalAuth0Token Decode1MBToken:FloorDecode1MBToken ParseAndRewrite10kEntryHAR:FloorUnmarshal10kEntryHAR ParseReader50MBHAR:FloorUnmarshal50MBHAR RefreshThroughExchange:SameRequestWithNetHTTP ScanLargeTree:RipgrepSameTree ScanMonorepo/apps=400:RipgrepMonorepo Gitignore/with-10000-lines:Gitignore/without WindowFirstLayout:FloorOneLabelWindow", pairs, " ")
		for (i = 1; i <= n; i++) {
			split(pairs[i], p, ":")
			a = ns["Benchmark" p[1]]; f = ns["Benchmark" p[2]]
			if (a && f) printf "  %-28s %10.0f ns  floor %-30s %10.0f ns  ×%.2f\n", p[1], a, p[2], f, a / f
		}
	}' "$out"
scripts/bench-startup.sh "$go"
