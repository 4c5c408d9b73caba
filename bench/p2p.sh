#!/usr/bin/env bash
# Side-by-side P2P benchmark of JamWire and jacktrip 1.7 on this machine, in one run:
#  - CPU of one endpoint process (user+system time over a measured window, after warm-up),
#    at 128 frames, 48 kHz, for each channel count given;
#  - round-trip latency in frames through a link with the far end's receive ports looped back
#    to its send ports, measured by jack_iodelay on the near JACK server (median of its readings).
# Each pair runs on two private JACK servers (dummy driver). Prints a Markdown table.
#
# Usage: bench/p2p.sh [--seconds N] [--warmup N] [--channels "2 16"] [--queue Q] [--frames N]
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
seconds=20
warmup=10
channel_counts="2 16"
queue=4
frames=128
rate=48000
while [[ $# -gt 0 ]]; do
    case "$1" in
        --seconds) seconds="$2"; shift 2 ;;
        --channels) channel_counts="$2"; shift 2 ;;
        --queue) queue="$2"; shift 2 ;;
        --frames) frames="$2"; shift 2 ;;
        --warmup) warmup="$2"; shift 2 ;;
        -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
        *) echo "bench/p2p.sh: unknown option $1" >&2; exit 2 ;;
    esac
done

for tool in jackd jacktrip jack_iodelay jack_connect jack_lsp java stdbuf; do
    command -v "$tool" >/dev/null || { echo "bench/p2p.sh: $tool is missing: run scripts/install-test-deps" >&2; exit 1; }
done
jar="$root/agent/target/jamwire.jar"
if [[ ! -f "$jar" ]]; then
    echo "bench/p2p.sh: building JamWire…" >&2
    (cd "$root" && mvn -q -B -DskipTests package) >&2
fi

work="$(mktemp -d)"
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    [[ -n "${KEEP_WORK:-}" ]] && echo "bench/p2p.sh: logs kept in $work" >&2 || rm -rf "$work"
}
trap cleanup EXIT

start_jack() { # name
    jackd -n "$1" --port-max 256 -d dummy -r "$rate" -p "$frames" -C 2 -P 2 >"$work/$1.log" 2>&1 &
    pids+=($!)
    for _ in $(seq 300); do
        JACK_DEFAULT_SERVER="$1" jack_lsp >/dev/null 2>&1 && return 0
        sleep 0.05
    done
    echo "bench/p2p.sh: jackd $1 did not start: $(tail -3 "$work/$1.log")" >&2
    return 1
}

# Ctrl-C, as a user would stop it (both programs then send their stop packets); SIGKILL after 5 s.
stop_process() {
    kill -INT "$1" 2>/dev/null || return 0
    for _ in $(seq 100); do
        kill -0 "$1" 2>/dev/null || return 0
        sleep 0.05
    done
    kill -KILL "$1" 2>/dev/null || true
}

# CPU seconds (user+system) a process has used, from /proc.
cpu_seconds() {
    awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15) / hz }' "/proc/$1/stat"
}

# Starts one endpoint: kind (jamwire|jacktrip), jack server, role args...; prints its pid.
start_end() {
    local kind="$1" server="$2"; shift 2
    if [[ "$kind" == jamwire ]]; then
        JACK_DEFAULT_SERVER="$server" java -jar "$jar" "$@" >"$work/$kind-$server.log" 2>&1 &
    else
        JACK_DEFAULT_SERVER="$server" jacktrip "$@" >"$work/$kind-$server.log" 2>&1 &
    fi
    local pid=$!
    pids+=("$pid")
    echo "$pid"
}

# jack_connect, retried: a client's ports can exist a moment before the client is active.
connect() { # server from to
    for _ in $(seq 40); do
        JACK_DEFAULT_SERVER="$1" jack_connect "$2" "$3" 2>/dev/null && return 0
        JACK_DEFAULT_SERVER="$1" jack_lsp -c "$2" 2>/dev/null | grep -qx "   $3" && return 0
        sleep 0.05
    done
    echo "bench/p2p.sh: cannot connect $2 to $3 on $1" >&2
    return 1
}

await_port() { # server port
    for _ in $(seq 200); do
        JACK_DEFAULT_SERVER="$1" jack_lsp 2>/dev/null | grep -qx "$2" && return 0
        sleep 0.05
    done
    echo "bench/p2p.sh: port $2 never appeared on $1" >&2
    return 1
}

# Runs one pair and prints: cpu_percent_server cpu_percent_client latency_frames
run_pair() { # kind channels port
    local kind="$1" ch="$2" port="$3"
    local near="bn-$kind-$ch" far="bf-$kind-$ch"
    start_jack "$near"
    local jack_near=$!
    start_jack "$far"
    local jack_far=$!
    local bits_opt=(--bitres 16)
    [[ "$kind" == jacktrip ]] && bits_opt=(-b 16)
    local server client
    server=$(start_end "$kind" "$near" -s -n "$ch" -q "$queue" -B "$port" -J srv -D "${bits_opt[@]}")
    await_port "$near" "srv:send_1"
    client=$(start_end "$kind" "$far" -c 127.0.0.1 -n "$ch" -q "$queue" -B $((port + 1)) -P "$port" -J cli -D "${bits_opt[@]}")
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
