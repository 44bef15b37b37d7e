#!/usr/bin/env bash
# Builds the ember library and the tutorials in release mode (not the tests
# or benchmarks) and runs the first tutorial example (word count over a small
# sample text), printing the most frequent words.
set -euo pipefail

# Resolve the repository root from this script's location so the script works
# from any working directory (the presets and relative paths need the root).
cd "$(dirname "${BASH_SOURCE[0]}")/.."

tools/setup.sh
cmake --preset release
cmake --build --preset release --target tutorials
build/release/examples/01_word_count examples/data/sample.txt
