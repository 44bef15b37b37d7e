#!/usr/bin/env bash
# Caching benchmark: an RDD of generated 100-byte records persisted at MEMORY_AND_DISK
# under a storage budget a quarter of its cached size, against the same RDD fully in
# memory and fully on disk; read MB/s from memory and from disk, peak RSS.
#
#   bench/run_cache.sh [records-millions=4] [runs=3] [passes=5]
#
# cache_ember persists the records, counts them once (computes and caches), then times
# `passes` counts reading the cached partitions and checks a count and a digest sum
# against a plain loop. Variants, all --master local[2] with 32 partitions:
#
#   in-memory  MEMORY_ONLY, ember.executor.memory=<large, default 16g>: every partition
#              in memory. Its first run also sizes the others: the RDD's memory size
#              as getRDDStorageInfo reports it.
#   empty      MEMORY_AND_DISK, budget, no records: the fixed RSS (code, threads,
#              allocator) that no budget accounts for
#   4x         MEMORY_AND_DISK, budget = ember.executor.memory such that the memory
#              that cached blocks may occupy (executor memory x ember.memory.fraction,
#              all of which storage may borrow) is a quarter of that memory size
#   disk       DISK_ONLY, budget: every partition on disk
#
# Per variant it prints the medians of: the first action's seconds, a read pass's
# seconds, MB/s and records/s (100 payload bytes per record, wall clock), the bytes
# cached in memory and on disk after the first action, and MB/s of the tasks that read a
# partition from memory and from disk (bytes / their summed run time: per core, which
# separates the tiers inside the 4x run). Peak RSS comes from GNU time when
# /usr/bin/time exists, else from the program's getrusage; the budget runs must stay
# within 1.5 x executor memory + the empty run's RSS. Disk reads are of files just
# written, so mostly from the page cache: they measure ember's read path (file, CRC,
# lz4, decoding), not the device.
#
# Exit status 1 when an answer or an expectation is wrong: count and digest sum against
# the plain loop, every partition still cached at the end, in-memory without disk
# bytes, disk without memory bytes, 4x with partitions in both and at most the budget's
# storage memory, spill files left in bench/out/cache/local-dir (ember.local.dir).
# EMBER_BENCH_BUILD_DIR selects another configured build tree than build/release.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
source bench/common.sh

usage() {
  echo "usage: bench/run_cache.sh [records-millions=4] [runs=3] [passes=5]" >&2
  exit 2
}

[[ $# -le 3 ]] || usage
scale="${1:-4}"
runs="${2:-3}"
passes="${3:-5}"
[[ "$scale" =~ ^([0-9]+\.?[0-9]*|\.[0-9]+)$ ]] || usage
[[ "$runs" =~ ^[1-9][0-9]*$ && "$passes" =~ ^[1-9][0-9]*$ ]] || usage
records="$(awk -v s="$scale" 'BEGIN { printf "%d", s * 1000000 }')"
[[ "$records" -ge 1 ]] || usage

readonly cores=2
readonly partitions=32
readonly fraction=0.6  # ember.memory.fraction, set explicitly so the sizing holds
readonly large_budget="${EMBER_BENCH_LARGE_BUDGET:-16g}"
readonly build_dir="${EMBER_BENCH_BUILD_DIR:-build/release}"
readonly run_dir=bench/out/cache
readonly local_dir="$run_dir/local-dir"
readonly results="$run_dir/results.txt"
readonly problems="$run_dir/problems"

if [[ "$build_dir" == build/release ]]; then
  [[ -f "$build_dir/CMakeCache.txt" ]] || cmake --preset release
  echo "== building cache_ember"
  cmake --build --preset release --target cache_ember
else
  echo "== building cache_ember in $build_dir"
  cmake --build "$build_dir" --target cache_ember
fi

mkdir -p "$local_dir"
: >"$results"
rm -f "$problems"

# Appends "$1: $2" to the problems; the run goes on so that every problem is listed.
problem() { echo "$1: $2" >>"$problems"; }

# Runs variant $1 with level $2, records $3 and executor memory $4; prints its line.
run_one() {
  local variant="$1" level="$2" n="$3" memory="$4" log="$run_dir/$1.log" rss_file="$run_dir/$1.rss"
  local cmd=("$build_dir/bench/cache_ember" --master "local[$cores]"
    --conf "ember.executor.memory=$memory" --conf "ember.memory.fraction=$fraction"
    --conf "ember.local.dir=$local_dir" "$level" "$n" "$passes" "$partitions")
  if [[ $have_time == 1 ]]; then cmd=(/usr/bin/time -o "$rss_file" -f '%M' "${cmd[@]}"); fi
  local line  # a wrong answer still prints its line (exit status 1): check_line reports it
  line="$("${cmd[@]}" 2>"$log" | grep -E '^ember ' || true)"
  [[ -n "$line" ]] || problem "$variant" "failed; stderr: $(tail -n 5 "$log" | tr '\n' ' ')"
  if [[ -n "$(ls -A "$local_dir")" ]]; then
    problem "$variant" "files left in $local_dir: $(ls -A "$local_dir" | head -n 5 | tr '\n' ' ')"
    rm -rf "${local_dir:?}"/*
  fi
  local rss
  if [[ $have_time == 1 ]]; then
    rss="$(awk 'END { printf "%.1f", $1 / 1024 }' "$rss_file")"
  else
    rss="$(field peak_rss_mib "$line")"
  fi
  if [[ -n "$line" ]]; then echo "$line rss_mib=$rss"; fi
}

# The problems of variant $1's line $2 (budget $3 bytes of executor memory).
check_line() {
  local variant="$1" line="$2" budget="$3" f
  [[ -n "$line" ]] || return 0  # already reported by run_one
  for f in count_ok sum_ok; do
    [[ "$(field "$f" "$line")" == 1 ]] || problem "$variant" "$f=0: wrong answer"
  done
  [[ "$variant" == empty ]] && return 0
  [[ "$(field cached_partitions_end "$line")" == "$partitions" ]] ||
    problem "$variant" "only $(field cached_partitions_end "$line") of $partitions partitions cached at the end"
  local mem disk
  mem="$(field mem_bytes "$line")"
  disk="$(field disk_bytes "$line")"
  case "$variant" in
    in-memory) [[ "$disk" == 0 ]] || problem "$variant" "$disk bytes on disk" ;;
    disk) [[ "$mem" == 0 ]] || problem "$variant" "$mem bytes in memory" ;;
    4x)
      [[ "$mem" -gt 0 && "$disk" -gt 0 ]] ||
        problem "$variant" "not split between memory ($mem) and disk ($disk)"
      awk -v m="$mem" -v b="$budget" -v f="$fraction" 'BEGIN { exit !(m <= b * f) }' ||
        problem "$variant" "$mem bytes in memory, over the storage budget $budget x $fraction"
      ;;
  esac
}

# Appends "variant run fields..." of a line to the results, in a fixed order for awk.
record_line() {
  local f out="$1 $2"
  for f in first_s read_s read_mbps read_rps mem_bytes disk_bytes mem_task_mbps \
    disk_task_mbps rss_mib; do
    out+=" $(field "$f" "$3")"
  done
  echo "$out" >>"$results"
}

budget_bytes=""
for ((run = 1; run <= runs; run++)); do
  for variant in in-memory empty 4x disk; do
    level=MEMORY_AND_DISK n="$records" memory="${budget_bytes:-0}"
    case "$variant" in
      in-memory) level=MEMORY_ONLY memory="$large_budget" ;;
      empty) n=0 ;;
      disk) level=DISK_ONLY ;;
    esac
    [[ "$memory" =~ [a-z]$ ]] || memory="$((memory / 1024))k"
    line="$(run_one "$variant" "$level" "$n" "$memory")"
    printf '   run %d/%d  %-9s %s\n' "$run" "$runs" "$variant" "$(cut -d' ' -f2- <<<"$line")"
    check_line "$variant" "$line" "${budget_bytes:-0}"
    if [[ -n "$line" ]]; then record_line "$variant" "$run" "$line"; fi
    if [[ -z "$budget_bytes" ]]; then
      # Sized once, from the first in-memory run: executor memory x fraction = size / 4.
      size="$(field mem_bytes "$line")"
      [[ "$size" =~ ^[1-9][0-9]*$ ]] || { echo "error: no in-memory size to budget from" >&2; exit 1; }
      budget_bytes="$(awk -v s="$size" -v f="$fraction" 'BEGIN { printf "%d", int(s / 4 / f / 1024) * 1024 }')"
      echo "== cached size in memory $size bytes; budget: ember.executor.memory=$((budget_bytes / 1024))k" \
        "(storage may hold $(awk -v b="$budget_bytes" -v f="$fraction" 'BEGIN { printf "%d", b * f }') bytes)"
    fi
  done
done

echo
echo "$records records of 100 bytes ($(awk -v n="$records" 'BEGIN { printf "%.1f", n * 100 / 1e6 }') MB)," \
  "$partitions partitions, local[$cores], $passes read passes per run, $runs runs: medians;" \
  "peak RSS: $([[ $have_time == 1 ]] && echo "GNU time, whole process" || echo "getrusage")"
awk -v budget="$budget_bytes" "$median_awk"'
  function med(v, k,    i, a) {
    for (i = 1; i <= n[k]; i++) a[i] = val[k, v, i]
    return median(a, n[k])
  }
  {
    k = $1
    n[k]++
    for (v = 3; v <= NF; v++) val[k, v, n[k]] = $v
  }
  END {
    printf "%-9s %-15s %9s %8s %8s %8s %8s %10s %9s %10s %10s %8s %s\n", "variant", "level",
           "exec_mem", "mem_MiB", "disk_MiB", "first_s", "read_s", "read_MB/s", "rec/s",
           "mem_MB/s*", "disk_MB/s*", "rss_MiB", "rss<=1.5xmem+empty"
    split("in-memory empty 4x disk", variants, " ")
    split("MEMORY_ONLY MEMORY_AND_DISK MEMORY_AND_DISK DISK_ONLY", levels, " ")
    for (i = 1; i <= 4; i++) {
      k = variants[i]
      if (!(k in n)) continue
      rss = med(11, k)
      if (k == "empty") empty = rss
      verdict = "-"
      if (k == "4x" || k == "disk") {
        limit = 1.5 * budget / 1048576 + empty
        verdict = sprintf("%s (<= %.1f)", rss <= limit ? "PASS" : "FAIL", limit)
      }
      printf "%-9s %-15s %9s %8.1f %8.1f %8.3f %8.3f %10.1f %9.0f %10.1f %10.1f %8.1f %s\n", k,
             levels[i], k == "in-memory" ? "large" : sprintf("%.1fM", budget / 1048576),
             med(7, k) / 1048576, med(8, k) / 1048576, med(3, k), med(4, k), med(5, k), med(6, k),
             med(9, k), med(10, k), rss, verdict
    }
    print "* MB/s of the read tasks per tier: bytes / summed task time (per core)"
  }
' "$results"

if [[ -s "$problems" ]]; then
  echo "PROBLEMS:"
  sort -u "$problems"
  exit 1
fi
echo "all counts and digest sums agree with the plain loop; every expectation held"
