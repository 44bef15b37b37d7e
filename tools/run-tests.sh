#!/usr/bin/env bash
# Builds ember in release mode and runs the full test suite.
# Extra arguments are passed to ctest, e.g.:
#   tools/run-tests.sh -R shuffle --output-on-failure
set -euo pipefail

# Resolve the repository root from this script's location so the script works
# from any working directory (the presets and relative paths need the root).
cd "$(dirname "${BASH_SOURCE[0]}")/.."

tools/setup.sh
cmake --preset release
cmake --build --preset release
ctest --preset release "$@"
