// Link tests against the lab's peers (docs/agent-api.md, POST /api/lab/peers/{name}/linktest): the
// old manual's iperf step. The peer's echo starts on a free lab link port (port 0) and this machine
// sends it datagrams of the link's size at the link's rate; the round trip covers both directions.
import { reactive } from 'vue'
import { api } from '../api/http.js'
import { keepPeerProblem } from './lab.js'

// How long a test sends, as the agent's default.
export const LINK_TEST_SECONDS = 5

export const linkTestStore = reactive({
  // name -> { startedAt (ms), seconds } while a test runs
  running: {},
  // name -> [{ peer, at, result }, ...] oldest first: the agent's history, then each test run here
  history: {},
  // name -> the ApiError of the last test that failed
  errors: {},
})

// The latest test of a peer, or null.
export function latestLinkTest(name) {
  const h = linkTestStore.history[name]
  return h?.length ? h[h.length - 1] : null
}

// GET /api/lab/peers/{name}/linktests: the tests the agent kept. True when they came.
export async function loadLinkTests(name) {
  try {
    const kept = await api.linkTests(name)
    // A test that ended here meanwhile is in the agent's list too, unless the list was read before it ended.
    const now = linkTestStore.history[name] || []
    if (Array.isArray(kept) && kept.length >= now.length) linkTestStore.history[name] = kept
    return true
  } catch {
    return false
  }
}

// Runs a test on the first free lab link port. { ok: true, record } or { ok: false, error }; a
// host-key or ssh refusal is also kept for the peer's card, as a probe's is.
// With `builtin`, the link measured is the built-in backend's (48 kHz, 128 frames), for a machine
// whose JACK does not run: the agent then answers 503, not knowing the link's rate and period.
export async function runLinkTest(name, { seconds = LINK_TEST_SECONDS, builtin = false, now = Date.now } = {}) {
  if (linkTestStore.running[name]) return { ok: false, error: null }
  linkTestStore.running[name] = { startedAt: now(), seconds }
  delete linkTestStore.errors[name]
  try {
    const body = { seconds, port: 0 }
    if (builtin) body.options = { backend: 'builtin' }
    const record = await api.linkTest(name, body)
    linkTestStore.history[name] = [...(linkTestStore.history[name] || []), record]
    return { ok: true, record }
  } catch (e) {
    linkTestStore.errors[name] = e
    keepPeerProblem(name, e)
    return { ok: false, error: e }
  } finally {
    delete linkTestStore.running[name]
  }
}

// The agent could not test because this machine's JACK does not run.
export function needsJack(error) {
  return error?.status === 503 && error?.error === 'unavailable' && /JACK/.test(error?.message || '')
}

// What a result advises, as the options of both ends: "-q 2 -b 1".
export function advisedOptions(result) {
  if (!result) return ''
  return `-q ${result.recommendedQueue} -b ${result.recommendedRedundancy}`
}

// For tests.
export function resetLinkTests() {
  linkTestStore.running = {}
  linkTestStore.history = {}
  linkTestStore.errors = {}
}
