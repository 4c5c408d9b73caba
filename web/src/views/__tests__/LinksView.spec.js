import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import LinksView from '../LinksView.vue'
import { setToken } from '../../stores/auth.js'
import { linksStore } from '../../stores/links.js'
import { handleMessage } from '../../stores/live.js'
import { link, LINK_OPTIONS, mockFetch } from '../../testing/fakes.js'
import { mountView } from '../../testing/views.js'

describe('LinksView', () => {
  let fetchMock
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] })
    vi.setSystemTime(1_000_000)
    setToken('t'.repeat(32))
    linksStore.list = []
    linksStore.loaded = false
    linksStore.options = null
    fetchMock = mockFetch({
      'GET /api/links': [
        200,
        [
          link({ id: 'l1', state: 'connected', uptimeSeconds: 65 }),
          link({ id: 'l2', state: 'failed', failure: 'UDP port 4474 is in use', peer: null, uptimeSeconds: 0 }),
        ],
      ],
      'GET /api/link-options': [200, LINK_OPTIONS],
      'POST /api/links/check': [200, { commandLine: 'jamwire -s', warnings: [] }],
      'DELETE /api/links/l1': [200, link({ id: 'l1', state: 'stopped', uptimeSeconds: 70 })],
    })
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('lists the links with their state, peer, port and uptime', async () => {
    const w = await mountView(LinksView)
    const rows = w.findAll('[data-test="link-row"]')
    expect(rows.map((r) => [r.attributes('data-link-id'), r.attributes('data-state')])).toEqual([
      ['l1', 'connected'],
      ['l2', 'failed'],
    ])
    expect(rows[0].get('.badge').text()).toBe('connected')
    expect(rows[0].get('.badge').classes()).toContain('badge-connected')
    expect(rows[0].text()).toContain('127.0.0.1:4465')
    expect(rows[0].text()).toContain('4464')
    expect(rows[0].get('[data-test="uptime"]').text()).toBe('1 min 05 s')
    expect(rows[1].text()).toContain('UDP port 4474 is in use')
    w.unmount()
  })

  it('counts uptime on while the link runs', async () => {
    const w = await mountView(LinksView)
    await vi.advanceTimersByTimeAsync(10_000)
    expect(w.findAll('[data-test="uptime"]')[0].text()).toBe('1 min 15 s')
    expect(w.findAll('[data-test="uptime"]')[1].text()).toBe('0 s')
    w.unmount()
  })

  it('has a stop button only for running links, and stops one', async () => {
    const w = await mountView(LinksView)
    const rows = w.findAll('[data-test="link-row"]')
    expect(rows[1].find('[data-test="stop-link"]').exists()).toBe(false)
    const stop = rows[0].get('[data-test="stop-link"]')
    expect(stop.attributes('aria-label')).toBe('Stop link l1')
    await stop.trigger('click')
    await flushPromises()
    expect(fetchMock.calls.some((c) => c.method === 'DELETE' && c.url === '/api/links/l1')).toBe(true)
    const row = w.get('[data-link-id="l1"]')
    expect(row.attributes('data-state')).toBe('stopped')
    expect(row.find('[data-test="stop-link"]').exists()).toBe(false)
    expect(w.get('[data-test="links-status"]').text()).toBe('Link l1 stopped (stopped).')
    w.unmount()
  })

  it('follows the live feed', async () => {
    const w = await mountView(LinksView)
    const { counters, events, ...slim } = link({ id: 'l1', state: 'audio_lost' })
    handleMessage({ type: 'links', links: [slim, { ...slim, id: 'l3', state: 'waiting', peer: null }] })
    await flushPromises()
    expect(w.findAll('[data-test="link-row"]').map((r) => r.attributes('data-state'))).toEqual(['audio_lost', 'waiting'])
    w.unmount()
  })

  it('shows the start form built from the link options', async () => {
    const w = await mountView(LinksView)
    expect(w.find('[data-test="link-form"]').exists()).toBe(true)
    expect(w.find('[data-test="opt-bindport"]').exists()).toBe(true)
    await vi.advanceTimersByTimeAsync(250)
    await flushPromises()
    expect(w.get('[data-test="command-line"]').text()).toBe('jamwire -s')
    w.unmount()
  })

  it('shows a hub server link with its client count and a way to its Clients view', async () => {
    fetchMock = mockFetch({
      'GET /api/links': [
        200,
        [
          link({ id: 'l3', mode: 'hubserver', state: 'connected', peer: null, localPort: 4464, format: { bitResolution: 16 }, hub: { tcpPort: 4464, udpBasePort: 61002, patch: 2, clients: 2 } }),
          link({ id: 'l4', mode: 'hubclient', host: '192.0.2.10', hubPort: 61003 }),
        ],
      ],
      'GET /api/link-options': [200, LINK_OPTIONS],
      'POST /api/links/check': [200, { commandLine: 'jamwire -s', warnings: [] }],
    })
    const w = await mountView(LinksView)
    const hub = w.get('[data-link-id="l3"]')
    expect(hub.text()).toContain('hub server, patch 2')
    expect(hub.get('[data-test="hub-client-count"]').text()).toBe('2 clients')
    expect(hub.get('[data-test="hub-clients-link"]').attributes('href')).toBe('#/clients/l3')
    expect(hub.text()).toContain('each client its own')
    expect(w.get('[data-link-id="l4"]').text()).toContain('hub client of 192.0.2.10 (hub port 61003)')
  })
})
