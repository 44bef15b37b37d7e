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

# DuckDB's Node package, pinned so that every run measures the same DuckDB, installed
# into bench/out/ on first use (a scratch folder: nothing outside the repository).
readonly duckdb_version=1.5.6-r.1
readonly duckdb_dir="bench/out/duckdb-$duckdb_version"

# Installs it into $duckdb_dir unless it is there; needs node and npm.
install_duckdb() {
  command -v node >/dev/null || { echo "error: node (Node.js) is needed for DuckDB" >&2; exit 1; }
  if [[ ! -f "$duckdb_dir/node_modules/@duckdb/node-api/package.json" ]]; then
    echo "== installing @duckdb/node-api@$duckdb_version into $duckdb_dir"
    mkdir -p "$duckdb_dir"
    npm install --prefix "$duckdb_dir" --no-audit --no-fund --loglevel=error \
      "@duckdb/node-api@$duckdb_version"
  fi
}
