#!/usr/bin/env bash
# CPU cost of the agent's live feed (/api/live) on this machine. One `jamwire agent`, run with the
# JVM options in jvm.options as ./jamwire runs it (and a JACK server name that does not exist: no
# JACK is needed), runs a P2P server and a client link to it over loopback, built-in backend (test
# sines), 48 kHz, 128 frames, 16-bit, 64 channels each way. For each count of feed clients in
# --clients, in order, and each client kind in --kinds, the agent's process CPU (user+system from
# /proc/PID/stat, in % of one core) is measured over --seconds after --warmup seconds. The clients
# are sockets of one FeedLoad process (from the test classes, in a JVM of its own so that its CPU
# is not the agent's): each sends the agent's Origin on the upgrade, authenticates, subscribes to
# links, jack, events, counters:* and meters:* at --rate Hz, and keeps reading, counting messages
# and bytes. Client kinds:
#  - plain: java.net.http's WebSocket, which offers no extension: the agent sends JSON as it is;
#  - deflate: a client that offers permessage-deflate as every browser does, which the agent
#    (Jetty) accepts: it then compresses each message for each socket.
# Columns:
#  - difference: the process CPU less the mean of the rows with no clients (the links alone). On a
#    virtual machine the links' threads cost more or less from row to row, by more than the feed
#    costs (on the 2-core test machine 12 to 16 % of a core, clients or not), so:
#  - links' threads: the built-in clocks' and the links' own threads (jamwire-clock-*,
#    jamwire-PORT-*); rest: the process less those, which is everything the feed adds to (its
#    thread, Jetty's, the JIT compilers, the garbage collector) and little else;
#  - feed's cost: rest less the mean rest of the rows with no clients;
#  - jamwire-feed: the feed's own thread (gathering figures, diffing, writing JSON, and the socket
#    writes and compression, which Jetty does on the sending thread); Jetty: Jetty's own threads;
#    JIT compilers: C1 and C2, still compiling the feed's code in the first minutes; all from
#    /proc/PID/task/*/stat;
#  - per client: messages per second, kB (1000 bytes) per second of JSON and of frame payloads on
#    the wire, and the channel counts of the meters messages as received (least/most over all
#    lists of all messages);
#  - link xruns: the built-in clock's late periods on the server/client link during the window.
# Prints a Markdown table, then each row's busiest threads.
#
# With --compare JAR a second agent runs that jar (another build of JamWire, e.g. one from before a
# change) side by side with the first, with links and clients of its own, and both are measured
# over the same windows: figures from separate runs differ by more than a change to the feed may
# save, as the machine is busier or quieter (others use it too).
#
# Usage: bench/feed.sh [--seconds N] [--warmup N] [--clients "0 5 1"] [--kinds "plain deflate"]
#                      [--rate HZ] [--channels N] [--frames N] [--udp-port P] [--compare JAR]
#   --seconds N       measured seconds per row, 60 unless given
#   --warmup N        seconds before each row's window (after the links connect, or after the
#                     clients have their first meters), 10 unless given
#   --clients LIST    feed clients of each row, in order: "0 5 1" unless given. Repeat 0 (e.g.
#                     "0 5 1 0") to see how steady the baseline is.
#   --kinds LIST      client kinds of each row with clients: "plain deflate" unless given
#   --rate HZ         the clients' rateHz, 1 to 30: 30 unless given
#   --channels N      channels each way of both links: 64 unless given
#   --frames N        frames per period of both links: 128 unless given
#   --udp-port P      the server link's UDP port (the client's is P+1; a --compare agent's P+2
#                     and P+3): 47470 unless given
#   --compare JAR     run a second agent from JAR side by side (see above)
# KEEP_WORK=1 keeps the agents' and the clients' logs.
set -euo pipefail

me=bench/feed.sh
seconds=60
warmup=10
client_counts="0 5 1"
feed_rate=30
kinds="plain deflate"
channels=64
frames=128
udp_port=47470
compare=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --seconds) seconds="$2"; shift 2 ;;
        --warmup) warmup="$2"; shift 2 ;;
        --clients) client_counts="$2"; shift 2 ;;
        --rate) feed_rate="$2"; shift 2 ;;
        --kinds) kinds="$2"; shift 2 ;;
        --channels) channels="$2"; shift 2 ;;
        --frames) frames="$2"; shift 2 ;;
        --udp-port) udp_port="$2"; shift 2 ;;
        --compare) compare="$(readlink -f "$2")"; shift 2 ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | cut -c3-; exit 0 ;;
        *) echo "$me: unknown option $1" >&2; exit 2 ;;
    esac
done
[[ -z "$compare" || -f "$compare" ]] || { echo "$me: --compare: no file $compare" >&2; exit 2; }
topics=(links jack events 'counters:*' 'meters:*')

# shellcheck source=bench/lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"
bench_setup java mvn curl ps

classpath="$(test_classpath)"

# "tid name ticks", one line per thread of a process (as bench/threads.sh reads them). The name
# sits between the first '(' and the last ')' and may hold spaces (written as '_' here).
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

# "name pct" per thread over a window, from two thread_ticks files; threads born during it count
# from 0, threads that ended during it are lost (the process figure still has their time).
thread_pcts() { # before after
    join -a 2 -e 0 -o 2.2,1.3,2.3 <(sort "$1") <(sort "$2") \
        | awk -v hz="$(getconf CLK_TCK)" -v t="$seconds" '{ printf "%s %.3f\n", $1, 100 * ($3 - $2) / hz / t }'
}

# The sum of the threads whose name matches.
group_pct() { # pcts-file regex
    awk -v re="$2" '$1 ~ re { s += $2 } END { printf "%.2f\n", s }' "$1"
}

api() { # agent method path [body]
    curl -sS --max-time 10 -X "$2" -H "Authorization: Bearer $(cat "$work/$1.token")" \
        ${4:+-H "Content-Type: application/json" -d "$4"} "http://127.0.0.1:${port[$1]}$3"
}

# An agent's links' xruns, "server client".
link_xruns() { # agent
    api "$1" GET /api/links | grep -o '"xruns":[0-9]*' | cut -d: -f2 | paste -sd' '
}

await_line() { # file pattern pid seconds
    local _
    for _ in $(seq $(( $4 * 20 ))); do
        grep -q "$2" "$1" 2>/dev/null && return 0
        alive "$3" || break
        sleep 0.05
    done
    return 1
}

link_options() { # clientname bindport [peerport]
    echo "\"backend\":\"builtin\",\"rate\":$rate,\"buffersize\":$frames,\"numchannels\":$channels,\"clientname\":\"$1\",\"bindport\":$2${3:+,\"peerport\":$3}"
}

# Starts an agent from a jar with the JVM options in jvm.options, and its server and client link
# on UDP ports P and P+1; sets pid[agent] and port[agent].
declare -A pid port jar_of
start_agent() { # agent jar udp-port
    local a="$1" udp="$3" body answer _
    echo '{}' >"$work/$a.json"
    JACK_DEFAULT_SERVER="bw-$$-nojack" java "${jamwire_user_jvm_opts[@]}" -jar "$2" agent --port 0 \
        --token-file "$work/$a.token" --config "$work/$a.json" --jack-server "bw-$$-nojack" >"$work/$a.log" 2>&1 &
    pid[$a]=$!
    track "${pid[$a]}"
    jar_of[$a]="$2"
    await_line "$work/$a.log" "listening:" "${pid[$a]}" 30 || { echo "$me: agent $a did not start: $(last_words "$a")" >&2; exit 1; }
    port[$a]=$(sed -n 's|.*listening: *http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$work/$a.log" | head -1)
    for body in "{\"mode\":\"server\",\"options\":{$(link_options "bw$$-$a-srv" "$udp")}}" \
        "{\"mode\":\"client\",\"host\":\"127.0.0.1\",\"options\":{$(link_options "bw$$-$a-cli" $((udp + 1)) "$udp")}}"; do
        answer=$(api "$a" POST /api/links "$body")
        [[ "$answer" == *'"id":'* ]] || { echo "$me: agent $a cannot start a link: $answer" >&2; exit 1; }
    done
}

# Waits for both links of an agent to connect.
await_links() { # agent
    local _
    for _ in $(seq 200); do
        [[ "$(api "$1" GET /api/links | grep -o '"state":"connected"' | wc -l)" == 2 ]] && return 0
        sleep 0.05
    done
    echo "$me: agent $1: the links did not connect: $(api "$1" GET /api/links)" >&2
    exit 1
}

agents=(a)
start_agent a "$jar" "$udp_port"
if [[ -n "$compare" ]]; then
    agents+=(b)
    start_agent b "$compare" $((udp_port + 2))
fi
for a in "${agents[@]}"; do
    await_links "$a"
done

load_before="$(uptime | sed 's/.*load average: //')"
# The rows: "0 -" for each 0 in --clients, "K KIND" for each kind of each other count.
specs=()
for k in $client_counts; do
    if (( k == 0 )); then
        specs+=("0 -")
    else
        for kind in $kinds; do
            specs+=("$k $kind")
        done
    fi
done

# Two lines of FeedLoad's "mark EPOCH_MS MESSAGES BYTES WIRE METERS MIN_CH MAX_CH LINKS ERRORS CLOSED
# PER_SOCKET" as "msgs_per_client json_kB wire_kB min_ch max_ch links errors slowest", slowest being
# the messages of the socket that got fewest, in % of the mean.
load_figures() { # log clients
    grep '^mark' "$1" | tail -2 | paste -sd' ' | awk -v k="$2" '{
        ms = $14 - $2; n = split($12, a, ","); split($24, b, ","); least = -1
        for (i = 1; i <= n; i++) if (least < 0 || b[i] - a[i] < least) least = b[i] - a[i]
        printf "%.1f %.1f %.1f %d %d %d %d %.0f", ($15 - $3) / k / ms * 1000, ($16 - $4) / k / ms,
            ($17 - $5) / k / ms, $19, $20, $21, $22 + $23, (($15 - $3) > 0 ? 100 * least * k / ($15 - $3) : 0) }'
}

# Asks each running FeedLoad for a mark line, and waits for them.
mark_loads() {
    local a _
    for a in "${agents[@]}"; do
        [[ -n "${load[$a]}" ]] && echo mark >&"${load_in[$a]}"
    done
    for a in "${agents[@]}"; do
        [[ -z "${load[$a]}" ]] && continue
        for _ in $(seq 200); do
            [[ "$(grep -c '^mark' "${load_log[$a]}")" -gt "${marks[$a]}" ]] && break
            sleep 0.05
        done
        [[ "$(grep -c '^mark' "${load_log[$a]}")" -gt "${marks[$a]}" ]] \
            || { echo "$me: the feed clients of agent $a did not answer: $(tail -1 "${load_log[$a]}")" >&2; exit 1; }
        marks[$a]=$(( ${marks[$a]} + 1 ))
    done
}

# One line per row and agent: "agent clients kind cpu link_threads feed jetty jit msgs_per_client
# json_kB wire_kB min_ch max_ch links errors slowest xruns".
rows=()
declare -A load load_in load_log marks x0 c0
row=0
for spec in "${specs[@]}"; do
    read -r k kind <<<"$spec"
    row=$((row + 1))
    for a in "${agents[@]}"; do
        load[$a]=""
        marks[$a]=0
        load_log[$a]="$work/load-$row-$a.log"
        (( k > 0 )) || continue
        mkfifo "$work/load-$row-$a.in"
        java -XX:+UseSerialGC -cp "$classpath" org.jamwire.testing.FeedLoad "${port[$a]}" "$work/$a.token" "$k" \
            "$feed_rate" "$kind" "${topics[@]}" <"$work/load-$row-$a.in" >"${load_log[$a]}" 2>"$work/load-$row-$a.err" &
        load[$a]=$!
        track "${load[$a]}"
        exec {fd}>"$work/load-$row-$a.in"
        load_in[$a]=$fd
    done
    for a in "${agents[@]}"; do
        [[ -z "${load[$a]}" ]] && continue
        await_line "${load_log[$a]}" "^ready" "${load[$a]}" 60 || {
            echo "$me: the feed clients of agent $a did not get going: $(tail -3 "$work/load-$row-$a.err" | tr '\n' ' ')" >&2
            exit 1
        }
    done
    sleep "$warmup"
    mark_loads
    for a in "${agents[@]}"; do
        x0[$a]=$(link_xruns "$a")
        thread_ticks "${pid[$a]}" >"$work/t0-$row-$a"
        c0[$a]=$(cpu_seconds "${pid[$a]}")
    done
    sleep "$seconds"
    mark_loads
    for a in "${agents[@]}"; do
        thread_ticks "${pid[$a]}" >"$work/t1-$row-$a"
        c1=$(cpu_seconds "${pid[$a]}")
        x1=$(link_xruns "$a")
        alive "${pid[$a]}" || { echo "$me: agent $a stopped: $(last_words "$a")" >&2; exit 1; }
        thread_pcts "$work/t0-$row-$a" "$work/t1-$row-$a" >"$work/pcts-$row-$a"
        cpu=$(awk -v a="${c0[$a]}" -v b="$c1" -v t="$seconds" 'BEGIN { printf "%.2f", 100 * (b - a) / t }')
        feed=$(group_pct "$work/pcts-$row-$a" '^jamwire-feed$')
        jetty=$(group_pct "$work/pcts-$row-$a" '^(JettyServerThre|qtp|Jetty)')
        jit=$(group_pct "$work/pcts-$row-$a" '^C[12]_CompilerThre')
        linkthreads=$(group_pct "$work/pcts-$row-$a" '^jamwire-(clock-|[0-9]+-)')
        xruns=$(paste -d' ' <(tr ' ' '\n' <<<"${x0[$a]}") <(tr ' ' '\n' <<<"$x1") \
            | awk '{ printf "%s%d", (NR > 1 ? "/" : ""), $2 - $1 }')
        figures="- - - 0 0 0 0 -"
        [[ -n "${load[$a]}" ]] && figures=$(load_figures "${load_log[$a]}" "$k")
        rows+=("$a $k $kind $cpu $linkthreads $feed $jetty $jit $figures $xruns")
    done
    for a in "${agents[@]}"; do
        [[ -z "${load[$a]}" ]] && continue
        fd="${load_in[$a]}"
        exec {fd}>&-
        await_line "${load_log[$a]}" "^end" "${load[$a]}" 10 || true
        stop_process "${load[$a]}"
    done
done

echo "Live feed CPU: jamwire agent with a $channels-channel P2P server and client link (built-in backend, $rate Hz," \
    "$frames frames), feed clients at $feed_rate Hz on links, jack, events, counters:* and meters:*, ${seconds} s" \
    "per row after ${warmup} s, $(nproc) cores (load average before: $load_before), $(java -version 2>&1 | head -1)"
if [[ -n "$compare" ]]; then
    echo "Agent a: $jar; agent b: $compare, side by side."
fi
echo
agent_column=""
agent_rule=""
if [[ -n "$compare" ]]; then
    agent_column="agent | "
    agent_rule="---|"
fi
echo "| ${agent_column}feed clients | client | agent CPU % | difference % (vs no clients) | links' threads % | rest % | feed's cost % (rest vs no clients) | jamwire-feed thread % | JIT compilers % | Jetty threads % | messages/s per client | kB/s per client (JSON / on the wire) | meters channels (least/most) | link xruns (server/client) |"
echo "|${agent_rule}---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
notes=()
for a in "${agents[@]}"; do
    baseline=$(for r in "${rows[@]}"; do echo "$r"; done | awk -v a="$a" '$1 == a && $2 == 0 { s += $4; n++ } END { if (n) printf "%.2f", s / n }')
    baseline_rest=$(for r in "${rows[@]}"; do echo "$r"; done \
        | awk -v a="$a" '$1 == a && $2 == 0 { s += $4 - $5; n++ } END { if (n) printf "%.2f", s / n }')
    cell=""
    [[ -n "$compare" ]] && cell="$a | "
    for r in "${rows[@]}"; do
        read -r ra k kind cpu linkthreads feed jetty jit msgs json wire minch maxch links errors slowest xruns <<<"$r"
        [[ "$ra" == "$a" ]] || continue
        rest=$(awk -v a="$cpu" -v b="$linkthreads" 'BEGIN { printf "%.2f", a - b }')
        if [[ "$k" == 0 ]]; then
            echo "| ${cell}0 | none | $cpu | (baseline) | $linkthreads | $rest | (baseline) | $feed | $jit | $jetty | - | - | n/a | $xruns |"
            continue
        fi
        difference=$(awk -v a="$cpu" -v b="$baseline" 'BEGIN { if (b == "") print "n/a"; else printf "%.2f", a - b }')
        cost=$(awk -v a="$rest" -v b="$baseline_rest" 'BEGIN { if (b == "") print "n/a"; else printf "%.2f", a - b }')
        [[ "$kind" == plain ]] && label="java.net.http (no compression)" || label="permessage-deflate (as browsers)"
        echo "| ${cell}$k | $label | $cpu | $difference | $linkthreads | $rest | $cost | $feed | $jit | $jetty | $msgs | $json / $wire | $minch/$maxch | $xruns |"
        [[ "$minch" != "$channels" || "$maxch" != "$channels" ]] && notes+=("agent $a, $k $kind clients: meters came with $minch to $maxch channels, not $channels")
        [[ "$links" != 2 ]] && notes+=("agent $a, $k $kind clients: meters came for $links link(s), not 2")
        [[ "$errors" != 0 ]] && notes+=("agent $a, $k $kind clients: $errors socket errors or closed sockets (see the load log)")
        (( slowest < 90 )) && notes+=("agent $a, $k $kind clients: one socket got only $slowest % of the mean count of messages")
    done
done
echo
echo "Busiest threads of each row (% of one core; names cut to 15 characters by the kernel):"
row=0
for spec in "${specs[@]}"; do
    row=$((row + 1))
    read -r k kind <<<"$spec"
    for a in "${agents[@]}"; do
        label=""
        [[ -n "$compare" ]] && label="agent $a, "
        label+="$k clients"
        [[ "$kind" != - ]] && label+=" ($kind)"
        echo "- $label: $(sort -k2,2 -g -r "$work/pcts-$row-$a" | awk '$2 >= 0.05' | head -8 \
            | awk '{ printf "%s%s %.2f", (NR > 1 ? ", " : ""), $1, $2 }')"
    done
done
if [[ ${#notes[@]} -gt 0 ]]; then
    echo
    for n in "${notes[@]}"; do
        echo "- $n"
    done
fi
