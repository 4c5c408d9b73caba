// What the live feed brings: links and JACK state go to their stores; counters, meters and
// events are kept here, with 60 s of queue delay and jitter per link for the plots.
import { reactive } from 'vue'
import { createLiveClient } from '../api/live.js'
import { auth, rejectToken } from './auth.js'
import { applyLinksFeed } from './links.js'
import { applyJackFeed } from './jack.js'
import { applyPairEvent } from './lab.js'

export const HISTORY_MS = 60_000
const EVENTS_KEPT = 100
const BASE_TOPICS = ['links', 'jack', 'events']

export const liveStore = reactive({
  // The link whose counters and meters are followed (the Live view's choice), or null.
  linkId: null,
  counters: {}, // id -> { lost: 0, level: 512, ... } merged from every message
  meters: {}, // id -> { t, send: { peak: [], rms: [] }, receive: { peak: [], rms: [] } }
  history: {}, // id -> [{ t, queue_ms, jitter_ms }]
  events: [], // newest last
  // agent clock minus ours, in ms, from the last counters or meters message
  clockOffsetMs: 0,
})

export function handleMessage(msg, now = Date.now()) {
  switch (msg.type) {
    case 'links':
      applyLinksFeed(msg.links)
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
    default:
      // hello and error are the client's business
      break
  }
}

export function topicsFor(linkId) {
  return linkId ? [...BASE_TOPICS, `counters:${linkId}`, `meters:${linkId}`] : [...BASE_TOPICS]
}

let client = null

export function liveClient() {
  if (!client) {
    client = createLiveClient({
      getToken: () => auth.token,
      onMessage: (msg) => handleMessage(msg),
      onUnauthorized: () => rejectToken(),
    })
    client.subscribe(topicsFor(liveStore.linkId))
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
  liveClient().subscribe(topicsFor(linkId))
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
}
