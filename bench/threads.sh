#!/usr/bin/env bash
# Per-thread CPU of one P2P pair (server and client endpoint), JamWire or jacktrip, on two private
# JACK servers (dummy driver): user+system time of every thread of each endpoint process over the
# measured window, from /proc/PID/task/*/stat, in % of one core. Threads whose name is shared
# (e.g. the JVM's "GC Thread#0" under one name per process) are listed one by one.
#
# Usage: bench/threads.sh [--kind jamwire|jacktrip] [--seconds N] [--warmup N] [--channels N]
#                         [--frames N] [--queue Q] [--prefix NAME]
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
kind=jamwire
seconds=20
warmup=10
ch=2
frames=128
queue=4
rate=48000
prefix=bt
while [[ $# -gt 0 ]]; do
    case "$1" in
        --kind) kind="$2"; shift 2 ;;
        --seconds) seconds="$2"; shift 2 ;;
        --warmup) warmup="$2"; shift 2 ;;
        --channels) ch="$2"; shift 2 ;;
        --frames) frames="$2"; shift 2 ;;
        --queue) queue="$2"; shift 2 ;;
        --prefix) prefix="$2"; shift 2 ;;
        -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
        *) echo "bench/threads.sh: unknown option $1" >&2; exit 2 ;;
    esac
done

# shellcheck source=bench/common.sh
source "$root/bench/common.sh"

near="$prefix-n-$kind-$ch"
far="$prefix-f-$kind-$ch"
port=34564
start_jack "$near"
start_jack "$far"
bits_opt=(--bitres 16)
[[ "$kind" == jacktrip ]] && bits_opt=(-b 16)
start_end "$kind" "$near" -s -n "$ch" -q "$queue" -B "$port" -J srv -D "${bits_opt[@]}"
server=$last_pid
await_port "$near" "srv:send_1"
start_end "$kind" "$far" -c 127.0.0.1 -n "$ch" -q "$queue" -B $((port + 1)) -P "$port" -J cli -D "${bits_opt[@]}"
client=$last_pid
await_port "$far" "cli:send_1"
for c in $(seq "$ch"); do
    connect "$far" "cli:receive_$c" "cli:send_$c"
    connect "$near" "srv:receive_$c" "srv:send_$c"
done
sleep "$warmup"

# tid name ticks, one line per thread of a process.
thread_ticks() { # pid
    for stat in /proc/"$1"/task/*/stat; do
        # The name is in parentheses and may hold spaces: take what lies between the first '(' and the last ')'.
        awk '{ line = $0; lp = index(line, "("); rp = 0
               for (i = length(line); i > 0; i--) if (substr(line, i, 1) == ")") { rp = i; break }
               name = substr(line, lp + 1, rp - lp - 1); gsub(/ /, "_", name)
               split(substr(line, rp + 2), f, " ")
               print $1, name, f[12] + f[13] }' "$stat" 2>/dev/null || true
    done
}

report() { # label pid before after
    echo "$1 (pid $2):"
    join -a 2 -e 0 -o 2.2,1.3,2.3 <(sort "$3") <(sort "$4") \
        | awk -v hz="$(getconf CLK_TCK)" -v t="$seconds" '{ pct = 100 * ($3 - $2) / hz / t; total += pct
              if (pct > 0) printf "  %-24s %6.2f %%\n", $1, pct }
              END { printf "  %-24s %6.2f %%\n", "(all threads)", total }' \
        | sort -k2,2 -g -r
}

thread_ticks "$server" >"$work/s0"; thread_ticks "$client" >"$work/c0"
p_s0=$(cpu_seconds "$server"); p_c0=$(cpu_seconds "$client")
sleep "$seconds"
thread_ticks "$server" >"$work/s1"; thread_ticks "$client" >"$work/c1"
p_s1=$(cpu_seconds "$server"); p_c1=$(cpu_seconds "$client")

echo "$kind, $ch channels, $rate Hz, $frames frames, queue $queue, ${seconds} s after ${warmup} s warm-up"
report "server" "$server" "$work/s0" "$work/s1"
report "client" "$client" "$work/c0" "$work/c1"
awk -v a="$p_s0" -v b="$p_s1" -v c="$p_c0" -v d="$p_c1" -v t="$seconds" \
    'BEGIN { printf "process total: server %.2f %%, client %.2f %%\n", 100 * (b - a) / t, 100 * (d - c) / t }'
stop_process "$client"
stop_process "$server"
