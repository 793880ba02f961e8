#!/usr/bin/env bash
# Search benchmarks over a synthetic directory (default 10,000 entries):
# build time and peak memory of `signpost build`, then bench/search/measure.mjs
# (bytes of a cold first query, per-query time in Node, `signpost search`
# latency, index size, and Pagefind over the same pages).
#   bench/search/run.sh [N]       env: SIGNPOST_BINARY (default build/signpost)
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-10000}
bin=${SIGNPOST_BINARY:-build/signpost}
out=bench/out/search
mkdir -p "$out"
if [[ -x bench/gen_corpus ]]; then
  bench/gen_corpus "$out/content" "$n"
else
  node bench/search/gen-corpus.mjs "$out/content" "$n"
fi
rm -rf "$out/site"
/usr/bin/time -f '%e s wall, %M KB peak RSS' -o "$out/build-time.txt" \
  "$bin" build --content "$out/content" --templates templates --out "$out/site" --quiet
echo "signpost build: $(cat "$out/build-time.txt")"
node bench/search/measure.mjs "$out/site" --binary "$bin" | tee "$out/search-report.json"
