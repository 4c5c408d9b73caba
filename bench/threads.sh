#!/usr/bin/env bash
# Per-thread CPU of one P2P pair, JamWire or jacktrip, set up as bench/p2p.sh sets it up (two
# private JACK servers, the far end looped back, jack_iodelay on the near end): user+system time
# of every thread of each endpoint process over the measured window, from /proc/PID/task/*/stat,
# in % of one core. Names are the kernel's, cut to 15 characters; threads that share a name (a
# libjack thread is named after the process) are listed one by one. JamWire runs with the JVM
# options in jvm.options, as ./jamwire runs it.
#
# Usage: bench/threads.sh [--kind jamwire|jacktrip] [--seconds N] [--warmup N] [--channels N]
#                         [--frames N] [--queue Q]
set -euo pipefail

me=bench/threads.sh
kind=jamwire
seconds=20
warmup=10
ch=2
frames=128
queue=4
while [[ $# -gt 0 ]]; do
    case "$1" in
        --kind) kind="$2"; shift 2 ;;
        --seconds) seconds="$2"; shift 2 ;;
        --warmup) warmup="$2"; shift 2 ;;
        --channels) ch="$2"; shift 2 ;;
        --frames) frames="$2"; shift 2 ;;
        --queue) queue="$2"; shift 2 ;;
        -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
        *) echo "$me: unknown option $1" >&2; exit 2 ;;
    esac
done

# shellcheck source=bench/lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"
bench_setup jackd jacktrip jack_iodelay jack_connect jack_lsp java stdbuf ps

# "tid name ticks", one line per thread of a process. The name sits between the first '(' and
# the last ')' and may hold spaces (written as '_' here).
thread_ticks() { # pid
    local stat
    for stat in /proc/"$1"/task/*/stat; do
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

if ! pair_start "$kind" "$ch" "$queue" 34564 "$frames" "threads-$kind-$ch"; then
    echo "$me: $pair_error" >&2
    exit 1
fi
sleep "$warmup"
thread_ticks "$pair_server" >"$work/s0"
thread_ticks "$pair_client" >"$work/c0"
s0=$(cpu_seconds "$pair_server")
c0=$(cpu_seconds "$pair_client")
sleep "$seconds"
thread_ticks "$pair_server" >"$work/s1"
thread_ticks "$pair_client" >"$work/c1"
s1=$(cpu_seconds "$pair_server")
c1=$(cpu_seconds "$pair_client")
pair_alive || { echo "$me: an end stopped during the measurement" >&2; exit 1; }

echo "$kind, $ch channels, $rate Hz, $frames frames, queue $queue, ${seconds} s after ${warmup} s warm-up"
report "server" "$pair_server" "$work/s0" "$work/s1"
report "client" "$pair_client" "$work/c0" "$work/c1"
awk -v a="$s0" -v b="$s1" -v c="$c0" -v d="$c1" -v t="$seconds" \
    'BEGIN { printf "process total: server %.2f %%, client %.2f %%\n", 100 * (b - a) / t, 100 * (d - c) / t }'
pair_stop
