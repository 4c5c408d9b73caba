import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  addPeer,
  labStore,
  loadPeers,
  matchJack,
  peerRequest,
  probePeer,
  removePeer,
  resetLab,
  runPreflight,
  startAgent,
  trustPeer,
} from '../lab.js'
import { setToken } from '../auth.js'
import { resetLive } from '../live.js'
import { mockFetch, requests } from '../../testing/fakes.js'
import { CHANGED_FINGERPRINT, FINGERPRINT, peer, peerReport, preflightResult } from '../../testing/lab.js'

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

describe('lab store', () => {
  beforeEach(() => {
    setToken('t'.repeat(32))
    resetLab()
    resetLive()
  })
  afterEach(() => resetLab())

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
