#!/usr/bin/env bash
# Width benchmark: what a job's partition count costs, apart from its data. A stage of
# N tasks, and a reduceByKey of a small input (1M records, 100,000 keys) over N map x N
# reduce partitions, where almost every one of the N x N buckets is empty, for N =
# 1,000, 5,000, 10,000 and 20,000, on local[2] and local-cluster[3,1].
#
#   bench/run_width.sh [runs=3] [sizes="1000 5000 10000 20000"]
#
# Per master and N it prints the medians of the stage's and the shuffle's seconds and
# the largest peak RSS of any process (the driver's, or of the executors local-cluster
# started). Cost must grow with N, not N x N: the script prints the ratio of the
# 10,000 run's seconds to the 1,000 run's (10 is linear; N x N would be 100), and
# fails when that ratio exceeds 20, when a process of the 10,000 x 10,000 shuffle
# peaks above 300 MiB, or when an answer differs from the plain loop's.
# EMBER_BENCH_BUILD_DIR selects another configured build tree than build/release.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
source bench/common.sh

runs="${1:-3}"
sizes="${2:-1000 5000 10000 20000}"
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "usage: bench/run_width.sh [runs=3] [sizes]" >&2; exit 2; }

readonly build_dir="${EMBER_BENCH_BUILD_DIR:-build/release}"
readonly run_dir=bench/out/width
readonly results="$run_dir/results.txt"
build_bench_target width_ember
mkdir -p "$run_dir"
: >"$results"
status=0

for run in $(seq "$runs"); do  # interleaved: every configuration once per round
  for master in 'local[2]' 'local-cluster[3,1]'; do
    for n in $sizes; do
      log="$run_dir/$n.log"
      if ! line="$("$build_dir/bench/width_ember" --master "$master" "$n" 2>"$log" |
        grep -E '^ember ')"; then
        echo "$master n=$n failed: $(tail -n 3 "$log" | tr '\n' ' ')" >&2
        status=1
        continue
      fi
      rss="$(awk -v a="$(field driver_rss_mib "$line")" -v b="$(field executor_rss_mib "$line")" \
        'BEGIN { print (a > b ? a : b) }')"
      echo "$master $n $(field stage_s "$line") $(field shuffle_s "$line") $rss" >>"$results"
      echo "round $run: $line"
    done
  done
done

echo
echo "== medians of $runs runs (seconds), largest peak RSS of one process (MiB)"
awk "$median_awk"'
  { key = $1 " " $2; n[key]++; s[key, n[key]] = $3; h[key, n[key]] = $4
    if ($5 > rss[key]) rss[key] = $5
    if (!(key in seen)) { seen[key] = 1; order[++keys] = key } }
  END {
    printf "%-20s %7s %9s %11s %9s\n", "master", "N", "stage_s", "shuffle_s", "rss_mib"
    bad = 0
    for (k = 1; k <= keys; k++) {
      key = order[k]
      for (i = 1; i <= n[key]; i++) { a[i] = s[key, i]; b[i] = h[key, i] }
      stage[key] = median(a, n[key]); shuffle[key] = median(b, n[key])
      split(key, parts, " ")
      printf "%-20s %7d %9.3f %11.3f %9.1f\n", parts[1], parts[2], stage[key], shuffle[key], rss[key]
      if (parts[2] == 10000 && rss[key] > 300) {
        printf "FAIL: %s 10000 x 10000 peaked at %.1f MiB, over 300\n", parts[1], rss[key]; bad = 1
      }
    }
    for (m = 1; m <= 2; m++) {
      master = (m == 1) ? "local[2]" : "local-cluster[3,1]"
      small = master " 1000"; large = master " 10000"
      if (!(small in seen) || !(large in seen)) continue
      rs = stage[large] / stage[small]; rh = shuffle[large] / shuffle[small]
      printf "%s: 10,000 / 1,000 partitions: stage %.1fx, shuffle %.1fx (linear: 10x)\n", master, rs, rh
      if (rh > 20 || rs > 20) { printf "FAIL: %s grows faster than linearly\n", master; bad = 1 }
    }
    exit bad
  }' "$results" || status=1
exit "$status"
