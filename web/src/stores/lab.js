// The lab's peers, reached over ssh: their host keys and probes, their JACK and agents, and the
// pre-flight that checks two ends side by side (docs/agent-api.md, "Lab: peers reached over ssh").
// The pairs started between them are stores/pairs.js's.
import { reactive } from 'vue'
import { api } from '../api/http.js'
import { readInto } from './read.js'

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
})

function upsertPeer(peer) {
  if (!peer?.name) return
  const i = labStore.peers.findIndex((p) => p.name === peer.name)
  if (i >= 0) labStore.peers.splice(i, 1, peer)
  else labStore.peers.push(peer)
}

function setHostKey(name, state) {
  const peer = labStore.peers.find((p) => p.name === name)
  if (peer) peer.hostKey = state
}

// labStore.busy[name] says what runs on the peer while `run` does.
async function whileBusy(name, what, run) {
  labStore.busy[name] = what
  try {
    return await run()
  } finally {
    delete labStore.busy[name]
  }
}

// A request that answers with the peer: { ok: true, peer } or { ok: false, error }.
function peerAction(name, what, request) {
  return whileBusy(name, what, async () => {
    try {
      const peer = await request()
      upsertPeer(peer)
      return { ok: true, peer }
    } catch (e) {
      return { ok: false, error: e }
    }
  })
}

export function loadPeers() {
  return readInto(labStore, { key: 'peers' }, async () => (await api.peers()) || [])
}

export function loadSshHosts() {
  return readInto(labStore, { key: 'sshHosts', error: 'sshHostsError', loaded: 'sshHostsLoaded' }, async () => (await api.sshConfig()) || [])
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

// POST /api/lab/inventory: the hosts of the inventory's lab group become peers. { ok: true, result }
// with each host's outcome (added, kept or refused), the peers added or kept listed here at once;
// { ok: false, error } when the path or the inventory was refused as a whole.
export async function importInventory(path) {
  try {
    const result = await api.importInventory(String(path ?? '').trim())
    for (const host of result?.hosts || []) upsertPeer(host.peer)
    return { ok: true, result }
  } catch (e) {
    return { ok: false, error: e }
  }
}

// Keeps a host-key or ssh refusal of another request to a peer (a link test) for its card, as a
// probe's would be.
export function keepPeerProblem(name, e) {
  if (HOST_KEY_ERRORS[e?.error] || e?.error === 'ssh') noteProblem(name, e)
}

// Throws ApiError (400 naming the field, 409 when the name is taken).
export async function addPeer(body) {
  const peer = await api.addPeer(body)
  upsertPeer(peer)
  return peer
}

export function removePeer(name) {
  return whileBusy(name, 'removing', async () => {
    await api.removePeer(name)
    labStore.peers = labStore.peers.filter((p) => p.name !== name)
    delete labStore.problems[name]
  })
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
export function probePeer(name) {
  return whileBusy(name, 'probing', async () => {
    try {
      const peer = await api.probePeer(name)
      upsertPeer(peer)
      delete labStore.problems[name]
      return { ok: true, peer }
    } catch (e) {
      noteProblem(name, e)
      return { ok: false, problem: labStore.problems[name] }
    }
  })
}

// Records the key the user compared, then probes again. A host that now presents another key is
// refused by the agent: that refusal is shown, and nothing is probed.
export async function trustPeer(name, fingerprint) {
  const trusted = await whileBusy(name, 'trusting', async () => {
    try {
      await api.trustPeer(name, fingerprint)
      return true
    } catch (e) {
      const problem = labStore.problems[name]
      if (HOST_KEY_ERRORS[e.error] || !problem) noteProblem(name, e)
      else problem.trustError = e.message
      return false
    }
  })
  if (!trusted) return { ok: false }
  setHostKey(name, 'known')
  delete labStore.problems[name]
  return probePeer(name)
}

export function dismissProblem(name) {
  delete labStore.problems[name]
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
    upsertPeer(result?.peer)
    upsertPeer(result?.client)
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
export function matchJack(name, settings = {}) {
  return peerAction(name, 'matching', () => api.matchJack(name, settings))
}

// Starts a JamWire agent on a peer that runs none. { ok, peer } or { ok: false, error }.
export function startAgent(name) {
  return peerAction(name, 'starting-agent', () => api.startAgent(name))
}

// For tests.
export function resetLab() {
  labStore.peers = []
  labStore.loaded = false
  labStore.error = ''
  labStore.sshHosts = []
  labStore.sshHostsLoaded = false
  labStore.sshHostsError = ''
  labStore.busy = {}
  labStore.problems = {}
}
