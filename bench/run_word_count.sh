#!/usr/bin/env bash
# Word-count benchmark: plain single-threaded baseline vs ember local[1] and local[2].
#
#   bench/run_word_count.sh [size-MiB=256] [runs=3]
#
# Generates (once) a Zipf-distributed text of the given size under bench/out/, then runs
# every variant `runs` times and prints medians. Runs are interleaved (plain, local[1],
# local[2], plain, ...) so that drift in machine load or CPU clock affects all variants
# alike instead of biasing whichever ran last. The page cache cannot be dropped without
# root, so instead one warm-up read makes every run read from memory: this measures
# compute, not disk. Exits 1 if the variants disagree on the word counts.
#
# Only bash and awk are used so it runs on a freshly set-up machine.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
source bench/common.sh

usage() {
  echo "usage: bench/run_word_count.sh [size-MiB=256] [runs=3]" >&2
  exit 2
}

[[ $# -le 2 ]] || usage
size_mib="${1:-256}"
runs="${2:-3}"
[[ "$size_mib" =~ ^[1-9][0-9]*$ ]] || usage
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || usage

readonly build_dir=build/release
readonly bin_dir="$build_dir/bench"
readonly out_dir=bench/out
readonly data="$out_dir/words-${size_mib}.txt"
readonly results="$out_dir/word-count-${size_mib}-runs.txt"
readonly variants=("plain" "ember local[1]" "ember local[2]")

# Configure only when there is no build yet; the incremental build is a no-op when the
# binaries are current and keeps a stale binary from being measured.
if [[ ! -f "$build_dir/CMakeCache.txt" ]]; then
  echo "== configuring $build_dir (preset release)"
  cmake --preset release
fi
echo "== building benchmark targets"
cmake --build --preset release --target gen_text word_count_plain word_count_ember

mkdir -p "$out_dir"
if [[ ! -f "$data" ]]; then
  echo "== generating $data"
  # Write to a temporary name first so an interrupted run never leaves a truncated
  # file that later runs would mistake for a complete one.
  "$bin_dir/gen_text" "$data.tmp" "$size_mib"
  mv "$data.tmp" "$data"
fi
cat "$data" >/dev/null  # warm-up: pull the file into the page cache

run_variant() {
  case "$1" in
    0) "$bin_dir/word_count_plain" "$data" ;;
    1) "$bin_dir/word_count_ember" --master 'local[1]' "$data" ;;
    2) "$bin_dir/word_count_ember" --master 'local[2]' "$data" ;;
  esac
}

echo "== ${#variants[@]} variants x $runs runs on $data ($(wc -c <"$data") bytes)"
: >"$results"
for ((run = 1; run <= runs; run++)); do
  for i in "${!variants[@]}"; do
    log="$out_dir/word-count-variant${i}.log"
    if ! line="$(run_variant "$i" 2>"$log" | grep -E '^(plain|ember) +seconds=')"; then
      echo "error: '${variants[$i]}' failed (run $run); stderr:" >&2
      tail -n 20 "$log" >&2
      exit 1
    fi
    # Keep only the key=value fields, in a fixed order, prefixed by the variant index.
    echo "$line" | awk -v v="$i" '{
        for (f = 1; f <= NF; f++) {
          eq = index($f, "=")
          if (eq > 0) val[substr($f, 1, eq - 1)] = substr($f, eq + 1)
        }
        print v, val["seconds"], val["bytes"], val["distinct"], val["total"], val["peak_rss_mib"]
      }' >>"$results"
    printf '   run %d/%d  %-15s seconds=%s\n' "$run" "$runs" "${variants[$i]}" "${line#*seconds=}"
  done
done

# Medians, throughput, speedups and the cross-variant consistency check.
names="$(printf '%s|' "${variants[@]}")"
awk -v names="${names%|}" "$median_awk"'
  # Median of a[1..n]; sorts a copy with insertion sort (portable: no asort in mawk).
  BEGIN {
    # Variant v (0-based, as in the results file) is labelled label[v].
    nv = split(names, label, "|")
    for (i = 1; i <= nv; i++) label[i - 1] = label[i]
  }
  {
    v = $1
    n[v]++
    secs[v, n[v]] = $2
    rss[v, n[v]] = $6
    if (NR == 1) { bytes = $3; distinct = $4; total = $5 }
    if ($3 != bytes || $4 != distinct || $5 != total) {
      bad = bad sprintf("  %s: bytes=%s distinct=%s total=%s\n", label[v], $3, $4, $5)
    }
  }
  END {
    printf "\n%-16s %10s %10s %14s %14s %9s\n", "variant", "median_s", "MB/s", "records/s",
           "peak_rss_MiB", "speedup"
    for (v = 0; v < nv; v++) {
      for (i = 1; i <= n[v]; i++) { s[i] = secs[v, i]; r[i] = rss[v, i] }
      med[v] = median(s, n[v])
      medRss = median(r, n[v])
      if (med[v] > 0) {
        printf "%-16s %10.3f %10.1f %14.0f %14.1f %8.2fx\n", label[v], med[v],
               bytes / med[v] / 1e6, total / med[v], medRss, med[0] / med[v]
      } else {
        printf "%-16s %10.3f %10s %14s %14.1f %9s\n", label[v], med[v], "-", "-", medRss, "-"
      }
    }
    if (bad == "") {
      printf "\nall variants agree: distinct=%s total=%s\n", distinct, total
    } else {
      printf "\nMISMATCH: variants disagree with %s (bytes=%s distinct=%s total=%s):\n%s",
             label[0], bytes, distinct, total, bad
    }
    if (med[2] > 0) printf "local[2] vs plain: %.2fx\n", med[0] / med[2]
    else print "local[2] vs plain: n/a"
    exit (bad == "") ? 0 : 1
  }
' "$results"
