#!/usr/bin/env bash
# Side-by-side P2P benchmark of JamWire and jacktrip 1.7 on this machine, in one run:
#  - CPU of one endpoint process (user+system time over a measured window, after warm-up),
#    at 128 frames, 48 kHz, for each channel count given;
#  - round-trip latency in frames through a link with the far end's receive ports looped back
#    to its send ports, measured by jack_iodelay on the near JACK server (median of its readings).
# Each pair runs on two private JACK servers (dummy driver). Prints a Markdown table.
#
# JamWire runs through ./jamwire, with the JVM options users get.
#
# Usage: bench/p2p.sh [--seconds N] [--warmup N] [--channels "2 16"] [--queue Q] [--frames N]
#                     [--prefix NAME]   (JACK server names start with NAME-; they are machine-wide)
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
seconds=20
warmup=10
channel_counts="2 16"
queue=4
frames=128
rate=48000
prefix=bench
while [[ $# -gt 0 ]]; do
    case "$1" in
        --seconds) seconds="$2"; shift 2 ;;
        --channels) channel_counts="$2"; shift 2 ;;
        --queue) queue="$2"; shift 2 ;;
        --frames) frames="$2"; shift 2 ;;
        --warmup) warmup="$2"; shift 2 ;;
        --prefix) prefix="$2"; shift 2 ;;
        -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
        *) echo "bench/p2p.sh: unknown option $1" >&2; exit 2 ;;
    esac
done

# shellcheck source=bench/common.sh
source "$root/bench/common.sh"

# Runs one pair and prints: cpu_percent_server cpu_percent_client latency_frames
run_pair() { # kind channels port
    local kind="$1" ch="$2" port="$3"
    local near="$prefix-n-$kind-$ch" far="$prefix-f-$kind-$ch"
    start_jack "$near"
    local jack_near=$!
    start_jack "$far"
    local jack_far=$!
    local bits_opt=(--bitres 16)
    [[ "$kind" == jacktrip ]] && bits_opt=(-b 16)
    local server client
    start_end "$kind" "$near" -s -n "$ch" -q "$queue" -B "$port" -J srv -D "${bits_opt[@]}"
    server=$last_pid
    await_port "$near" "srv:send_1"
    start_end "$kind" "$far" -c 127.0.0.1 -n "$ch" -q "$queue" -B $((port + 1)) -P "$port" -J cli -D "${bits_opt[@]}"
    client=$last_pid
    await_port "$far" "cli:send_1"
    # Far end: loop every received channel back; near end: jack_iodelay through channel 1.
    for c in $(seq "$ch"); do
        connect "$far" "cli:receive_$c" "cli:send_$c"
    done
    JACK_DEFAULT_SERVER="$near" stdbuf -oL jack_iodelay >"$work/iodelay-$kind-$ch.log" 2>&1 &
    local iod=$!
    pids+=("$iod")
    await_port "$near" "jack_delay:out"
    connect "$near" jack_delay:out srv:send_1
    connect "$near" srv:receive_1 jack_delay:in
    sleep "$warmup"
    local s0 c0 s1 c1
    s0=$(cpu_seconds "$server"); c0=$(cpu_seconds "$client")
    sleep "$seconds"
    s1=$(cpu_seconds "$server"); c1=$(cpu_seconds "$client")
    local latency
    # The median of jack_iodelay's readings: a glitch can make a single reading lock onto a wrong
    # alignment of its test signal.
    latency=$(grep -o "[0-9.]* frames" "$work/iodelay-$kind-$ch.log" | cut -d" " -f1 | sort -n \
        | awk '{ v[NR] = $1 } END { if (NR) printf "%d\n", v[int((NR + 1) / 2)] }')
    stop_process "$iod"
    stop_process "$client"
    stop_process "$server"
    kill "$jack_near" "$jack_far" 2>/dev/null || true
    wait "$jack_near" "$jack_far" 2>/dev/null || true
    awk -v s0="$s0" -v s1="$s1" -v c0="$c0" -v c1="$c1" -v t="$seconds" -v l="${latency:-n/a}" \
        'BEGIN { printf "%.2f %.2f %s\n", 100 * (s1 - s0) / t, 100 * (c1 - c0) / t, l }'
}

echo "P2P benchmark: $rate Hz, $frames frames, 16-bit, queue $queue, ${seconds} s measured after ${warmup} s warm-up, $(nproc) cores"
echo
echo "| channels | JamWire CPU % (server / client) | jacktrip CPU % (server / client) | CPU ratio JamWire/jacktrip | JamWire round trip (frames) | jacktrip round trip (frames) |"
echo "|---|---|---|---|---|---|"
port=34464
for ch in $channel_counts; do
    read -r js jc jl < <(run_pair jamwire "$ch" "$port")
    read -r ts tc tl < <(run_pair jacktrip "$ch" $((port + 10)))
    ratio=$(awk -v a="$js" -v b="$jc" -v c="$ts" -v d="$tc" 'BEGIN { if (c + d > 0) printf "%.2f", (a + b) / (c + d); else print "n/a" }')
    echo "| $ch | $js / $jc | $ts / $tc | $ratio | $jl | $tl |"
    port=$((port + 20))
done
