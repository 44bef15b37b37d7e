#!/usr/bin/env bash
# TPC-H: the 22 queries of bench/tpch/ through each engine over the same generated
# tables, 2 cores and the same memory budget each, with the median time per query, the
# ratio, the geometric means, and every answer compared between the engines.
#
#   bench/run_tpch.sh [scale-factor=1] [runs=3] [queries=all]
#
# queries: a comma-separated list, as q01,q06 or 1,6 (default: all 22). The engines are
# $EMBER_TPCH_ENGINES (default "duckdb ember"):
#
#   duckdb  bench/tpch_duckdb.mjs: DuckDB's Node package (installed into bench/out/ on
#           first use, see common.sh), SET threads = 2, SET memory_limit = '4GiB'
#   ember   build/release/bench/tpch_sql_ember, ember's SQL engine, --master local[2]
#           --conf ember.executor.memory=4g; skipped, saying so, while it is not built
#
# (EMBER_BENCH_MEMORY_GIB changes the 4; EMBER_TPCH_EMBER_MEMORY, ember's alone: 280m
# is a quarter of scale factor 1's 1.1 GB, under which every query must still finish,
# spilling, with the same answers.) Generates the tables once per scale factor with
# gen_tpch into bench/out/tpch-sf<SF>/ (shared with run_vs_duckdb.sh's q1 and q6), pulls
# them into the page cache, then runs each engine once per run over all the requested
# queries, alternating which engine goes first (so that drift in load or clock speed
# affects both alike). Each engine loads the eight tables once per run (not timed into
# the queries) and times each query on its own: running it and fetching its rows.
#
# An engine's program takes <data-dir> <query-dir> <answer-dir> <query>... (DuckDB's
# finds the queries itself) and prints
#   <engine> load seconds=<s> rows=<rows of all tables>
#   <engine> query=<q> seconds=<s> rows=<n>        or   <engine> query=<q> error=<why>
# for each query in turn, writing <answer-dir>/<q>.txt in the canonical form that
# tpch_duckdb.mjs describes (`|`-separated fields, numbers rounded to two digits).
#
# Answers: DuckDB's of the first run are the reference (kept in
# bench/out/tpch-sf<SF>/answers-duckdb/ for runs without DuckDB); every run of every
# engine is compared with it: `same` (byte for byte), `close` (numbers at most 0.01
# apart: two engines may round a value near a half differently, e.g. an average that
# one computes as a double and the other as a decimal), `reordered` (the same lines in
# another order: ties in ORDER BY), or `DIFFERS`. Prints, per query, the rows of the
# answer, each engine's median seconds, duckdb_s / ember_s (above 1: ember is faster)
# and the check; then the geometric means over the queries every engine answered.
# Exits 1 if an answer differs or an engine fails a query.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
source bench/common.sh

readonly cores=2
readonly memory_gib="${EMBER_BENCH_MEMORY_GIB:-4}"
read -r -a engines <<<"${EMBER_TPCH_ENGINES:-duckdb ember}"

usage() {
  echo "usage: bench/run_tpch.sh [scale-factor=1] [runs=3] [queries=q01,...,q22]" >&2
  echo "       (engines: EMBER_TPCH_ENGINES=\"duckdb ember\")" >&2
  exit 2
}

[[ $# -le 3 ]] || usage
[[ "${1:-1}" =~ ^([0-9]+\.?[0-9]*|\.[0-9]+)$ ]] || usage
# %g, as run_vs_duckdb.sh names its scale factors, so that both find the same tables.
scale_factor="$(awk -v s="${1:-1}" 'BEGIN { printf "%g", s }')"
runs="${2:-3}"
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || usage
awk -v s="$scale_factor" 'BEGIN { exit !(s > 0) }' || usage
queries=()
IFS=, read -r -a requested <<<"${3:-$(seq -s, 1 22)}"
for q in "${requested[@]}"; do
  n="${q#q}"
  if ! [[ "$n" =~ ^[0-9]+$ ]] || ((10#$n < 1 || 10#$n > 22)); then
    echo "unknown query '$q'" >&2
    usage
  fi
  queries+=("$(printf 'q%02d' $((10#$n)))")
done
for engine in "${engines[@]}"; do
  [[ "$engine" == duckdb || "$engine" == ember ]] || { echo "unknown engine '$engine'" >&2; usage; }
done

readonly build_dir=build/release
readonly bin_dir="$build_dir/bench"
readonly data_dir="bench/out/tpch-sf$scale_factor"
readonly run_dir="bench/out/tpch-run"
readonly results="$run_dir/results-sf$scale_factor.txt"
readonly loads="$run_dir/loads-sf$scale_factor.txt"
readonly reference_cache="$data_dir/answers-duckdb"
readonly ember_bin="$bin_dir/tpch_sql_ember"

# ---- build, DuckDB, engines that can run ----
build_bench_target gen_tpch
# The ember program comes with the SQL engine; until its source exists there is no target.
if [[ " ${engines[*]} " == *" ember "* && -f bench/tpch_sql_ember.cpp ]]; then
  build_bench_target tpch_sql_ember
fi
runnable=()
for engine in "${engines[@]}"; do
  case "$engine" in
    duckdb) install_duckdb && runnable+=(duckdb) ;;
    ember)
      if [[ -x "$ember_bin" ]]; then
        runnable+=(ember)
      else
        echo "== ember: skipped: $ember_bin is not built" \
          "(the SQL engine's TPC-H program does not exist yet)"
      fi
      ;;
  esac
done
((${#runnable[@]} > 0)) || { echo "error: no engine to run" >&2; exit 1; }

# ---- tables (once per scale factor) ----
readonly tables=(region nation supplier customer part partsupp orders lineitem)
have_tables() {
  for t in "${tables[@]}"; do [[ -f "$data_dir/$t.csv" ]] || return 1; done
}
if ! have_tables; then
  echo "== generating TPC-H scale factor $scale_factor into $data_dir"
  "$bin_dir/gen_tpch" "$data_dir" "$scale_factor"
fi

# ---- runs ----
# The command of engine $1 writing its answers into $2.
engine_cmd() {
  case "$1" in
    duckdb)
      echo node bench/tpch_duckdb.mjs --modules "$duckdb_dir" --threads "$cores" \
        --memory-gib "$memory_gib" "$data_dir" "$2" "${queries[@]}"
      ;;
    ember)
      echo "$ember_bin" --master "local[$cores]" \
        --conf "ember.executor.memory=${EMBER_TPCH_EMBER_MEMORY:-${memory_gib}g}" \
        "$data_dir" bench/tpch "$2" "${queries[@]}"
      ;;
  esac
}

# Runs engine $1 for run $2; appends "query engine run seconds|error" lines to the
# results (a query the engine never reached counts as failed).
run_engine() {
  local engine="$1" run="$2" answers="$run_dir/$1-run$2" log="$run_dir/$1-run$2.log"
  local cmd status=0
  rm -rf "$answers"
  read -r -a cmd <<<"$(engine_cmd "$engine" "$answers")"
  "${cmd[@]}" >"$log.out" 2>"$log" || status=$?
  local load
  load="$(grep -E "^$engine +load " "$log.out" || true)"
  if [[ -n "$load" ]]; then
    echo "   $load"
    echo "$engine $(field seconds "$load")" >>"$loads"
  fi
  for q in "${queries[@]}"; do
    local line seconds
    line="$(grep -E "^$engine +query=$q " "$log.out" || true)"
    seconds="$(field seconds "$line")"
    if [[ -z "$seconds" ]]; then
      local why
      why="$(sed -n 's/.* error=//p' <<<"$line")"
      [[ -n "$why" ]] || why="no answer (exit status $status)"
      echo "$q $engine $run error" >>"$results"
      echo "$q $engine: $why" >>"$run_dir/failures"
      seconds=FAILED
    else
      echo "$q $engine $run $seconds" >>"$results"
    fi
    printf '   run %d/%d  %-6s %-4s seconds=%s\n' "$run" "$runs" "$engine" "$q" "$seconds"
  done
  local rss
  rss="$(grep -E "^$engine +peak_rss_mib=" "$log.out" || true)"
  [[ -z "$rss" ]] || echo "   run $run/$runs  $engine  peak_rss_mib=$(field peak_rss_mib "$rss")"
  if ((status != 0)); then
    echo "   $engine exited with status $status; stderr (all in $log):"
    tail -n 5 "$log" | sed 's/^/     /'
  fi
}

echo "== warming the page cache"
cat "$data_dir"/*.csv >/dev/null

mkdir -p "$run_dir"
: >"$results"
: >"$loads"
rm -f "$run_dir/failures"
echo "== ${#queries[@]} queries x ${#runnable[@]} engines (${runnable[*]}) x $runs runs," \
  "scale factor $scale_factor ($cores cores, $memory_gib GiB each)"
for ((run = 1; run <= runs; run++)); do
  order=("${runnable[@]}")
  if ! ((run % 2)); then
    for ((i = 0, j = ${#order[@]} - 1; i < j; i++, j--)); do
      t="${order[i]}"; order[i]="${order[j]}"; order[j]="$t"
    done
  fi
  for engine in "${order[@]}"; do run_engine "$engine" "$run"; done
done

# ---- answers ----
# How answer file $2 compares with reference $1: same, close, reordered or DIFFERS.
compare_answer() {
  [[ -f "$2" ]] || { echo missing; return; }
  if cmp -s "$1" "$2"; then echo same; return; fi
  if awk -F'|' 'NR == FNR { want[FNR] = $0; n = FNR; next }
    {
      if (!(FNR in want)) exit 1
      m = split(want[FNR], w, "|")
      if (NF != m) exit 1
      for (i = 1; i <= NF; i++) {
        if ($i == w[i]) continue
        if ($i !~ /^-?[0-9]+\.[0-9][0-9]$/ || w[i] !~ /^-?[0-9]+\.[0-9][0-9]$/) exit 1
        d = $i - w[i]
        if (d > 0.0100001 || d < -0.0100001) exit 1
      }
      seen = FNR
    }
    END { exit seen == n ? 0 : 1 }' "$1" "$2"; then
    echo close
  elif cmp -s <(sort "$1") <(sort "$2"); then
    echo reordered
  else
    echo DIFFERS
  fi
}

reference=""
if [[ " ${runnable[*]} " == *" duckdb "* ]]; then
  reference="$run_dir/duckdb-run1"
  mkdir -p "$reference_cache"
  cp "$reference"/*.txt "$reference_cache"/
elif [[ -d "$reference_cache" ]]; then
  reference="$reference_cache"
fi
checks=""  # "query=check;" pairs, the worst check of each query
for q in "${queries[@]}"; do
  worst=same
  if [[ -z "$reference" || ! -f "$reference/$q.txt" ]]; then
    worst="no-reference"
  else
    for engine in "${runnable[@]}"; do
      for ((run = 1; run <= runs; run++)); do
        grep -q "^$q $engine $run error" "$results" && continue  # counted as a failure
        c="$(compare_answer "$reference/$q.txt" "$run_dir/$engine-run$run/$q.txt")"
        case "$c" in
          DIFFERS | missing)
            worst=DIFFERS
            echo "$q $engine run $run: $run_dir/$engine-run$run/$q.txt differs from $reference/$q.txt" \
              >>"$run_dir/failures"
            ;;
          reordered) [[ "$worst" == DIFFERS ]] || worst=reordered ;;
          close) [[ "$worst" == same ]] && worst=close ;;
        esac
      done
    done
  fi
  grep -q "^$q [a-z]* [0-9]* error" "$results" && worst=FAILED
  rows="-"
  [[ -n "$reference" && -f "$reference/$q.txt" ]] && rows="$(wc -l <"$reference/$q.txt")"
  checks="$checks$q $rows $worst;"
done

# ---- summary ----
echo
echo "TPC-H scale factor $scale_factor: $runs runs, median seconds per query"
awk "$median_awk"'
  { t[$1, ++n[$1]] = $2 }
  END {
    printf "loading the tables (not in the queries):"
    for (e in n) {
      for (i = 1; i <= n[e]; i++) a[i] = t[e, i]
      printf " %s %.3f s", e, median(a, n[e])
    }
    printf "\n"
  }' "$loads"
awk -v engines="${runnable[*]}" -v checks="$checks" "$median_awk"'
  BEGIN {
    ne = split(engines, engine, " ")
    nq = split(checks, c, ";")
    for (i = 1; i <= nq; i++) {
      if (split(c[i], f, " ") != 3) continue
      query[++n] = f[1]; rows[f[1]] = f[2]; check[f[1]] = f[3]
    }
  }
  $4 == "error" { failed[$1, $2] = 1; next }
  { k = $1 SUBSEP $2; secs[k, ++cnt[k]] = $4 }
  END {
    both = ne == 2
    printf "%-5s %8s", "query", "rows"
    for (e = 1; e <= ne; e++) printf " %10s", engine[e] "_s"
    if (both) printf " %14s", "duckdb/ember"
    printf " %10s\n", "check"
    for (i = 1; i <= n; i++) {
      q = query[i]; ok = 1
      printf "%-5s %8s", q, rows[q]
      for (e = 1; e <= ne; e++) {
        k = q SUBSEP engine[e]
        if ((k in failed) || !cnt[k]) { printf " %10s", "FAILED"; ok = 0; continue }
        for (r = 1; r <= cnt[k]; r++) a[r] = secs[k, r]
        med[engine[e]] = median(a, cnt[k])
        if (med[engine[e]] < 0.0005) med[engine[e]] = 0.0005  # below the timers resolution
        printf " %10.3f", med[engine[e]]
      }
      if (both) printf " %14s", ok ? sprintf("%.2fx", med["duckdb"] / med["ember"]) : "-"
      printf " %10s\n", check[q]
      if (ok) {
        ++answered
        for (e = 1; e <= ne; e++) logsum[engine[e]] += log(med[engine[e]])
      }
    }
    if (!answered) exit
    printf "%-5s %8s", "geomean", ""
    for (e = 1; e <= ne; e++) printf " %10.3f", exp(logsum[engine[e]] / answered)
    if (both) printf " %14s", sprintf("%.2fx", exp((logsum["duckdb"] - logsum["ember"]) / answered))
    printf " %10s\n", "(" answered " queries)"
  }
' "$results"

if [[ -s "$run_dir/failures" ]]; then
  echo
  echo "FAILED: answers that differ or queries an engine did not answer:"
  sort -u "$run_dir/failures"
  exit 1
fi
echo
if [[ -z "$reference" ]]; then
  echo "no reference answers (run DuckDB once); answers not checked"
else
  echo "all answers agree with the reference ($reference)"
fi
