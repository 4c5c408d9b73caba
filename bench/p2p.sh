#!/usr/bin/env bash
# Side-by-side P2P benchmark of JamWire and jacktrip 1.7 on this machine, in one run:
#  - CPU of one endpoint process (user+system time over a measured window, after warm-up),
#    at 128 frames, 48 kHz, 16-bit, for each channel count given;
#  - round-trip latency in frames through a link with the far end's receive ports looped back
#    to its send ports, measured by jack_iodelay on the near JACK server (median of its readings).
# Each pair runs on two private JACK servers (dummy driver). Prints a Markdown table, and a note
# for each link that could not run or carried no audio, saying why.
#
# Also the CPU of each endpoint over its first --first seconds (20 unless given), from the moment
# its process started: JVM start-up and compilation included.
#
# Usage: bench/p2p.sh [--seconds N] [--warmup N] [--first N] [--channels "2 16 64 255"] [--queue Q]
#                     [--jamwire-queue Q] [--frames N]
#   --queue Q           receive queue of both programs (-q), 4 unless given
#   --jamwire-queue Q   JamWire's queue alone (e.g. auto), --queue unless given
# Channels are 1 to 255 each way: the packet header counts them in one byte, and at 128 frames
# and 16 bits 256 channels make a packet larger than a UDP datagram can be (see bench/RESULTS.md).
# JamWire runs with the JVM options in jvm.options, as ./jamwire starts it.
# bench/latency.sh compares round trips at different queues.
set -euo pipefail

me=bench/p2p.sh
seconds=20
warmup=10
first=20
channel_counts="2 16"
queue=4
jamwire_queue=""
frames=128
while [[ $# -gt 0 ]]; do
    case "$1" in
        --seconds) seconds="$2"; shift 2 ;;
        --channels) channel_counts="$2"; shift 2 ;;
        --queue) queue="$2"; shift 2 ;;
        --jamwire-queue) jamwire_queue="$2"; shift 2 ;;
        --frames) frames="$2"; shift 2 ;;
        --warmup) warmup="$2"; shift 2 ;;
        --first) first="$2"; shift 2 ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | cut -c3-; exit 0 ;;
        *) echo "$me: unknown option $1" >&2; exit 2 ;;
    esac
done
jamwire_queue="${jamwire_queue:-$queue}"

# shellcheck source=bench/lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"
bench_setup jackd jacktrip jack_iodelay jack_connect jack_lsp java stdbuf ps

# Seconds since a process started, to the clock tick.
age_seconds() { # pid
    awk -v hz="$(getconf CLK_TCK)" -v up="$(cut -d' ' -f1 /proc/uptime)" \
        '{ print up - $22 / hz }' "/proc/$1/stat"
}

# Waits until a process is `seconds` old.
await_age() { # pid seconds
    local left
    left=$(awk -v a="$(age_seconds "$1")" -v s="$2" 'BEGIN { d = s - a; print (d > 0 ? d : 0) }')
    sleep "$left"
}

# Runs one pair and prints: cpu_percent_server cpu_percent_client latency_frames
# first_cpu_percent_server first_cpu_percent_client; or "fail REASON".
run_pair() { # kind channels queue port
    local kind="$1" ch="$2" q="$3" port="$4"
    if ! pair_start "$kind" "$ch" "$q" "$port" "$frames" "$kind-$ch"; then
        pair_stop
        echo "fail $pair_error"
        return 0
    fi
    # The first seconds of each end's life, JVM start-up and compilation included: CPU used over
    # its age then, each end on its own clock.
    local sf cf
    await_age "$pair_server" "$first"
    sf=$(awk -v c="$(cpu_seconds "$pair_server")" -v a="$(age_seconds "$pair_server")" 'BEGIN { printf "%.2f", 100 * c / a }')
    await_age "$pair_client" "$first"
    cf=$(awk -v c="$(cpu_seconds "$pair_client")" -v a="$(age_seconds "$pair_client")" 'BEGIN { printf "%.2f", 100 * c / a }')
    sleep "$warmup"
    local s0 c0 s1 c1
    s0=$(cpu_seconds "$pair_server"); c0=$(cpu_seconds "$pair_client")
    sleep "$seconds"
    if ! pair_alive; then
        local why
        alive "$pair_server" && why="the client stopped: $(last_words "$kind-$ch-client")" \
            || why="the server stopped: $(last_words "$kind-$ch-server")"
        pair_stop
        echo "fail $why"
        return 0
    fi
    s1=$(cpu_seconds "$pair_server"); c1=$(cpu_seconds "$pair_client")
    local latency
    latency=$(pair_latency)
    pair_stop
    awk -v s0="$s0" -v s1="$s1" -v c0="$c0" -v c1="$c1" -v t="$seconds" -v l="${latency:-none}" \
        -v sf="$sf" -v cf="$cf" 'BEGIN { printf "%.2f %.2f %s %s %s\n", 100 * (s1 - s0) / t, 100 * (c1 - c0) / t, l, sf, cf }'
}

queues="queue $queue"
[[ "$jamwire_queue" != "$queue" ]] && queues="queue: JamWire $jamwire_queue, jacktrip $queue"
echo "P2P benchmark: $rate Hz, $frames frames, 16-bit, $queues, ${seconds} s measured ${warmup} s after each end's first ${first} s, $(nproc) cores"
echo
echo "| channels | JamWire CPU % (server / client) | jacktrip CPU % (server / client) | CPU ratio JamWire/jacktrip | first ${first} s: JamWire CPU % | first ${first} s: jacktrip CPU % | first ${first} s: ratio | JamWire round trip (frames) | jacktrip round trip (frames) |"
echo "|---|---|---|---|---|---|---|---|---|"
notes=()
port=34464
for ch in $channel_counts; do
    cells=()
    cpu=()
    firsts=()
    for kind in jamwire jacktrip; do
        q="$queue"
        [[ "$kind" == jamwire ]] && q="$jamwire_queue"
        read -r a b c d e < <(run_pair "$kind" "$ch" "$q" "$port")
        port=$((port + 10))
        if [[ "$a" == fail ]]; then
            cells+=("did not run" "n/a" "n/a")
            cpu+=("" "")
            firsts+=("" "")
            problem=$(shape_problem "$ch" "$frames" 16)
            notes+=("$ch channels, $kind: $b $c${problem:+; $problem}")
        else
            cells+=("$a / $b" "${c/none/no signal}" "$d / $e")
            cpu+=("$a" "$b")
            firsts+=("$d" "$e")
            if [[ "$c" == none ]]; then
                problem=$(shape_problem "$ch" "$frames" 16)
                notes+=("$ch channels, $kind: ran, but no test signal came back${problem:+: $problem}")
            fi
        fi
    done
    ratio=$(awk -v a="${cpu[0]}" -v b="${cpu[1]}" -v c="${cpu[2]}" -v d="${cpu[3]}" \
        'BEGIN { if (a != "" && c != "" && c + d > 0) printf "%.2f", (a + b) / (c + d); else print "n/a" }')
    first_ratio=$(awk -v a="${firsts[0]}" -v b="${firsts[1]}" -v c="${firsts[2]}" -v d="${firsts[3]}" \
        'BEGIN { if (a != "" && c != "" && c + d > 0) printf "%.2f", (a + b) / (c + d); else print "n/a" }')
    echo "| $ch | ${cells[0]} | ${cells[3]} | $ratio | ${cells[2]} | ${cells[5]} | $first_ratio | ${cells[1]} | ${cells[4]} |"
done
if [[ ${#notes[@]} -gt 0 ]]; then
    echo
    for n in "${notes[@]}"; do
        echo "- $n"
    done
fi
