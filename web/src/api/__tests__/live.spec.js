import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createLiveClient, liveUrl } from '../live.js'
import { FakeWebSocket } from '../../testing/fakes.js'

const TOKEN = 'f'.repeat(32)

function client(extra = {}) {
  return createLiveClient({
    url: () => 'ws://127.0.0.1:8464/api/live',
    getToken: () => TOKEN,
    WebSocketImpl: () => FakeWebSocket,
    ...extra,
  })
}

describe('live feed client', () => {
  beforeEach(() => {
    FakeWebSocket.reset()
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('builds the URL from the page location', () => {
    expect(liveUrl({ protocol: 'http:', host: '127.0.0.1:8464' })).toBe('ws://127.0.0.1:8464/api/live')
    expect(liveUrl({ protocol: 'https:', host: 'studio.example:8464' })).toBe('wss://studio.example:8464/api/live')
  })

  it('sends auth first, and subscribes only after hello', () => {
    const c = client()
    c.subscribe(['links', 'jack', 'events', 'meters:l1'], 25)
    c.start()
    const ws = FakeWebSocket.last()
    expect(ws.url).toBe('ws://127.0.0.1:8464/api/live')
    expect(c.state.status).toBe('connecting')
    ws.open()
    expect(ws.sent).toEqual([{ type: 'auth', token: TOKEN }])
    expect(c.state.status).toBe('authenticating')
    ws.receive({ type: 'hello', version: '0.1.0', rateHz: 25 })
    expect(c.state.status).toBe('live')
    expect(ws.sent).toEqual([
      { type: 'auth', token: TOKEN },
      { type: 'subscribe', topics: ['links', 'jack', 'events', 'meters:l1'], rateHz: 25 },
    ])
  })

  it('sends a new subscribe when the topics change, replacing the last', () => {
    const c = client()
    c.start()
    const ws = FakeWebSocket.last()
    ws.open()
    c.subscribe(['links'])
    expect(ws.sent).toHaveLength(1) // not before hello
    ws.receive({ type: 'hello', version: '0.1.0', rateHz: 25 })
    c.subscribe(['links', 'counters:l2', 'meters:l2'], 10)
    expect(ws.sent.slice(1)).toEqual([
      { type: 'subscribe', topics: ['links'], rateHz: 25 },
      { type: 'subscribe', topics: ['links', 'counters:l2', 'meters:l2'], rateHz: 10 },
    ])
  })

  it('passes every message on, and keeps the last error', () => {
    const seen = []
    const c = client({ onMessage: (m) => seen.push(m.type) })
    c.start()
    const ws = FakeWebSocket.last()
    ws.open()
    ws.receive({ type: 'hello', version: '0.1.0', rateHz: 25 })
    ws.receive({ type: 'error', field: 'topics[2]', rule: 'a known topic', message: 'unknown topic' })
    ws.receive({ type: 'links', links: [] })
    ws.onmessage({ data: 'not json' })
    expect(seen).toEqual(['hello', 'error', 'links'])
    expect(c.state.error).toMatchObject({ field: 'topics[2]' })
  })

  it('reconnects with growing delays, then authenticates and subscribes again', () => {
    const c = client({ minDelayMs: 500, maxDelayMs: 2000 })
    c.subscribe(['links'])
    c.start()
    FakeWebSocket.last().open()
    FakeWebSocket.last().receive({ type: 'hello', version: '0.1.0', rateHz: 25 })
    FakeWebSocket.last().drop()
    expect(c.state.status).toBe('retrying')
    expect(c.state.retryInMs).toBe(500)
    expect(FakeWebSocket.instances).toHaveLength(1)
    vi.advanceTimersByTime(499)
    expect(FakeWebSocket.instances).toHaveLength(1)
    vi.advanceTimersByTime(1)
    expect(FakeWebSocket.instances).toHaveLength(2)
    FakeWebSocket.last().drop() // fails before opening
    expect(c.state.retryInMs).toBe(1000)
    vi.advanceTimersByTime(1000)
    FakeWebSocket.last().drop()
    expect(c.state.retryInMs).toBe(2000)
    vi.advanceTimersByTime(2000)
    FakeWebSocket.last().drop()
    expect(c.state.retryInMs).toBe(2000) // capped
    vi.advanceTimersByTime(2000)
    const ws = FakeWebSocket.last()
    ws.open()
    ws.receive({ type: 'hello', version: '0.1.0', rateHz: 25 })
    expect(ws.sent).toEqual([
      { type: 'auth', token: TOKEN },
      { type: 'subscribe', topics: ['links'], rateHz: 25 },
    ])
    // a good connection resets the delay
    ws.drop()
    expect(c.state.retryInMs).toBe(500)
  })

  it('gives up and reports when the agent refuses the token (4401)', () => {
    const onUnauthorized = vi.fn()
    const c = client({ onUnauthorized })
    c.start()
    const ws = FakeWebSocket.last()
    ws.open()
    ws.receive({ type: 'error', message: 'wrong token' })
    ws.drop(4401)
    expect(onUnauthorized).toHaveBeenCalledTimes(1)
    expect(c.state.status).toBe('unauthorized')
    vi.advanceTimersByTime(60_000)
    expect(FakeWebSocket.instances).toHaveLength(1)
  })

  it('stops without reconnecting', () => {
    const c = client()
    c.start()
    FakeWebSocket.last().open()
    c.stop()
    expect(c.state.status).toBe('closed')
    vi.advanceTimersByTime(60_000)
    expect(FakeWebSocket.instances).toHaveLength(1)
  })

  it('does not connect without a token', () => {
    const c = client({ getToken: () => null })
    c.start()
    expect(FakeWebSocket.instances).toHaveLength(0)
    expect(c.state.status).toBe('idle')
  })
})
