#!/usr/bin/env bash
# ember vs DuckDB on six jobs over the same generated files, with 2 cores and the same
# memory budget each (ember --master local[2] --conf ember.executor.memory=4g, DuckDB
# SET threads = 2, SET memory_limit = '4GiB'; EMBER_BENCH_MEMORY_GIB changes the 4):
#
#   wordcount  count every word of a Zipf text (10 x scale MiB)         -> distinct, total
#   groupby    sum `value` per `key` of scale M rows (1M skewed keys)    -> groups, total, checksum
#   join       orders (scale M rows) join customers (scale/20 M rows)
#              on customer_id, sum amount per country (200)             -> per-country sums
#   sort       sort scale M 100-byte records by their 10-byte key and
#              write them out                                            -> sorted output
#   q1, q6     TPC-H Q1 and Q6 over gen_tpch's lineitem at scale factor
#              scale / 6 (about scale M rows), shared with run_tpch.sh   -> their rows
#
# groupby, join, q1 and q6 run three ways: ember's RDD programs (engine `ember`;
# tpch_rdd_ember for q1 and q6), the same jobs as a PySpark user writes them with
# DataFrames (`ember_df`, dataframe_jobs_ember), and DuckDB.
#
#   bench/run_vs_duckdb.sh [scale=1] [runs=3] [jobs=wordcount,groupby,join,sort,q1,q6]
#
# scale is in millions of rows and may be a fraction (0.01 for a smoke test). Generates
# the inputs once under bench/out/, installs DuckDB's Node package (@duckdb/node-api,
# pinned in common.sh) into bench/out/ when it is not there yet, pulls the inputs into
# the page cache, then runs ember and DuckDB alternately `runs` times per job (so that
# drift in load or clock speed affects both alike) and prints medians: seconds, MB/s and
# records/s of input (input lines), peak RSS and duckdb_s / ember_s (above 1: ember is
# faster). Each engine times its job without its start-up (ember's Context, DuckDB's
# instance). Peak RSS is GNU time's "maximum resident set size" of the whole process for
# both engines (node included for DuckDB) when /usr/bin/time exists, else what each
# program reports of itself (getrusage).
#
# Every run's answer is checked against a reference computed once by plain
# single-threaded programs (word_count_plain, check_results): word count distinct and
# total; group-by groups, total and a checksum over the (key, sum) pairs; join the
# per-country sums; sort that the output is sorted by key and holds the same multiset of
# lines as the input (count and sum of line hashes). q1's rows and q6's revenue are
# checked against DuckDB's answer, computed once: strings equal, numbers within a
# relative 1e-9, or 1e-6 apart (DuckDB averages decimals as doubles, Spark and ember as
# decimals with 6 digits after the point).
# Exits 1 if any answer differs.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
source bench/common.sh

readonly cores=2
readonly memory_gib="${EMBER_BENCH_MEMORY_GIB:-4}"
readonly all_jobs=(wordcount groupby join sort q1 q6)

usage() {
  echo "usage: bench/run_vs_duckdb.sh [scale-millions=1] [runs=3] [jobs=wordcount,groupby,join,sort,q1,q6]" >&2
  exit 2
}

[[ $# -le 3 ]] || usage
scale="${1:-1}"
runs="${2:-3}"
IFS=, read -r -a jobs <<<"${3:-$(IFS=,; echo "${all_jobs[*]}")}"
[[ "$scale" =~ ^([0-9]+\.?[0-9]*|\.[0-9]+)$ ]] || usage
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || usage
for job in "${jobs[@]}"; do
  [[ " ${all_jobs[*]} " == *" $job "* ]] || { echo "unknown job '$job'" >&2; usage; }
done
rows="$(awk -v s="$scale" 'BEGIN { printf "%d", s * 1000000 }')"
customers="$(awk -v r="$rows" 'BEGIN { c = int(r / 20); printf "%d", c < 1 ? 1 : c }')"
text_mib="$(awk -v s="$scale" 'BEGIN { printf "%g", s * 10 }')"
# TPC-H's scale factor: about 6M lineitem rows at 1.
scale_factor="$(awk -v s="$scale" 'BEGIN { printf "%g", s / 6 }')"
[[ "$rows" -ge 1 ]] || { echo "scale $scale gives no rows" >&2; usage; }

readonly build_dir=build/release
readonly bin_dir="$build_dir/bench"
readonly out_dir=bench/out
readonly data_dir="$out_dir/tables-$scale"
readonly run_dir="$out_dir/vs-duckdb"
readonly results="$run_dir/results-$scale.txt"

# ---- build ----
targets=(gen_text word_count_plain gen_tables check_results)
for job in "${jobs[@]}"; do
  case "$job" in
    wordcount) targets+=(word_count_ember) ;;
    groupby) targets+=(group_by_sum_ember dataframe_jobs_ember) ;;
    join) targets+=(join_agg_ember dataframe_jobs_ember) ;;
    sort) targets+=(sort_ember) ;;
    q1 | q6) targets+=(gen_tpch dataframe_jobs_ember tpch_rdd_ember) ;;
  esac
done
if [[ ! -f "$build_dir/CMakeCache.txt" ]]; then
  echo "== configuring $build_dir (preset release)"
  cmake --preset release
fi
echo "== building ${targets[*]}"
cmake --build --preset release --target "${targets[@]}"

# ---- DuckDB ----
mkdir -p "$out_dir" "$run_dir"
install_duckdb

# ---- inputs and reference answers (once per scale) ----
mkdir -p "$data_dir"
text="$data_dir/words.txt"
groupby_csv="$data_dir/groupby.csv"
orders_csv="$data_dir/orders.csv"
customers_csv="$data_dir/customers.csv"
sort_txt="$data_dir/sort.txt"
tpch_dir="$out_dir/tpch-sf$scale_factor"
lineitem_csv="$tpch_dir/lineitem.csv"
for job in "${jobs[@]}"; do
  case "$job" in
    wordcount)
      if [[ ! -f "$text" ]]; then
        echo "== generating $text"
        "$bin_dir/gen_text" "$text.tmp" "$text_mib" && mv "$text.tmp" "$text"
      fi
      [[ -f "$text.ref" ]] || "$bin_dir/word_count_plain" "$text" >"$text.ref"
      ;;
    groupby)
      [[ -f "$groupby_csv" ]] || "$bin_dir/gen_tables" groupby "$groupby_csv" "$rows"
      [[ -f "$groupby_csv.ref" ]] || "$bin_dir/check_results" groupby "$groupby_csv" >"$groupby_csv.ref"
      ;;
    join)
      if [[ ! -f "$orders_csv" || ! -f "$customers_csv" ]]; then
        "$bin_dir/gen_tables" join "$orders_csv" "$customers_csv" "$rows" "$customers"
      fi
      [[ -f "$orders_csv.ref" ]] ||
        "$bin_dir/check_results" join "$orders_csv" "$customers_csv" >"$orders_csv.ref"
      ;;
    sort)
      [[ -f "$sort_txt" ]] || "$bin_dir/gen_tables" sort "$sort_txt" "$rows"
      [[ -f "$sort_txt.ref" ]] || "$bin_dir/check_results" digest "$sort_txt" >"$sort_txt.ref"
      ;;
    q1 | q6)
      [[ -f "$lineitem_csv" ]] || "$bin_dir/gen_tpch" "$tpch_dir" "$scale_factor"
      ;;
  esac
done

# The engines each job runs on.
engines() {
  case "$1" in
    groupby | join | q1 | q6) echo "ember ember_df duckdb" ;;
    *) echo "ember duckdb" ;;
  esac
}

# The DuckDB command of job $1 writing its result to $2 (when the job has one).
duckdb_cmd() {
  local files
  case "$1" in
    wordcount) files=("$text") ;;
    groupby) files=("$groupby_csv") ;;
    join) files=("$orders_csv" "$customers_csv" "$2") ;;
    sort) files=("$sort_txt" "$2") ;;
    q1) files=("$lineitem_csv" "$2") ;;
    q6) files=("$lineitem_csv") ;;
  esac
  echo node bench/duckdb_jobs.mjs --modules "$duckdb_dir" --threads "$cores" \
    --memory-gib "$memory_gib" "$1" "${files[@]}"
}

# TPC-H answers: DuckDB's, once per scale (q1's rows in <lineitem>.q1.ref, q6's
# revenue line in <lineitem>.q6.ref).
for job in "${jobs[@]}"; do
  case "$job" in
    q1) [[ -f "$lineitem_csv.q1.ref" ]] || $(duckdb_cmd q1 "$lineitem_csv.q1.ref") >/dev/null ;;
    q6)
      [[ -f "$lineitem_csv.q6.ref" ]] ||
        $(duckdb_cmd q6) | tr ' ' '\n' | sed -n 's/^revenue=//p' >"$lineitem_csv.q6.ref"
      ;;
  esac
done

# Whether two result files hold the same rows: fields equal as strings, or as numbers
# within a relative 1e-9 or 1e-6 apart (a decimal average has 6 digits after the point,
# as Spark's; DuckDB's is a double).
same_rows() {
  awk -F, 'NR == FNR { want[FNR] = $0; n = FNR; next }
    {
      if (!(FNR in want)) exit 1
      split(want[FNR], w, ",")
      if (NF != length(w)) exit 1
      for (i = 1; i <= NF; i++) {
        if ($i == w[i]) continue
        if ($i !~ /^-?[0-9.]+$/ || w[i] !~ /^-?[0-9.]+$/) exit 1
        d = $i - w[i]; if (d < 0) d = -d
        m = w[i] < 0 ? -w[i] : w[i]
        if (d > 1e-9 * (m > 1 ? m : 1) && d > 1e-6) exit 1
      }
      seen = FNR
    }
    END { exit seen == n ? 0 : 1 }' "$1" "$2"
}

# Inputs of a job, their bytes and lines (lines = records).
inputs() {
  case "$1" in
    wordcount) echo "$text" ;;
    groupby) echo "$groupby_csv" ;;
    join) echo "$orders_csv $customers_csv" ;;
    sort) echo "$sort_txt" ;;
    q1 | q6) echo "$lineitem_csv" ;;
  esac
}

if [[ $have_time == 1 ]]; then
  rss_source="GNU time, whole process"
else
  rss_source="self-reported (getrusage / process.resourceUsage)"
fi

# Runs job $1 on engine $2; appends "job engine seconds rss_mib ok" to the results and
# records a mismatch, if any, in $run_dir/mismatches.
run_one() {
  local job="$1" engine="$2" log="$run_dir/$1-$2.log" rss_file="$run_dir/$1-$2.rss"
  local result="$run_dir/$job-$engine.result" sorted_out="$run_dir/sort-$engine.out"
  local cmd=()
  rm -rf "$sorted_out" "$result"
  local ember=(--master "local[$cores]" --conf "ember.executor.memory=${memory_gib}g")
  case "$engine/$job" in
    ember/*)
      case "$job" in
        wordcount) cmd=("$bin_dir/word_count_ember" "${ember[@]}" "$text") ;;
        groupby) cmd=("$bin_dir/group_by_sum_ember" "${ember[@]}" "$groupby_csv") ;;
        join) cmd=("$bin_dir/join_agg_ember" "${ember[@]}" "$orders_csv" "$customers_csv" "$result") ;;
        sort) cmd=("$bin_dir/sort_ember" "${ember[@]}" "$sort_txt" "$sorted_out") ;;
        q1) cmd=("$bin_dir/tpch_rdd_ember" "${ember[@]}" q1 "$lineitem_csv" "$result") ;;
        q6) cmd=("$bin_dir/tpch_rdd_ember" "${ember[@]}" q6 "$lineitem_csv") ;;
      esac
      ;;
    ember_df/*)
      cmd=("$bin_dir/dataframe_jobs_ember" "${ember[@]}" "$job")
      case "$job" in
        groupby) cmd+=("$groupby_csv") ;;
        join) cmd+=("$orders_csv" "$customers_csv" "$result") ;;
        q1) cmd+=("$lineitem_csv" "$result") ;;
        q6) cmd+=("$lineitem_csv") ;;
      esac
      ;;
    duckdb/*)
      local out="$result"
      [[ "$job" == sort ]] && out="$sorted_out"
      read -r -a cmd <<<"$(duckdb_cmd "$job" "$out")"
      ;;
  esac
  if [[ $have_time == 1 ]]; then cmd=(/usr/bin/time -o "$rss_file" -f '%M' "${cmd[@]}"); fi

  local line
  if ! line="$("${cmd[@]}" 2>"$log" | grep -E '^(ember|duckdb) +seconds=')"; then
    echo "error: $engine $job failed; stderr:" >&2
    tail -n 20 "$log" >&2
    exit 1
  fi
  local seconds rss
  seconds="$(field seconds "$line")"
  if [[ $have_time == 1 ]]; then
    rss="$(awk 'END { printf "%.1f", $1 / 1024 }' "$rss_file")"
  else
    rss="$(field peak_rss_mib "$line")"
  fi

  # The answer against the reference.
  local got want
  case "$job" in
    wordcount)
      got="distinct=$(field distinct "$line") total=$(field total "$line")"
      want="distinct=$(field distinct "$(cat "$text.ref")") total=$(field total "$(cat "$text.ref")")"
      ;;
    groupby)
      got="groups=$(field groups "$line") total=$(field total "$line") checksum=$(field checksum "$line")"
      want="$(cat "$groupby_csv.ref")"
      ;;
    join)
      if cmp -s "$result" "$orders_csv.ref"; then got=same; else got="differs ($result)"; fi
      want=same
      ;;
    q1)
      if same_rows "$lineitem_csv.q1.ref" "$result"; then got=same; else got="differs ($result)"; fi
      want=same
      ;;
    q6)
      got="$(field revenue "$line")"
      want="$(cat "$lineitem_csv.q6.ref")"
      if echo "$got $want" | awk '{ d = $1 - $2; if (d < 0) d = -d; exit !(d <= 1e-9 * ($2 > 1 ? $2 : 1)) }'; then
        got="$want"
      fi
      ;;
    sort)
      local digest
      digest="$("$bin_dir/check_results" digest "$sorted_out")"
      got="lines=$(field lines "$digest") checksum=$(field checksum "$digest") sorted=$(field sorted "$digest")"
      want="lines=$(field lines "$(cat "$sort_txt.ref")") checksum=$(field checksum "$(cat "$sort_txt.ref")") sorted=yes"
      rm -rf "$sorted_out"  # up to gigabytes; checked, no longer needed
      ;;
  esac
  local ok=1
  if [[ "$got" != "$want" ]]; then
    ok=0
    echo "$job $engine: got [$got] want [$want]" >>"$run_dir/mismatches"
  fi
  echo "$job $engine $seconds $rss $ok" >>"$results"
  printf '   run %d/%d  %-9s %-8s seconds=%-8s rss_mib=%-8s %s\n' "$run" "$runs" "$job" "$engine" \
    "$seconds" "$rss" "$([[ $ok == 1 ]] && echo ok || echo MISMATCH)"
}

# ---- runs ----
echo "== warming the page cache"
for job in "${jobs[@]}"; do cat $(inputs "$job") >/dev/null; done

echo "== ${#jobs[@]} jobs x 2 engines x $runs runs, scale $scale (ember local[$cores], DuckDB threads=$cores; ${memory_gib} GiB each)"
: >"$results"
rm -f "$run_dir/mismatches"
for ((run = 1; run <= runs; run++)); do
  for job in "${jobs[@]}"; do
    # Alternate which engine goes first, so that neither always runs right after the
    # other's page-cache or allocator churn.
    read -r -a order <<<"$(engines "$job")"
    if ! ((run % 2)); then
      for ((i = 0, j = ${#order[@]} - 1; i < j; i++, j--)); do
        t="${order[i]}"; order[i]="${order[j]}"; order[j]="$t"
      done
    fi
    for engine in "${order[@]}"; do run_one "$job" "$engine"; done
  done
done

# ---- summary ----
sizes=""
for job in "${jobs[@]}"; do
  # shellcheck disable=SC2046  # inputs() lists paths without spaces
  bytes="$(cat $(inputs "$job") | wc -c)"
  lines="$(cat $(inputs "$job") | wc -l)"
  sizes="$sizes$job $bytes $lines;"
done
echo
echo "scale $scale: $rows rows; peak RSS: $rss_source; $runs runs, medians"
engine_lists=""
for job in "${jobs[@]}"; do engine_lists="$engine_lists$job $(engines "$job");"; done
awk -v sizes="$sizes" -v order="${jobs[*]}" -v engine_lists="$engine_lists" "$median_awk"'
  BEGIN {
    n = split(sizes, s, ";")
    for (i = 1; i <= n; i++) if (split(s[i], f, " ") == 3) { bytes[f[1]] = f[2]; lines[f[1]] = f[3] }
    n = split(engine_lists, s, ";")
    for (i = 1; i <= n; i++) {
      m = split(s[i], f, " ")
      for (e = 2; e <= m; e++) engine_of[f[1], e - 1] = f[e]
      engine_count[f[1]] = m - 1
    }
  }
  {
    k = $1 SUBSEP $2
    cnt[k]++
    secs[k, cnt[k]] = $3
    rss[k, cnt[k]] = $4
    if (!$5) bad[k] = 1
  }
  END {
    printf "%-10s %-8s %10s %9s %13s %12s %14s %6s\n", "job", "engine", "median_s", "MB/s",
           "records/s", "peak_rss_MiB", "duckdb/this", "check"
    nj = split(order, jobs, " ")
    for (j = 1; j <= nj; j++) {
      job = jobs[j]
      for (e = 1; e <= engine_count[job]; e++) {
        engine = engine_of[job, e]
        k = job SUBSEP engine
        for (i = 1; i <= cnt[k]; i++) { a[i] = secs[k, i]; r[i] = rss[k, i] }
        med[engine] = median(a, cnt[k])
        medRss[engine] = median(r, cnt[k])
      }
      for (e = 1; e <= engine_count[job]; e++) {
        engine = engine_of[job, e]
        k = job SUBSEP engine
        t = med[engine] > 0 ? med[engine] : 0.0005  # below the 1 ms resolution
        ratio = engine == "duckdb" ? "" : sprintf("%.2fx", med["duckdb"] / t)
        printf "%-10s %-8s %10.3f %9.1f %13.0f %12.1f %14s %6s\n", job, engine, med[engine],
               bytes[job] / t / 1e6, lines[job] / t, medRss[engine], ratio, (k in bad) ? "FAIL" : "ok"
      }
    }
  }
' "$results"

if [[ -s "$run_dir/mismatches" ]]; then
  echo
  echo "MISMATCH: answers differ from the reference:"
  sort -u "$run_dir/mismatches"
  exit 1
fi
echo
echo "all answers agree with the reference"
