// What the live feed brings: links and JACK state go to their stores; counters, meters and
// events are kept here, with 60 s of queue delay and jitter per link for the plots. A message that
// names a peer comes from that peer's own agent, relayed (topic peer:NAME): it is kept apart, in
// liveStore.peers[NAME], and never taken for this agent's own.
import { reactive } from 'vue'
import { createLiveClient } from '../api/live.js'
import { auth, rejectToken } from './auth.js'
import { applyLinksFeed } from './links.js'
import { applyJackFeed } from './jack.js'
import { applyPairEvent } from './lab.js'
import { applyProvisionFeed } from './provision.js'

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
  ends: { links: [], peers: [] },
  // name -> { state, message, links, counters: { id: {...} }, meters: { id: {...} }, events },
  // for each followed peer
  peers: {},
  // The hub server link whose clients are followed (the Clients view's choice), or null.
  hubId: null,
  // link id -> { clients: [...], counters: { slot: {...} }, meters: { slot: {...} } } (topic hub:ID)
  hubs: {},
})

function hubFeed(id) {
  if (!liveStore.hubs[id]) liveStore.hubs[id] = { clients: [], counters: {}, meters: {} }
  return liveStore.hubs[id]
}

// A client list is whole: a slot missing from it, or held by a client that joined later, loses
// what was kept of the client before.
function applyClients(msg) {
  const hub = hubFeed(msg.link)
  const before = new Map(hub.clients.map((c) => [c.slot, c.joinedAt]))
  const now = new Map((msg.clients || []).map((c) => [c.slot, c.joinedAt]))
  for (const slot of before.keys()) {
    if (now.get(slot) !== before.get(slot)) {
      delete hub.counters[slot]
      delete hub.meters[slot]
    }
  }
  hub.clients = msg.clients || []
}

function newPeerFeed() {
  return { state: 'connecting', message: null, links: [], counters: {}, meters: {}, events: [] }
}

// Messages for a peer no longer followed (still on their way when it was dropped) are ignored.
function handlePeerMessage(msg) {
  const feed = liveStore.peers[msg.peer]
  if (!feed) return
  switch (msg.type) {
    case 'peer':
      feed.state = RELAY_STATES.includes(msg.state) ? msg.state : feed.state
      feed.message = msg.message ?? null
      break
    case 'links':
      feed.links = msg.links || []
      break
    case 'counters':
      feed.counters[msg.link] = { ...(feed.counters[msg.link] || {}), ...(msg.values || {}) }
      break
    case 'meters':
      feed.meters[msg.link] = { t: msg.t, send: msg.send, receive: msg.receive }
      break
    case 'event': {
      const { type, peer, ...event } = msg
      feed.events.push(event)
      if (feed.events.length > PEER_EVENTS_KEPT) feed.events.splice(0, feed.events.length - PEER_EVENTS_KEPT)
      break
    }
    default:
      break
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
    if (msg.type === 'counters') hub.counters[msg.client] = { ...(hub.counters[msg.client] || {}), ...(msg.values || {}) }
    else hub.meters[msg.client] = { t: msg.t, send: msg.send, receive: msg.receive }
    return
  }
  switch (msg.type) {
    case 'links':
      applyLinksFeed(msg.links)
      break
    case 'clients':
      applyClients(msg)
      break
    case 'jack':
      applyJackFeed(msg.jack)
      break
    case 'event': {
      const { type, ...event } = msg
      liveStore.events.push(event)
      if (liveStore.events.length > EVENTS_KEPT) liveStore.events.splice(0, liveStore.events.length - EVENTS_KEPT)
      if (event.kind === 'pair_step') applyPairEvent(event)
      break
    }
    case 'counters': {
      const id = msg.link
      const merged = { ...(liveStore.counters[id] || {}), ...(msg.values || {}) }
      liveStore.counters[id] = merged
      if (typeof msg.t === 'number') {
        liveStore.clockOffsetMs = msg.t - now
        const values = msg.values || {}
        if ('queue_ms' in values || 'jitter_ms' in values || !liveStore.history[id]) {
          const points = liveStore.history[id] || (liveStore.history[id] = [])
          points.push({ t: msg.t, queue_ms: merged.queue_ms, jitter_ms: merged.jitter_ms })
          const from = msg.t - HISTORY_MS - 5000
          let drop = 0
          // keep one point before the window, so the plot's line starts at its left edge
          while (drop + 1 < points.length && points[drop + 1].t < from) drop++
          if (drop) points.splice(0, drop)
        }
      }
      break
    }
    case 'meters':
      liveStore.meters[msg.link] = { t: msg.t, send: msg.send, receive: msg.receive }
      if (typeof msg.t === 'number') liveStore.clockOffsetMs = msg.t - now
      break
    case 'hello':
      // A new socket: the relays start over, and say again how they are.
      for (const feed of Object.values(liveStore.peers)) {
        feed.state = 'connecting'
        feed.message = null
      }
      break
    default:
      // error is the client's business
      break
  }
}

// The shared topics, then counters and meters of each link followed (the Live view's, then the
// Lab view's), then the relayed feed of each peer followed, then the clients of the hub followed.
export function topicsFor(linkId, ends = {}, hubId = null) {
  const links = [...new Set([linkId, ...(ends.links || [])].filter(Boolean))]
  const peers = [...new Set((ends.peers || []).filter(Boolean))]
  return [
    ...BASE_TOPICS,
    ...links.flatMap((id) => [`counters:${id}`, `meters:${id}`]),
    ...peers.map((name) => `peer:${name}`),
    ...(hubId ? [`hub:${hubId}`] : []),
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

// Follows the ends of a pair: local links' counters and meters, and peers' relayed feeds. A peer
// dropped loses what was kept of it; one added starts as connecting. Nothing is sent when nothing
// changes.
export function followEnds({ links = [], peers = [] } = {}) {
  const next = { links: [...new Set(links.filter(Boolean))], peers: [...new Set(peers.filter(Boolean))] }
  const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i])
  if (same(next.links, liveStore.ends.links) && same(next.peers, liveStore.ends.peers)) return
  for (const name of Object.keys(liveStore.peers)) {
    if (!next.peers.includes(name)) delete liveStore.peers[name]
  }
  for (const name of next.peers) {
    if (!liveStore.peers[name]) liveStore.peers[name] = newPeerFeed()
  }
  liveStore.ends = next
  subscribe()
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
  liveStore.ends = { links: [], peers: [] }
  liveStore.peers = {}
  liveStore.hubId = null
  liveStore.hubs = {}
}
