#!/usr/bin/env bash
# Out-of-core benchmark: ember's group-by-sum, sort and join under a memory budget a
# quarter of their input's size, against the same jobs with a budget large enough to
# stay in memory.
#
#   bench/run_out_of_core.sh [groupby-millions=20] [sort-millions=10] [runs=1]
#
# Inputs (generated once, shared with run_vs_duckdb.sh at the same scale): `key,value`
# rows for group-by-sum (gen_tables groupby, 1M skewed keys), 100-byte records for the
# sort (gen_tables sort), and orders (groupby-millions rows) with customers (a twentieth
# as many) for the join. The jobs:
#
#   groupby     the RDD program group_by_sum_ember (reduceByKey)
#   sort        the RDD program sort_ember (sortByKey, saveAsTextFile)
#   df-groupby  the same group-by as DataFrames (dataframe_jobs_ember groupby): the
#               hash aggregation spills
#   df-join     orders join customers, summed by country, as DataFrames
#               (dataframe_jobs_ember join), broadcast joins off: the shuffled hash
#               join spills
#
# Each job runs with --master local[2] in three variants:
#
#   empty      the same program and budget on an empty input: the fixed RSS (code,
#              thread pool, allocator) that no budget accounts for
#   budget     --conf ember.executor.memory=<input bytes / 4>: must spill
#   in-memory  --conf ember.executor.memory=<large, default 16g>: must not
#
# and prints per variant the median seconds, MB/s, spill bytes (disk and memory, from
# the tasks' metrics), shuffle write bytes, peak RSS (GNU time when /usr/bin/time
# exists, else the program's getrusage), and for the budget runs whether
# peak RSS <= 1.5 x budget + empty RSS, and the slowdown budget / in-memory (goal: 2x at
# most). The goals are reported as PASS/FAIL; the exit status is 1 only when an answer
# is wrong: group-by's groups, total and checksum against check_results (a plain
# loop), the sort's output sorted, with the input's line count and multiset checksum.
# Spill files go to bench/out/out-of-core/local-dir (ember.local.dir), which must be
# empty again after every run.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
source bench/common.sh

usage() {
  echo "usage: bench/run_out_of_core.sh [groupby-millions=20] [sort-millions=10] [runs=1]" >&2
  exit 2
}

[[ $# -le 3 ]] || usage
groupby_scale="${1:-20}"
sort_scale="${2:-10}"
runs="${3:-1}"
number='^([0-9]+\.?[0-9]*|\.[0-9]+)$'
[[ "$groupby_scale" =~ $number && "$sort_scale" =~ $number ]] || usage
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || usage
groupby_rows="$(awk -v s="$groupby_scale" 'BEGIN { printf "%d", s * 1000000 }')"
sort_rows="$(awk -v s="$sort_scale" 'BEGIN { printf "%d", s * 1000000 }')"
[[ "$groupby_rows" -ge 1 && "$sort_rows" -ge 1 ]] || usage

readonly cores=2
readonly large_budget="${EMBER_BENCH_LARGE_BUDGET:-16g}"
readonly build_dir=build/release
readonly bin_dir="$build_dir/bench"
readonly out_dir=bench/out
readonly run_dir="$out_dir/out-of-core"
readonly local_dir="$run_dir/local-dir"
readonly results="$run_dir/results.txt"
readonly groupby_csv="$out_dir/tables-$groupby_scale/groupby.csv"
readonly orders_csv="$out_dir/tables-$groupby_scale/orders.csv"
readonly customers_csv="$out_dir/tables-$groupby_scale/customers.csv"
readonly sort_txt="$out_dir/tables-$sort_scale/sort.txt"
readonly empty="$run_dir/empty.txt"

if [[ ! -f "$build_dir/CMakeCache.txt" ]]; then
  echo "== configuring $build_dir (preset release)"
  cmake --preset release
fi
echo "== building benchmark targets"
cmake --build --preset release --target gen_tables check_results group_by_sum_ember sort_ember \
  dataframe_jobs_ember

mkdir -p "$run_dir" "$local_dir" "$(dirname "$groupby_csv")" "$(dirname "$sort_txt")"
: >"$empty"
[[ -f "$groupby_csv" ]] || "$bin_dir/gen_tables" groupby "$groupby_csv" "$groupby_rows"
[[ -f "$groupby_csv.ref" ]] || "$bin_dir/check_results" groupby "$groupby_csv" >"$groupby_csv.ref"
if [[ ! -f "$orders_csv" || ! -f "$customers_csv" ]]; then
  "$bin_dir/gen_tables" join "$orders_csv" "$customers_csv" "$groupby_rows" \
    "$(awk -v r="$groupby_rows" 'BEGIN { c = int(r / 20); printf "%d", c < 1 ? 1 : c }')"
fi
[[ -f "$orders_csv.ref" ]] || "$bin_dir/check_results" join "$orders_csv" "$customers_csv" >"$orders_csv.ref"
[[ -f "$sort_txt" ]] || "$bin_dir/gen_tables" sort "$sort_txt" "$sort_rows"
[[ -f "$sort_txt.ref" ]] || "$bin_dir/check_results" digest "$sort_txt" >"$sort_txt.ref"



readonly jobs=(groupby sort df-groupby df-join)
# Each job's input files, and a budget of a quarter of their size, in KiB (ember sizes
# take a k suffix).
declare -A input=([groupby]="$groupby_csv" [sort]="$sort_txt" [df-groupby]="$groupby_csv"
  [df-join]="$orders_csv $customers_csv")
input_bytes() { cat ${input[$1]} | wc -c; }
budget_kib() { echo $(($(input_bytes "$1") / 4 / 1024)); }
declare -A budget
for job in "${jobs[@]}"; do budget[$job]="$(budget_kib "$job")k"; done

# The command of job $1 over the files $2..., writing its output to $run_dir/job.out.
job_command() {
  local job="$1"
  shift
  case "$job" in
    groupby) echo "$bin_dir/group_by_sum_ember $*" ;;
    sort) echo "$bin_dir/sort_ember $* $run_dir/job.out" ;;
    df-groupby) echo "$bin_dir/dataframe_jobs_ember groupby $*" ;;
    # The customers are under the broadcast threshold: without it the shuffled
    # hash join, whose tables must spill, runs instead.
    df-join)
      echo "$bin_dir/dataframe_jobs_ember --conf ember.sql.autoBroadcastJoinThreshold=-1" \
        "join ${*:-$empty $empty} $run_dir/job.out"
      ;;
  esac
}

# "got want" of job $1's answer in the line $2, each a string to compare.
job_answer() {
  case "$1" in
    groupby | df-groupby)
      echo "groups=$(field groups "$2") total=$(field total "$2") checksum=$(field checksum "$2")"
      cat "$groupby_csv.ref"
      ;;
    sort)
      local digest
      digest="$("$bin_dir/check_results" digest "$run_dir/job.out")"
      echo "lines=$(field lines "$digest") checksum=$(field checksum "$digest") sorted=$(field sorted "$digest")"
      echo "lines=$(field lines "$(cat "$sort_txt.ref")") checksum=$(field checksum "$(cat "$sort_txt.ref")") sorted=yes"
      ;;
    df-join)
      if cmp -s "$run_dir/job.out" "$orders_csv.ref"; then echo same; else echo differs; fi
      echo same
      ;;
  esac
}

# Runs job $1 in variant $2 (empty, budget, in-memory); appends
# "job variant seconds rss_mib disk_spill memory_spill shuffle_write ok" to the results.
run_one() {
  local job="$1" variant="$2" log="$run_dir/$1-$2.log" rss_file="$run_dir/$1-$2.rss"
  local files="${input[$1]}" memory="${budget[$1]}"
  [[ "$variant" == empty ]] && files=""
  [[ "$variant" == in-memory ]] && memory="$large_budget"
  [[ "$variant" == empty && "$job" != df-join ]] && files="$empty"
  rm -rf "$run_dir/job.out"
  local words
  read -r -a words <<<"$(job_command "$job" $files)"
  local cmd=("${words[0]}" --master "local[$cores]" --conf "ember.executor.memory=$memory"
    --conf "ember.local.dir=$local_dir" "${words[@]:1}")
  if [[ $have_time == 1 ]]; then cmd=(/usr/bin/time -o "$rss_file" -f '%M' "${cmd[@]}"); fi

  local line
  if ! line="$("${cmd[@]}" 2>"$log" | grep -E '^ember +seconds=')"; then
    echo "error: $job ($variant) failed; stderr:" >&2
    tail -n 20 "$log" >&2
    exit 1
  fi
  local rss
  if [[ $have_time == 1 ]]; then
    rss="$(awk 'END { printf "%.1f", $1 / 1024 }' "$rss_file")"
  else
    rss="$(field peak_rss_mib "$line")"
  fi

  local ok=1 got="" want=""
  if [[ "$variant" != empty ]]; then
    local answer
    answer="$(job_answer "$job" "$line")"
    got="$(sed -n 1p <<<"$answer")"
    want="$(sed -n 2p <<<"$answer")"
  fi
  rm -rf "$run_dir/job.out"
  if [[ "$got" != "$want" ]]; then
    ok=0
    echo "$job $variant: got [$got] want [$want]" >>"$run_dir/mismatches"
  fi
  if [[ -n "$(ls -A "$local_dir")" ]]; then
    ok=0
    echo "$job $variant: spill files left in $local_dir: $(ls -A "$local_dir" | head -n 5 | tr '\n' ' ')" \
      >>"$run_dir/mismatches"
    rm -rf "${local_dir:?}"/*
  fi
  echo "$job $variant $(field seconds "$line") $rss $(field spill_disk_bytes "$line")" \
    "$(field spill_memory_bytes "$line") $(field shuffle_write_bytes "$line") $ok" >>"$results"
  printf '   run %d/%d  %-8s %-10s %s rss_mib=%s %s\n' "$run" "$runs" "$job" "$variant" \
    "$(cut -d' ' -f2- <<<"$line")" "$rss" "$([[ $ok == 1 ]] && echo ok || echo MISMATCH)"
}

echo "== warming the page cache"
cat "$groupby_csv" "$sort_txt" "$orders_csv" "$customers_csv" >/dev/null

echo "== ${#jobs[@]} jobs x 3 variants x $runs runs (local[$cores]); budgets:" \
  "$(for job in "${jobs[@]}"; do printf '%s %s, ' "$job" "${budget[$job]}"; done)in-memory $large_budget"
: >"$results"
rm -f "$run_dir/mismatches"
for ((run = 1; run <= runs; run++)); do
  for job in "${jobs[@]}"; do
    for variant in empty budget in-memory; do run_one "$job" "$variant"; done
  done
done

echo
echo "peak RSS: $([[ $have_time == 1 ]] && echo "GNU time, whole process" || echo "getrusage");" \
  "$runs runs, medians"
awk -v joblist="${jobs[*]}" \
  -v byteslist="$(for job in "${jobs[@]}"; do printf '%s ' "$(input_bytes "$job")"; done)" \
  -v budgetlist="$(for job in "${jobs[@]}"; do printf '%s ' "$(budget_kib "$job")"; done)" \
  "$median_awk"'
  function fmtBytes(x) {
    if (x == "na") return "na"
    return sprintf("%.1fM", x / 1048576)
  }
  {
    k = $1 SUBSEP $2
    n[k]++
    secs[k, n[k]] = $3; rss[k, n[k]] = $4
    disk[k] = $5; mem[k] = $6; shuf[k] = $7  # the same in every run: the last one
    if (!$8) bad[k] = 1
  }
  END {
    njobs = split(joblist, jobs, " ")
    split(byteslist, byteslist_, " ")
    split(budgetlist, budgetlist_, " ")
    for (j = 1; j <= njobs; j++) {
      bytes[jobs[j]] = byteslist_[j]
      budget[jobs[j]] = budgetlist_[j] / 1024  # MiB
    }
    printf "%-10s %-10s %9s %8s %11s %11s %11s %9s %10s %-22s %s\n", "job", "variant", "median_s",
           "MB/s", "spill_disk", "spill_mem", "shuf_write", "rss_MiB", "budget", "rss<=1.5b+empty",
           "check"
    split("empty budget in-memory", variants, " ")
    for (j = 1; j <= njobs; j++) {
      job = jobs[j]
      for (v = 1; v <= 3; v++) {
        k = job SUBSEP variants[v]
        for (i = 1; i <= n[k]; i++) { a[i] = secs[k, i]; r[i] = rss[k, i] }
        med[variants[v]] = median(a, n[k])
        medRss[variants[v]] = median(r, n[k])
        t = med[variants[v]] > 0 ? med[variants[v]] : 0.0005
        mbs = (variants[v] == "empty") ? "-" : sprintf("%.1f", bytes[job] / t / 1e6)
        verdict = "-"
        bud = "large"
        if (variants[v] == "empty" || variants[v] == "budget") bud = sprintf("%.1fM", budget[job])
        if (variants[v] == "budget") {
          limit = 1.5 * budget[job] + medRss["empty"]
          verdict = sprintf("%s (<= %.1f)", (medRss["budget"] <= limit) ? "PASS" : "FAIL", limit)
        }
        printf "%-10s %-10s %9.3f %8s %11s %11s %11s %9.1f %10s %-22s %s\n", job, variants[v],
               med[variants[v]], mbs, fmtBytes(disk[k]), fmtBytes(mem[k]), fmtBytes(shuf[k]),
               medRss[variants[v]], bud, verdict, (k in bad) ? "FAIL" : "ok"
      }
      slow = med["budget"] / (med["in-memory"] > 0 ? med["in-memory"] : 0.0005)
      printf "%-10s slowdown budget / in-memory: %.2fx (goal <= 2x: %s)\n\n", job, slow,
             (slow <= 2) ? "PASS" : "FAIL"
    }
  }
' "$results"

if [[ -s "$run_dir/mismatches" ]]; then
  echo "MISMATCH:"
  sort -u "$run_dir/mismatches"
  exit 1
fi
echo "all answers agree with the reference (check_results)"
