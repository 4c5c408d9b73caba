import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import ClientsView from '../ClientsView.vue'
import { linksStore } from '../../stores/links.js'
import { handleMessage, liveStore } from '../../stores/live.js'
import { link, mockFetch } from '../../testing/fakes.js'
import { feedViewAfter, feedViewBefore, mountView, openFeed } from '../../testing/views.js'

function hubLink(overrides = {}) {
  return link({
    id: 'l2',
    mode: 'hubserver',
    state: 'connected',
    clientName: null,
    peer: null,
    commandLine: 'jamwire --jacktripserver --hubpatch 2',
    format: { bitResolution: 16, queue: '4', redundancy: 1, backend: 'jack' },
    hub: { tcpPort: 4464, udpBasePort: 61002, patch: 2, patchMeaning: 'each client hears every other client, not itself', includeServer: false, upmix: false, clients: 2 },
    ...overrides,
  })
}

function client(slot, name, overrides = {}) {
  return {
    slot,
    name,
    jackName: name,
    address: '127.0.0.1',
    clientPort: 4470 + slot,
    udpPort: 61002 + slot,
    state: 'connected',
    peer: `127.0.0.1:${4470 + slot}`,
    sendChannels: 2,
    receiveChannels: 2,
    joinedAt: new Date(Date.now() - 5000).toISOString(),
    ...overrides,
  }
}

function rows(w) {
  return w.findAll('[data-test="hub-client"]').map((r) => r.attributes('data-name'))
}

describe('ClientsView', () => {
  beforeEach(() => {
    feedViewBefore([link({ id: 'l1', state: 'connected' }), hubLink()])
    mockFetch({
      'GET /api/counters': [200, [{ label: 'lost', meaning: 'packets that never arrived' }]],
      'GET /api/links/l2': [
        200,
        hubLink({
          events: [
            { link: 'l2', client: { slot: 0, name: 'alice' }, kind: 'client_joined', message: 'alice (slot 0): connected from 127.0.0.1; UDP port 61002', time: '2026-11-25T19:00:00Z' },
            { link: 'l2', kind: 'listening', message: 'listening on TCP port 4464', time: '2026-11-25T18:59:59Z' },
          ],
        }),
      ],
    })
  })
  afterEach(feedViewAfter)

  it('follows the hub server link, not the P2P one, on topic hub:ID', async () => {
    const w = await mountView(ClientsView)
    expect(w.get('[data-test="clients-hub"]').element.value).toBe('l2')
    expect(w.findAll('[data-test="clients-hub"] option')).toHaveLength(1)
    const ws = openFeed()
    expect(ws.sent[1].topics).toEqual(['links', 'jack', 'events', 'provisions', 'hub:l2'])
    w.unmount()
    expect(ws.sent.at(-1).topics).toEqual(['links', 'jack', 'events', 'provisions'])
  })

  it('lists the clients with their counters and meters as the feed brings them', async () => {
    const w = await mountView(ClientsView)
    expect(w.find('[data-test="no-clients"]').exists()).toBe(true)
    handleMessage({ type: 'clients', link: 'l2', t: Date.now(), clients: [client(0, 'alice'), client(1, 'bob')] })
    handleMessage({ type: 'counters', link: 'l2', client: 0, name: 'alice', t: Date.now(), values: { sent: 100, recv: 98, lost: 0, queue_ms: 10.7 } })
    handleMessage({ type: 'counters', link: 'l2', client: 1, name: 'bob', t: Date.now(), values: { sent: 50, recv: 40, lost: 3 } })
    handleMessage({ type: 'meters', link: 'l2', client: 1, name: 'bob', t: Date.now(), send: { peak: [-3, -3], rms: [-6, -6] }, receive: { peak: [-120, -120], rms: [-120, -120] } })
    await flushPromises()
    expect(rows(w)).toEqual(['alice', 'bob'])
    const bob = w.get('[data-test="hub-client"][data-name="bob"]')
    expect(bob.get('[data-test="client-sent"]').text()).toBe('50')
    expect(bob.get('[data-test="client-lost"]').classes()).toContain('nonzero')
    expect(w.get('[data-test="hub-client"][data-name="alice"] [data-test="client-queue_ms"]').text()).toBe('10.7')
    expect(w.get('[data-test="client-count"]').text()).toBe('2')
    expect(w.findAll('[data-test="client-meters"]')).toHaveLength(2)
    // a P2P link's counters stay apart from the hub's clients
    expect(liveStore.counters.l2).toBeUndefined()
    // the counters go on
    handleMessage({ type: 'counters', link: 'l2', client: 1, name: 'bob', t: Date.now(), values: { sent: 75 } })
    await flushPromises()
    expect(bob.get('[data-test="client-sent"]').text()).toBe('75')
    expect(bob.get('[data-test="client-recv"]').text()).toBe('40')
  })

  it('shows a client leaving and a new one in its slot starting from its own counters', async () => {
    const w = await mountView(ClientsView)
    handleMessage({ type: 'clients', link: 'l2', t: Date.now(), clients: [client(0, 'alice'), client(1, 'bob')] })
    handleMessage({ type: 'counters', link: 'l2', client: 1, name: 'bob', t: Date.now(), values: { sent: 50, lost: 3 } })
    handleMessage({ type: 'event', link: 'l2', client: { slot: 1, name: 'bob' }, kind: 'client_left', message: 'bob (slot 1): left; slot 1 is free', time: new Date().toISOString() })
    handleMessage({ type: 'clients', link: 'l2', t: Date.now(), clients: [client(0, 'alice')] })
    await flushPromises()
    expect(rows(w)).toEqual(['alice'])
    expect(w.get('[data-test="client-events"]').text()).toContain('bob (slot 1): left')
    expect(w.get('[data-test="client-events"]').text()).toContain('left')
    expect(liveStore.hubs.l2.counters[1]).toBeUndefined()
    handleMessage({ type: 'clients', link: 'l2', t: Date.now(), clients: [client(0, 'alice'), client(1, 'carol', { joinedAt: new Date().toISOString(), state: 'waiting' })] })
    await flushPromises()
    const carol = w.get('[data-test="hub-client"][data-name="carol"]')
    expect(carol.attributes('data-state')).toBe('waiting')
    expect(carol.get('[data-test="client-lost"]').text()).toBe('–')
  })

  it('says how to start a hub when there is none', async () => {
    linksStore.list = [link({ id: 'l1' })]
    const w = await mountView(ClientsView)
    expect(w.get('[data-test="no-hubs"]').text()).toContain('Hub server')
  })

  it('shows the joins from before the page opened, from the link itself', async () => {
    const w = await mountView(ClientsView)
    const text = w.get('[data-test="client-events"]').text()
    expect(text).toContain('alice (slot 0): connected from 127.0.0.1')
    expect(text).not.toContain('listening on TCP port')
  })
})
