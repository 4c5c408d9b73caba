import { beforeEach, describe, expect, it } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import JackView from '../JackView.vue'
import { setToken } from '../../stores/auth.js'
import { resetJack } from '../../stores/jack.js'
import { JACK_PORTS, JACK_RUNNING, JACK_UNAVAILABLE, mockFetch } from '../../testing/fakes.js'
import { mountView } from '../../testing/views.js'

describe('JackView', () => {
  beforeEach(() => {
    setToken('t'.repeat(32))
    resetJack()
  })

  it('shows the settings of a running server', async () => {
    mockFetch({ 'GET /api/jack': [200, JACK_RUNNING], 'GET /api/jack/ports': [200, JACK_PORTS] })
    const w = await mountView(JackView)
    expect(w.get('[data-test="jack-state"]').text()).toBe('running')
    const text = w.text()
    expect(text).toContain('default')
    expect(text).toContain('48,000 Hz')
    expect(text).toContain('128 frames')
    expect(text).toContain('2.67 ms')
    expect(text).toContain('3.2 %')
    w.unmount()
  })

  it('says when PipeWire serves JACK, calls its period the quantum, and says how to set it', async () => {
    const pipewire = { ...JACK_RUNNING, bufferSize: 256, audioServer: 'PipeWire 0.3.65' }
    mockFetch({ 'GET /api/jack': [200, pipewire], 'GET /api/jack/ports': [200, JACK_PORTS] })
    const w = await mountView(JackView)
    expect(w.get('[data-test="jack-audio-server"]').text()).toBe('PipeWire 0.3.65')
    expect(w.get('[data-test="jack-buffer-size"]').text()).toBe('256 frames')
    expect(w.text()).toContain('Quantum')
    expect(w.get('[data-test="jack-pipewire-note"]').text()).toContain('pw-metadata -n settings 0 clock.force-quantum 256')
    w.unmount()
  })

  it('says nothing of PipeWire on jackd', async () => {
    mockFetch({ 'GET /api/jack': [200, { ...JACK_RUNNING, audioServer: 'jackd 1.9.21' }], 'GET /api/jack/ports': [200, JACK_PORTS] })
    const w = await mountView(JackView)
    expect(w.get('[data-test="jack-audio-server"]').text()).toBe('jackd 1.9.21')
    expect(w.text()).toContain('Buffer size')
    expect(w.find('[data-test="jack-pipewire-note"]').exists()).toBe(false)
    w.unmount()
  })

  it('shows the API’s message when JACK is unavailable', async () => {
    mockFetch({ 'GET /api/jack': [200, JACK_UNAVAILABLE] })
    const w = await mountView(JackView)
    expect(w.get('[data-test="jack-state"]').text()).toBe('unavailable')
    expect(w.get('[data-test="jack-message"]').text()).toBe(JACK_UNAVAILABLE.message)
    expect(w.find('[data-test="jack-connect-form"]').exists()).toBe(false)
    w.unmount()
  })

  it('lists connections and disconnects one', async () => {
    const { calls } = mockFetch({
      'GET /api/jack': [200, JACK_RUNNING],
      'GET /api/jack/ports': [200, JACK_PORTS],
      'DELETE /api/jack/connections': [204],
    })
    const w = await mountView(JackView)
    const rows = w.findAll('[data-test="jack-connection"]')
    expect(rows.map((r) => [r.attributes('data-source'), r.attributes('data-destination')])).toEqual([
      ['system:capture_1', 'JackTrip:send_1'],
    ])
    await rows[0].get('[data-test="jack-disconnect"]').trigger('click')
    await flushPromises()
    expect(calls.map((c) => `${c.method} ${c.url}`)).toContain(
      'DELETE /api/jack/connections?source=system%3Acapture_1&destination=JackTrip%3Asend_1',
    )
    expect(w.get('[data-test="jack-status"]').text()).toBe('Disconnected system:capture_1 from JackTrip:send_1.')
    w.unmount()
  })

  it('connects an output port to an input port', async () => {
    let ports = JACK_PORTS
    const { calls } = mockFetch({
      'GET /api/jack': [200, JACK_RUNNING],
      'GET /api/jack/ports': () => [200, ports],
      'POST /api/jack/connections': (call) => {
        ports = ports.map((p) => (p.name === call.body.source ? { ...p, connections: [...p.connections, call.body.destination] } : p))
        return [201, call.body]
      },
    })
    const w = await mountView(JackView)
    const source = w.get('[data-test="jack-source"]')
    const destination = w.get('[data-test="jack-destination"]')
    // outputs on the left, inputs on the right
    expect(source.findAll('option').map((o) => o.attributes('value'))).toEqual(['', 'system:capture_1', 'JackTrip:receive_1'])
    expect(destination.findAll('option').map((o) => o.attributes('value'))).toEqual(['', 'JackTrip:send_1', 'system:playback_1'])
    await source.setValue('JackTrip:receive_1')
    await destination.setValue('system:playback_1')
    await w.get('[data-test="jack-connect-form"]').trigger('submit')
    await flushPromises()
    const post = calls.find((c) => c.method === 'POST')
    expect(post.body).toEqual({ source: 'JackTrip:receive_1', destination: 'system:playback_1' })
    expect(w.findAll('[data-test="jack-connection"]')).toHaveLength(2)
    expect(w.get('[data-test="jack-status"]').text()).toBe('Connected JackTrip:receive_1 to system:playback_1.')
    w.unmount()
  })

  it('shows a refused connection beside the field it names', async () => {
    mockFetch({
      'GET /api/jack': [200, JACK_RUNNING],
      'GET /api/jack/ports': [200, JACK_PORTS],
      'POST /api/jack/connections': [400, { error: 'invalid', field: 'destination', message: 'system:playback_1 is gone' }],
    })
    const w = await mountView(JackView)
    await w.get('[data-test="jack-source"]').setValue('JackTrip:receive_1')
    await w.get('[data-test="jack-destination"]').setValue('system:playback_1')
    await w.get('[data-test="jack-connect"]').trigger('submit')
    await flushPromises()
    expect(w.get('#jack-destination-err').text()).toBe('system:playback_1 is gone')
    expect(w.get('[data-test="jack-destination"]').attributes('aria-invalid')).toBe('true')
    w.unmount()
  })

  it('asks for both ports before connecting', async () => {
    const { calls } = mockFetch({ 'GET /api/jack': [200, JACK_RUNNING], 'GET /api/jack/ports': [200, JACK_PORTS] })
    const w = await mountView(JackView)
    await w.get('[data-test="jack-connect-form"]').trigger('submit')
    await flushPromises()
    expect(w.get('#jack-source-err').text()).toBe('Pick an output port.')
    expect(calls.some((c) => c.method === 'POST')).toBe(false)
    w.unmount()
  })
})
