import { beforeEach, describe, expect, it } from 'vitest'
import { followEnds, followLink, handleMessage, HISTORY_MS, hubClientMeters, liveClient, liveStore, resetLive, topicsFor } from '../live.js'
import { linksStore } from '../links.js'
import { jackStore } from '../jack.js'
import { link } from '../../testing/fakes.js'

describe('live store', () => {
  beforeEach(() => {
    resetLive()
    linksStore.list = []
    jackStore.info = { state: 'running' }
  })

  it('asks for one link’s counters and meters besides the shared topics', () => {
    expect(topicsFor(null)).toEqual(['links', 'jack', 'events', 'provisions'])
    expect(topicsFor('l1')).toEqual(['links', 'jack', 'events', 'provisions', 'counters:l1', 'meters:l1'])
  })

  it('merges counters, since each message carries only what changed', () => {
    handleMessage({ type: 'counters', link: 'l1', t: 1000, values: { lost: 0, level_frames: 512, target_frames: 512, queue_ms: 10.7, jitter_ms: 0.4 } }, 1000)
    handleMessage({ type: 'counters', link: 'l1', t: 1040, values: { lost: 2 } }, 1040)
    expect(liveStore.counters.l1).toEqual({ lost: 2, level_frames: 512, target_frames: 512, queue_ms: 10.7, jitter_ms: 0.4 })
    handleMessage({ type: 'counters', link: 'l1', t: 1080, values: { queue_ms: 8 } }, 1080)
    expect(liveStore.history.l1).toEqual([
      { t: 1000, queue_ms: 10.7, jitter_ms: 0.4 },
      { t: 1080, queue_ms: 8, jitter_ms: 0.4 },
    ])
  })

  it('keeps a little over 60 s of queue delay and jitter', () => {
    for (let t = 0; t <= 120_000; t += 1000) {
      handleMessage({ type: 'counters', link: 'l1', t, values: { queue_ms: t / 1000 } }, t)
    }
    const points = liveStore.history.l1
    expect(points[points.length - 1].t).toBe(120_000)
    expect(points[0].t).toBeLessThan(120_000 - HISTORY_MS)
    expect(points[0].t).toBeGreaterThanOrEqual(120_000 - HISTORY_MS - 6000)
  })

  it('keeps the last meters per link and the agent clock offset', () => {
    handleMessage(
      { type: 'meters', link: 'l1', t: 5000, send: { peak: [-6, -7], rms: [-9.1, -10] }, receive: { peak: [-120, -3], rms: [-120, -5.5] } },
      4000,
    )
    expect(liveStore.meters.l1.send.rms).toEqual([-9.1, -10])
    expect(liveStore.meters.l1.receive.peak).toEqual([-120, -3])
    expect(liveStore.clockOffsetMs).toBe(1000)
  })

  it('hands links and JACK state to their stores and keeps events', () => {
    handleMessage({ type: 'links', links: [link({ state: 'waiting' })] })
    expect(linksStore.list.map((l) => l.state)).toEqual(['waiting'])
    handleMessage({ type: 'jack', jack: { state: 'running', xruns: 4 } })
    expect(jackStore.info.xruns).toBe(4)
    handleMessage({ type: 'event', link: 'l1', kind: 'peer_connected', message: 'peer at 127.0.0.1:4465', time: '2026-11-25T19:00:00Z' })
    expect(liveStore.events).toEqual([{ link: 'l1', kind: 'peer_connected', message: 'peer at 127.0.0.1:4465', time: '2026-11-25T19:00:00Z' }])
  })

  it('asks for the ends a pair is followed by: local links once each, and each peer’s relayed feed', () => {
    expect(topicsFor(null, { links: ['l3'], peers: ['studio-b', 'studio-c'] })).toEqual([
      'links',
      'jack',
      'events',
      'provisions',
      'counters:l3',
      'meters:l3',
      'peer:studio-b',
      'peer:studio-c',
    ])
    expect(topicsFor('l3', { links: ['l3'], peers: [] })).toEqual(['links', 'jack', 'events', 'provisions', 'counters:l3', 'meters:l3'])
  })

  it('subscribes again when the ends change, keeping the Live view’s link', () => {
    followLink('l1')
    followEnds({ links: ['l3'], peers: ['studio-b'] })
    expect(liveClient().topics).toEqual(['links', 'jack', 'events', 'provisions', 'counters:l1', 'meters:l1', 'counters:l3', 'meters:l3', 'peer:studio-b'])
    expect(liveStore.peers['studio-b'].state).toBe('connecting')
    followEnds()
    expect(liveClient().topics).toEqual(['links', 'jack', 'events', 'provisions', 'counters:l1', 'meters:l1'])
    expect(liveStore.peers).toEqual({})
  })

  it('keeps a peer’s relayed links, counters and meters apart from this agent’s', () => {
    linksStore.list = [link({ id: 'l1', state: 'connected' })]
    handleMessage({ type: 'counters', link: 'l1', t: 1000, values: { lost: 0, level_frames: 512 } }, 1000)
    handleMessage({ type: 'meters', link: 'l1', t: 1000, send: { peak: [-6], rms: [-9] }, receive: { peak: [-3], rms: [-5] } }, 1000)
    followEnds({ peers: ['studio-b'] })

    handleMessage({ type: 'peer', peer: 'studio-b', state: 'up', message: null })
    handleMessage({ type: 'links', peer: 'studio-b', links: [link({ id: 'l1', state: 'waiting' })] })
    handleMessage({ type: 'counters', peer: 'studio-b', link: 'l1', t: 9000, values: { lost: 7, level_frames: 100, late: 1 } }, 1000)
    handleMessage({ type: 'counters', peer: 'studio-b', link: 'l1', t: 9040, values: { lost: 8 } }, 1000)
    handleMessage({ type: 'meters', peer: 'studio-b', link: 'l1', t: 9000, send: { peak: [-1], rms: [-2] }, receive: { peak: [-30], rms: [-40] } }, 1000)

    // this agent's own link, counters, meters and clock are as they were
    expect(linksStore.list.map((l) => [l.id, l.state])).toEqual([['l1', 'connected']])
    expect(liveStore.counters.l1).toEqual({ lost: 0, level_frames: 512 })
    expect(liveStore.meters.l1.send.rms).toEqual([-9])
    expect(liveStore.history.l1).toHaveLength(1)
    expect(liveStore.clockOffsetMs).toBe(0)

    const b = liveStore.peers['studio-b']
    expect(b.state).toBe('up')
    expect(b.links.map((l) => [l.id, l.state])).toEqual([['l1', 'waiting']])
    expect(b.counters.l1).toEqual({ lost: 8, level_frames: 100, late: 1 })
    expect(b.meters.l1.send.rms).toEqual([-2])
    expect(b.meters.l1.receive.peak).toEqual([-30])
  })

  it('keeps the meters of a hub’s clients by hub and name, relayed or this agent’s own, apart from links’', () => {
    followEnds({ peers: ['studio-hub'], hubs: ['l4'] })
    expect(liveClient().topics).toEqual(['links', 'jack', 'events', 'provisions', 'peer:studio-hub', 'hub:l4'])
    handleMessage({ type: 'meters', peer: 'studio-hub', link: 'l1', client: 2, name: 'studio-c', t: 5, send: { peak: [-3], rms: [-6] }, receive: { peak: [-12], rms: [-15] } })
    expect(liveStore.peers['studio-hub'].meters).toEqual({})
    expect(hubClientMeters('studio-hub', 'l1', 'studio-c')).toEqual({ t: 5, send: { peak: [-3], rms: [-6] }, receive: { peak: [-12], rms: [-15] } })
    expect(hubClientMeters('studio-hub', 'l1', 'studio-d')).toBeNull()
    expect(hubClientMeters('studio-hub', null, 'studio-c')).toBeNull()
    // A hub this agent runs: its clients' meters come by slot, named by its client list.
    handleMessage({ type: 'clients', link: 'l4', t: 1, clients: [{ slot: 0, name: 'studio-c', joinedAt: 'x' }] })
    handleMessage({ type: 'meters', link: 'l4', client: 0, name: 'studio-c', t: 6, send: { peak: [-1], rms: [-2] }, receive: { peak: [-4], rms: [-5] } })
    expect(hubClientMeters('here', 'l4', 'studio-c').receive.peak).toEqual([-4])
    expect(hubClientMeters('here', 'l4', 'studio-a')).toBeNull()
    // The Clients view's hub and the Lab view's are asked for once.
    expect(topicsFor(null, { hubs: ['l4'] }, 'l4')).toEqual(['links', 'jack', 'events', 'provisions', 'hub:l4'])
  })

  it('keeps a relay’s failure and its message, and starts over on a new socket', () => {
    followEnds({ peers: ['studio-b'] })
    handleMessage({ type: 'peer', peer: 'studio-b', state: 'failed', message: 'no agent answers on studio-b:8464' })
    expect(liveStore.peers['studio-b']).toMatchObject({ state: 'failed', message: 'no agent answers on studio-b:8464' })
    handleMessage({ type: 'hello', version: '0.1.0', rateHz: 25 })
    expect(liveStore.peers['studio-b']).toMatchObject({ state: 'connecting', message: null })
  })

  it('ignores a peer’s messages once it is no longer followed, and a peer’s events for the pair', () => {
    handleMessage({ type: 'counters', peer: 'studio-c', link: 'l1', t: 1, values: { lost: 3 } })
    expect(liveStore.peers['studio-c']).toBeUndefined()
    expect(liveStore.counters.l1).toBeUndefined()
    followEnds({ peers: ['studio-c'] })
    handleMessage({ type: 'event', peer: 'studio-c', link: 'l1', kind: 'peer_connected', message: 'peer at 192.0.2.20:4464', time: 'x' })
    expect(liveStore.events).toEqual([])
    expect(liveStore.peers['studio-c'].events).toEqual([{ link: 'l1', kind: 'peer_connected', message: 'peer at 192.0.2.20:4464', time: 'x' }])
  })
})
