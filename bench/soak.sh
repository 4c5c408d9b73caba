#!/usr/bin/env bash
# A soak: JamWire's agent runs a P2P server link and a hub for HOURS, and every minute this
# records the agent's memory (RSS and the Java heap in use after the last collection), its threads
# and open file descriptors, the link's and the hub's counters, the JACK servers' xruns and the
# relay's own record of what it lost and delayed. At the end it prints a summary and exits 1 if
# memory, threads or fds grew, or if a counter moved that the relay's record and the xruns do not
# explain.
#
# The setup, on this machine, with the JVM options in jvm.options as ./jamwire runs them:
#  - two private JACK servers (dummy driver, 48 kHz, --frames, 2 channels each way);
#  - `jamwire agent` on the first, with a P2P server link (2 channels, -q --queue, pinned to
#    127.0.0.1) and a hub server (patch mode 2), both started through its API;
#  - on the second: the link's client, sending through `jamwire netsim` (--loss, --delay and
#    --jitter each way), and --hub-clients hub clients (`jamwire -C`) streaming to the hub directly
#    (a hub's UDP ports are given out in its handshake, so no relay can sit in front of them);
#  - one live-feed client (FeedLoad, from the test classes) subscribed to every topic at 25 Hz.
#
# Usage: bench/soak.sh HOURS [--minutes M] [--frames N] [--queue Q] [--hub-clients N]
#                            [--loss PCT] [--delay MS] [--jitter MS] [--out FILE]
#   HOURS may have decimals (0.1 is 6 minutes); --minutes overrides it. The per-minute table
#   is written to --out (default: a file in the run's work directory, named at the end).
set -euo pipefail

me=bench/soak.sh
hours=""
minutes=""
frames=128
queue=4
hub_clients=2
loss=1
delay=5
jitter=2
out=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --minutes) minutes="$2"; shift 2 ;;
        --frames) frames="$2"; shift 2 ;;
        --queue) queue="$2"; shift 2 ;;
        --hub-clients) hub_clients="$2"; shift 2 ;;
        --loss) loss="$2"; shift 2 ;;
        --delay) delay="$2"; shift 2 ;;
        --jitter) jitter="$2"; shift 2 ;;
        --out) out="$2"; shift 2 ;;
        -h|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) echo "$me: unknown option $1 (see --help)" >&2; exit 2 ;;
        *) hours="$1"; shift ;;
    esac
done
if [[ -z "$minutes" ]]; then
    [[ "$hours" =~ ^[0-9]+(\.[0-9]+)?$ ]] || { echo "$me: give the hours to run, e.g. 1 or 0.5 (see --help)" >&2; exit 2; }
    minutes=$(awk -v h="$hours" 'BEGIN { m = int(h * 60 + 0.5); print (m < 1 ? 1 : m) }')
fi
[[ "$minutes" =~ ^[0-9]+$ ]] && (( minutes >= 1 )) || { echo "$me: --minutes takes a whole number from 1 up" >&2; exit 2; }

# shellcheck source=bench/lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"
bench_setup jackd jack_lsp jack_connect java curl jcmd
classpath="$(test_classpath)"
out="${out:-$work/soak.tsv}"

await_line() { # file pattern pid seconds
    local _
    for _ in $(seq $(( $4 * 20 ))); do
        grep -q "$2" "$1" 2>/dev/null && return 0
        alive "$3" || break
        sleep 0.05
    done
    return 1
}

api() { # method path [body]
    curl -sS --max-time 10 -X "$1" -H "Authorization: Bearer $(cat "$work/agent.token")" \
        ${3:+-H "Content-Type: application/json" -d "$3"} "http://127.0.0.1:$agent_port$2"
}

# A number from a flat JSON object: the value of "key".
field() { # json key
    grep -o "\"$2\":[0-9-]*" <<<"$1" | head -1 | cut -d: -f2
}

near=$(jack_name soak-near)
far=$(jack_name soak-far)
start_jack "$near" "$frames" 128 >/dev/null
start_jack "$far" "$frames" 128 >/dev/null

echo '{}' >"$work/agent.json"
JACK_DEFAULT_SERVER="$near" java "${jamwire_user_jvm_opts[@]}" "${jamwire_jvm_opts[@]}" -jar "$jar" agent --port 0 \
    --token-file "$work/agent.token" --config "$work/agent.json" --jack-server "$near" >"$work/agent.log" 2>&1 &
agent=$!
track "$agent"
await_line "$work/agent.log" "listening:" "$agent" 30 || { echo "$me: the agent did not start: $(last_words agent)" >&2; exit 1; }
agent_port=$(sed -n 's|.*listening: *http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$work/agent.log" | head -1)

udp=$((36000 + $$ % 1000 * 10))
link=$(api POST /api/links "{\"mode\":\"server\",\"options\":{\"bindport\":$udp,\"numchannels\":2,\"queue\":\"$queue\",\"clientname\":\"soaksrv$$\",\"nojackportsconnect\":true,\"peer\":\"127.0.0.1\"}}")
link_id=$(grep -o '"id":"[^"]*"' <<<"$link" | head -1 | cut -d'"' -f4)
[[ -n "$link_id" ]] || { echo "$me: the agent did not start the link: $link" >&2; exit 1; }
hub_tcp=$((udp + 3))
hub=$(api POST /api/links "{\"mode\":\"hubserver\",\"options\":{\"bindport\":$hub_tcp,\"udpbaseport\":$((udp + 4)),\"hubpatch\":\"2\",\"queue\":\"$queue\"}}")
hub_id=$(grep -o '"id":"[^"]*"' <<<"$hub" | head -1 | cut -d'"' -f4)
[[ -n "$hub_id" ]] || { echo "$me: the agent did not start the hub: $hub" >&2; exit 1; }

java "${jamwire_user_jvm_opts[@]}" -jar "$jar" netsim --to "127.0.0.1:$udp" --listen $((udp + 2)) --loss "$loss" \
    --delay "$delay" --jitter "$jitter" --seed 1 >"$work/relay.log" 2>&1 &
relay=$!
track "$relay"
await_line "$work/relay.log" "relaying" "$relay" 20 || { echo "$me: the relay did not start: $(last_words relay)" >&2; exit 1; }
client=$(start_end jamwire "$far" client -c 127.0.0.1 -P $((udp + 2)) -B $((udp + 1)) -n 2 -q "$queue" -J "soakcli$$" -D)
hubbers=()
for i in $(seq "$hub_clients"); do
    hubbers+=("$(start_end jamwire "$far" "hub$i" -C 127.0.0.1 -P "$hub_tcp" -B $((udp + 100 + i)) -n 2 -q "$queue" \
        -K "soak$i-$$" -J "soakhub$i-$$" -D)")
done

mkfifo "$work/feed.in"
java -XX:+UseSerialGC -cp "$classpath" org.jamwire.testing.FeedLoad "$agent_port" "$work/agent.token" 1 25 plain \
    links jack events "counters:*" "meters:*" "hub:*" <"$work/feed.in" >"$work/feed.log" 2>"$work/feed.err" &
feed=$!
track "$feed"
exec {feed_in}>"$work/feed.in"

for _ in $(seq 400); do
    state=$(api GET "/api/links/$link_id")
    streaming=$(api GET "/api/links/$hub_id/clients" | grep -o '"state":"connected"' | wc -l || true)
    [[ "$state" == *'"state":"connected"'* && "$streaming" -ge "$hub_clients" ]] && break
    sleep 0.1
done
[[ "$state" == *'"state":"connected"'* ]] || { echo "$me: the link did not connect: $state; client: $(last_words client)" >&2; exit 1; }
[[ "$streaming" -ge "$hub_clients" ]] || { echo "$me: $streaming of $hub_clients hub clients stream: $(api GET "/api/links/$hub_id/clients")" >&2; exit 1; }
await_line "$work/feed.log" "^ready" "$feed" 60 || { echo "$me: the feed client did not start: $(tail -2 "$work/feed.err")" >&2; exit 1; }

# One row a minute. Counters are totals since the start.
cols="minute rss_kb heap_kb live_kb threads fds link_in link_lost link_revived link_late link_underruns link_foreign link_malformed link_mismatch link_short hub_clients hub_foreign hub_malformed hub_refused relay_lost_to_server relay_lost_to_client xruns_near xruns_far feed_messages feed_errors"
printf '%s\n' "$cols" | tr ' ' '\t' >"$out"

heap_kb() { # the heap in use now, as the JVM reports it (live objects and garbage not yet collected)
    jcmd "$agent" GC.heap_info 2>/dev/null | awk '/used/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?/, "", v); s += v } } END { print s + 0 }'
}

# The live heap: a full collection first (a pause of some milliseconds, which may cost the agent's
# links an xrun), so it is taken twice only, once warmed up and at the end.
live_kb() {
    jcmd "$agent" GC.run >/dev/null 2>&1
    heap_kb
}

row() { # minute live(yes|no)
    local c h hc rl live="-"
    c=$(api GET "/api/links/$link_id/counters")
    h=$(api GET "/api/links/$hub_id/counters")
    hc=$(api GET "/api/links/$hub_id/clients" | grep -o '"slot"' | wc -l || true)
    echo mark >&"$feed_in"
    # The relay prints its count once a second: wait for one made after the link's counters were
    # read, so that every loss the link has counted is in it.
    sleep 1.2
    # The relay's last count, a line per direction: "12.0s to-server N arrived N sent N lost ...".
    rl=$(grep -E '^ *[0-9.]+s to-(server|client) ' "$work/relay.log" | tail -2 | sort -k2,2r | awk '{ printf "%s ", $7 }')
    local rss threads fds heap last
    rss=$(awk '/VmRSS/ { print $2 }' "/proc/$agent/status")
    threads=$(awk '/Threads/ { print $2 }' "/proc/$agent/status")
    fds=$(ls "/proc/$agent/fd" | wc -l)
    heap=$(heap_kb)
    [[ "$2" == yes ]] && live=$(live_kb)
    last=$(grep '^mark' "$work/feed.log" | tail -1)
    local values=("$1" "$rss" "$heap" "$live" "$threads" "$fds"
        "$(field "$c" pkts_in)" "$(field "$c" lost)" "$(field "$c" revived)" "$(field "$c" late)"
        "$(field "$c" underrun)" "$(field "$c" foreign)" "$(field "$c" malformed)" "$(field "$c" mismatch)"
        "$(field "$c" short)" "$hc" "$(field "$h" foreign_datagrams)" "$(field "$h" malformed_datagrams)"
        "$(field "$h" handshakes_address_refused)" ${rl:-"? ?"} "$(xruns "$near")" "$(xruns "$far")"
        "$(awk '{ print $3 }' <<<"$last")" "$(awk '{ print $10 }' <<<"$last")")
    (IFS=$'\t'; echo "${values[*]}") >>"$out"
}

echo "$me: streaming; recording a row a minute for $minutes min into $out" >&2
# Memory is judged from this minute on: JIT compilation and the heap growing to its working
# size come before it.
warm=$(( minutes >= 10 ? 5 : 0 ))
start=$SECONDS
for m in $(seq 0 "$minutes"); do
    while (( SECONDS - start < m * 60 )); do sleep 1; done
    for p in "$agent" "$client" "$relay" "$feed" "${hubbers[@]}"; do
        alive "$p" || { echo "$me: a process stopped at minute $m (pid $p); agent: $(last_words agent)" >&2; exit 1; }
    done
    row "$m" "$([[ $m -eq $warm || $m -eq $minutes ]] && echo yes || echo no)"
    echo "$me: minute $m/$minutes: $(tail -1 "$out" | awk -F'\t' '{ printf "RSS %d kB, heap %d kB, live %s kB, %d threads, %d fds, %d xruns", $2, $3, $4, $5, $6, $22 + $23 }')" >&2
done

# The summary: growth over the run (least-squares slope after the first 5 minutes, scaled to an
# hour), and the counters' totals set against the relay's record and the xruns.
awk -F'\t' -v warm="$warm" '
    NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    { n++; for (k in col) v[n, k] = $col[k] }
    END {
        skip = warm + 1
        split("rss_kb heap_kb threads fds", g, " ")
        bad = 0
        for (j = 1; j <= 4; j++) {
            k = g[j]; sx = sy = sxx = sxy = m = 0; lo = hi = v[skip, k]
            for (i = skip; i <= n; i++) { x = v[i, "minute"]; y = v[i, k]; sx += x; sy += y; sxx += x * x; sxy += x * y; m++
                if (y < lo) lo = y; if (y > hi) hi = y }
            slope = (m > 1 && (m * sxx - sx * sx) != 0) ? (m * sxy - sx * sy) / (m * sxx - sx * sx) * 60 : 0
            printf "%-8s at minute %d: %s; at the end: %s; least %s, most %s; least-squares slope %.1f per hour\n", k, warm, v[skip, k], v[n, k], lo, hi, slope
            if ((k == "threads" || k == "fds") && hi - lo > 2) bad = 1
            if (k == "rss_kb" && v[n, k] > 1.10 * v[skip, k] + 10240) bad = 1
        }
        printf "live heap after a full collection: %s kB at minute %d, %s kB at the end\n", v[skip, "live_kb"], warm, v[n, "live_kb"]
        if (v[n, "live_kb"] > 1.10 * v[skip, "live_kb"] + 1024) bad = 1
        lost = v[n, "link_lost"]; relay = v[n, "relay_lost_to_server"]
        printf "link: %s packets in, %s lost (the relay dropped %s on the way to the server), %s revived, %s late, %s underruns\n", v[n, "link_in"], lost, relay, v[n, "link_revived"], v[n, "link_late"], v[n, "link_underruns"]
        printf "garbage counters: link foreign %s, malformed %s, mismatch %s, short %s; hub foreign %s, malformed %s, refused %s\n", v[n, "link_foreign"], v[n, "link_malformed"], v[n, "link_mismatch"], v[n, "link_short"], v[n, "hub_foreign"], v[n, "hub_malformed"], v[n, "hub_refused"]
        printf "xruns: near %s, far %s; feed: %s messages, %s errors; hub clients at the end: %s\n", v[n, "xruns_near"], v[n, "xruns_far"], v[n, "feed_messages"], v[n, "feed_errors"], v[n, "hub_clients"]
        if (v[n, "link_foreign"] + v[n, "link_malformed"] + v[n, "link_mismatch"] + v[n, "link_short"] + v[n, "hub_foreign"] + v[n, "hub_malformed"] + v[n, "hub_refused"] + v[n, "feed_errors"] > 0) bad = 1
        # Every packet the link counted lost is one the relay dropped (a late one counted lost is taken back).
        if (lost > relay) bad = 1
        exit bad
    }' "$out" && verdict=0 || verdict=$?
# The ends first, then the agent, then the JACK servers: libjack crashes a client that closes
# while its server is going away.
for p in "$feed" "${hubbers[@]}" "$client" "$relay" "$agent"; do
    stop_process "$p"
done
echo "$me: table: $out"
if (( verdict != 0 )); then
    echo "$me: something grew, or moved unexplained: see the summary above" >&2
    KEEP_WORK=1
    exit 1
fi
KEEP_WORK=1
