#!/usr/bin/env bash
# Garbage collection in JamWire's two JVMs while a P2P link streams, on this machine: a JamWire
# server and client on two private JACK servers (dummy driver, 48 kHz, 128 frames, 16-bit), the
# client's receive ports looped back to its send ports so that both directions carry audio. Both
# JVMs run with unified GC and safepoint logging (-Xlog:gc*,safepoint); after --warmup seconds
# of streaming, the events of the next --seconds are counted from the logs' wall-clock stamps:
# GC pauses (stop-the-world: young, mixed, full, remark and cleanup) and their total and
# longest time, G1's concurrent cycles (which do not stop the application), and all safepoints,
# GC or not, with the time the application was stopped for them. jacktrip, in C++, has no
# garbage collector, so its row says so. Prints a Markdown table.
#
# Usage: bench/gc.sh [--seconds N] [--warmup N] [--channels "2 16"] [--queue Q] [--frames N]
#                    [--iostat N] [--jvm-options "..."]
#   --seconds N        measured seconds, 300 unless given
#   --warmup N         seconds of streaming not counted, 10 unless given
#   --iostat N         run both ends with -I N (statistics every N seconds; off unless given)
#   --jvm-options "…"  more JVM options for both ends (e.g. "-XX:+UseZGC" or "-Xmx64m")
# KEEP_WORK=1 keeps the GC logs.
set -euo pipefail

me=bench/gc.sh
seconds=300
warmup=10
channel_counts="2 16"
queue=4
frames=128
iostat=""
extra_jvm_options=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --seconds) seconds="$2"; shift 2 ;;
        --warmup) warmup="$2"; shift 2 ;;
        --channels) channel_counts="$2"; shift 2 ;;
        --queue) queue="$2"; shift 2 ;;
        --frames) frames="$2"; shift 2 ;;
        --iostat) iostat="$2"; shift 2 ;;
        --jvm-options) extra_jvm_options="$2"; shift 2 ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | cut -c3-; exit 0 ;;
        *) echo "$me: unknown option $1" >&2; exit 2 ;;
    esac
done

# shellcheck source=bench/lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"
bench_setup jackd jack_connect jack_lsp java ps

now_ms() {
    date +%s%3N
}

# From a GC log, the events stamped from t0 to t1 (epoch ms):
# "pauses pause_ms longest_ms concurrent_cycles safepoints safepoint_ms collector".
gc_figures() { # log t0 t1
    awk -v t0="$2" -v t1="$3" '
        /\]\[gc\] Using / { collector = $NF }
        {
            if (!match($0, /\]\[[0-9]+ms\]/)) next
            t = substr($0, RSTART + 2, RLENGTH - 5) + 0
            if (t < t0 || t > t1) next
        }
        /\]\[gc *\] GC\([0-9]+\) Pause / {
            ms = $NF; sub(/ms$/, "", ms)
            pauses++; total += ms; if (ms > longest) longest = ms
        }
        /\]\[gc *\] GC\([0-9]+\) Concurrent (Mark|Undo) Cycle / { concurrent++ }
        /\]\[safepoint *\] Safepoint / {
            ns = $0; sub(/.*Total: /, "", ns); sub(/ ns.*/, "", ns)
            safepoints++; stopped += ns / 1e6
        }
        END { printf "%d %.3f %.3f %d %d %.3f %s\n", pauses, total, longest, concurrent, safepoints, stopped, collector }
    ' "$1"
}

# Runs one pair and prints "server-figures | client-figures" (see gc_figures), or "fail REASON".
run_pair() { # channels port
    local ch="$1" port="$2" label="gc-$1"
    local near far ports=$(( 2 * $1 + 32 ))
    near=$(jack_name "$label-near")
    far=$(jack_name "$label-far")
    start_jack "$near" "$frames" "$ports" >/dev/null || { echo "fail jackd did not start"; return 0; }
    start_jack "$far" "$frames" "$ports" >/dev/null || { echo "fail jackd did not start"; return 0; }
    local common=(-n "$ch" -q "$queue" -D --bitres 16 ${iostat:+-I "$iostat"})
    local extra=()
    read -r -a extra <<<"$extra_jvm_options"
    local server client
    jamwire_jvm_opts=("${extra[@]}" "-Xlog:gc*,safepoint:file=$work/$label-server.gc:uptime,timemillis,level,tags")
    server=$(start_end jamwire "$near" "$label-server" -s -B "$port" -J "$srv" "${common[@]}")
    await_port "$near" "$srv:send_1" "$server" 2>/dev/null || { echo "fail the server did not start: $(last_words "$label-server")"; return 0; }
    jamwire_jvm_opts=("${extra[@]}" "-Xlog:gc*,safepoint:file=$work/$label-client.gc:uptime,timemillis,level,tags")
    client=$(start_end jamwire "$far" "$label-client" -c 127.0.0.1 -B $((port + 1)) -P "$port" -J "$cli" "${common[@]}")
    await_port "$far" "$cli:send_1" "$client" 2>/dev/null || { echo "fail the client did not start: $(last_words "$label-client")"; return 0; }
    local c
    for c in $(seq "$ch"); do
        connect "$far" "$cli:receive_$c" "$cli:send_$c" || { echo "fail cannot loop channel $c back"; return 0; }
    done
    local _
    for _ in $(seq 200); do
        grep -q "receiving from" "$work/$label-server.log" && break
        sleep 0.05
    done
    grep -q "receiving from" "$work/$label-server.log" || { echo "fail the client never reached the server"; return 0; }
    sleep "$warmup"
    local t0 t1
    t0=$(now_ms)
    sleep "$seconds"
    t1=$(now_ms)
    alive "$server" && alive "$client" || { echo "fail an end stopped: $(last_words "$label-server") / $(last_words "$label-client")"; return 0; }
    echo "$(gc_figures "$work/$label-server.gc" "$t0" "$t1") | $(gc_figures "$work/$label-client.gc" "$t0" "$t1")"
}

echo "GC during a stream: JamWire P2P pair, $rate Hz, $frames frames, 16-bit, queue $queue, ${seconds} s measured after ${warmup} s of streaming," \
    "$(nproc) cores, $(java -version 2>&1 | head -1)${extra_jvm_options:+, JVM options: $extra_jvm_options}"
echo
echo "| channels | end | collector | GC pauses | GC pause time (ms) | longest pause (ms) | concurrent GC cycles | safepoints | time stopped at safepoints (ms) |"
echo "|---|---|---|---|---|---|---|---|---|"
notes=()
port=64464
for ch in $channel_counts; do
    first=$(( $(tracked) + 1 ))
    result=$(run_pair "$ch" "$port")
    stop_tracked "$first"
    port=$((port + 10))
    if [[ "$result" == fail* ]]; then
        echo "| $ch | both | n/a | did not run | | | | | |"
        notes+=("$ch channels: ${result#fail }")
        continue
    fi
    for side in server client; do
        if [[ "$side" == server ]]; then figures="${result%% | *}"; else figures="${result##* | }"; fi
        read -r pauses total longest concurrent safepoints stopped collector <<<"$figures"
        echo "| $ch | JamWire $side | $collector | $pauses | $total | $longest | $concurrent | $safepoints | $stopped |"
    done
done
echo "| any | jacktrip server and client | none: C++, no garbage collector | 0 | 0 | 0 | 0 | n/a | n/a |"
if [[ ${#notes[@]} -gt 0 ]]; then
    echo
    for n in "${notes[@]}"; do
        echo "- $n"
    done
fi
