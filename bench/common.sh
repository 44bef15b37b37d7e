# Shared by the bench/run_*.sh scripts (sourced, not run).

# The value of field `key` (key=value) in a line: field key "$line".
field() { tr ' ' '\n' <<<"$2" | sed -n "s/^$1=//p" | head -n 1; }

# 1 when GNU time can report a whole process's peak RSS (time -f '%M').
have_time=0
[[ -x /usr/bin/time ]] && /usr/bin/time -f '%M' true 2>/dev/null && have_time=1

# An awk function median(a, n) of a[1..n], to put before an awk program's text
# (POSIX awk, so that mawk runs it too).
readonly median_awk='
  function median(a, n,    b, i, j, t) {
    for (i = 1; i <= n; i++) b[i] = a[i]
    for (i = 2; i <= n; i++) {
      t = b[i]
      for (j = i - 1; j >= 1 && b[j] > t; j--) b[j + 1] = b[j]
      b[j + 1] = t
    }
    return (n % 2) ? b[(n + 1) / 2] : (b[n / 2] + b[n / 2 + 1]) / 2
  }
'

# Builds bench target $1 in $build_dir (build/release unless EMBER_BENCH_BUILD_DIR says
# otherwise), configuring the release preset first when it was never configured.
build_bench_target() {
  if [[ "$build_dir" == build/release ]]; then
    [[ -f "$build_dir/CMakeCache.txt" ]] || cmake --preset release
  fi
  echo "== building $1 in $build_dir"
  cmake --build "$build_dir" --target "$1"
}
