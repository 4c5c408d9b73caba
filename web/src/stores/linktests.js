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
export async function runLinkTest(name, { seconds = LINK_TEST_SECONDS, now = Date.now } = {}) {
  if (linkTestStore.running[name]) return { ok: false, error: null }
  linkTestStore.running[name] = { startedAt: now(), seconds }
  delete linkTestStore.errors[name]
  try {
    const record = await api.linkTest(name, { seconds, port: 0 })
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
