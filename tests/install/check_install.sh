#!/usr/bin/env bash
# Installs the built ember into a scratch prefix, builds an outside project
# against it with find_package(ember), and checks what that program prints.
#   check_install.sh <ember build dir>
set -euo pipefail
build_dir="$1"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

cmake --install "$build_dir" --prefix "$scratch/prefix" >/dev/null
cmake -S "$here/consumer" -B "$scratch/build" -G Ninja -DCMAKE_PREFIX_PATH="$scratch/prefix" \
  -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$scratch/build" >/dev/null
output="$("$scratch/build/consumer" --master 'local[2]')"
expected=0
for i in $(seq 1 100); do expected=$((expected + i * i)); done
if [[ "$output" != "sum of squares: $expected" ]]; then
  echo "installed ember gave '$output', expected 'sum of squares: $expected'" >&2
  exit 1
fi
echo "find_package(ember) works: $output"
