import { beforeEach, describe, expect, it } from 'vitest'
import { handleMessage, HISTORY_MS, liveStore, resetLive, topicsFor } from '../live.js'
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
    expect(topicsFor(null)).toEqual(['links', 'jack', 'events'])
    expect(topicsFor('l1')).toEqual(['links', 'jack', 'events', 'counters:l1', 'meters:l1'])
  })

  it('merges counters, since each message carries only what changed', () => {
    handleMessage({ type: 'counters', link: 'l1', t: 1000, values: { lost: 0, level: 512, target: 512, queue_ms: 10.7, jitter_ms: 0.4 } }, 1000)
    handleMessage({ type: 'counters', link: 'l1', t: 1040, values: { lost: 2 } }, 1040)
    expect(liveStore.counters.l1).toEqual({ lost: 2, level: 512, target: 512, queue_ms: 10.7, jitter_ms: 0.4 })
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
})
