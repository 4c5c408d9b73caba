import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import App from '../App.vue'
import { auth, setToken } from '../stores/auth.js'
import { linksStore } from '../stores/links.js'
import { resetLive } from '../stores/live.js'
import { route } from '../router.js'
import { FakeWebSocket, LINK_OPTIONS, link, mockFetch } from '../testing/fakes.js'

describe('App', () => {
  beforeEach(() => {
    sessionStorage.clear()
    auth.token = null
    auth.message = ''
    linksStore.list = []
    linksStore.loaded = false
    linksStore.options = null
    resetLive()
    FakeWebSocket.reset()
    vi.stubGlobal('WebSocket', FakeWebSocket)
    window.location.hash = '#/links'
    route.name = 'links'
  })
  afterEach(() => {
    resetLive()
  })

  it('asks for the token when it has none', () => {
    const w = mount(App)
    expect(w.find('[data-test="token-input"]').exists()).toBe(true)
    expect(w.find('[data-test="nav-links"]').exists()).toBe(false)
    expect(FakeWebSocket.instances).toHaveLength(0)
    w.unmount()
  })

  it('shows the views with a token, and opens the live feed with it', async () => {
    mockFetch({
      'GET /api/links': [200, [link()]],
      'GET /api/link-options': [200, LINK_OPTIONS],
      'POST /api/links/check': [200, { commandLine: 'jamwire -s', warnings: [] }],
    })
    setToken('c'.repeat(32))
    const w = mount(App)
    await flushPromises()
    for (const name of ['links', 'live', 'jack', 'lab']) expect(w.find(`[data-test="nav-${name}"]`).exists()).toBe(true)
    expect(w.get('[data-test="nav-links"]').attributes('aria-current')).toBe('page')
    expect(w.findAll('[data-test="link-row"]')).toHaveLength(1)
    const ws = FakeWebSocket.last()
    ws.open()
    expect(ws.sent[0]).toEqual({ type: 'auth', token: 'c'.repeat(32) })
    w.unmount()
  })

  it('brings the prompt back with a message when the agent answers 401', async () => {
    mockFetch({
      'GET /api/links': [401, { error: 'unauthorized', message: 'missing or wrong token' }],
      'GET /api/link-options': [401, { error: 'unauthorized', message: 'missing or wrong token' }],
    })
    setToken('d'.repeat(32))
    const w = mount(App)
    await flushPromises()
    expect(w.find('[data-test="token-input"]').exists()).toBe(true)
    expect(w.get('[data-test="token-error"]').text()).toMatch(/did not accept this token/)
    w.unmount()
  })

  it('goes back to the prompt when the live feed refuses the token', async () => {
    mockFetch({ 'GET /api/links': [200, []], 'GET /api/link-options': [200, []], 'POST /api/links/check': [200, { commandLine: 'jamwire -s', warnings: [] }] })
    setToken('e'.repeat(32))
    const w = mount(App)
    await flushPromises()
    const ws = FakeWebSocket.last()
    ws.open()
    ws.drop(4401)
    await flushPromises()
    expect(w.find('[data-test="token-input"]').exists()).toBe(true)
    w.unmount()
  })

  it('switches views from the hash', async () => {
    mockFetch({
      'GET /api/links': [200, []],
      'GET /api/link-options': [200, []],
      'POST /api/links/check': [200, { commandLine: 'jamwire -s', warnings: [] }],
      'GET /api/jack': [200, { state: 'unavailable', message: 'JACK is not running', server: 'default', sampleRate: 0, bufferSize: 0, xruns: 0, cpuLoad: 0 }],
      'GET /api/counters': [200, []],
    })
    setToken('f'.repeat(32))
    const w = mount(App, { attachTo: document.body })
    await flushPromises()
    window.location.hash = '#/jack'
    window.dispatchEvent(new HashChangeEvent('hashchange'))
    await flushPromises()
    expect(w.get('h1').text()).toBe('JACK')
    expect(w.get('[data-test="nav-jack"]').attributes('aria-current')).toBe('page')
    window.location.hash = '#/live'
    window.dispatchEvent(new HashChangeEvent('hashchange'))
    await flushPromises()
    expect(w.get('h1').text()).toBe('Live')
    w.unmount()
  })

  it('opens the Lab view from its nav item', async () => {
    mockFetch({
      'GET /api/links': [200, []],
      'GET /api/link-options': [200, []],
      'POST /api/links/check': [200, { commandLine: 'jamwire -s', warnings: [] }],
      'GET /api/lab/peers': [200, []],
      'GET /api/lab/ssh-config': [200, []],
      'GET /api/lab/pairs': [200, []],
    })
    setToken('f'.repeat(32))
    const w = mount(App, { attachTo: document.body })
    await flushPromises()
    expect(w.get('[data-test="nav-lab"]').attributes('href')).toBe('#/lab')
    window.location.hash = '#/lab'
    window.dispatchEvent(new HashChangeEvent('hashchange'))
    await flushPromises()
    expect(w.get('h1').text()).toBe('Lab')
    expect(w.get('[data-test="nav-lab"]').attributes('aria-current')).toBe('page')
    expect(document.activeElement).toBe(w.get('h1').element)
    expect(w.find('[data-test="peer-form"]').exists()).toBe(true)
    w.unmount()
  })
})
