import { beforeEach, describe, expect, it, vi } from 'vitest'
import { api, ApiError } from '../http.js'
import { auth, REJECTED_MESSAGE, setToken } from '../../stores/auth.js'
import { mockFetch } from '../../testing/fakes.js'

describe('REST module', () => {
  beforeEach(() => {
    sessionStorage.clear()
    setToken('a'.repeat(32))
  })

  it('sends the token as a bearer token on every call', async () => {
    const { calls } = mockFetch({
      'GET /api/links': [200, []],
      'POST /api/links/check': [200, { commandLine: 'jamwire -s', warnings: [] }],
      'DELETE /api/links/l1': [200, { id: 'l1', state: 'stopped' }],
    })
    await api.links()
    await api.checkLink({ mode: 'server', options: {} })
    await api.stopLink('l1')
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'GET /api/links',
      'POST /api/links/check',
      'DELETE /api/links/l1',
    ])
    for (const c of calls) expect(c.headers.Authorization).toBe(`Bearer ${'a'.repeat(32)}`)
    expect(calls[1].headers['Content-Type']).toBe('application/json')
    expect(calls[1].body).toEqual({ mode: 'server', options: {} })
  })

  it('turns an error body into an ApiError naming the field', async () => {
    mockFetch({
      'POST /api/links': [
        400,
        { error: 'invalid', field: 'options.queue', rule: 'use a whole number from 1 to 1000, or auto', message: "-q/--queue: '0' is not allowed" },
      ],
    })
    const err = await api.startLink({ mode: 'server', options: { queue: '0' } }).catch((e) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect(err.status).toBe(400)
    expect(err.error).toBe('invalid')
    expect(err.field).toBe('options.queue')
    expect(err.rule).toMatch(/whole number/)
    expect(err.message).toBe("-q/--queue: '0' is not allowed")
  })

  it('keeps the fingerprint of a host-key refusal and the kind of an ssh failure', async () => {
    mockFetch({
      'POST /api/lab/peers/studio-b/probe': [409, { error: 'unknown_host_key', fingerprint: 'SHA256:abc', message: 'not in known_hosts' }],
      'POST /api/lab/peers/studio%20c/probe': [502, { error: 'ssh', kind: 'connect_timeout', message: 'no answer' }],
    })
    const unknown = await api.probePeer('studio-b').catch((e) => e)
    expect(unknown).toMatchObject({ status: 409, error: 'unknown_host_key', fingerprint: 'SHA256:abc', kind: null })
    const timeout = await api.probePeer('studio c').catch((e) => e)
    expect(timeout).toMatchObject({ status: 502, error: 'ssh', kind: 'connect_timeout', fingerprint: null })
  })

  it('forgets the token on 401 so that the prompt comes back', async () => {
    mockFetch({ 'GET /api/jack': [401, { error: 'unauthorized', message: 'wrong token' }] })
    await expect(api.jack()).rejects.toMatchObject({ status: 401 })
    expect(auth.token).toBe(null)
    expect(auth.message).toBe(REJECTED_MESSAGE)
    expect(sessionStorage.getItem('jamwire.token')).toBe(null)
  })

  it('checks a token without forgetting the current one', async () => {
    const { calls } = mockFetch({ 'GET /api/version': [401, { error: 'unauthorized', message: 'no' }] })
    await expect(api.verifyToken('b'.repeat(32))).rejects.toMatchObject({ status: 401 })
    expect(calls[0].headers.Authorization).toBe(`Bearer ${'b'.repeat(32)}`)
    expect(auth.token).toBe('a'.repeat(32))
  })

  it('encodes port names in the disconnect query', async () => {
    const { calls } = mockFetch({ 'DELETE /api/jack/connections': [204] })
    await expect(api.disconnect('system:capture_1', 'JackTrip:send 1')).resolves.toBe(null)
    expect(calls[0].url).toBe('/api/jack/connections?source=system%3Acapture_1&destination=JackTrip%3Asend%201')
  })

  it('reports an agent that does not answer', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch')
    })
    const err = await api.links().catch((e) => e)
    expect(err.status).toBe(0)
    expect(err.message).toMatch(/Could not reach the agent/)
  })
})
