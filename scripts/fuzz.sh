#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Run libFuzzer targets for a bounded time each, in parallel: scripts/fuzz.sh SECONDS TARGET...
# Each target keeps its corpus in <target dir>/corpus/NAME and its log in <target dir>/NAME.log; crashing inputs
# land next to the log as NAME-crash-*. One line per target; exits non-zero if any target failed.
set -u

if [ $# -lt 2 ] || ! [[ $1 =~ ^[0-9]+$ ]]; then
    echo "usage: $0 SECONDS TARGET..." >&2
    exit 2
fi
seconds=$1
shift

pids=()
for target in "$@"; do
    name=$(basename "$target")
    dir=$(dirname "$target")
    mkdir -p "$dir/corpus/$name"
    # -timeout: one input running for 10 s is a hang; -rss_limit_mb: a leak is a failure too.
    "$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$dir/$name-" "$dir/corpus/$name" > "$dir/$name.log" 2>&1 &
    pids+=($!)
done

failed=0
i=0
for target in "$@"; do
    name=$(basename "$target")
    log="$(dirname "$target")/$name.log"
    if wait "${pids[$i]}"; then
        runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -1)
        echo "fuzz $name: ok, ${runs:-?} runs"
    else
        echo "fuzz $name: FAILED (log: $log)"
        grep -m1 -E 'invariant failed|ERROR: |runtime error' "$log" | sed 's/^/    /'
        tail -n 12 "$log" | sed 's/^/    /'
        failed=1
    fi
    i=$((i + 1))
done
exit $failed
