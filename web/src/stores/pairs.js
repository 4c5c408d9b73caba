// Pairs: a server on a lab peer and a client here or on a second peer, started as one job whose
// steps the page follows (docs/agent-api.md, "Lab: peers reached over ssh"), and the round trip
// measured through a running pair.
import { reactive } from 'vue'
import { api } from '../api/http.js'
import { linkOptions } from './links.js'
import { poller } from './poll.js'

export const POLL_MS = 1000
export const LATENCY_KEPT = 5
// The client end of a pair when it is this machine.
export const HERE = 'here'
export const STEP_STATES = ['PENDING', 'RUNNING', 'DONE', 'FAILED']

export const pairStore = reactive({
  // the pair job shown: { id, peer, client, port, clientPort, state, startedAt, steps, peerProgram,
  // serverRunning, serverLink, clientLink, localLink, latency }
  pair: null,
  // pair id -> { running, error, results: [newest first, at most LATENCY_KEPT] }
  latency: {},
  pairError: '',
  // the id of a pair this page stopped
  stoppedPair: null,
})

// The body of POST /api/lab/preflight (without port) and POST /api/lab/pairs (with it, when one is
// given: without, the agent picks ports free on both ends). The client is named only when it is
// another peer: this machine is the agent's default.
export function pairRequest({ peer, client = HERE, port, values }, { withPort = true } = {}) {
  const body = { peer }
  if (client && client !== HERE) body.client = client
  if (withPort) {
    const p = String(port ?? '').trim()
    if (p !== '') body.port = /^\d+$/.test(p) ? Number(p) : p
  }
  body.options = linkOptions(values)
  return body
}

// running while a step is pending or running; failed once one failed (or the agent says so); done
// when all are done, the last being "wait for audio both ways", and the agent does not say the
// pair is still starting: a pair runs only once audio arrives both ways.
export function pairOutcome(job) {
  const steps = job?.steps || []
  if (job?.state === 'failed' || steps.some((s) => s.state === 'FAILED')) return 'failed'
  if (!steps.length || job?.state === 'starting') return 'running'
  if (steps.every((s) => s.state === 'DONE')) return 'done'
  return 'running'
}

// What the page was asked to start, by pair id: a job read back may not name its peers.
let requested = {}

// { server, client } of a job: the server peer's name (null when not known), and HERE or the
// client peer's name.
export function pairEnds(job) {
  const asked = requested[job?.id] || {}
  return { server: job?.peer ?? asked.peer ?? null, client: job?.client ?? asked.client ?? HERE }
}

// Both ends started, and the pair was neither stopped nor lost.
export function pairRuns(job) {
  if (!job || pairOutcome(job) !== 'done' || pairStore.stoppedPair === job.id) return false
  return job.state !== 'stopped' && job.state !== 'failed' && job.serverRunning !== false
}

// The store's own (reactive) entry: changes to it show.
function latencyOf(id) {
  if (!pairStore.latency[id]) pairStore.latency[id] = { running: false, error: null, results: [] }
  return pairStore.latency[id]
}

// POST /api/lab/pairs/{id}/latency: the result goes first in the pair's list, an error (ApiError)
// is kept until the next measurement.
export async function measureLatency(id) {
  const entry = latencyOf(id)
  if (entry.running) return
  entry.running = true
  entry.error = null
  try {
    const result = await api.measureLatency(id)
    entry.results.unshift({ ...result, at: new Date().toISOString() })
    entry.results.splice(LATENCY_KEPT)
  } catch (e) {
    entry.error = e
  } finally {
    entry.running = false
  }
}

// Polling: GET /api/lab/pairs/{id} a second after each answer, while the job runs and the page
// follows it.
const poll = poller(POLL_MS, () => !!pairStore.pair && pairOutcome(pairStore.pair) === 'running', () => refreshPair())
const schedulePoll = poll.schedule
let seq = 0

export function followPair() {
  poll.follow()
}

export function unfollowPair() {
  poll.unfollow()
}

export async function refreshPair() {
  const id = pairStore.pair?.id
  if (!id) return
  const mine = ++seq
  try {
    const job = await api.pair(id)
    if (mine !== seq || pairStore.pair?.id !== id) return
    pairStore.pair = job
    pairStore.pairError = ''
  } catch (e) {
    if (mine === seq && pairStore.pair?.id === id) pairStore.pairError = e.message
  }
}

function newest(jobs) {
  const n = (j) => Number(String(j.id).replace(/\D/g, '')) || 0
  return [...jobs].sort((a, b) => String(a.startedAt || '').localeCompare(String(b.startedAt || '')) || n(a) - n(b)).at(-1)
}

// Shows the newest job the agent has, when this page shows none yet (after a reload, say).
export async function loadPairs() {
  if (pairStore.pair) return
  try {
    const jobs = (await api.pairs()) || []
    if (!pairStore.pair && jobs.length) {
      pairStore.pair = newest(jobs)
      schedulePoll()
    }
  } catch (e) {
    pairStore.pairError = e.message
  }
}

// Throws ApiError (400 naming the field: peer, port or options.KEY).
export async function startPair(body) {
  const job = await api.startPair(body)
  if (job?.id) requested[job.id] = { peer: body.peer, client: body.client ?? HERE }
  seq++
  pairStore.pair = job
  pairStore.pairError = ''
  pairStore.stoppedPair = null
  unfollowPair()
  followPair()
  return job
}

export async function stopPair() {
  const id = pairStore.pair?.id
  if (!id) return null
  const job = await api.stopPair(id)
  pairStore.stoppedPair = id
  if (job?.id === id && pairStore.pair?.id === id) {
    seq++
    pairStore.pair = job
  }
  return job
}

const RANK = { PENDING: 0, RUNNING: 1, DONE: 2, FAILED: 2 }
const STEP_EVENT = /^(pending|running|done|failed)(?: \(([\s\S]*)\))?$/

// The feed's pair_step event, e.g. "p1: start the server on the peer: running" or
// "p1: both ends run" (sent once audio arrives both ways). It moves the shown steps at once, then
// the job is read again for the whole truth. A step never goes back: an event older than the last
// answer changes nothing.
export function applyPairEvent(event) {
  const job = pairStore.pair
  if (event?.kind !== 'pair_step' || typeof event.message !== 'string' || !job) return
  const prefix = `${job.id}: `
  if (!event.message.startsWith(prefix)) return
  const rest = event.message.slice(prefix.length)
  const steps = job.steps || []
  if (rest === 'both ends run') {
    steps.forEach((s, i) => {
      if (s.state !== 'DONE') steps.splice(i, 1, { ...s, state: 'DONE' })
    })
    if (!job.state || job.state === 'starting') job.state = 'running'
    if (event.link && pairEnds(job).client === HERE) job.localLink = event.link
  } else {
    const at = steps.findIndex((s) => rest.startsWith(`${s.name}: `))
    const m = at >= 0 ? STEP_EVENT.exec(rest.slice(steps[at].name.length + 2)) : null
    if (m) {
      const state = m[1].toUpperCase()
      const step = steps[at]
      if (RANK[state] >= RANK[step.state] && !(step.state === 'FAILED' && state === 'DONE')) {
        steps.splice(at, 1, { ...step, state, detail: m[2] ?? step.detail ?? null })
      }
      // The steps run one after another: those before a running or failed one are done.
      for (let i = 0; i < at; i++) {
        if (steps[i].state === 'PENDING' || steps[i].state === 'RUNNING') steps.splice(i, 1, { ...steps[i], state: 'DONE' })
      }
    }
  }
  refreshPair().then(schedulePoll)
}

// For tests.
export function resetPairs() {
  unfollowPair()
  seq++
  pairStore.pair = null
  pairStore.pairError = ''
  pairStore.stoppedPair = null
  pairStore.latency = {}
  requested = {}
}
