import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import {
  addPeer,
  applyPairEvent,
  followPair,
  labStore,
  loadPairs,
  loadPeers,
  matchJack,
  measureLatency,
  pairEnds,
  pairOutcome,
  pairRuns,
  pairRequest,
  peerRequest,
  probePeer,
  removePeer,
  resetLab,
  runPreflight,
  startAgent,
  startPair,
  stopPair,
  trustPeer,
} from '../lab.js'
import { setToken } from '../auth.js'
import { handleMessage, resetLive } from '../live.js'
import {
  CHANGED_FINGERPRINT,
  FINGERPRINT,
  latencyResult,
  mockFetch,
  pairJob,
  peer,
  peerReport,
  preflightResult,
  runningPair,
} from '../../testing/fakes.js'

const UNKNOWN = {
  error: 'unknown_host_key',
  fingerprint: FINGERPRINT,
  message: `192.0.2.20 is not in known_hosts: its key's fingerprint is ${FINGERPRINT}`,
}
const CHANGED = {
  error: 'changed_host_key',
  fingerprint: CHANGED_FINGERPRINT,
  message: 'WARNING: the host key of 192.0.2.20 has CHANGED since it was recorded',
}

function requests(calls) {
  return calls.map((c) => `${c.method} ${c.url}`)
}

describe('lab store', () => {
  beforeEach(() => {
    setToken('t'.repeat(32))
    resetLab()
    resetLive()
  })
  afterEach(() => {
    resetLab()
    vi.useRealTimers()
  })

  it('builds a peer request: a typed port as a number, empty port, JACK server and agent token file left to the agent', () => {
    expect(peerRequest({ name: ' studio-b ', host: '192.0.2.20', port: '2222', user: 'lab', key: '/k', jackServer: ' default ' })).toEqual({
      name: 'studio-b',
      host: '192.0.2.20',
      port: 2222,
      user: 'lab',
      key: '/k',
      jackServer: 'default',
    })
    expect(peerRequest({ name: 'b', host: 'h', port: '', user: 'u', key: '/k', jackServer: '' })).toEqual({
      name: 'b',
      host: 'h',
      user: 'u',
      key: '/k',
    })
    expect(peerRequest({ name: 'b', host: 'h', user: 'u', key: '/k', agentToken: ' /srv/jamwire/token ' })).toEqual({
      name: 'b',
      host: 'h',
      user: 'u',
      key: '/k',
      agentToken: '/srv/jamwire/token',
    })
    expect(peerRequest({ name: 'b', host: 'h', user: 'u', key: '/k', agentToken: ' ' })).not.toHaveProperty('agentToken')
    // not digits: sent as typed, so that the agent names the field
    expect(peerRequest({ name: 'b', host: 'h', port: '22a', user: 'u', key: '/k' }).port).toBe('22a')
  })

  it('lists peers, adds one and removes one', async () => {
    const { calls } = mockFetch({
      'GET /api/lab/peers': [200, [peer()]],
      'POST /api/lab/peers': (call) => [201, peer({ ...call.body, hostKey: 'unchecked' })],
      'DELETE /api/lab/peers/studio-b': [204],
    })
    await loadPeers()
    expect(labStore.loaded).toBe(true)
    expect(labStore.peers.map((p) => p.name)).toEqual(['studio-b'])
    await addPeer({ name: 'studio-c', host: '192.0.2.30', user: 'lab', key: '/k' })
    expect(labStore.peers.map((p) => [p.name, p.hostKey])).toEqual([
      ['studio-b', 'known'],
      ['studio-c', 'unchecked'],
    ])
    await removePeer('studio-b')
    expect(labStore.peers.map((p) => p.name)).toEqual(['studio-c'])
    expect(requests(calls)).toEqual(['GET /api/lab/peers', 'POST /api/lab/peers', 'DELETE /api/lab/peers/studio-b'])
  })

  it('throws the refusal of an added peer, naming the field', async () => {
    mockFetch({ 'POST /api/lab/peers': [400, { error: 'invalid', field: 'user', message: "user: 'Lab' is not a user name" }] })
    const err = await addPeer({ name: 'b', host: 'h', user: 'Lab', key: '/k' }).catch((e) => e)
    expect(err.status).toBe(400)
    expect(err.field).toBe('user')
    expect(labStore.peers).toEqual([])
  })

  it('keeps an unknown host key’s fingerprint, trusts exactly it, then probes again', async () => {
    labStore.peers = [peer({ hostKey: 'unchecked' })]
    let trusted = false
    const { calls } = mockFetch({
      'POST /api/lab/peers/studio-b/probe': () =>
        trusted ? [200, peer({ report: peerReport(), probedAt: '2026-11-25T20:00:00Z' })] : [409, UNKNOWN],
      'POST /api/lab/peers/studio-b/trust': (call) => {
        trusted = call.body.fingerprint === FINGERPRINT
        return [204]
      },
    })
    const first = await probePeer('studio-b')
    expect(first.ok).toBe(false)
    expect(labStore.problems['studio-b']).toMatchObject({ error: 'unknown_host_key', fingerprint: FINGERPRINT, status: 409 })
    expect(labStore.peers[0].hostKey).toBe('unknown')

    const second = await trustPeer('studio-b', FINGERPRINT)
    expect(second.ok).toBe(true)
    expect(requests(calls)).toEqual([
      'POST /api/lab/peers/studio-b/probe',
      'POST /api/lab/peers/studio-b/trust',
      'POST /api/lab/peers/studio-b/probe',
    ])
    expect(calls[1].body).toEqual({ fingerprint: FINGERPRINT })
    expect(labStore.problems['studio-b']).toBeUndefined()
    expect(labStore.peers[0].hostKey).toBe('known')
    expect(labStore.peers[0].report.sampleRate).toBe(48000)
    expect(labStore.busy).toEqual({})
  })

  it('does not probe when the host now presents another key', async () => {
    labStore.peers = [peer({ hostKey: 'unchecked' })]
    const { calls } = mockFetch({
      'POST /api/lab/peers/studio-b/probe': [409, UNKNOWN],
      'POST /api/lab/peers/studio-b/trust': [
        409,
        { error: 'conflict', field: 'fingerprint', message: `192.0.2.20 now presents the key ${CHANGED_FINGERPRINT}, not the ${FINGERPRINT} that was accepted: nothing recorded` },
      ],
    })
    await probePeer('studio-b')
    const result = await trustPeer('studio-b', FINGERPRINT)
    expect(result.ok).toBe(false)
    expect(labStore.problems['studio-b'].error).toBe('unknown_host_key')
    expect(labStore.problems['studio-b'].trustError).toMatch(/nothing recorded/)
    expect(requests(calls).filter((r) => r.endsWith('/probe'))).toHaveLength(1)
  })

  it('marks a changed host key, and keeps the kind of an ssh failure', async () => {
    labStore.peers = [peer(), peer({ name: 'studio-c', host: '192.0.2.30' })]
    mockFetch({
      'POST /api/lab/peers/studio-b/probe': [409, CHANGED],
      'POST /api/lab/peers/studio-c/probe': [502, { error: 'ssh', kind: 'connect_timeout', message: 'no answer from 192.0.2.30:22 in 10 s' }],
    })
    await probePeer('studio-b')
    await probePeer('studio-c')
    expect(labStore.problems['studio-b']).toMatchObject({ error: 'changed_host_key', fingerprint: CHANGED_FINGERPRINT })
    expect(labStore.peers[0].hostKey).toBe('changed')
    expect(labStore.problems['studio-c']).toMatchObject({ error: 'ssh', kind: 'connect_timeout', status: 502 })
    expect(labStore.peers[1].hostKey).toBe('known')
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
    expect(pairOutcome(pairJob({ states: ['DONE', 'DONE', 'DONE', 'DONE', 'DONE'] }))).toBe('done')
  })

  it('polls a started pair every second until it is done', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] })
    const answers = [
      pairJob({ states: ['DONE', 'RUNNING', 'PENDING', 'PENDING', 'PENDING'] }),
      pairJob({ states: ['DONE', 'DONE', 'DONE', 'RUNNING', 'PENDING'] }),
      pairJob({ states: ['DONE', 'DONE', 'DONE', 'DONE', 'DONE'], localLink: 'l3', peerProgram: 'jamwire', serverRunning: true }),
    ]
    const { calls } = mockFetch({
      'POST /api/lab/pairs': [202, pairJob({ states: ['RUNNING', 'PENDING', 'PENDING', 'PENDING', 'PENDING'] })],
      'GET /api/lab/pairs/p1': () => [200, answers.shift() ?? pairJob({ states: Array(5).fill('DONE') })],
    })
    await startPair({ peer: 'studio-b', port: 4464, options: {} })
    expect(calls[0].body).toEqual({ peer: 'studio-b', port: 4464, options: {} })
    const gets = () => calls.filter((c) => c.method === 'GET').length
    expect(gets()).toBe(0)
    await vi.advanceTimersByTimeAsync(1000)
    expect(gets()).toBe(1)
    expect(labStore.pair.steps[1].state).toBe('RUNNING')
    await vi.advanceTimersByTimeAsync(1000)
    await vi.advanceTimersByTimeAsync(1000)
    expect(gets()).toBe(3)
    expect(pairOutcome(labStore.pair)).toBe('done')
    expect(labStore.pair.localLink).toBe('l3')
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
    expect(pairOutcome(labStore.pair)).toBe('failed')
  })

  it('moves the steps with the feed’s pair_step events, never back, then reads the job again', async () => {
    labStore.pair = pairJob({ states: ['RUNNING', 'PENDING', 'PENDING', 'PENDING', 'PENDING'] })
    const { calls } = mockFetch({ 'GET /api/lab/pairs/p1': () => [200, labStore.pair] })
    handleMessage({ type: 'event', link: null, kind: 'pair_step', message: 'p1: start the server on the peer: running', time: '2026-11-25T20:00:01Z' })
    expect(labStore.pair.steps.map((s) => s.state)).toEqual(['DONE', 'DONE', 'RUNNING', 'PENDING', 'PENDING'])
    await flushPromises()
    expect(requests(calls)).toEqual(['GET /api/lab/pairs/p1'])

    // an older event changes nothing
    applyPairEvent({ kind: 'pair_step', message: 'p1: connect to the peer: running' })
    expect(labStore.pair.steps[0].state).toBe('DONE')
    // another job's event is not this one's
    applyPairEvent({ kind: 'pair_step', message: 'p2: wait until it listens: failed (no)' })
    expect(labStore.pair.steps[3].state).toBe('PENDING')

    applyPairEvent({
      kind: 'pair_step',
      message: 'p1: wait until it listens: failed (jamwire on studio-b did not start listening (it exited 1): bind: in use)',
    })
    expect(labStore.pair.steps[3]).toEqual({
      name: 'wait until it listens',
      state: 'FAILED',
      detail: 'jamwire on studio-b did not start listening (it exited 1): bind: in use',
    })
    await flushPromises()
  })

  it('takes the local link from the “both ends run” event', async () => {
    labStore.pair = pairJob({ states: ['DONE', 'DONE', 'DONE', 'DONE', 'RUNNING'] })
    mockFetch({ 'GET /api/lab/pairs/p1': () => [200, labStore.pair] })
    applyPairEvent({ kind: 'pair_step', link: 'l3', message: 'p1: both ends run' })
    expect(pairOutcome(labStore.pair)).toBe('done')
    expect(labStore.pair.localLink).toBe('l3')
    await flushPromises()
  })

  it('stops a pair, and shows the newest job after a reload', async () => {
    const { calls } = mockFetch({
      'GET /api/lab/pairs': [
        200,
        [
          pairJob({ id: 'p1', startedAt: '2026-11-25T19:00:00Z', states: Array(5).fill('DONE') }),
          pairJob({ id: 'p2', startedAt: '2026-11-25T20:00:00Z', states: Array(5).fill('DONE'), localLink: 'l4', serverRunning: true }),
        ],
      ],
      'DELETE /api/lab/pairs/p2': [200, pairJob({ id: 'p2', states: Array(5).fill('DONE'), localLink: 'l4', serverRunning: false })],
    })
    await loadPairs()
    expect(labStore.pair.id).toBe('p2')
    followPair()
    await stopPair()
    expect(requests(calls)).toEqual(['GET /api/lab/pairs', 'DELETE /api/lab/pairs/p2'])
    expect(labStore.stoppedPair).toBe('p2')
    expect(labStore.pair.serverRunning).toBe(false)
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

  it('keeps both peers a two-peer pre-flight probed, and puts a refusal on the peer it names', async () => {
    labStore.peers = [peer(), peer({ name: 'studio-c', host: '192.0.2.30' })]
    mockFetch({
      'POST /api/lab/preflight': [
        200,
        { ...preflightResult(), peer: peer({ report: peerReport() }), client: peer({ name: 'studio-c', host: '192.0.2.30', report: peerReport({ sampleRate: 44100 }) }) },
      ],
    })
    expect((await runPreflight({ peer: 'studio-b', client: 'studio-c', options: {} })).ok).toBe(true)
    expect(labStore.peers[1].report.sampleRate).toBe(44100)

    mockFetch({ 'POST /api/lab/preflight': [502, { error: 'ssh', kind: 'auth_failed', message: 'lab@192.0.2.30 refused the key' }] })
    const outcome = await runPreflight({ peer: 'studio-b', client: 'studio-c', options: {} })
    expect(outcome.peer).toBe('studio-c')
    expect(labStore.problems['studio-c'].kind).toBe('auth_failed')
    expect(labStore.problems['studio-b']).toBeUndefined()
  })

  it('knows a started pair’s ends even when the job does not name them', async () => {
    mockFetch({ 'POST /api/lab/pairs': [202, pairJob({ id: 'p4' })] })
    await startPair({ peer: 'studio-b', client: 'studio-c', port: 4464, options: {} })
    expect(pairEnds(labStore.pair)).toEqual({ server: 'studio-b', client: 'studio-c' })
    expect(pairEnds(pairJob({ id: 'p9' }))).toEqual({ server: null, client: 'here' })
    expect(pairEnds(runningPair({ peer: 'studio-d', client: 'studio-e' }))).toEqual({ server: 'studio-d', client: 'studio-e' })
  })

  it('takes no local link from “both ends run” when the client is a second peer', async () => {
    labStore.pair = runningPair({ client: 'studio-c', localLink: null, clientLink: 'l5' })
    mockFetch({ 'GET /api/lab/pairs/p1': () => [200, labStore.pair] })
    applyPairEvent({ kind: 'pair_step', link: 'l7', message: 'p1: both ends run' })
    expect(labStore.pair.localLink).toBe(null)
    await flushPromises()
  })

  it('tells a running pair from one stopped, lost or still starting', () => {
    expect(pairRuns(runningPair())).toBe(true)
    expect(pairRuns(runningPair({ serverRunning: false }))).toBe(false)
    expect(pairRuns(runningPair({ state: 'stopped' }))).toBe(false)
    expect(pairRuns(pairJob())).toBe(false)
    labStore.stoppedPair = 'p1'
    expect(pairRuns(runningPair())).toBe(false)
  })

  it('keeps the last five latency results, newest first, and the last error apart', async () => {
    let n = 0
    const { calls } = mockFetch({
      'POST /api/lab/pairs/p1/latency': () => (++n === 7 ? [422, { error: 'invalid', message: 'no echo came back' }] : [200, latencyResult({ frames: 1000 + n })]),
    })
    for (let i = 0; i < 6; i++) await measureLatency('p1')
    expect(calls.every((c) => c.body === undefined)).toBe(true)
    expect(labStore.latency.p1.results.map((r) => r.frames)).toEqual([1006, 1005, 1004, 1003, 1002])
    expect(labStore.latency.p1.results[0].at).toMatch(/^\d{4}-/)
    await measureLatency('p1')
    expect(labStore.latency.p1.error.status).toBe(422)
    expect(labStore.latency.p1.error.message).toBe('no echo came back')
    expect(labStore.latency.p1.results).toHaveLength(5)
    expect(labStore.latency.p1.running).toBe(false)
  })

  it('restarts a peer’s JACK and starts an agent there, keeping the peer each answers', async () => {
    labStore.peers = [peer({ report: peerReport({ sampleRate: 44100, agentRunning: false }) })]
    const { calls } = mockFetch({
      'POST /api/lab/peers/studio-b/match-jack': [200, peer({ report: peerReport({ agentRunning: false }) })],
      'POST /api/lab/peers/studio-b/agent': [200, peer({ report: peerReport({ agentRunning: true }) })],
    })
    const matched = matchJack('studio-b', { sampleRate: 48000, bufferSize: 128 })
    expect(labStore.busy['studio-b']).toBe('matching')
    expect((await matched).ok).toBe(true)
    expect(calls[0].body).toEqual({ sampleRate: 48000, bufferSize: 128 })
    expect(labStore.peers[0].report.sampleRate).toBe(48000)
    expect((await startAgent('studio-b')).ok).toBe(true)
    expect(labStore.peers[0].report.agentRunning).toBe(true)
    expect(labStore.busy).toEqual({})

    mockFetch({ 'POST /api/lab/peers/studio-b/agent': [502, { error: 'ssh', kind: 'failed', message: 'jamwire is not on the PATH there' }] })
    const failed = await startAgent('studio-b')
    expect(failed.ok).toBe(false)
    expect(failed.error.message).toBe('jamwire is not on the PATH there')
  })
})
