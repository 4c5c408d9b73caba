#!/usr/bin/env bash
# Glitch blocks of JamWire and jacktrip 1.7 under the same simulated bad network, in one run, on
# this machine. For each program: two private JACK servers (dummy driver, 48 kHz, 128 frames), a
# P2P server on the near one and a client on the far one, talking through JamWire's relay
# (`jamwire netsim`: 2 % random loss and 5 +/- 3 ms of delay each way, seeded, so both programs
# meet the same losses), 16-bit. A probe process on each JACK server (GlitchProbe, from the test
# classes) plays a known signal into its end's send ports and records its end's receive ports:
#  - channel 1 is looped back at the far end (receive_1 to send_1), so what the near end
#    receives on it has crossed the relay twice: its delay is the round trip, to the frame;
#  - channels 2..N are played at the far end, and all of 1..N are recorded there, so each
#    direction is judged on its own: server -> client on channels 1..N at the far end,
#    client -> server on channels 2..N at the near end.
# Both directions run at once. Each recorded channel is judged after the warm-up by the tests'
# judge (AudioJudge): aligned once, then each period is clean only if it is the signal exactly as
# 16 bits carry it, at that delay. A glitch block is a period that is not (silence, concealment, a
# crossfade), or a period of the signal dropped (the delay shrank). An event is a run of them; a
# shifted event moved the delay by other than whole packets (resampled or stretched audio). Each
# direction's figure is the count on its worst channel. JACK xruns (the machine missing a deadline) glitch too, so the table
# gives the xruns of both servers over the run. Prints a Markdown table.
#
# Usage: bench/impaired.sh [--seconds N] [--warmup N] [--queue Q] [--jamwire-queue Q]
#                          [--underrun POLICY] [--channels N] [--frames N] [--redundancy N]
#                          [--loss PCT] [--delay MS] [--jitter MS] [--jitter-steps S:MS,...]
#                          [--seed N] [--direct]
#                          [--runs N] [--programs LIST] [--jamwire-queues LIST] [--jacktrip-queues LIST]
#   --queue Q           both programs' -q: 4 unless given
#   --jamwire-queue Q   JamWire's -q alone (e.g. auto): --queue unless given
#   --jamwire-queues "auto 2 4", --jacktrip-queues "2 4 8"   run each program once per queue in
#                       the list, one after the other in this invocation (default: the one above)
#   --underrun POLICY   JamWire's --underrun (predict, repeat or zeros): its default (predict)
#                       unless given. jacktrip runs with its default (no -z).
#   --channels N        channels each way, at least 2: 2 unless given
#   --redundancy N      packets per datagram, both programs (JamWire --redundancy, jacktrip -r):
#                       1 unless given
#   --direct            no relay: the client sends straight to the server, on one clock (two
#                       dummy JACK servers on this machine), to see what the programs do alone
#   --runs N            each program N times, a row per run (1 unless given)
#   --seconds N         seconds judged after --warmup N (60 and 10 unless given)
#   --loss, --delay, --jitter, --seed: the relay's options (2, 5, 3 and 1 unless given)
#   --jitter-steps S:MS,...   the relay's jitter changes at these seconds after it starts (which
#                       is a few seconds before the warm-up begins), e.g. 30:10,50:1
#   --programs "jamwire jacktrip"   which programs to run
# Both ends print their statistics every 5 s (-I 5); KEEP_WORK=1 keeps the logs.
set -euo pipefail

me=bench/impaired.sh
seconds=60
warmup=10
queue=4
jamwire_queue=""
underrun=""
channels=2
frames=128
loss=2
delay=5
jitter=3
seed=1
programs="jamwire jacktrip"
redundancy=1
jitter_steps=""
direct=""
jamwire_queues=""
jacktrip_queues=""
runs=1
while [[ $# -gt 0 ]]; do
    case "$1" in
        --seconds) seconds="$2"; shift 2 ;;
        --warmup) warmup="$2"; shift 2 ;;
        --queue) queue="$2"; shift 2 ;;
        --jamwire-queue) jamwire_queue="$2"; shift 2 ;;
        --underrun) underrun="$2"; shift 2 ;;
        --channels) channels="$2"; shift 2 ;;
        --frames) frames="$2"; shift 2 ;;
        --loss) loss="$2"; shift 2 ;;
        --delay) delay="$2"; shift 2 ;;
        --jitter) jitter="$2"; shift 2 ;;
        --seed) seed="$2"; shift 2 ;;
        --programs) programs="$2"; shift 2 ;;
        --redundancy) redundancy="$2"; shift 2 ;;
        --direct) direct=1; shift ;;
        --jitter-steps) jitter_steps="$2"; shift 2 ;;
        --runs) runs="$2"; shift 2 ;;
        --jamwire-queues) jamwire_queues="$2"; shift 2 ;;
        --jacktrip-queues) jacktrip_queues="$2"; shift 2 ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | cut -c3-; exit 0 ;;
        *) echo "$me: unknown option $1" >&2; exit 2 ;;
    esac
done
jamwire_queue="${jamwire_queue:-$queue}"
jamwire_queues="${jamwire_queues:-$jamwire_queue}"
jacktrip_queues="${jacktrip_queues:-$queue}"
if (( channels < 2 || channels > 255 )); then
    echo "$me: --channels must be 2 to 255: channel 1 carries the round trip, the others each direction" >&2
    exit 2
fi

# shellcheck source=bench/lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"
bench_setup jackd jacktrip jack_connect jack_lsp java mvn ps

classpath="$(test_classpath)"

# Starts a GlitchProbe on a JACK server; prints its pid.
start_probe() { # server name log outputs inputs connections...
    local server="$1" name="$2" log="$3" outputs="$4" inputs="$5"; shift 5
    java -cp "$classpath" org.jamwire.testing.GlitchProbe "$server" "$name" "$outputs" "$inputs" "$rate" "$frames" \
        "$warmup" "$seconds" 16 "$@" >"$work/$log.log" 2>&1 &
    local pid=$!
    track "$pid"
    echo "$pid"
}

await_line() { # log pattern pid seconds
    local _
    for _ in $(seq $(( $4 * 20 ))); do
        grep -q "$2" "$work/$1.log" && return 0
        alive "$3" || break
        sleep 0.05
    done
    return 1
}

# The worst channel of a probe's report: "glitches periods events lost shifted", over channels from..to.
worst() { # log from to
    awk -v from="$2" -v to="$3" '/^channel [0-9]+ periods/ && $2 >= from && $2 <= to && $6 >= g {
            g = $6; line = $6 " " $4 " " $12 " " $10 " " $14 }
        END { print (line == "" ? "none" : line) }' "$work/$1.log"
}

# Percent of a direction's datagrams the relay dropped, from its summary line.
relay_loss() { # direction log
    sed -n "s/^$1: \([0-9]*\) arrived.*, \([0-9]*\) dropped .*/\1 \2/p" "$work/$2.log" |
        awk '{ if ($1 > 0) printf "%.2f\n", 100 * $2 / $1 }'
}

# Runs one program and prints:
# "ok s2c(glitches periods events lost shifted) c2s(...) round_trip xruns lost_to_server lost_to_client
#  drift_corrections"
# or "fail REASON"; then stops everything it started.
run_program() { # kind port queue
    local first
    first=$(( $(tracked) + 1 ))
    measure "$@"
    local p
    stop_tracked "$first"
}

measure() { # kind port queue
    local kind="$1" port="$2" label="$1" q="$3"
    local near far
    near=$(jack_name "$label-near")
    far=$(jack_name "$label-far")
    local ports=$(( 4 * channels + 32 ))
    start_jack "$near" "$frames" "$ports" >/dev/null || { echo "fail jackd did not start"; return 0; }
    start_jack "$far" "$frames" "$ports" >/dev/null || { echo "fail jackd did not start"; return 0; }
    local opts
    read -r -a opts <<<"$(link_opts "$kind" "$underrun")"
    if [[ "$kind" == jamwire ]]; then
        opts+=(--redundancy "$redundancy")
    else
        opts+=(-r "$redundancy")
    fi
    local server client relay="" to_port=$((port + 2))
    server=$(start_end "$kind" "$near" "$label-server" -s -n "$channels" -q "$q" -B "$port" -J "$srv" -D -I 5 "${opts[@]}")
    await_port "$near" "$srv:send_1" "$server" 2>/dev/null || { echo "fail the server did not start: $(last_words "$label-server")"; return 0; }
    if [[ -n "$direct" ]]; then
        to_port=$port
    else
        java -jar "$jar" netsim --to "127.0.0.1:$port" --listen $((port + 2)) --loss "$loss" --delay "$delay" \
            --jitter "$jitter" ${jitter_steps:+--jitter-steps "$jitter_steps"} --seed "$seed" \
            >"$work/$label-relay.log" 2>&1 &
        relay=$!
        track "$relay"
        await_line "$label-relay" "relaying" "$relay" 10 || { echo "fail the relay did not start: $(last_words "$label-relay")"; return 0; }
    fi
    client=$(start_end "$kind" "$far" "$label-client" -c 127.0.0.1 -n "$channels" -q "$q" -B $((port + 1)) \
        -P "$to_port" -J "$cli" -D -I 5 "${opts[@]}")
    await_port "$far" "$cli:send_1" "$client" 2>/dev/null || { echo "fail the client did not start: $(last_words "$label-client")"; return 0; }
    connect "$far" "$cli:receive_1" "$cli:send_1" || { echo "fail cannot loop channel 1 back at the far end"; return 0; }
    local c near_connections=() far_connections=() near_name="bw$$-nprobe" far_name="bw$$-fprobe"
    for c in $(seq "$channels"); do
        near_connections+=("$near_name:out_$c>$srv:send_$c" "$srv:receive_$c>$near_name:in_$c")
        far_connections+=("$cli:receive_$c>$far_name:in_$c")
        (( c > 1 )) && far_connections+=("$far_name:out_$c>$cli:send_$c")
    done
    local near_probe far_probe
    near_probe=$(start_probe "$near" "$near_name" "$label-near-probe" "$channels" "$channels" "${near_connections[@]}")
    far_probe=$(start_probe "$far" "$far_name" "$label-far-probe" "$channels" "$channels" "${far_connections[@]}")
    await_line "$label-near-probe" "^ready" "$near_probe" 60 && await_line "$label-far-probe" "^ready" "$far_probe" 60 \
        || { echo "fail a probe did not start: $(last_words "$label-near-probe") / $(last_words "$label-far-probe")"; return 0; }
    sleep "$warmup"
    local x0 x1
    x0=$(( $(xruns "$near") + $(xruns "$far") ))
    sleep "$seconds"
    x1=$(( $(xruns "$near") + $(xruns "$far") ))
    if ! alive "$server" || ! alive "$client"; then
        echo "fail an end stopped: $(last_words "$label-server") / $(last_words "$label-client")"
        return 0
    fi
    # The probes judge their recordings once they are complete; a full search takes a while.
    await_line "$label-near-probe" "^channel $channels " "$near_probe" $(( seconds + 120 )) &&
        await_line "$label-far-probe" "^channel $channels " "$far_probe" $(( seconds + 120 )) \
        || { echo "fail a probe did not report: $(last_words "$label-near-probe") / $(last_words "$label-far-probe")"; return 0; }
    local probe
    for probe in near far; do
        grep -q '^stalled' "$work/$label-$probe-probe.log" &&
            echo "$kind: the $probe probe $(grep '^stalled' "$work/$label-$probe-probe.log"); JACK stopped calling it" >>"$work/notes"
    done
    # The relay prints its summary when it stops.
    stop_process "$relay"
    local round_trip
    round_trip=$(awk '/^channel 1 periods/ { print $16 }' "$work/$label-near-probe.log")
    local lost_to_server="" lost_to_client=""
    if [[ -z "$direct" ]]; then
        lost_to_server=$(relay_loss to-server "$label-relay")
        lost_to_client=$(relay_loss to-client "$label-relay")
    fi
    local fixes=n/a
    if [[ "$kind" == jamwire ]]; then
        # Periods resampled to follow a drift, at both ends, from their last statistics lines.
        fixes=$(( $(drift_fixes "$label-server") + $(drift_fixes "$label-client") ))
    fi
    echo "ok $(worst "$label-far-probe" 1 "$channels") $(worst "$label-near-probe" 2 "$channels") $round_trip" \
        "$(( x1 - x0 )) ${lost_to_server:-none} ${lost_to_client:-none} $fixes"
}

# The last drift_fix count a JamWire end printed, or 0.
drift_fixes() { # log
    { grep -o 'drift_fix=[0-9]*' "$work/$1.log" || true; } | tail -1 | cut -d= -f2 | sed 's/^$/0/'
}

# "G of P (x %): E events, L lost, S shifted" from "glitches periods events lost shifted".
describe() { # glitches periods events lost shifted
    awk -v g="$1" -v p="$2" -v e="$3" -v l="$4" -v s="$5" \
        'BEGIN { printf "%d of %d (%.2f %%): %d events, %d periods lost, %d shifted", g, p, p ? 100 * g / p : 0, e, l, s }'
}

if [[ -n "$direct" ]]; then
    network="no relay: the client sends straight to the server (both JACK servers on this machine's clock)"
else
    network="relay: loss $loss %, delay $delay ms +/- $jitter ms each way${jitter_steps:+ (jitter steps $jitter_steps)} (seed $seed)"
fi
echo "Glitch blocks: $rate Hz, $frames frames, 16-bit, $channels channels each way, redundancy $redundancy, $network," \
    "${seconds} s judged after ${warmup} s warm-up, $(nproc) cores"
echo
echo "| program | queue | underrun | glitch blocks server → client | glitch blocks client → server | round trip, frames (ms) | datagrams lost to server / to client | xruns | drift corrections |"
echo "|---|---|---|---|---|---|---|---|---|"
notes=()
port=54464
for run in $(seq "$runs"); do
    for kind in $programs; do
      queues="$jacktrip_queues"
      [[ "$kind" == jamwire ]] && queues="$jamwire_queues"
      for queue_setting in $queues; do
        result=$(run_program "$kind" "$port" "$queue_setting")
        port=$((port + 10))
        if [[ "$kind" == jamwire ]]; then
            name=JamWire q="-q $queue_setting" policy="--underrun ${underrun:-predict (its default)}"
        else
            name=jacktrip q="-q $queue_setting" policy="its default (no -z)"
            strategy=$(grep -o "JitterBuffer strategy [0-9]*" "$work/$kind-server.log" | head -1 || true)
            [[ -n "$strategy" ]] && policy+=", $strategy"
        fi
        (( runs > 1 )) && name+=" (run $run)"
        read -r status rest <<<"$result"
        if [[ "$status" != ok ]]; then
            echo "| $name | $q | $policy | did not run | did not run | n/a | n/a | n/a | n/a |"
            notes+=("$name: $rest")
            continue
        fi
        read -r g1 p1 s1 w1 j1 g2 p2 s2 w2 j2 rt xr ls lc fixes <<<"$rest"
        rt_cell=$(awk -v f="$rt" -v r="$rate" 'BEGIN { if (f >= 0) printf "%d (%.1f ms)", f, 1000 * f / r; else print "no clean period" }')
        loss_cell="$ls % / $lc %"
        [[ -n "$direct" ]] && loss_cell="no relay"
        echo "| $name | $q | $policy | $(describe "$g1" "$p1" "$s1" "$w1" "$j1") | $(describe "$g2" "$p2" "$s2" "$w2" "$j2") | $rt_cell | $loss_cell | $xr | $fixes |"
      done
    done
done
[[ -f "$work/notes" ]] && mapfile -t -O "${#notes[@]}" notes <"$work/notes"
if [[ ${#notes[@]} -gt 0 ]]; then
    echo
    for n in "${notes[@]}"; do
        echo "- $n"
    done
fi
