// What the live feed brings: links and JACK state go to their stores; counters, meters and
// events are kept here, each feed moved by the one reducer of feed.js, with 60 s of queue delay
// and jitter per link for the plots. A message that
// names a peer comes from that peer's own agent, relayed (topic peer:NAME): it is kept apart, in
// liveStore.peers[NAME], and never taken for this agent's own.
import { reactive } from 'vue'
import { createLiveClient } from '../api/live.js'
import { auth, rejectToken } from './auth.js'
import { applyLinksFeed } from './links.js'
import { applyJackFeed } from './jack.js'
import { applyEnsembleEvent, reloadEnsembles } from './ensembles.js'
import { applyPairEvent } from './pairs.js'
import { applyProvisionFeed } from './provision.js'
import { emptyFeed, reduceFeed } from './feed.js'

export const HISTORY_MS = 60_000
const EVENTS_KEPT = 100
const BASE_TOPICS = ['links', 'jack', 'events', 'provisions']
const PEER_EVENTS_KEPT = 20
export const RELAY_STATES = ['connecting', 'up', 'failed', 'closed']

export const liveStore = reactive({
  // The link whose counters and meters are followed (the Live view's choice), or null.
  linkId: null,
  counters: {}, // id -> { lost: 0, level_frames: 512, ... } merged from every message
  meters: {}, // id -> { t, send: { peak: [], rms: [] }, receive: { peak: [], rms: [] } }
  history: {}, // id -> [{ t, queue_ms, jitter_ms }]
  events: [], // newest last
  // agent clock minus ours, in ms, from the last counters or meters message
  clockOffsetMs: 0,
  // What the Lab view follows besides linkId: this agent's links (the local end of a pair) and
  // peers whose agents' feeds are relayed.
  ends: { links: [], peers: [], hubs: [] },
  // name -> { state, message, links, counters: { id: {...} }, meters: { id: {...} }, events },
  // for each followed peer
  peers: {},
  // The hub server link whose clients are followed (the Clients view's choice), or null.
  hubId: null,
  // link id -> { clients: [...], counters: { slot: {...} }, meters: { slot: {...} } } (topic hub:ID)
  hubs: {},
})

function hubFeed(id) {
  if (!liveStore.hubs[id]) liveStore.hubs[id] = emptyFeed()
  return liveStore.hubs[id]
}

function newPeerFeed() {
  return { ...emptyFeed(), state: 'connecting', message: null, links: [], clientMeters: {} }
}

// 60 s and a little more of a link's queue delay and jitter, for the plots.
function noteHistory(id, t) {
  const merged = liveStore.counters[id]
  const points = liveStore.history[id] || (liveStore.history[id] = [])
  points.push({ t, queue_ms: merged.queue_ms, jitter_ms: merged.jitter_ms })
  const from = t - HISTORY_MS - 5000
  let drop = 0
  // keep one point before the window, so the plot's line starts at its left edge
  while (drop + 1 < points.length && points[drop + 1].t < from) drop++
  if (drop) points.splice(0, drop)
}

// Messages for a peer no longer followed (still on their way when it was dropped) are ignored.
function handlePeerMessage({ peer, ...msg }) {
  const feed = liveStore.peers[peer]
  if (!feed) return
  if (msg.type === 'peer') {
    feed.state = RELAY_STATES.includes(msg.state) ? msg.state : feed.state
    feed.message = msg.message ?? null
  } else if (msg.type === 'links') {
    feed.links = msg.links || []
  } else if (msg.type === 'meters' && typeof msg.client === 'number') {
    // A client of a hub there, by the hub's link and the client's name.
    feed.clientMeters[`${msg.link}/${msg.name}`] = { t: msg.t, send: msg.send, receive: msg.receive }
  } else if (['counters', 'meters', 'event'].includes(msg.type)) {
    Object.assign(feed, reduceFeed(feed, msg, { eventsKept: PEER_EVENTS_KEPT }))
  }
}

export function handleMessage(msg, now = Date.now()) {
  // A provisioning job names the peer it provisions; it is this agent's own message, not a relayed one.
  if (msg.type === 'provision') {
    applyProvisionFeed(msg)
    return
  }
  if (typeof msg.peer === 'string' && msg.peer && msg.type !== 'hello' && msg.type !== 'error') {
    handlePeerMessage(msg)
    return
  }
  if (typeof msg.client === 'number' && (msg.type === 'counters' || msg.type === 'meters')) {
    const hub = hubFeed(msg.link)
    Object.assign(hub, reduceFeed(hub, msg, { key: msg.client }))
    return
  }
  switch (msg.type) {
    case 'links':
      applyLinksFeed(msg.links)
      break
    case 'clients': {
      const hub = hubFeed(msg.link)
      Object.assign(hub, reduceFeed(hub, msg))
      break
    }
    case 'jack':
      applyJackFeed(msg.jack)
      break
    case 'event':
      Object.assign(liveStore, reduceFeed(liveStore, msg, { eventsKept: EVENTS_KEPT }))
      if (msg.kind === 'pair_step') applyPairEvent(liveStore.events.at(-1))
      if (msg.kind === 'ensemble_step') applyEnsembleEvent(liveStore.events.at(-1))
      break
    case 'counters': {
      const values = msg.values || {}
      const first = !liveStore.history[msg.link]
      Object.assign(liveStore, reduceFeed(liveStore, msg))
      if (typeof msg.t === 'number') {
        liveStore.clockOffsetMs = msg.t - now
        if ('queue_ms' in values || 'jitter_ms' in values || first) noteHistory(msg.link, msg.t)
      }
      break
    }
    case 'meters':
      Object.assign(liveStore, reduceFeed(liveStore, msg))
      if (typeof msg.t === 'number') liveStore.clockOffsetMs = msg.t - now
      break
    case 'hello':
      // A new socket: the relays start over, and say again how they are. The agent may have
      // started again meanwhile: the ensembles it found again are read anew.
      for (const feed of Object.values(liveStore.peers)) {
        feed.state = 'connecting'
        feed.message = null
      }
      reloadEnsembles()
      break
    default:
      // error is the client's business
      break
  }
}

// The shared topics, then counters and meters of each link followed (the Live view's, then the
// Lab view's), then the relayed feed of each peer followed, then the clients of the hubs followed
// (the Clients view's, then the Lab view's).
export function topicsFor(linkId, ends = {}, hubId = null) {
  const links = [...new Set([linkId, ...(ends.links || [])].filter(Boolean))]
  const peers = [...new Set((ends.peers || []).filter(Boolean))]
  const hubs = [...new Set([hubId, ...(ends.hubs || [])].filter(Boolean))]
  return [
    ...BASE_TOPICS,
    ...links.flatMap((id) => [`counters:${id}`, `meters:${id}`]),
    ...peers.map((name) => `peer:${name}`),
    ...hubs.map((id) => `hub:${id}`),
  ]
}

function subscribe() {
  liveClient().subscribe(topicsFor(liveStore.linkId, liveStore.ends, liveStore.hubId))
}

// Follows one hub server link's clients, their counters and meters (null: none).
export function followHub(linkId) {
  if (liveStore.hubId === linkId) return
  liveStore.hubId = linkId
  subscribe()
}

let client = null

export function liveClient() {
  if (!client) {
    client = createLiveClient({
      getToken: () => auth.token,
      onMessage: (msg) => handleMessage(msg),
      onUnauthorized: () => rejectToken(),
    })
    client.subscribe(topicsFor(liveStore.linkId, liveStore.ends, liveStore.hubId))
  }
  return client
}

export function startFeed() {
  liveClient().start()
}

export function stopFeed() {
  client?.stop()
}

// Follows one link's counters and meters (null: none).
export function followLink(linkId) {
  if (liveStore.linkId === linkId) return
  liveStore.linkId = linkId
  subscribe()
}

// Follows the ends of a pair or an ensemble: local links' counters and meters, peers' relayed
// feeds, and the clients of local hubs. A peer dropped loses what was kept of it; one added starts
// as connecting. Nothing is sent when nothing changes.
export function followEnds({ links = [], peers = [], hubs = [] } = {}) {
  const unique = (list) => [...new Set(list.filter(Boolean))]
  const next = { links: unique(links), peers: unique(peers), hubs: unique(hubs) }
  const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i])
  const was = liveStore.ends
  if (same(next.links, was.links) && same(next.peers, was.peers) && same(next.hubs, was.hubs || [])) return
  for (const name of Object.keys(liveStore.peers)) {
    if (!next.peers.includes(name)) delete liveStore.peers[name]
  }
  for (const name of next.peers) {
    if (!liveStore.peers[name]) liveStore.peers[name] = newPeerFeed()
  }
  liveStore.ends = next
  subscribe()
}

// A link of a peer's as its agent's relayed feed brings it, for one end of a pair or an ensemble:
// the props of PairEnd.
export function relayedEnd(role, name, linkId) {
  const feed = liveStore.peers[name] || null
  return {
    role,
    name,
    linkId,
    link: (feed?.links || []).find((l) => l.id === linkId) || null,
    counters: feed?.counters[linkId] || {},
    meters: feed?.meters[linkId] || null,
    relay: { state: feed?.state || 'connecting', message: feed?.message ?? null },
  }
}

// A hub client's meters as the hub's feed brings them: what the hub receives from client NAME
// ({ receive }) and sends it ({ send }), or null. HUB is the peer that runs the hub, or 'here'.
export function hubClientMeters(hub, hubLink, name) {
  if (!hubLink) return null
  if (hub === 'here') {
    const feed = liveStore.hubs[hubLink]
    const client = (feed?.clients || []).find((c) => c.name === name)
    return client ? feed.meters[client.slot] || null : null
  }
  return liveStore.peers[hub]?.clientMeters?.[`${hubLink}/${name}`] || null
}

// For tests.
export function resetLive() {
  client?.stop()
  client = null
  liveStore.linkId = null
  liveStore.counters = {}
  liveStore.meters = {}
  liveStore.history = {}
  liveStore.events = []
  liveStore.clockOffsetMs = 0
  liveStore.ends = { links: [], peers: [], hubs: [] }
  liveStore.peers = {}
  liveStore.hubId = null
  liveStore.hubs = {}
}
