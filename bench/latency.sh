#!/usr/bin/env bash
# Round-trip latency of JamWire at a queue of its own against jacktrip 1.7 at -q 2 and -q 4, in
# one run, on this machine: each link runs between two private JACK servers (dummy driver,
# 48 kHz, 128 frames, 16-bit), the far end's receive ports looped back to its send ports, and
# jack_iodelay on the near server measures the round trip through channel 1 (the median of its
# readings over the measured window). Each program's round trip moves by a period from one start
# to the next with where the two servers' cycles fall, so every link is started --runs times,
# in turn, and the table gives the median and the range over those runs. Prints a Markdown table.
#
# Usage: bench/latency.sh [--jamwire-queue Q] [--jacktrip-queues "2 4"] [--runs N]
#                         [--seconds N] [--warmup N] [--channels "2"] [--frames N]
#   --jamwire-queue Q       JamWire's -q: 2 unless given (auto once JamWire accepts it)
#   --jacktrip-queues "A B" jacktrip's -q for each of its columns: "2 4" unless given
#   --runs N                starts of each link, 3 unless given
set -euo pipefail

me=bench/latency.sh
seconds=10
warmup=5
runs=3
channel_counts="2"
jamwire_queue=2
jacktrip_queues="2 4"
frames=128
while [[ $# -gt 0 ]]; do
    case "$1" in
        --jamwire-queue) jamwire_queue="$2"; shift 2 ;;
        --jacktrip-queues) jacktrip_queues="$2"; shift 2 ;;
        --runs) runs="$2"; shift 2 ;;
        --seconds) seconds="$2"; shift 2 ;;
        --warmup) warmup="$2"; shift 2 ;;
        --channels) channel_counts="$2"; shift 2 ;;
        --frames) frames="$2"; shift 2 ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | cut -c3-; exit 0 ;;
        *) echo "$me: unknown option $1" >&2; exit 2 ;;
    esac
done

# shellcheck source=bench/lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"
bench_setup jackd jacktrip jack_iodelay jack_connect jack_lsp java stdbuf ps

# Prints the round trip in frames of one link, "none" without a reading, or "fail REASON".
round_trip() { # kind channels queue port label
    if ! pair_start "$1" "$2" "$3" "$4" "$frames" "$5"; then
        pair_stop
        echo "fail $pair_error"
        return 0
    fi
    sleep $(( warmup + seconds ))
    local latency why=""
    latency=$(pair_latency)
    pair_alive || why="an end stopped: $(last_words "$5-server") / $(last_words "$5-client")"
    pair_stop
    if [[ -n "$why" ]]; then
        echo "fail $why"
    else
        echo "${latency:-none}"
    fi
}

# "median frames (ms), range" over the runs' readings, or what went wrong.
summary() { # readings...
    local numbers
    numbers=$(printf '%s\n' "$@" | grep -E '^[0-9]+$' || true)
    if [[ -z "$numbers" ]]; then
        echo "no reading"
        return
    fi
    local med lo hi
    med=$(median <<<"$numbers")
    lo=$(sort -n <<<"$numbers" | head -1)
    hi=$(sort -n <<<"$numbers" | tail -1)
    awk -v m="$med" -v lo="$lo" -v hi="$hi" -v r="$rate" -v n="$(wc -l <<<"$numbers")" -v all="$#" \
        'BEGIN { printf "%d (%.1f ms), %d to %d", m, 1000 * m / r, lo, hi; if (n < all) printf ", %d of %d runs", n, all }'
}

columns=("jamwire $jamwire_queue")
for q in $jacktrip_queues; do
    columns+=("jacktrip $q")
done

echo "Round trip: $rate Hz, $frames frames, 16-bit, median of jack_iodelay over ${seconds} s after ${warmup} s warm-up, $runs runs of each link, $(nproc) cores"
echo
header="| channels |"
rule="|---|"
for col in "${columns[@]}"; do
    read -r kind q <<<"$col"
    name=JamWire
    [[ "$kind" == jacktrip ]] && name=jacktrip
    header+=" $name -q $q: frames (ms), range |"
    rule+="---|"
done
echo "$header"
echo "$rule"
notes=()
port=44464
for ch in $channel_counts; do
    declare -A readings=()
    for run in $(seq "$runs"); do
        for i in "${!columns[@]}"; do
            read -r kind q <<<"${columns[$i]}"
            result=$(round_trip "$kind" "$ch" "$q" "$port" "$kind-q$q-$ch-$run")
            port=$((port + 10))
            if [[ "$result" == fail* ]]; then
                notes+=("$ch channels, $kind -q $q, run $run: ${result#fail }")
            elif [[ "$result" == none ]]; then
                notes+=("$ch channels, $kind -q $q, run $run: no reading from jack_iodelay")
            fi
            [[ "$result" =~ ^[0-9]+$ ]] || result=x
            readings[$i]="${readings[$i]:-} $result"
        done
    done
    row="| $ch |"
    for i in "${!columns[@]}"; do
        read -r -a r <<<"${readings[$i]}"
        row+=" $(summary "${r[@]}") |"
    done
    echo "$row"
    unset readings
done
if [[ ${#notes[@]} -gt 0 ]]; then
    echo
    for n in "${notes[@]}"; do
        echo "- $n"
    done
fi
