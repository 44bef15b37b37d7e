#!/usr/bin/env bash
# What losing an executor costs a job that caches its input: 10 iterations of
# k-means over cached points on local-cluster[3,1], one run killing an
# executor (SIGKILL) at the start of iteration 5 and one killing nothing, as
# Figure 11 of the RDD paper (NSDI 2012) shows for Spark.
#
#   bench/run_kmeans_fault.sh [points=1000000] [runs=3]
#
# The points (8 numbers a line, 32 clusters) are generated once into a text file, which
# each run reads, parses and caches before the iterations. Prints, per
# iteration, the median seconds over `runs` runs of each kind, and the ratio
# of the killed iteration to the median of the other iterations of its run:
# re-reading and re-parsing the killed executor's third of the cached
# partitions should cost at most one extra iteration, a ratio of at most 2.
# The "load" line is the first job, reading, parsing and caching every point:
# the killed executor's third of it, spread over the two survivors, is what
# recovery must at least cost. Every run's final centers are checked against
# a plain loop over the same file; exits 1 on a wrong answer.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
source bench/common.sh

usage() {
  echo "usage: bench/run_kmeans_fault.sh [points=1000000] [runs=3]" >&2
  exit 2
}

[[ $# -le 2 ]] || usage
points="${1:-1000000}"
runs="${2:-3}"
[[ "$points" =~ ^[1-9][0-9]*$ && "$runs" =~ ^[1-9][0-9]*$ ]] || usage

readonly build_dir=build/release
readonly program="$build_dir/bench/kmeans_fault_ember"
readonly run_dir=bench/out/kmeans_fault
readonly iterations=10
readonly kill_at=5

[[ -f "$build_dir/CMakeCache.txt" ]] || cmake --preset release
echo "== building kmeans_fault_ember"
cmake --build --preset release --target kmeans_fault_ember
mkdir -p "$run_dir"
: >"$run_dir/times.txt"
input="$run_dir/points-$points.txt"
[[ -f "$input" ]] || "$program" generate "$points" "$input"
echo "== input: $input ($(du -m "$input" | cut -f1) MiB)"

for ((run = 1; run <= runs; run++)); do
  for kill in "$kill_at" 0; do
    out="$run_dir/run-$run-kill-$kill.txt"
    "$program" --master 'local-cluster[3,1]' "$input" "$iterations" "$kill" >"$out" \
      2>"$run_dir/run-$run-kill-$kill.log"
    summary="$(grep '^ember ' "$out")"
    if [[ "$(field ok "$summary")" != 1 ]]; then
      echo "wrong answer: $summary (see $out)" >&2
      exit 1
    fi
    sed -n "s/^iteration=\([0-9]*\) seconds=\(.*\)/$kill $run \1 \2/p" "$out" >>"$run_dir/times.txt"
    sed -n "s/^load seconds=\(.*\)/$kill $run 0 \1/p" "$out" >>"$run_dir/times.txt"
  done
  echo "run $run of $runs done"
done

echo "== $points points, $iterations iterations, local-cluster[3,1], medians of $runs runs"
awk -v kill_at="$kill_at" -v iterations="$iterations" "$median_awk"'
  { t[$1, $3, ++n[$1, $3]] = $4; if ($1 > 0) byRun[$2, $3] = $4 }
  END {
    printf "%-10s %12s %12s\n", "iteration", "killed (s)", "no kill (s)"
    for (i = 0; i <= iterations; i++) {
      for (k = 1; k <= n[kill_at, i]; k++) a[k] = t[kill_at, i, k]
      for (k = 1; k <= n[0, i]; k++) b[k] = t[0, i, k]
      printf "%-10s %12.3f %12.3f%s\n", (i ? i : "load"), median(a, n[kill_at, i]), \
        median(b, n[0, i]), (i == kill_at ? "   <- executor killed" : "")
    }
    # Per run: the killed iteration against the median of the run'"'"'s others.
    for (r = 1; r <= n[kill_at, 1]; r++) {
      m = 0
      for (i = 1; i <= iterations; i++) if (i != kill_at) others[++m] = byRun[r, i]
      ratios[r] = byRun[r, kill_at] / median(others, m)
    }
    printf "killed iteration / median other iteration: %.2f (median of %d runs; at most 2 is the bar)\n", \
      median(ratios, n[kill_at, 1]), n[kill_at, 1]
  }' "$run_dir/times.txt"
