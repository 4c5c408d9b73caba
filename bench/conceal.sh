#!/usr/bin/env bash
# What concealment costs the audio thread, on this machine: how long JamWire's concealer takes to
# start a concealment (fit a model to every channel's last audio) and to interpolate a one-period
# gap (fit models on both sides and run them over it), per channel count and period size. Every
# channel carries noise, which never lets the fit stop early, so these are the most each call
# costs. The calls run on the audio thread inside one period, so the last column, the slower
# call's 99th percentile as a share of the period, is what a lost packet takes from the period's
# budget. jacktrip 1.7 with its default jitter buffer conceals nothing (it plays silence), so it
# has no row. Prints a Markdown table.
#
# Usage: bench/conceal.sh [--cases "8x64 16x64 2x64 1x64 2x128 8x128"] [--classes DIR]
#   --cases LIST   channels x frames per case
#   --classes DIR  measure the concealer of another build instead (its agent/target/classes),
#                  e.g. of an earlier commit checked out with `git worktree add`
set -euo pipefail

me=bench/conceal.sh
cases="8x64 16x64 2x64 1x64 2x128 8x128"
classes=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --cases) cases="$2"; shift 2 ;;
        --classes) classes="$2"; shift 2 ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | cut -c3-; exit 0 ;;
        *) echo "$me: unknown option $1" >&2; exit 2 ;;
    esac
done

# shellcheck source=bench/lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"
bench_setup java mvn

classpath="$(test_classpath)"
main_classes="${classes:-$root/agent/target/classes}"
# shellcheck disable=SC2086
java -XX:+UseSerialGC -cp "$main_classes:$classpath" org.jamwire.engine.ConcealCost $cases
