// The live feed at /api/live (docs/agent-api.md, "Live feed"): authenticate with the first
// message, wait for hello, then subscribe. Reconnects with backoff and subscribes again.
import { reactive } from 'vue'

export const UNAUTHORIZED_CLOSE = 4401

export function liveUrl(loc = window.location) {
  const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:'
  return `${scheme}//${loc.host}/api/live`
}

// status: idle (no token), connecting, authenticating, live, retrying, unauthorized, closed.
export function createLiveClient({
  url = () => liveUrl(),
  getToken,
  onMessage = () => {},
  onUnauthorized = () => {},
  WebSocketImpl = () => globalThis.WebSocket,
  minDelayMs = 500,
  maxDelayMs = 15000,
} = {}) {
  const state = reactive({
    status: 'idle',
    hello: null,
    error: null,
    retryInMs: 0,
  })
  let socket = null
  let timer = null
  let stopped = true
  let failures = 0
  let topics = null
  let rateHz = 25

  function send(sock, message) {
    sock.send(JSON.stringify(message))
  }

  function sendSubscribe() {
    if (!socket || state.status !== 'live' || !topics) return
    send(socket, { type: 'subscribe', topics, rateHz })
  }

  function open() {
    const token = getToken()
    if (!token) {
      state.status = 'idle'
      return
    }
    const WS = WebSocketImpl()
    let sock
    try {
      sock = new WS(url())
    } catch (e) {
      state.error = { type: 'error', message: String(e?.message || e) }
      retry()
      return
    }
    socket = sock
    state.status = 'connecting'
    sock.onopen = () => {
      if (socket !== sock) return
      state.status = 'authenticating'
      send(sock, { type: 'auth', token })
    }
    sock.onmessage = (event) => {
      if (socket !== sock) return
      let msg
      try {
        msg = JSON.parse(event.data)
      } catch {
        return
      }
      if (!msg || typeof msg !== 'object') return
      if (msg.type === 'hello') {
        state.status = 'live'
        state.hello = msg
        state.error = null
        failures = 0
        sendSubscribe()
      } else if (msg.type === 'error') {
        state.error = msg
      }
      onMessage(msg)
    }
    sock.onerror = () => {
      // A close event follows; the retry is decided there.
    }
    sock.onclose = (event) => {
      if (socket !== sock) return
      socket = null
      if (event?.code === UNAUTHORIZED_CLOSE) {
        stopped = true
        state.status = 'unauthorized'
        onUnauthorized()
        return
      }
      if (stopped) {
        state.status = 'closed'
        return
      }
      retry()
    }
  }

  function retry() {
    const delay = Math.min(maxDelayMs, minDelayMs * 2 ** failures)
    failures += 1
    state.status = 'retrying'
    state.retryInMs = delay
    timer = setTimeout(() => {
      timer = null
      if (!stopped) open()
    }, delay)
  }

  return {
    state,
    start() {
      stopped = false
      if (!socket && !timer) {
        failures = 0
        open()
      }
    },
    stop() {
      stopped = true
      if (timer) clearTimeout(timer)
      timer = null
      const sock = socket
      socket = null
      if (sock) sock.close(1000)
      state.status = 'closed'
    },
    // Each subscribe replaces the last; it is sent now if the feed is live, else after hello.
    subscribe(newTopics, newRateHz) {
      topics = [...newTopics]
      if (newRateHz) rateHz = newRateHz
      sendSubscribe()
    },
    get topics() {
      return topics
    },
  }
}
