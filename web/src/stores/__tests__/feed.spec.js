import { describe, expect, it } from 'vitest'
import { emptyFeed, reduceFeed } from '../feed.js'

// Deeply frozen, so that a reducer that changed what it was given would throw.
function frozen(value) {
  if (value && typeof value === 'object') {
    Object.values(value).forEach(frozen)
    Object.freeze(value)
  }
  return value
}

function client(slot, name, joinedAt = '2026-11-25T19:00:00Z') {
  return { slot, name, joinedAt }
}

const METERS = { send: { peak: [-6], rms: [-9] }, receive: { peak: [-3], rms: [-5] } }

describe('reduceFeed', () => {
  it('merges counters, since each message carries only what changed', () => {
    const feed = frozen({ ...emptyFeed(), counters: { l1: { lost: 0, level_frames: 512 } } })
    const next = reduceFeed(feed, { type: 'counters', link: 'l1', t: 1, values: { lost: 2, queue_ms: 8 } })
    expect(next).toEqual({ counters: { l1: { lost: 2, level_frames: 512, queue_ms: 8 } } })
  })

  it('keeps each key’s counters apart: links by id, hub clients by the key given', () => {
    const feed = frozen({ ...emptyFeed(), counters: { 0: { sent: 10 } } })
    const next = reduceFeed(feed, { type: 'counters', link: 'l2', client: 1, values: { sent: 5 } }, { key: 1 })
    expect(next.counters).toEqual({ 0: { sent: 10 }, 1: { sent: 5 } })
  })

  it('replaces a key’s meters with the last message’s', () => {
    const feed = frozen({ ...emptyFeed(), meters: { l1: { t: 1, ...METERS } } })
    const loud = { send: { peak: [-1], rms: [-2] }, receive: { peak: [-1], rms: [-2] } }
    const next = reduceFeed(feed, { type: 'meters', link: 'l1', t: 2, ...loud })
    expect(next).toEqual({ meters: { l1: { t: 2, ...loud } } })
  })

  it('forgets the counters and meters of a client that left or whose slot changed hands', () => {
    const feed = frozen({
      ...emptyFeed(),
      clients: [client(0, 'alice'), client(1, 'bob'), client(2, 'carol')],
      counters: { 0: { sent: 1 }, 1: { sent: 2 }, 2: { sent: 3 } },
      meters: { 0: METERS, 1: METERS, 2: METERS },
    })
    const clients = [client(0, 'alice'), client(2, 'dave', '2026-11-25T19:05:00Z')]
    const next = reduceFeed(feed, { type: 'clients', link: 'l2', clients })
    expect(next).toEqual({ clients, counters: { 0: { sent: 1 } }, meters: { 0: METERS } })
  })

  it('keeps the newest events, without their message type', () => {
    let feed = emptyFeed()
    for (let i = 0; i < 4; i++) {
      feed = { ...feed, ...reduceFeed(frozen(feed), { type: 'event', link: 'l1', kind: 'note', message: `m${i}` }, { eventsKept: 3 }) }
    }
    expect(feed.events).toEqual(['m1', 'm2', 'm3'].map((message) => ({ link: 'l1', kind: 'note', message })))
  })

  it('changes nothing for a message that is not about counters, meters, clients or events', () => {
    expect(reduceFeed(frozen(emptyFeed()), { type: 'jack', jack: {} })).toEqual({})
  })
})
