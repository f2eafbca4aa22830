#!/usr/bin/env bash
# Times `handout all` on a batch of article variants (default 200), on 1 thread and on all cores, and
# reports peak memory. Usage: scripts/bench-batch.sh [COUNT]. Needs hyperfine (apt-get install hyperfine).
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-200}
cargo build --release --quiet
bin=${CARGO_TARGET_DIR:-$PWD/target}/release/handout
work=$(mktemp -d)
times=$(mktemp)
trap 'rm -rf "$work" "$times"' EXIT

# Variants of the seed article: the same content under another title, so that every output differs.
python3 - "$count" "$work" <<'PY'
import json, sys
count, work = int(sys.argv[1]), sys.argv[2]
article = json.load(open("source/article.json"))
article.pop("$schema", None)
title = article["meta"]["title"]
for i in range(count):
    article["meta"]["title"] = f"第{i + 1}篇 {title}"
    with open(f"{work}/article{i:04d}.json", "w") as f:
        json.dump(article, f, ensure_ascii=False)
PY

# Outputs go to memory (/dev/shm) to time the program, then to the disk, where the file system's own
# cost of replacing 600 files shows.
mem=$work
[ -d /dev/shm ] && mem=$(mktemp -d /dev/shm/handout-bench.XXXXXX) && trap 'rm -rf "$work" "$mem" "$times"' EXIT

echo "batch of $count articles, $(nproc) cores"
# One run of hyperfine for all four, so that the ratios below compare timings taken side by side.
hyperfine --warmup 2 --runs 10 --export-json "$times" \
  -n "one whole process, one article" "$bin all source/article.json --out-dir $mem/one --quiet" \
  -n "1 thread, outputs in memory" "RAYON_NUM_THREADS=1 $bin all $work --out-dir $mem/out1 --quiet" \
  -n "all cores, outputs in memory" "$bin all $work --out-dir $mem/out --quiet" \
  -n "all cores, outputs on disk" "$bin all $work --out-dir $work/out --quiet"
python3 - "$times" "$count" <<'PY'
import json, sys
runs = {r["command"]: r["mean"] for r in json.load(open(sys.argv[1]))["results"]}
count = int(sys.argv[2])
one = runs["one whole process, one article"]
per_article = runs["all cores, outputs in memory"] / count
print(f"an article in the batch costs {per_article * 1e3:.2f} ms, "
      f"{per_article / one:.2f} of one whole process ({one * 1e3:.1f} ms)")
print(f"all cores are {runs['1 thread, outputs in memory'] / runs['all cores, outputs in memory']:.2f} "
      f"times faster than 1 thread")
PY
/usr/bin/time -f "peak memory, $count articles: %M KB" "$bin" all "$work" --out-dir "$work/out" --quiet
mkdir -p "$work/ten" && cp "$work"/article000*.json "$work/ten/"
/usr/bin/time -f "peak memory, 10 articles: %M KB" "$bin" all "$work/ten" --out-dir "$work/out10" --quiet
