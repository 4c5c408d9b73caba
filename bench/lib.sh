# Shared by the scripts in bench/: sourced, not run. Each script sets `me` (its name, for messages)
# before sourcing this, and then calls bench_setup with the tools it needs.
#
# Every process started here is recorded in $work/pids with its start time, also from subshells,
# so that the cleanup trap stops all of them however the script ends, and never another process
# that has since been given the same pid. Processes are stopped with SIGTERM: a script's
# background processes ignore SIGINT, and both JamWire and jacktrip stop cleanly (and send their
# stop packets) on SIGTERM.

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
jar="$root/agent/target/jamwire.jar"
rate=48000
# No JACK client here may start a server of its own (libjack does when it finds none).
export JACK_NO_START_SERVER=1
# JamWire's endpoints run with the JVM options users get from ./jamwire (jvm.options), then
# these: JAMWIRE_JAVA_OPTS, split at spaces as ./jamwire does (e.g. to try
# -XX:SharedArchiveFile=FILE), and what a script adds (gc.sh adds its logging here).
mapfile -t jamwire_user_jvm_opts < <(grep -v -e '^#' -e '^[[:space:]]*$' "$root/jvm.options")
# and, as ./jamwire does, the build's class-data archive while it is not older than the jar
if [[ -f "$root/agent/target/jamwire.jsa" && ! "$root/agent/target/jamwire.jsa" -ot "$jar" ]]; then
    jamwire_user_jvm_opts+=("-XX:SharedArchiveFile=$root/agent/target/jamwire.jsa" "-Xlog:cds=off,cds+dynamic=off")
fi
read -r -a jamwire_jvm_opts <<< "${JAMWIRE_JAVA_OPTS:-}"
# JACK client names of the two ends, unique to this run: libjack names a client's socket in
# /dev/shm after the client alone, so two clients of one name opening at the same moment on
# different servers can collide.
srv="bw$$-srv"
cli="bw$$-cli"

bench_setup() { # tools...
    local tool
    for tool in "$@"; do
        command -v "$tool" >/dev/null || { echo "$me: $tool is missing: run scripts/install-test-deps" >&2; exit 1; }
    done
    if [[ ! -f "$jar" ]]; then
        echo "$me: building JamWire…" >&2
        (cd "$root" && mvn -q -B -DskipTests package) >&2
    fi
    work="$(mktemp -d)"
    : >"$work/pids"
    trap bench_cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
}

# Compiles the test classes (Maven skips what is up to date) and prints the classpath that runs
# a class from them: the test classes and every dependency of the agent. The web UI's module is
# resolved from this reactor build, so a fresh clone needs no `mvn install` first.
test_classpath() {
    echo "$me: compiling the test classes…" >&2
    (cd "$root" && mvn -q -B -DskipTests -pl agent -am test-compile dependency:build-classpath \
        -Dmdep.outputFile="$work/classpath") >&2
    echo "$root/agent/target/test-classes:$(cat "$work/classpath")"
}

bench_cleanup() {
    stop_tracked 1
    wait 2>/dev/null || true
    if [[ -n "${KEEP_WORK:-}" ]]; then
        echo "$me: logs kept in $work" >&2
    else
        rm -rf "$work"
    fi
}

# When a process started, in clock ticks since boot, or nothing if there is no such process.
start_time() { # pid
    sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d" " -f20
}

track() { # pid
    echo "$1 $(start_time "$1")" >>"$work/pids"
}

# Whether a pid is still the process this script started under it.
ours() { # pid
    local start
    start=$(awk -v p="$1" '$1 == p { print $2 }' "$work/pids" | tail -1)
    [[ -n "$start" && "$(start_time "$1")" == "$start" ]]
}

# Lines in the pid file so far: what stop_tracked takes to stop only what was started after.
tracked() {
    wc -l <"$work/pids"
}

# Stops every process recorded from line `first` of the pid file on: SIGTERM to all, up to 5 s
# to stop (a jackd killed outright leaves its files in /dev/shm), then SIGKILL.
stop_tracked() { # first
    local pids=() p _ left
    while read -r p _; do
        ours "$p" && pids+=("$p")
    done < <(tail -n "+$1" "$work/pids")
    [[ ${#pids[@]} -eq 0 ]] && return 0
    kill -TERM "${pids[@]}" 2>/dev/null || true
    for _ in $(seq 50); do
        left=0
        for p in "${pids[@]}"; do
            alive "$p" && ours "$p" && left=1
        done
        [[ "$left" == 0 ]] && return 0
        sleep 0.1
    done
    for p in "${pids[@]}"; do
        ours "$p" && kill -KILL "$p" 2>/dev/null || true
    done
}

# A JACK server name unique to this run (names are machine-wide).
jack_name() { # label
    echo "bw-$$-$1"
}

# Starts a private jackd (dummy driver) with room for `ports` ports; prints its pid. A jackd that
# exits at once is started again, up to 3 times: on a machine where others run JACK servers
# too, a start can fail for a moment (the servers share one registry in /dev/shm).
start_jack() { # name frames ports
    local attempt pid _
    for attempt in 1 2 3; do
        jackd -n "$1" --port-max "$3" -d dummy -r "$rate" -p "$2" -C 2 -P 2 >"$work/$1.log" 2>&1 &
        pid=$!
        track "$pid"
        for _ in $(seq 300); do
            if JACK_DEFAULT_SERVER="$1" jack_lsp 2>/dev/null | grep -q '^system:'; then
                echo "$pid"
                return 0
            fi
            alive "$pid" || break
            sleep 0.05
        done
        alive "$pid" && break
        cp "$work/$1.log" "$work/$1.log.$attempt"
        sleep 2
    done
    echo "$me: jackd $1 did not start ($(alive "$pid" && echo "it runs, but no system ports appeared in 15 s" || echo "it exited")):" \
        "$(grep -v -e '^jackdmp' -e '^Copyright' -e 'WARRANTY' -e 'free software' -e 'certain conditions' \
            -e '^no message buffer' -e '^$' "$work/$1.log" | tr '\n' ' ')" >&2
    return 1
}

# Xruns a jackd has reported so far (its "XRun" lines).
xruns() { # name
    grep -c XRun "$work/$1.log" || true
}

# Whether a process runs (a zombie, exited but not yet reaped, does not).
alive() { # pid
    local state
    state=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
    [[ "$state" != Z* ]]
}

# SIGTERM, and SIGKILL if it has not stopped after 5 s.
stop_process() { # pid
    ours "$1" || return 0
    kill -TERM "$1" 2>/dev/null || return 0
    local _
    for _ in $(seq 100); do
        alive "$1" || { wait "$1" 2>/dev/null || true; return 0; }
        sleep 0.05
    done
    kill -KILL "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}

# CPU seconds (user+system) a process has used, from /proc.
cpu_seconds() { # pid
    awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15) / hz }' "/proc/$1/stat"
}

# Starts one endpoint on a JACK server, logging to $work/LOG.log; prints its pid.
start_end() { # kind(jamwire|jacktrip) server log args...
    local kind="$1" server="$2" log="$3"; shift 3
    if [[ "$kind" == jamwire ]]; then
        JACK_DEFAULT_SERVER="$server" java "${jamwire_user_jvm_opts[@]}" "${jamwire_jvm_opts[@]}" -jar "$jar" "$@" \
            >"$work/$log.log" 2>&1 &
    else
        JACK_DEFAULT_SERVER="$server" jacktrip "$@" >"$work/$log.log" 2>&1 &
    fi
    local pid=$!
    track "$pid"
    echo "$pid"
}

# The last line an endpoint printed, to say why it stopped (not JamWire's hint to run --help).
last_words() { # log
    grep -v -e '^[[:space:]-]*$' -e "^run 'jamwire --help'" "$work/$1.log" | tail -1
}

# jack_connect, retried: a client's ports can exist a moment before the client is active.
connect() { # server from to
    local _
    for _ in $(seq 100); do
        JACK_DEFAULT_SERVER="$1" jack_connect "$2" "$3" 2>/dev/null && return 0
        JACK_DEFAULT_SERVER="$1" jack_lsp -c "$2" 2>/dev/null | grep -qx "   $3" && return 0
        sleep 0.05
    done
    echo "$me: cannot connect $2 to $3 on $1" >&2
    return 1
}

# Waits for a port, for 10 s or until the process that should make it has exited.
await_port() { # server port [pid]
    local _
    for _ in $(seq 200); do
        JACK_DEFAULT_SERVER="$1" jack_lsp 2>/dev/null | grep -qx "$2" && return 0
        [[ -n "${3:-}" ]] && ! alive "$3" && break
        sleep 0.05
    done
    echo "$me: port $2 never appeared on $1" >&2
    return 1
}

# Link options that differ between the programs: 16-bit samples (jacktrip's -b is JamWire's
# redundancy), and JamWire's underrun policy when one is given.
link_opts() { # kind [underrun]
    if [[ "$1" == jamwire ]]; then
        echo "--bitres 16${2:+ --underrun $2}"
    else
        echo "-b 16"
    fi
}

# The median of the numbers on standard input, or nothing if there are none.
median() {
    sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'
}

# Biggest UDP payload over IPv4: a larger datagram fails to send (EMSGSIZE).
udp_max=65507

# Why a link of this shape cannot carry audio, or nothing: the 16-byte header plus the samples
# of one period must fit one UDP datagram, and the header counts channels in one byte.
shape_problem() { # channels frames bits
    local bytes=$(( 16 + $1 * $2 * $3 / 8 )) why=""
    if (( $1 > 255 )); then
        why="the packet header counts channels in one byte (at most 255, and $1 is sent as $(( $1 % 256 )))"
    fi
    if (( bytes > udp_max )); then
        why="${why:+$why; }a packet is $bytes bytes, over UDP's $udp_max-byte limit, so every send fails with EMSGSIZE"
    fi
    echo "$why"
}

# A link of `kind` between two private JACK servers: the server on the near one, the client on
# the far one, the far end's receive ports looped back to its send ports, and jack_iodelay on
# the near server through channel 1. Sets pair_* variables; on failure pair_error says why.
pair_start() { # kind channels queue port frames label
    local kind="$1" ch="$2" queue="$3" port="$4" frames="$5" label="$6"
    pair_error=""
    pair_near=$(jack_name "$label-near")
    pair_far=$(jack_name "$label-far")
    # Each server: the link's 2 x channels ports, jack_iodelay's 2, the system's 4, and room.
    local ports=$(( 2 * ch + 32 ))
    pair_jack_near=$(start_jack "$pair_near" "$frames" "$ports") || { pair_error="jackd did not start"; return 1; }
    pair_jack_far=$(start_jack "$pair_far" "$frames" "$ports") || { pair_error="jackd did not start"; return 1; }
    local opts
    read -r -a opts <<<"$(link_opts "$kind")"
    pair_server=$(start_end "$kind" "$pair_near" "$label-server" -s -n "$ch" -q "$queue" -B "$port" -J "$srv" -D "${opts[@]}")
    if ! await_port "$pair_near" "$srv:send_1" "$pair_server" 2>/dev/null; then
        pair_error="the server did not start: $(last_words "$label-server")"
        return 1
    fi
    pair_client=$(start_end "$kind" "$pair_far" "$label-client" -c 127.0.0.1 -n "$ch" -q "$queue" -B $((port + 1)) \
        -P "$port" -J "$cli" -D "${opts[@]}")
    if ! await_port "$pair_far" "$cli:send_1" "$pair_client" 2>/dev/null; then
        pair_error="the client did not start: $(last_words "$label-client")"
        return 1
    fi
    local c
    for c in $(seq "$ch"); do
        connect "$pair_far" "$cli:receive_$c" "$cli:send_$c" || { pair_error="cannot loop channel $c back"; return 1; }
    done
    JACK_DEFAULT_SERVER="$pair_near" stdbuf -oL jack_iodelay >"$work/$label-iodelay.log" 2>&1 &
    pair_iodelay=$!
    track "$pair_iodelay"
    pair_label="$label"
    await_port "$pair_near" jack_delay:out "$pair_iodelay" &&
        connect "$pair_near" jack_delay:out "$srv:send_1" 2>/dev/null &&
        connect "$pair_near" "$srv:receive_1" jack_delay:in 2>/dev/null || {
        # jacktrip's server activates its JACK client when the first packet arrives.
        if grep -q "inactive clients: \"$srv\"" "$work/$pair_near.log"; then
            pair_error="the server's JACK client never became active: no packet came from the client"
        else
            pair_error="cannot connect jack_iodelay"
        fi
        return 1
    }
}

# The round trip in frames so far: the median of jack_iodelay's readings (a glitch can make a
# single reading lock onto a wrong alignment of its test signal), or nothing without a reading.
pair_latency() {
    grep -o "[0-9.]* frames" "$work/$pair_label-iodelay.log" | cut -d" " -f1 | median | cut -d. -f1
}

# Whether both ends still run.
pair_alive() {
    alive "$pair_server" && alive "$pair_client"
}

pair_stop() {
    local p
    for p in ${pair_iodelay:-} ${pair_client:-} ${pair_server:-} ${pair_jack_near:-} ${pair_jack_far:-}; do
        stop_process "$p"
    done
    pair_iodelay="" pair_client="" pair_server="" pair_jack_near="" pair_jack_far=""
}
