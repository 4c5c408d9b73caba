// The lab: peers reached over ssh, their host keys and probes, the pre-flight, and pairs started
// as one job (docs/agent-api.md, "Lab: peers reached over ssh").
import { reactive } from 'vue'
import { api } from '../api/http.js'
import { linkOptions } from './links.js'

export const POLL_MS = 1000
export const LATENCY_KEPT = 5
// The client end of a pair when it is this machine.
export const HERE = 'here'
export const STEP_STATES = ['PENDING', 'RUNNING', 'DONE', 'FAILED']

// The error words of a probe's 409, and the host-key state the agent records with them.
const HOST_KEY_ERRORS = { unknown_host_key: 'unknown', changed_host_key: 'changed' }

export const labStore = reactive({
  peers: [],
  loaded: false,
  error: '',
  sshHosts: [],
  sshHostsLoaded: false,
  sshHostsError: '',
  // name -> 'probing', 'trusting', 'removing', 'matching' or 'starting-agent' while that request runs
  busy: {},
  // name -> { error, status, message, fingerprint, kind, trustError } of the last probe that failed
  problems: {},
  // the pair job shown: { id, peer, client, startedAt, steps, peerProgram, serverRunning, serverLink,
  // clientLink, localLink, latency }
  pair: null,
  // pair id -> { running, error, results: [newest first, at most LATENCY_KEPT] }
  latency: {},
  pairError: '',
  // the id of a pair this page stopped
  stoppedPair: null,
})

function upsertPeer(peer) {
  const i = labStore.peers.findIndex((p) => p.name === peer.name)
  if (i >= 0) labStore.peers.splice(i, 1, peer)
  else labStore.peers.push(peer)
}

function setHostKey(name, state) {
  const peer = labStore.peers.find((p) => p.name === name)
  if (peer) peer.hostKey = state
}

export async function loadPeers() {
  try {
    labStore.peers = (await api.peers()) || []
    labStore.error = ''
  } catch (e) {
    labStore.error = e.message
  } finally {
    labStore.loaded = true
  }
}

export async function loadSshHosts() {
  try {
    labStore.sshHosts = (await api.sshConfig()) || []
    labStore.sshHostsError = ''
  } catch (e) {
    labStore.sshHostsError = e.message
  } finally {
    labStore.sshHostsLoaded = true
  }
}

// The body of POST /api/lab/peers from the form: a port typed as digits goes as a number (anything
// else as typed, for the agent to name the field); an empty port, JACK server or agent token file is
// left to the agent's defaults (22, "default", ~/.config/jamwire/token).
export function peerRequest(form) {
  const body = {}
  for (const key of ['name', 'host', 'user', 'key']) body[key] = String(form[key] ?? '').trim()
  const port = String(form.port ?? '').trim()
  if (port !== '') body.port = /^\d+$/.test(port) ? Number(port) : port
  const jackServer = String(form.jackServer ?? '').trim()
  if (jackServer) body.jackServer = jackServer
  const agentToken = String(form.agentToken ?? '').trim()
  if (agentToken) body.agentToken = agentToken
  return body
}

// Throws ApiError (400 naming the field, 409 when the name is taken).
export async function addPeer(body) {
  const peer = await api.addPeer(body)
  if (peer?.name) upsertPeer(peer)
  return peer
}

export async function removePeer(name) {
  labStore.busy[name] = 'removing'
  try {
    await api.removePeer(name)
    labStore.peers = labStore.peers.filter((p) => p.name !== name)
    delete labStore.problems[name]
  } finally {
    delete labStore.busy[name]
  }
}

export function isHostKeyProblem(problem) {
  return !!problem && problem.error in HOST_KEY_ERRORS
}

function noteProblem(name, e) {
  labStore.problems[name] = {
    error: e.error || 'error',
    status: e.status,
    message: e.message,
    fingerprint: e.fingerprint || null,
    kind: e.kind || null,
    trustError: '',
  }
  if (HOST_KEY_ERRORS[e.error]) setHostKey(name, HOST_KEY_ERRORS[e.error])
}

// { ok: true, peer } or { ok: false, problem }; the problem is also kept for the peer's card.
export async function probePeer(name) {
  labStore.busy[name] = 'probing'
  try {
    const peer = await api.probePeer(name)
    if (peer?.name) upsertPeer(peer)
    delete labStore.problems[name]
    return { ok: true, peer }
  } catch (e) {
    noteProblem(name, e)
    return { ok: false, problem: labStore.problems[name] }
  } finally {
    delete labStore.busy[name]
  }
}

// Records the key the user compared, then probes again. A host that now presents another key is
// refused by the agent: that refusal is shown, and nothing is probed.
export async function trustPeer(name, fingerprint) {
  labStore.busy[name] = 'trusting'
  try {
    await api.trustPeer(name, fingerprint)
  } catch (e) {
    const problem = labStore.problems[name]
    if (HOST_KEY_ERRORS[e.error] || !problem) noteProblem(name, e)
    else problem.trustError = e.message
    return { ok: false }
  } finally {
    delete labStore.busy[name]
  }
  setHostKey(name, 'known')
  delete labStore.problems[name]
  return probePeer(name)
}

export function dismissProblem(name) {
  delete labStore.problems[name]
}

// The body of POST /api/lab/preflight (without port) and POST /api/lab/pairs (with it). The client
// is named only when it is another peer: this machine is the agent's default.
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

// Of a two-peer pre-flight's refusal: the peer the agent names, else the client when the message
// names it or its host, else the server.
function refusingPeer(e, body) {
  if (!body.client) return body.peer
  if (e.peer === body.client || e.peer === body.peer) return e.peer
  const client = labStore.peers.find((p) => p.name === body.client)
  const message = String(e.message || '')
  const named = message.includes(body.client) || (client?.host && message.includes(client.host))
  return named ? body.client : body.peer
}

// { ok: true, result } or { ok: false, error, peer }. The pre-flight probes the peers: a host-key or
// ssh refusal is kept for the refusing peer's card as a probe's would be.
export async function runPreflight(body) {
  try {
    const result = await api.preflight(body)
    if (result?.peer?.name) upsertPeer(result.peer)
    if (result?.client?.name) upsertPeer(result.client)
    delete labStore.problems[body.peer]
    if (body.client) delete labStore.problems[body.client]
    return { ok: true, result }
  } catch (e) {
    const name = refusingPeer(e, body)
    if (HOST_KEY_ERRORS[e.error] || e.error === 'ssh') noteProblem(name, e)
    return { ok: false, error: e, peer: name }
  }
}

// Restarts a peer's JACK with the given rate and period (none: this machine's). { ok, peer } or
// { ok: false, error }.
export async function matchJack(name, settings = {}) {
  labStore.busy[name] = 'matching'
  try {
    const peer = await api.matchJack(name, settings)
    if (peer?.name) upsertPeer(peer)
    return { ok: true, peer }
  } catch (e) {
    return { ok: false, error: e }
  } finally {
    delete labStore.busy[name]
  }
}

// Starts a JamWire agent on a peer that runs none. { ok, peer } or { ok: false, error }.
export async function startAgent(name) {
  labStore.busy[name] = 'starting-agent'
  try {
    const peer = await api.startAgent(name)
    if (peer?.name) upsertPeer(peer)
    return { ok: true, peer }
  } catch (e) {
    return { ok: false, error: e }
  } finally {
    delete labStore.busy[name]
  }
}

// running while a step is pending or running; failed once one failed; done when all are done.
export function pairOutcome(job) {
  const steps = job?.steps || []
  if (!steps.length) return 'running'
  if (steps.some((s) => s.state === 'FAILED')) return 'failed'
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
  if (!job || pairOutcome(job) !== 'done' || labStore.stoppedPair === job.id) return false
  return job.state !== 'stopped' && job.state !== 'failed' && job.serverRunning !== false
}

// The store's own (reactive) entry: changes to it show.
function latencyOf(id) {
  if (!labStore.latency[id]) labStore.latency[id] = { running: false, error: null, results: [] }
  return labStore.latency[id]
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
const poll = { on: false, timer: null }
let seq = 0

function schedulePoll() {
  if (!poll.on || poll.timer || !labStore.pair || pairOutcome(labStore.pair) !== 'running') return
  const handle = setTimeout(async () => {
    await refreshPair()
    if (poll.timer !== handle) return
    poll.timer = null
    schedulePoll()
  }, POLL_MS)
  poll.timer = handle
}

export function followPair() {
  poll.on = true
  schedulePoll()
}

export function unfollowPair() {
  poll.on = false
  if (poll.timer) clearTimeout(poll.timer)
  poll.timer = null
}

export async function refreshPair() {
  const id = labStore.pair?.id
  if (!id) return
  const mine = ++seq
  try {
    const job = await api.pair(id)
    if (mine !== seq || labStore.pair?.id !== id) return
    labStore.pair = job
    labStore.pairError = ''
  } catch (e) {
    if (mine === seq && labStore.pair?.id === id) labStore.pairError = e.message
  }
}

function newest(jobs) {
  const n = (j) => Number(String(j.id).replace(/\D/g, '')) || 0
  return [...jobs].sort((a, b) => String(a.startedAt || '').localeCompare(String(b.startedAt || '')) || n(a) - n(b)).at(-1)
}

// Shows the newest job the agent has, when this page shows none yet (after a reload, say).
export async function loadPairs() {
  if (labStore.pair) return
  try {
    const jobs = (await api.pairs()) || []
    if (!labStore.pair && jobs.length) {
      labStore.pair = newest(jobs)
      schedulePoll()
    }
  } catch (e) {
    labStore.pairError = e.message
  }
}

// Throws ApiError (400 naming the field: peer, port or options.KEY).
export async function startPair(body) {
  const job = await api.startPair(body)
  if (job?.id) requested[job.id] = { peer: body.peer, client: body.client ?? HERE }
  seq++
  labStore.pair = job
  labStore.pairError = ''
  labStore.stoppedPair = null
  unfollowPair()
  followPair()
  return job
}

export async function stopPair() {
  const id = labStore.pair?.id
  if (!id) return null
  const job = await api.stopPair(id)
  labStore.stoppedPair = id
  if (job?.id === id && labStore.pair?.id === id) {
    seq++
    labStore.pair = job
  }
  return job
}

const RANK = { PENDING: 0, RUNNING: 1, DONE: 2, FAILED: 2 }
const STEP_EVENT = /^(pending|running|done|failed)(?: \(([\s\S]*)\))?$/

// The feed's pair_step event, e.g. "p1: start the server on the peer: running" or
// "p1: both ends run". It moves the shown steps at once, then the job is read again for the whole
// truth. A step never goes back: an event older than the last answer changes nothing.
export function applyPairEvent(event) {
  const job = labStore.pair
  if (event?.kind !== 'pair_step' || typeof event.message !== 'string' || !job) return
  const prefix = `${job.id}: `
  if (!event.message.startsWith(prefix)) return
  const rest = event.message.slice(prefix.length)
  const steps = job.steps || []
  if (rest === 'both ends run') {
    steps.forEach((s, i) => {
      if (s.state !== 'DONE') steps.splice(i, 1, { ...s, state: 'DONE' })
    })
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
export function resetLab() {
  unfollowPair()
  seq++
  labStore.peers = []
  labStore.loaded = false
  labStore.error = ''
  labStore.sshHosts = []
  labStore.sshHostsLoaded = false
  labStore.sshHostsError = ''
  labStore.busy = {}
  labStore.problems = {}
  labStore.pair = null
  labStore.pairError = ''
  labStore.stoppedPair = null
  labStore.latency = {}
  requested = {}
}
