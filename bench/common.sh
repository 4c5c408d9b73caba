# Shared by the benchmark scripts: private JACK servers, endpoints and their cleanup.
# Expects $root, $rate and $frames; sets $work and $pids and cleans up on exit.

for tool in jackd jacktrip jack_iodelay jack_connect jack_lsp java stdbuf; do
    command -v "$tool" >/dev/null || { echo "bench: $tool is missing: run scripts/install-test-deps" >&2; exit 1; }
done
jar="$root/agent/target/jamwire.jar"
if [[ ! -f "$jar" ]]; then
    echo "bench: building JamWire…" >&2
    (cd "$root" && mvn -q -B -DskipTests package) >&2
fi

work="$(mktemp -d)"
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    [[ -n "${KEEP_WORK:-}" ]] && echo "bench: logs kept in $work" >&2 || rm -rf "$work"
}
trap cleanup EXIT

start_jack() { # name
    jackd -n "$1" --port-max 600 -d dummy -r "$rate" -p "$frames" -C 2 -P 2 >"$work/$1.log" 2>&1 &
    pids+=($!)
    for _ in $(seq 300); do
        JACK_DEFAULT_SERVER="$1" jack_lsp >/dev/null 2>&1 && return 0
        sleep 0.05
    done
    echo "bench: jackd $1 did not start: $(tail -3 "$work/$1.log")" >&2
    return 1
}

# SIGTERM, on which both programs stop as on Ctrl-C and send their stop packets (a background job
# of a script ignores SIGINT, and so does a JVM started with it ignored); SIGKILL after 5 s.
stop_process() {
    kill -TERM "$1" 2>/dev/null || return 0
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

# Starts one endpoint: kind (jamwire|jacktrip), jack server, role args...; sets $last_pid.
# JamWire runs through the launcher, ./jamwire, as users start it (it execs java, so the pid is
# the JVM's).
start_end() {
    local kind="$1" server="$2"; shift 2
    if [[ "$kind" == jamwire ]]; then
        JACK_DEFAULT_SERVER="$server" "$root/jamwire" "$@" >"$work/$kind-$server.log" 2>&1 &
    else
        JACK_DEFAULT_SERVER="$server" jacktrip "$@" >"$work/$kind-$server.log" 2>&1 &
    fi
    last_pid=$!
    pids+=("$last_pid")
}

# jack_connect, retried: a client's ports can exist a moment before the client is active.
connect() { # server from to
    for _ in $(seq 40); do
        JACK_DEFAULT_SERVER="$1" jack_connect "$2" "$3" 2>/dev/null && return 0
        JACK_DEFAULT_SERVER="$1" jack_lsp -c "$2" 2>/dev/null | grep -qx "   $3" && return 0
        sleep 0.05
    done
    echo "bench: cannot connect $2 to $3 on $1" >&2
    return 1
}

await_port() { # server port
    for _ in $(seq 200); do
        JACK_DEFAULT_SERVER="$1" jack_lsp 2>/dev/null | grep -qx "$2" && return 0
        sleep 0.05
    done
    echo "bench: port $2 never appeared on $1" >&2
    return 1
}
