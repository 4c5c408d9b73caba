import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { labStore, resetLab, runPreflight } from '../lab.js'
import {
  applyPairEvent,
  followPair,
  loadPairs,
  measureLatency,
  pairEnds,
  pairOutcome,
  pairRequest,
  pairRuns,
  pairStore,
  resetPairs,
  startPair,
  stopPair,
} from '../pairs.js'
import { setToken } from '../auth.js'
import { handleMessage, resetLive } from '../live.js'
import { mockFetch, requests } from '../../testing/fakes.js'
import { latencyResult, pairJob, peer, peerReport, preflightResult, runningPair } from '../../testing/lab.js'

describe('pairs store', () => {
  beforeEach(() => {
    setToken('t'.repeat(32))
    resetLab()
    resetPairs()
    resetLive()
  })
  afterEach(() => {
    resetPairs()
    vi.useRealTimers()
  })

  it('sends the pre-flight without a port and the pair with one', async () => {
    expect(pairRequest({ peer: 'studio-b', port: '4474', values: { queue: ' auto ', bitres: undefined } })).toEqual({
      peer: 'studio-b',
      port: 4474,
      options: { queue: 'auto' },
    })
    expect(pairRequest({ peer: 'studio-b', port: '4474', values: { numchannels: '2' } }, { withPort: false })).toEqual({
      peer: 'studio-b',
      options: { numchannels: '2' },
    })
    labStore.peers = [peer()]
    const probed = peer({ report: peerReport({ sampleRate: 44100 }), probedAt: '2026-11-25T20:01:00Z' })
    mockFetch({ 'POST /api/lab/preflight': [200, { ...preflightResult({ blocking: true }), peer: probed }] })
    const outcome = await runPreflight({ peer: 'studio-b', options: {} })
    expect(outcome.ok).toBe(true)
    expect(outcome.result.rows.filter((r) => r.blocking)).toHaveLength(1)
    // the pre-flight probed the peer: its card shows what it found
    expect(labStore.peers[0].report.sampleRate).toBe(44100)
  })

  it('tells where a pair is from its steps', () => {
    expect(pairOutcome(pairJob())).toBe('running')
    expect(pairOutcome(pairJob({ states: ['DONE', 'RUNNING', 'PENDING', 'PENDING', 'PENDING'] }))).toBe('running')
    expect(pairOutcome(pairJob({ states: ['DONE', 'FAILED', 'PENDING', 'PENDING', 'PENDING'] }))).toBe('failed')
    expect(pairOutcome(pairJob({ states: Array(6).fill('DONE') }))).toBe('done')
  })

  it('never calls a pair done before audio arrives both ways', () => {
    // every end started; the last step waits for audio
    expect(pairOutcome(pairJob({ states: ['DONE', 'DONE', 'DONE', 'DONE', 'DONE', 'RUNNING'], state: 'starting' }))).toBe('running')
    // steps moved by the feed, the agent not yet saying so
    expect(pairOutcome(pairJob({ states: Array(6).fill('DONE'), state: 'starting' }))).toBe('running')
    expect(pairOutcome(pairJob({ states: Array(6).fill('DONE'), state: 'running' }))).toBe('done')
    expect(pairOutcome(pairJob({ states: ['DONE', 'DONE', 'DONE', 'DONE', 'DONE', 'FAILED'], state: 'failed' }))).toBe('failed')
  })

  it('polls a started pair every second until it is done', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] })
    const answers = [
      pairJob({ states: ['DONE', 'RUNNING', 'PENDING', 'PENDING', 'PENDING'] }),
      pairJob({ states: ['DONE', 'DONE', 'DONE', 'RUNNING', 'PENDING'] }),
      pairJob({ states: Array(6).fill('DONE'), localLink: 'l3', peerProgram: 'jamwire', serverRunning: true }),
    ]
    const { calls } = mockFetch({
      'POST /api/lab/pairs': [202, pairJob({ states: ['RUNNING', 'PENDING', 'PENDING', 'PENDING', 'PENDING'] })],
      'GET /api/lab/pairs/p1': () => [200, answers.shift() ?? pairJob({ states: Array(6).fill('DONE') })],
    })
    await startPair({ peer: 'studio-b', port: 4464, options: {} })
    expect(calls[0].body).toEqual({ peer: 'studio-b', port: 4464, options: {} })
    const gets = () => calls.filter((c) => c.method === 'GET').length
    expect(gets()).toBe(0)
    await vi.advanceTimersByTimeAsync(1000)
    expect(gets()).toBe(1)
    expect(pairStore.pair.steps[1].state).toBe('RUNNING')
    await vi.advanceTimersByTimeAsync(1000)
    await vi.advanceTimersByTimeAsync(1000)
    expect(gets()).toBe(3)
    expect(pairOutcome(pairStore.pair)).toBe('done')
    expect(pairStore.pair.localLink).toBe('l3')
    await vi.advanceTimersByTimeAsync(5000)
    expect(gets()).toBe(3)
  })

  it('stops polling a failed pair', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const { calls } = mockFetch({
      'POST /api/lab/pairs': [202, pairJob({ states: ['RUNNING', 'PENDING', 'PENDING', 'PENDING', 'PENDING'] })],
      'GET /api/lab/pairs/p1': [200, pairJob({ states: ['DONE', 'FAILED', 'PENDING', 'PENDING', 'PENDING'], details: [null, 'sample rates differ'] })],
    })
    await startPair({ peer: 'studio-b', options: {} })
    await vi.advanceTimersByTimeAsync(5000)
    expect(calls.filter((c) => c.method === 'GET')).toHaveLength(1)
    expect(pairOutcome(pairStore.pair)).toBe('failed')
  })

  it('moves the steps with the feed’s pair_step events, never back, then reads the job again', async () => {
    pairStore.pair = pairJob({ states: ['RUNNING', 'PENDING', 'PENDING', 'PENDING', 'PENDING'] })
    const { calls } = mockFetch({ 'GET /api/lab/pairs/p1': () => [200, pairStore.pair] })
    handleMessage({ type: 'event', link: null, kind: 'pair_step', message: 'p1: start the server on the peer: running', time: '2026-11-25T20:00:01Z' })
    expect(pairStore.pair.steps.map((s) => s.state)).toEqual(['DONE', 'DONE', 'RUNNING', 'PENDING', 'PENDING', 'PENDING'])
    await flushPromises()
    expect(requests(calls)).toEqual(['GET /api/lab/pairs/p1'])

    // an older event changes nothing
    applyPairEvent({ kind: 'pair_step', message: 'p1: connect to the peer: running' })
    expect(pairStore.pair.steps[0].state).toBe('DONE')
    // another job's event is not this one's
    applyPairEvent({ kind: 'pair_step', message: 'p2: wait until it listens: failed (no)' })
    expect(pairStore.pair.steps[3].state).toBe('PENDING')

    applyPairEvent({
      kind: 'pair_step',
      message: 'p1: wait until it listens: failed (jamwire on studio-b did not start listening (it exited 1): bind: in use)',
    })
    expect(pairStore.pair.steps[3]).toEqual({
      name: 'wait until it listens',
      state: 'FAILED',
      detail: 'jamwire on studio-b did not start listening (it exited 1): bind: in use',
    })
    await flushPromises()
  })

  it('takes the local link from the “both ends run” event', async () => {
    pairStore.pair = pairJob({ states: ['DONE', 'DONE', 'DONE', 'DONE', 'DONE', 'RUNNING'], state: 'starting' })
    mockFetch({ 'GET /api/lab/pairs/p1': () => [200, pairStore.pair] })
    applyPairEvent({ kind: 'pair_step', link: 'l3', message: 'p1: both ends run' })
    expect(pairStore.pair.state).toBe('running')
    expect(pairOutcome(pairStore.pair)).toBe('done')
    expect(pairStore.pair.localLink).toBe('l3')
    await flushPromises()
  })

  it('stops a pair, and shows the newest job after a reload', async () => {
    const { calls } = mockFetch({
      'GET /api/lab/pairs': [
        200,
        [
          pairJob({ id: 'p1', startedAt: '2026-11-25T19:00:00Z', states: Array(6).fill('DONE') }),
          pairJob({ id: 'p2', startedAt: '2026-11-25T20:00:00Z', states: Array(6).fill('DONE'), localLink: 'l4', serverRunning: true }),
        ],
      ],
      'DELETE /api/lab/pairs/p2': [200, pairJob({ id: 'p2', states: Array(6).fill('DONE'), localLink: 'l4', serverRunning: false })],
    })
    await loadPairs()
    expect(pairStore.pair.id).toBe('p2')
    followPair()
    await stopPair()
    expect(requests(calls)).toEqual(['GET /api/lab/pairs', 'DELETE /api/lab/pairs/p2'])
    expect(pairStore.stoppedPair).toBe('p2')
    expect(pairStore.pair.serverRunning).toBe(false)
  })

  it('names the client only when it is a second peer', () => {
    expect(pairRequest({ peer: 'studio-b', client: 'here', port: '4464', values: {} })).toEqual({ peer: 'studio-b', port: 4464, options: {} })
    expect(pairRequest({ peer: 'studio-b', client: 'studio-c', port: '4464', values: {} })).toEqual({
      peer: 'studio-b',
      client: 'studio-c',
      port: 4464,
      options: {},
    })
    expect(pairRequest({ peer: 'studio-b', client: 'studio-c', values: {} }, { withPort: false })).toEqual({
      peer: 'studio-b',
      client: 'studio-c',
      options: {},
    })
  })

  it('knows a started pair’s ends even when the job does not name them', async () => {
    mockFetch({ 'POST /api/lab/pairs': [202, pairJob({ id: 'p4' })] })
    await startPair({ peer: 'studio-b', client: 'studio-c', port: 4464, options: {} })
    expect(pairEnds(pairStore.pair)).toEqual({ server: 'studio-b', client: 'studio-c' })
    expect(pairEnds(pairJob({ id: 'p9' }))).toEqual({ server: null, client: 'here' })
    expect(pairEnds(runningPair({ peer: 'studio-d', client: 'studio-e' }))).toEqual({ server: 'studio-d', client: 'studio-e' })
  })

  it('takes no local link from “both ends run” when the client is a second peer', async () => {
    pairStore.pair = runningPair({ client: 'studio-c', localLink: null, clientLink: 'l5' })
    mockFetch({ 'GET /api/lab/pairs/p1': () => [200, pairStore.pair] })
    applyPairEvent({ kind: 'pair_step', link: 'l7', message: 'p1: both ends run' })
    expect(pairStore.pair.localLink).toBe(null)
    await flushPromises()
  })

  it('tells a running pair from one stopped, lost or still starting', () => {
    expect(pairRuns(runningPair())).toBe(true)
    expect(pairRuns(runningPair({ serverRunning: false }))).toBe(false)
    expect(pairRuns(runningPair({ state: 'stopped' }))).toBe(false)
    expect(pairRuns(pairJob())).toBe(false)
    pairStore.stoppedPair = 'p1'
    expect(pairRuns(runningPair())).toBe(false)
  })

  it('keeps the last five latency results, newest first, and the last error apart', async () => {
    let n = 0
    const { calls } = mockFetch({
      'POST /api/lab/pairs/p1/latency': () => (++n === 7 ? [422, { error: 'invalid', message: 'no echo came back' }] : [200, latencyResult({ frames: 1000 + n })]),
    })
    for (let i = 0; i < 6; i++) await measureLatency('p1')
    expect(calls.every((c) => c.body === undefined)).toBe(true)
    expect(pairStore.latency.p1.results.map((r) => r.frames)).toEqual([1006, 1005, 1004, 1003, 1002])
    expect(pairStore.latency.p1.results[0].at).toMatch(/^\d{4}-/)
    await measureLatency('p1')
    expect(pairStore.latency.p1.error.status).toBe(422)
    expect(pairStore.latency.p1.error.message).toBe('no echo came back')
    expect(pairStore.latency.p1.results).toHaveLength(5)
    expect(pairStore.latency.p1.running).toBe(false)
  })
})
