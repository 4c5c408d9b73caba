import { beforeEach, describe, expect, it } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { applyJackFeed, connections, connectPorts, disconnectPorts, jackStore, loadJack, resetJack } from '../jack.js'
import { setToken } from '../auth.js'
import {
  JACK_PORTS as PORTS,
  JACK_RUNNING as RUNNING,
  JACK_UNAVAILABLE as UNAVAILABLE,
  mockFetch,
} from '../../testing/fakes.js'

describe('JACK store', () => {
  beforeEach(() => {
    setToken('t'.repeat(32))
    resetJack()
  })

  it('reads the state and, when JACK runs, the ports', async () => {
    mockFetch({ 'GET /api/jack': [200, RUNNING], 'GET /api/jack/ports': [200, PORTS] })
    await loadJack()
    expect(jackStore.info.state).toBe('running')
    expect(connections()).toEqual([{ source: 'system:capture_1', destination: 'JackTrip:send_1' }])
  })

  it('does not ask for ports when JACK is unavailable', async () => {
    const { calls } = mockFetch({ 'GET /api/jack': [200, UNAVAILABLE] })
    await loadJack()
    expect(jackStore.info.message).toMatch(/not running/)
    expect(calls.map((c) => c.url)).toEqual(['/api/jack'])
  })

  it('connects and disconnects, then reads the ports again', async () => {
    jackStore.info = RUNNING
    const { calls } = mockFetch({
      'POST /api/jack/connections': [201, { source: 'JackTrip:receive_1', destination: 'system:playback_1' }],
      'DELETE /api/jack/connections': [204],
      'GET /api/jack/ports': [200, PORTS],
    })
    await connectPorts('JackTrip:receive_1', 'system:playback_1')
    await disconnectPorts('system:capture_1', 'JackTrip:send_1')
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'POST /api/jack/connections',
      'GET /api/jack/ports',
      'DELETE /api/jack/connections?source=system%3Acapture_1&destination=JackTrip%3Asend_1',
      'GET /api/jack/ports',
    ])
    expect(calls[0].body).toEqual({ source: 'JackTrip:receive_1', destination: 'system:playback_1' })
  })

  it('reads the ports again when the feed says JACK came back', async () => {
    jackStore.info = UNAVAILABLE
    const { calls } = mockFetch({ 'GET /api/jack/ports': [200, PORTS] })
    applyJackFeed(RUNNING)
    await flushPromises()
    expect(calls.map((c) => c.url)).toEqual(['/api/jack/ports'])
    expect(jackStore.ports).toHaveLength(4)
    applyJackFeed({ ...RUNNING, xruns: 3 })
    await flushPromises()
    expect(calls).toHaveLength(1)
  })
})
