#!/bin/bash
# The whole test suite: unit tests of the core, the plugin on every capture
# (single pass and -2) against hand-written expectations, and an ASan/UBSan
# build of the plugin on every capture and fuzzed copies.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/tools/deps.sh" || exit 1
status=0
for variant in plain sanitize; do
    dir=$top/build-test-$variant
    opts=(-DCMAKE_BUILD_TYPE=RelWithDebInfo)
    [ $variant = sanitize ] && opts=(-DCMAKE_BUILD_TYPE=Debug -DTLSDIAG_SANITIZE=ON)
    echo "=== $variant build"
    cmake -S "$top" -B "$dir" "${opts[@]}" >/dev/null || exit 1
    cmake --build "$dir" -j"$(nproc)" || exit 1
    ctest --test-dir "$dir" --output-on-failure --timeout 1800 || status=1
done
exit $status
