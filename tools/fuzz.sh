#!/usr/bin/env bash
# Runs the decoders' fuzz target (tests/fuzz) under libFuzzer, built by clang
# with ASan and UBSan, for a bounded time; exits non-zero on a crash, whose
# input libFuzzer saves as crash-* in the current directory.
#   tools/fuzz.sh [seconds per run, default 60]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

seconds="${1:-60}"
tools/setup.sh clang libclang-rt-14-dev
cmake --preset fuzz
cmake --build --preset fuzz
corpus="build/fuzz/corpus"
mkdir -p "$corpus"
build/fuzz/tests/fuzz/decoders_fuzz -max_total_time="$seconds" -max_len=4096 -print_final_stats=1 "$corpus"
