#!/usr/bin/env bash
# What running on two processes costs against one process with two cores, on the same
# machine and data:
#
#   raw        a plain socket copy of the shuffle's record bytes over loopback TCP
#              (socket_copy): the ceiling of any shuffle between two processes
#   shuffle    scale x 2M records of 100 bytes through one hash shuffle (shuffle_ember),
#              with ember.shuffle.compress true and false
#   wordcount  the word count of run_vs_duckdb.sh on its 10 x scale MiB text
#   groupby    the group-by-sum of run_vs_duckdb.sh on its scale M rows
#
#   bench/run_cluster.sh [scale=1] [runs=3]
#
# Every ember job runs as `ember-run -n 2 --cores 1` (two processes, one task slot each:
# half the records cross the network) and as `--master local[2]` (one process, no
# network), alternately, `runs` times; the script prints medians of seconds, MB/s of
# records (shuffle: record bytes / job seconds; word count and group-by: input bytes /
# job seconds), the driver's peak RSS, and the ratio local[2] seconds / ember-run
# seconds (below 1: the processes are slower). The shuffle's line also gives the
# compressed bytes that crossed the shuffle and its MB/s as a share of the raw copy.
# Every answer is checked: the shuffle's count and key sum against a plain loop inside
# shuffle_ember, word count and group-by against the plain references run_vs_duckdb.sh
# uses. Exits 1 on a wrong answer. Executor logs go to bench/out/cluster/logs.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
source bench/common.sh

usage() {
  echo "usage: bench/run_cluster.sh [scale=1] [runs=3]" >&2
  exit 2
}

[[ $# -le 2 ]] || usage
scale="${1:-1}"
runs="${2:-3}"
[[ "$scale" =~ ^([0-9]+\.?[0-9]*|\.[0-9]+)$ && "$runs" =~ ^[1-9][0-9]*$ ]] || usage
rows="$(awk -v s="$scale" 'BEGIN { printf "%d", s * 1000000 }')"
records="$((rows * 2))"
text_mib="$(awk -v s="$scale" 'BEGIN { printf "%g", s * 10 }')"
[[ "$rows" -ge 1 ]] || usage

readonly build_dir=build/release
readonly bin_dir="$build_dir/bench"
readonly ember_run="$build_dir/tools/ember-run"
readonly data_dir="bench/out/tables-$scale"
readonly run_dir=bench/out/cluster
readonly results="$run_dir/results-$scale.txt"
readonly memory=2g
readonly partitions=8

targets=(ember-run socket_copy shuffle_ember word_count_ember group_by_sum_ember gen_text
  word_count_plain gen_tables check_results)
[[ -f "$build_dir/CMakeCache.txt" ]] || cmake --preset release
echo "== building ${targets[*]}"
cmake --build --preset release --target "${targets[@]}"

mkdir -p "$data_dir" "$run_dir/logs"
text="$data_dir/words.txt"
groupby_csv="$data_dir/groupby.csv"
if [[ ! -f "$text" ]]; then
  "$bin_dir/gen_text" "$text.tmp" "$text_mib" && mv "$text.tmp" "$text"
fi
[[ -f "$text.ref" ]] || "$bin_dir/word_count_plain" "$text" >"$text.ref"
[[ -f "$groupby_csv" ]] || "$bin_dir/gen_tables" groupby "$groupby_csv" "$rows"
[[ -f "$groupby_csv.ref" ]] || "$bin_dir/check_results" groupby "$groupby_csv" >"$groupby_csv.ref"
cat "$text" "$groupby_csv" >/dev/null  # into the page cache

: >"$results"
rm -f "$run_dir/mismatches"
mismatch() { echo "$1" >>"$run_dir/mismatches"; }

# The answer fields of job $1's line $2, and of its reference.
answer() {
  case "$1" in
    wordcount) echo "distinct=$(field distinct "$2") total=$(field total "$2")" ;;
    groupby) echo "groups=$(field groups "$2") total=$(field total "$2") checksum=$(field checksum "$2")" ;;
    shuffle*) echo "ok=$(field ok "$2")" ;;
  esac
}
reference() {
  case "$1" in
    wordcount) answer wordcount "$(cat "$text.ref")" ;;
    groupby) cat "$groupby_csv.ref" ;;
    shuffle*) echo "ok=1" ;;
  esac
}

# Runs job $1 in mode $2 (local or cluster); appends "job mode seconds mbps rss
# shuffle_bytes" to the results.
run_one() {
  local job="$1" mode="$2" log="$run_dir/$1-$2.log" program args bytes
  local conf=(--conf "ember.executor.memory=$memory")
  case "$job" in
    shuffle-lz4 | shuffle-raw)
      program=shuffle_ember args=("$records" "$partitions") bytes=$((records * 100))
      conf+=(--conf "ember.shuffle.compress=$([[ $job == shuffle-lz4 ]] && echo true || echo false)")
      ;;
    wordcount) program=word_count_ember args=("$text") bytes="$(wc -c <"$text")" ;;
    groupby) program=group_by_sum_ember args=("$groupby_csv") bytes="$(wc -c <"$groupby_csv")" ;;
  esac
  local cmd=("$bin_dir/$program" --master "local[2]" "${conf[@]}" "${args[@]}")
  if [[ "$mode" == cluster ]]; then
    cmd=("$ember_run" -n 2 --cores 1 --memory "$memory" --log-dir "$run_dir/logs/$job-$run"
      "${conf[@]}" "$bin_dir/$program" "${args[@]}")
  fi
  local line
  if ! line="$("${cmd[@]}" 2>"$log" | grep -E '^ember +seconds=')"; then
    echo "error: $job ($mode) failed; stderr:" >&2
    tail -n 20 "$log" >&2
    exit 1
  fi
  local got want seconds
  got="$(answer "$job" "$line")"
  want="$(reference "$job")"
  [[ "$got" == "$want" ]] || mismatch "$job $mode: got [$got] want [$want]"
  seconds="$(field seconds "$line")"
  echo "$job $mode $seconds $(awk -v b="$bytes" -v s="$seconds" 'BEGIN { printf "%.1f", b / s / 1e6 }')" \
    "$(field peak_rss_mib "$line") $(field shuffle_read_bytes "$line")" >>"$results"
  printf '   run %d/%d  %-11s %-7s seconds=%-7s %s\n' "$run" "$runs" "$job" "$mode" "$seconds" \
    "$([[ "$got" == "$want" ]] && echo ok || echo MISMATCH)"
}

echo "== raw loopback copy of the shuffle's bytes, then the jobs; $runs runs, scale $scale"
raw_mib=$((records * 100 / 1048576 + 1))
raw=()
for ((run = 1; run <= runs; run++)); do
  line="$("$bin_dir/socket_copy" "$raw_mib")"
  echo "   run $run/$runs  raw         $line"
  raw+=("$(field mbps "$line")")
done

for ((run = 1; run <= runs; run++)); do
  for job in shuffle-lz4 shuffle-raw wordcount groupby; do
    if ((run % 2)); then order=(local cluster); else order=(cluster local); fi
    for mode in "${order[@]}"; do run_one "$job" "$mode"; done
  done
done

echo
echo "scale $scale: $records shuffle records of 100 bytes, $rows group-by rows, ${text_mib} MiB of" \
  "text; ember-run -n 2 --cores 1 vs local[2], $memory per process; medians of $runs runs"
awk -v raw="${raw[*]}" "$median_awk"'
  function med(job, mode, col,    i, a) {
    for (i = 1; i <= n[job, mode]; i++) a[i] = v[job, mode, col, i]
    return median(a, n[job, mode])
  }
  { k = $1 SUBSEP $2; n[k]++; for (c = 3; c <= 6; c++) v[$1, $2, c, n[k]] = $c }
  END {
    nr = split(raw, r, " ")
    rawmbps = median(r, nr)
    printf "%-11s %24s %20s %9s %9s %s\n", "job", "local[2] s (MB/s)", "ember-run s (MB/s)",
           "local/run", "rss_MiB", "shuffled_MiB  % of raw"
    printf "%-11s %24s %20.1f\n", "raw copy", "-", rawmbps
    split("shuffle-lz4 shuffle-raw wordcount groupby", jobs, " ")
    for (j = 1; j <= 4; j++) {
      job = jobs[j]
      ls = med(job, "local", 3); cs = med(job, "cluster", 3)
      cm = med(job, "cluster", 4)
      extra = ""
      if (job ~ /^shuffle/)
        extra = sprintf("%12.1f  %5.1f%%", med(job, "cluster", 6) / 1048576, 100 * cm / rawmbps)
      printf "%-11s %14.3f (%7.1f) %10.3f (%7.1f) %9.2f %9.1f %s\n", job, ls,
             med(job, "local", 4), cs, cm, ls / cs, med(job, "cluster", 5), extra
    }
  }
' "$results"

if [[ -s "$run_dir/mismatches" ]]; then
  echo "WRONG ANSWERS:"
  cat "$run_dir/mismatches"
  exit 1
fi
echo "every answer agrees with the plain loop or reference"
