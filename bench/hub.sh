#!/usr/bin/env bash
# Side-by-side hub benchmark of JamWire (jamwire -S) and jacktrip 1.7 (jacktrip -S) on this
# machine, in one run: CPU of the hub process (user+system time over a measured window, after
# warm-up) with the same jacktrip -C clients connected, at 128 frames, 48 kHz, 16-bit, 2 channels
# each way per client, patch mode 2 (each client hears every other client) unless told otherwise.
# The hub runs on a private JACK server of its own (dummy driver); the clients share a few more
# (several jacktrip clients on one JACK server, each with its own -J name), so that 2 cores can
# carry them, and so that the run needs few of the 8 JACK servers a machine can have. The servers
# are started once; the hubs take turns on them: each round starts the hub, then the clients,
# waits until every client streams (its ports exist at the hub), warms up, measures, and stops
# the clients and the hub. Prints a Markdown table and the load average around each window.
#
# Usage: bench/hub.sh [--clients N] [--servers N] [--seconds N] [--warmup N] [--rounds N]
#                     [--patch P] [--frames N] [--queue Q]
#   --clients N   jacktrip -C clients, 16 unless given
#   --servers N   JACK servers the clients share, 2 unless given
#   --rounds N    rounds of both hubs; the order alternates (JamWire first, then jacktrip first...)
# JamWire runs with the JVM options in jvm.options, as ./jamwire starts it.
set -euo pipefail

me=bench/hub.sh
clients=16
servers=2
seconds=30
warmup=15
rounds=1
patch=2
frames=128
queue=4
while [[ $# -gt 0 ]]; do
    case "$1" in
        --clients) clients="$2"; shift 2 ;;
        --servers) servers="$2"; shift 2 ;;
        --seconds) seconds="$2"; shift 2 ;;
        --warmup) warmup="$2"; shift 2 ;;
        --rounds) rounds="$2"; shift 2 ;;
        --patch) patch="$2"; shift 2 ;;
        --frames) frames="$2"; shift 2 ;;
        --queue) queue="$2"; shift 2 ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | cut -c3-; exit 0 ;;
        *) echo "$me: unknown option $1" >&2; exit 2 ;;
    esac
done

# shellcheck source=bench/lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"
bench_setup jackd jacktrip jack_lsp java ps

tcp_port=36464
udp_base=36470
client_base=36600

name_of() { # client number from 1
    printf 'c%02d' "$1"
}

# How many of the clients stream at the hub: their receive ports exist on its JACK server (both
# hubs make a client's JACK client once its first datagram has come).
streaming() { # hub server
    local n=0 i ports
    ports=$(JACK_DEFAULT_SERVER="$1" jack_lsp 2>/dev/null || true)
    for i in $(seq "$clients"); do
        grep -qx "$(name_of "$i"):receive_2" <<<"$ports" && n=$((n + 1))
    done
    echo "$n"
}

load1() {
    cut -d" " -f1 /proc/loadavg
}

hub_server=$(jack_name hub)
start_jack "$hub_server" "$frames" $((8 * clients + 64)) >/dev/null || exit 1
client_servers=()
for s in $(seq "$servers"); do
    client_servers+=("$(jack_name "c$s")")
    start_jack "${client_servers[-1]}" "$frames" $((8 * clients + 64)) >/dev/null || exit 1
done

# One hub's round. Prints: cpu_percent clients_streaming load_before load_after xruns; or "fail REASON".
run_hub() { # kind round
    local kind="$1" round="$2" label="$1-$2" first hub i s c0 c1 load0 load_end x0 x1 n
    first=$(tracked)
    first=$((first + 1))
    # The last round's clients' ports go with their processes: wait until JACK has dropped them.
    for _ in $(seq 100); do
        [[ "$(streaming "$hub_server")" == 0 ]] && break
        sleep 0.1
    done
    if [[ "$kind" == jamwire ]]; then
        hub=$(start_end jamwire "$hub_server" "$label-hub" -S -p "$patch" -B "$tcp_port" -U "$udp_base" -q "$queue" \
            --bitres 16 -D)
    else
        hub=$(start_end jacktrip "$hub_server" "$label-hub" -S -p "$patch" -B "$tcp_port" -U "$udp_base" -q "$queue" \
            -b 16 -D)
    fi
    sleep 1
    for i in $(seq "$clients"); do
        s=${client_servers[$(( (i - 1) % servers ))]}
        start_end jacktrip "$s" "$label-$(name_of "$i")" -C 127.0.0.1 -P "$tcp_port" -B $((client_base + i)) \
            -K "$(name_of "$i")" -J "$(name_of "$i")" -n 2 -q "$queue" -b 16 -D >/dev/null
    done
    for _ in $(seq 600); do
        [[ "$(streaming "$hub_server")" == "$clients" ]] && break
        alive "$hub" || break
        sleep 0.1
    done
    n=$(streaming "$hub_server")
    if [[ "$n" != "$clients" ]]; then
        local why="only $n of $clients clients streamed within 60 s"
        alive "$hub" || why="the hub stopped: $(last_words "$label-hub")"
        stop_tracked "$first"
        echo "fail $why"
        return 0
    fi
    sleep "$warmup"
    load0=$(load1)
    x0=$(xruns "$hub_server")
    c0=$(cpu_seconds "$hub")
    sleep "$seconds"
    if ! alive "$hub"; then
        local why="the hub stopped: $(last_words "$label-hub")"
        stop_tracked "$first"
        echo "fail $why"
        return 0
    fi
    c1=$(cpu_seconds "$hub")
    x1=$(xruns "$hub_server")
    n=$(streaming "$hub_server")
    load_end=$(load1)
    stop_tracked "$first"
    awk -v c0="$c0" -v c1="$c1" -v t="$seconds" -v n="$n" -v l0="$load0" -v l1="$load_end" -v x=$((x1 - x0)) \
        'BEGIN { printf "%.2f %d %s %s %d\n", 100 * (c1 - c0) / t, n, l0, l1, x }'
}

echo "Hub benchmark: $clients jacktrip -C clients x 2 channels on $servers JACK servers, hub on its own;" \
    "$rate Hz, $frames frames, 16-bit, queue $queue, patch $patch; ${seconds} s measured after ${warmup} s" \
    "warm-up; $(nproc) cores; load average at start $(load1)"
echo
echo "| round | hub | clients streaming (start / end of window) | hub CPU % of one core | per client % | hub xruns in window | load average (start / end of window) |"
echo "|---|---|---|---|---|---|---|"
notes=()
declare -A total=([jamwire]=0 [jacktrip]=0)
declare -A runs=([jamwire]=0 [jacktrip]=0)
for r in $(seq "$rounds"); do
    order="jamwire jacktrip"
    (( r % 2 == 0 )) && order="jacktrip jamwire"
    for kind in $order; do
        read -r cpu n l0 l1 x < <(run_hub "$kind" "$r")
        if [[ "$cpu" == fail ]]; then
            echo "| $r | $kind | did not run | n/a | n/a | n/a | n/a |"
            notes+=("round $r, $kind: $n $l0 $l1 $x")
            continue
        fi
        per=$(awk -v c="$cpu" -v n="$n" 'BEGIN { printf "%.3f", n ? c / n : 0 }')
        echo "| $r | $kind | $clients / $n | $cpu | $per | $x | $l0 / $l1 |"
        total[$kind]=$(awk -v a="${total[$kind]}" -v b="$cpu" 'BEGIN { print a + b }')
        runs[$kind]=$((runs[$kind] + 1))
    done
done
echo
if (( runs[jamwire] > 0 && runs[jacktrip] > 0 )); then
    awk -v a="${total[jamwire]}" -v na="${runs[jamwire]}" -v b="${total[jacktrip]}" -v nb="${runs[jacktrip]}" -v c="$clients" \
        'BEGIN { ja = a / na; jt = b / nb;
                 printf "Mean hub CPU: JamWire %.2f %% (%.3f %% per client), jacktrip %.2f %% (%.3f %% per client); ratio JamWire/jacktrip %.2f\n",
                        ja, ja / c, jt, jt / c, (jt > 0 ? ja / jt : 0) }'
fi
if [[ ${#notes[@]} -gt 0 ]]; then
    echo
    for n in "${notes[@]}"; do
        echo "- $n"
    done
fi
