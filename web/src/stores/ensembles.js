// Ensembles: a hub on one lab peer and members on others, saved by the agent and started as one
// job whose steps the page follows (docs/agent-api.md, "Lab: peers reached over ssh").
import { reactive } from 'vue'
import { api } from '../api/http.js'
import { poller } from './poll.js'

export const POLL_MS = 1000
// The hub's patch mode when the form leaves it: each member hears the others, not itself.
export const DEFAULT_PATCH = 2
// The hub's name when it runs on this machine, in this agent.
export const HERE = 'here'

// A machine of an ensemble as the page names it: a peer's name, or "this machine".
export function machineName(name) {
  return name === HERE ? 'this machine' : name
}

export const ensembleStore = reactive({
  // GET /api/lab/ensembles: [{ name, hub, patch, members: [{ peer, channels, queue }], run }]
  list: [],
  loaded: false,
  error: '',
  // the name of the ensemble whose run the page shows
  shown: null,
  // member peer -> { running, error }: the latency test under way or last failed, per member
  latency: {},
})

// The body of POST /api/lab/ensembles from the form's values: the members ticked, each with its
// channels (a whole number) and queue ("auto" or packets, as typed).
export function ensembleRequest({ name, hub, patch, members }) {
  return {
    name: String(name ?? '').trim(),
    hub,
    patch: Number(patch ?? DEFAULT_PATCH),
    members: (members || [])
      .filter((m) => m.on)
      .map((m) => {
        const q = String(m.queue ?? '').trim()
        return { peer: m.peer, channels: Number(m.channels), queue: /^\d+$/.test(q) ? Number(q) : q }
      }),
  }
}

// starting, running, failed or stopped: the run's state, or null when it never ran.
export function runState(ensemble) {
  return ensemble?.run?.state ?? null
}

// Whether a Stop has something to stop: a run that starts or runs, or one found again in part
// after the agent restarted (what was found runs on).
export function canStop(ensemble) {
  const state = runState(ensemble)
  return state === 'running' || state === 'starting' || (state === 'failed' && !!ensemble.run.reattached)
}

// What the feed follows while the run goes: the relayed feed of each member's agent and, when a
// member has none, the hub's clients, for that member's meters as the hub hears it (through the
// hub's agent's relayed feed, or this agent's own hub when the hub runs here).
export function ensembleFeeds(ensemble) {
  if (!canStop(ensemble)) return { peers: [], hubs: [] }
  const members = ensemble.run.members || []
  const peers = members.filter((m) => m.program === 'agent' && m.link).map((m) => m.peer)
  const hubs = []
  if (members.some((m) => m.program !== 'agent' || !m.link) && ensemble.run.hubLink) {
    if (ensemble.hub === HERE) hubs.push(ensemble.run.hubLink)
    else peers.push(ensemble.hub)
  }
  return { peers, hubs }
}

export function shownEnsemble() {
  return ensembleStore.list.find((e) => e.name === ensembleStore.shown) || null
}

function put(ensemble) {
  const at = ensembleStore.list.findIndex((e) => e.name === ensemble.name)
  if (at >= 0) ensembleStore.list.splice(at, 1, ensemble)
  else ensembleStore.list.push(ensemble)
}

export async function loadEnsembles() {
  try {
    ensembleStore.list = (await api.ensembles()) || []
    ensembleStore.loaded = true
    ensembleStore.error = ''
    if (!ensembleStore.shown) {
      const live = ensembleStore.list.find((e) => canStop(e))
      ensembleStore.shown = live?.name ?? null
    }
    schedulePoll()
  } catch (e) {
    ensembleStore.error = e.message
  }
}

// After the feed's socket opens again: the list read anew, where the page has read it before.
export function reloadEnsembles() {
  if (ensembleStore.loaded) loadEnsembles()
}

// Polling: GET /api/lab/ensembles/{name} a second after each answer, while the shown one starts
// or runs (its hub's client list, read by the agent every 2 s, and the control path's note).
const poll = poller(POLL_MS, () => canStop(shownEnsemble()), () => refreshEnsemble(ensembleStore.shown))
const schedulePoll = poll.schedule

export function followEnsembles() {
  poll.follow()
}

export function unfollowEnsembles() {
  poll.unfollow()
}

export async function refreshEnsemble(name) {
  if (!name) return
  try {
    put(await api.ensemble(name))
  } catch (e) {
    ensembleStore.error = e.message
  }
}

// Saves the form's ensemble and starts it. Throws ApiError (400 naming the field, 409).
export async function startNewEnsemble(values) {
  const ensemble = await api.saveEnsemble(ensembleRequest(values))
  put(ensemble)
  ensembleStore.shown = ensemble.name
  schedulePoll()
  return ensemble
}

// Starts a saved ensemble again. Throws ApiError (409 when it runs).
export async function startEnsemble(name) {
  put(await api.startEnsemble(name))
  ensembleStore.shown = name
  schedulePoll()
}

export async function stopEnsemble(name) {
  put(await api.stopEnsemble(name))
}

export async function removeEnsemble(name) {
  await api.removeEnsemble(name)
  ensembleStore.list = ensembleStore.list.filter((e) => e.name !== name)
  if (ensembleStore.shown === name) ensembleStore.shown = null
}

// POST /api/lab/ensembles/{name}/latency for one member: the result comes back in the run's view
// (members[].latency); an error (ApiError) is kept until the next measurement.
export async function measureMemberLatency(name, member) {
  const entry = ensembleStore.latency[member] || (ensembleStore.latency[member] = { running: false, error: null })
  if (entry.running) return
  entry.running = true
  entry.error = null
  try {
    await api.measureMemberLatency(name, member)
    await refreshEnsemble(name)
  } catch (e) {
    entry.error = e
  } finally {
    entry.running = false
  }
}

// The feed's ensemble_step event, e.g. "band: start the hub on studio-hub: running" or
// "band: running": the ensemble it names is read again.
export function applyEnsembleEvent(event) {
  if (event?.kind !== 'ensemble_step' || typeof event.message !== 'string') return
  const name = event.message.split(': ')[0]
  if (ensembleStore.list.some((e) => e.name === name)) refreshEnsemble(name).then(schedulePoll)
}

// For tests.
export function resetEnsembles() {
  unfollowEnsembles()
  ensembleStore.list = []
  ensembleStore.loaded = false
  ensembleStore.error = ''
  ensembleStore.shown = null
  ensembleStore.latency = {}
}
