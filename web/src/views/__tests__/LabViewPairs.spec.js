import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import LabView from '../LabView.vue'
import { handleMessage, liveClient, liveStore } from '../../stores/live.js'
import { holdRoute, link, mockFetch } from '../../testing/fakes.js'
import { latencyResult, peer, peerReport, preflightResult, runningPair } from '../../testing/lab.js'
import { clickOn, labRoutes, labViewAfter, labViewBefore, mountView, peerCard } from '../../testing/views.js'

const STUDIO_B = peer({ report: peerReport(), probedAt: '2026-11-25T20:00:00Z' })
const STUDIO_C = peer({ name: 'studio-c', host: '192.0.2.30', report: peerReport({ sampleRate: 44100 }), probedAt: '2026-11-25T20:00:00Z' })
const STUDIO_D = peer({ name: 'studio-d', host: '192.0.2.40' })
const BASE_TOPICS = ['links', 'jack', 'events', 'provisions']

function routes(extra = {}) {
  return labRoutes([STUDIO_B, STUDIO_C, STUDIO_D], { 'GET /api/counters': [200, [{ label: 'lost', meaning: 'packets that never came' }]], ...extra })
}

function options(select) {
  return select.findAll('option').map((o) => [o.element.value, o.text()])
}

function end(w, which) {
  return w.get(`[data-test="pair-ends"] section[data-end="${which}"]`)
}

function meterDb(section, group) {
  return section.findAll(`[data-test="end-${group}"] [data-test="meter"]`).map((m) => m.attributes('data-db'))
}

// A two-peer pre-flight: studio-c, the client, runs at 44100 Hz, studio-b, the server, at 48000 Hz.
function twoPeerPreflight({ blocking = true } = {}) {
  const result = preflightResult({ blocking })
  result.rows = result.rows.map((r) => (r.setting === 'sample rate' ? { ...r, local: r.peer, peer: r.local } : r))
  if (blocking) result.rows[0].fix = "restart studio-c's JACK at 48000 Hz (jackd -r 48000)"
  return { ...result, peer: STUDIO_B, client: blocking ? STUDIO_C : { ...STUDIO_C, report: peerReport() } }
}

// Checks both ends of the pair form's first peer and confirms the restart of its JACK.
async function checkAndMatch() {
  const w = await mountView(LabView, { attachTo: document.body })
  await clickOn(w, 'check-both')
  await clickOn(w, 'match-jack')
  await clickOn(w, 'match-confirm-yes')
  return w
}

describe('LabView: pairs', () => {
  beforeEach(labViewBefore)
  afterEach(() => {
    labViewAfter()
    vi.useRealTimers()
  })

  describe('the pair form', () => {
    it('offers this machine or another peer as the client, never the server peer', async () => {
      mockFetch(routes())
      const w = await mountView(LabView)
      expect(w.get('.intro').text()).toContain('this machine or a second peer the client')
      const client = w.get('[data-test="pair-client"]')
      expect(w.find('label[for="pair-client"]').text()).toBe('Client')
      expect(client.attributes('aria-describedby')).toBe('pair-client-hint')
      expect(client.element.value).toBe('here')
      expect(options(client)).toEqual([
        ['here', 'This machine'],
        ['studio-c', 'studio-c (192.0.2.30)'],
        ['studio-d', 'studio-d (192.0.2.40)'],
      ])

      await client.setValue('studio-c')
      // the client peer chosen as the server: the client goes back to this machine
      await w.get('[data-test="pair-peer"]').setValue('studio-c')
      expect(w.get('[data-test="pair-client"]').element.value).toBe('here')
      expect(options(w.get('[data-test="pair-client"]')).map((o) => o[0])).toEqual(['here', 'studio-b', 'studio-d'])
      w.unmount()
    })

    it('checks two peers side by side and starts the pair between them', async () => {
      const { calls } = mockFetch(
        routes({
          'POST /api/lab/preflight': [200, twoPeerPreflight({ blocking: false })],
          'POST /api/lab/pairs': (call) => [202, runningPair({ peer: call.body.peer, client: call.body.client, localLink: null, clientLink: null, serverLink: null, states: Array(5).fill('PENDING'), state: 'starting' })],
        }),
      )
      const w = await mountView(LabView)
      await w.get('[data-test="pair-client"]').setValue('studio-c')
      await clickOn(w, 'check-both')
      expect(calls.find((c) => c.url === '/api/lab/preflight').body).toEqual({ peer: 'studio-b', client: 'studio-c', options: {} })
      const table = w.get('[data-test="preflight"]')
      expect(table.findAll('thead th').map((th) => th.text())).toEqual(['Setting', 'studio-c', 'studio-b'])
      expect(table.get('caption').text()).toBe('studio-c and studio-b side by side')
      // the client changed since the check
      await w.get('[data-test="pair-client"]').setValue('studio-d')
      expect(w.get('[data-test="preflight"]').classes()).toContain('stale')
      await w.get('[data-test="pair-client"]').setValue('studio-c')

      await w.get('[data-test="start-pair"]').trigger('submit')
      await flushPromises()
      // no port: the agent picks them free on both ends
      expect(calls.find((c) => c.method === 'POST' && c.url === '/api/lab/pairs').body).toEqual({
        peer: 'studio-b',
        client: 'studio-c',
        options: {},
      })
      expect(w.get('[data-test="pair-job"] h3').text()).toBe('Pair p1: studio-b and studio-c')
      w.unmount()
    })

    it('leaves the ports to the agent unless one is given, and shows a port refusal beside the field', async () => {
      const message = 'options.portoffset: options.portoffset 10 makes the client send to UDP port 4474, but port 4484 has the server bind UDP port 4484'
      const { calls } = mockFetch(routes({ 'POST /api/lab/pairs': [400, { error: 'invalid', field: 'options.portoffset', message }] }))
      const w = await mountView(LabView, { attachTo: document.body })
      const port = w.get('[data-test="pair-port"]')
      expect(port.element.value).toBe('')
      expect(w.get('#pair-port-hint').text()).toContain('the agent picks one free on the server peer')
      await port.setValue('4484')
      await w.get('[data-test="start-pair"]').trigger('submit')
      await flushPromises()
      expect(calls.find((c) => c.method === 'POST' && c.url === '/api/lab/pairs').body).toEqual({ peer: 'studio-b', port: 4484, options: {} })
      expect(w.get('[data-test="error-port"]').text()).toBe(message)
      expect(document.activeElement).toBe(port.element)
      w.unmount()
    })

    it('shows a refused client beside its field', async () => {
      mockFetch(routes({ 'POST /api/lab/pairs': [400, { error: 'invalid', field: 'client', message: 'client: studio-c has no free port' }] }))
      const w = await mountView(LabView, { attachTo: document.body })
      await w.get('[data-test="pair-client"]').setValue('studio-c')
      await w.get('[data-test="start-pair"]').trigger('submit')
      await flushPromises()
      const client = w.get('[data-test="pair-client"]')
      expect(w.get('[data-test="error-client"]').text()).toBe('client: studio-c has no free port')
      expect(client.attributes('aria-invalid')).toBe('true')
      expect(client.attributes('aria-describedby')).toBe('pair-client-hint pair-client-err')
      expect(document.activeElement).toBe(client.element)
      w.unmount()
    })
  })

  describe('making JACK match', () => {
    it('asks first, saying what the restart interrupts, and does nothing when cancelled', async () => {
      const { calls } = mockFetch(routes({ 'POST /api/lab/preflight': [200, { ...preflightResult({ blocking: true }), peer: STUDIO_B }] }))
      const w = await mountView(LabView, { attachTo: document.body })
      await clickOn(w, 'check-both')
      const button = w.get('[data-test="match-jack"]')
      expect(button.text()).toBe('Make them match…')
      expect(w.get('#match-jack-hint').text()).toBe('Restarts studio-b’s JACK with this machine’s settings.')

      await button.trigger('click')
      await flushPromises()
      const box = w.get('[data-test="match-confirm"]')
      expect(box.attributes('role')).toBe('alertdialog')
      expect(document.activeElement).toBe(box.element)
      expect(box.get('h4').text()).toBe('Restart studio-b’s JACK server?')
      expect(box.get('[data-test="match-changes"]').text()).toBe('sample rate: 44100 Hz → 48000 Hz')
      expect(box.text()).toContain('Everything using JACK on studio-b is interrupted')
      expect(w.get('[data-test="match-jack"]').attributes('disabled')).toBeDefined()

      await clickOn(w, 'match-cancel')
      expect(w.find('[data-test="match-confirm"]').exists()).toBe(false)
      expect(document.activeElement).toBe(w.get('[data-test="match-jack"]').element)

      // Escape cancels too
      await clickOn(w, 'match-jack')
      await w.get('[data-test="match-confirm"]').trigger('keydown', { key: 'Escape' })
      await flushPromises()
      expect(w.find('[data-test="match-confirm"]').exists()).toBe(false)
      expect(calls.some((c) => c.url.endsWith('/match-jack'))).toBe(false)
      w.unmount()
    })

    it('restarts the server peer’s JACK at this machine’s settings, shows it running, then checks again', async () => {
      let matched = false
      const { calls, fetch } = mockFetch(
        routes({
          'POST /api/lab/preflight': () => [200, { ...preflightResult({ blocking: !matched }), peer: STUDIO_B }],
          'POST /api/lab/peers/studio-b/match-jack': () => {
            matched = true
            return [200, peer({ report: peerReport({ sampleRate: 48000, bufferSize: 128 }) })]
          },
        }),
      )
      const held = holdRoute(fetch, 'POST /api/lab/peers/studio-b/match-jack')
      const w = await checkAndMatch()

      const status = w.get('[data-test="match-status"]')
      expect(status.text()).toBe('Restarting studio-b’s JACK server…')
      expect(status.attributes('aria-live')).toBe('polite')
      expect(status.attributes('aria-busy')).toBe('true')
      expect(document.activeElement).toBe(status.element)
      expect(w.get('[data-test="match-jack"]').text()).toBe('Restarting…')
      expect(w.get('[data-test="match-jack"]').attributes('disabled')).toBeDefined()

      held.open()
      await flushPromises()
      expect(calls.find((c) => c.url.endsWith('/match-jack')).body).toEqual({})
      expect(calls.filter((c) => c.url === '/api/lab/preflight')).toHaveLength(2)
      expect(w.get('[data-test="preflight"]').attributes('data-ok')).toBe('true')
      expect(w.get('[data-test="match-status"]').text()).toBe(
        'studio-b’s JACK restarted at 48,000 Hz, 128 frames. Both ends were checked again: see the table.',
      )
      expect(w.find('[data-test="match-jack"]').exists()).toBe(false)
      w.unmount()
    })

    it('says when it was the JACK service that was restarted', async () => {
      let matched = false
      mockFetch(
        routes({
          'POST /api/lab/preflight': () => [200, { ...preflightResult({ blocking: !matched }), peer: STUDIO_B }],
          'POST /api/lab/peers/studio-b/match-jack': () => {
            matched = true
            return [200, { ...peer({ report: peerReport() }), restarted: 'restarted the JACK service at 48000 Hz, 128 frames' }]
          },
        }),
      )
      const w = await checkAndMatch()
      await flushPromises()
      expect(w.get('[data-test="match-status"]').text()).toBe(
        'studio-b: restarted the JACK service at 48000 Hz, 128 frames. Both ends were checked again: see the table.',
      )
      w.unmount()
    })

    it('matches the client peer to the server peer’s rate and period in a two-peer check', async () => {
      const { calls } = mockFetch(
        routes({
          'POST /api/lab/preflight': [200, twoPeerPreflight()],
          'POST /api/lab/peers/studio-c/match-jack': [200, { ...STUDIO_C, report: peerReport() }],
        }),
      )
      const w = await mountView(LabView)
      await w.get('[data-test="pair-client"]').setValue('studio-c')
      await clickOn(w, 'check-both')
      expect(w.get('#match-jack-hint').text()).toBe('Restarts studio-c’s JACK with studio-b’s settings.')
      await clickOn(w, 'match-jack')
      expect(w.get('[data-test="match-confirm"] h4').text()).toBe('Restart studio-c’s JACK server?')
      expect(w.get('[data-test="match-changes"]').text()).toBe('sample rate: 44100 Hz → 48000 Hz')
      await clickOn(w, 'match-confirm-yes')
      expect(calls.find((c) => c.url.endsWith('/match-jack')).body).toEqual({ sampleRate: 48000, bufferSize: 128 })
      expect(calls.filter((c) => c.url === '/api/lab/preflight').map((c) => c.body)).toEqual([
        { peer: 'studio-b', client: 'studio-c', options: {} },
        { peer: 'studio-b', client: 'studio-c', options: {} },
      ])
      w.unmount()
    })

    it('shows why the restart failed, and leaves the check as it was', async () => {
      const { calls } = mockFetch(
        routes({
          'POST /api/lab/preflight': [200, { ...preflightResult({ blocking: true }), peer: STUDIO_B }],
          'POST /api/lab/peers/studio-b/match-jack': [502, { error: 'ssh', kind: 'failed', message: 'no jackd runs for server default: start it with `jackd -d alsa`' }],
        }),
      )
      const w = await checkAndMatch()
      const status = w.get('[data-test="match-status"]')
      expect(status.classes()).toContain('error')
      expect(status.text()).toBe('Could not restart studio-b’s JACK: no jackd runs for server default: start it with jackd -d alsa')
      expect(status.get('code').text()).toBe('jackd -d alsa')
      expect(document.activeElement).toBe(w.get('[data-test="match-jack"]').element)
      expect(calls.filter((c) => c.url === '/api/lab/preflight')).toHaveLength(1)
      expect(w.get('[data-test="preflight"]').attributes('data-ok')).toBe('false')
      w.unmount()
    })

    it('offers nothing to match when no rate or buffer size differs', async () => {
      const result = preflightResult({ blocking: false })
      result.rows[3] = { ...result.rows[3], peer: '8', fix: 'use the same queue at both ends' }
      mockFetch(routes({ 'POST /api/lab/preflight': [200, { ...result, peer: STUDIO_B }] }))
      const w = await mountView(LabView)
      await clickOn(w, 'check-both')
      expect(w.find('[data-test="preflight"]').exists()).toBe(true)
      expect(w.find('[data-test="match-jack"]').exists()).toBe(false)
      w.unmount()
    })
  })

  describe('starting an agent on a peer', () => {
    it('offers it where no agent runs and JamWire is installed, and shows the peer with its agent', async () => {
      const withoutAgent = peer({ report: peerReport({ agentRunning: false }), probedAt: '2026-11-25T20:00:00Z' })
      const { calls, fetch } = mockFetch(
        routes({
          'GET /api/lab/peers': [200, [withoutAgent, { ...STUDIO_D, report: peerReport({ agentRunning: false, jamwireVersion: null }) }]],
          'POST /api/lab/peers/studio-b/agent': [200, { ...withoutAgent, report: peerReport({ agentRunning: true }) }],
        }),
      )
      const held = holdRoute(fetch, 'POST /api/lab/peers/studio-b/agent')
      const w = await mountView(LabView, { attachTo: document.body })
      expect(peerCard(w, 'studio-d').find('[data-test="start-agent"]').exists()).toBe(false)
      expect(peerCard(w, 'studio-b').get('[data-test="report-agent"]').text()).toBe('not running')
      const button = peerCard(w, 'studio-b').get('[data-test="start-agent"]')
      expect(button.text()).toBe('Start agent there')
      expect(button.attributes('aria-label')).toBe('Start an agent on studio-b')

      await button.trigger('click')
      await flushPromises()
      expect(peerCard(w, 'studio-b').get('[data-test="start-agent"]').text()).toBe('Starting…')
      expect(peerCard(w, 'studio-b').get('[data-test="start-agent"]').attributes('disabled')).toBeDefined()
      expect(peerCard(w, 'studio-b').get('[data-test="probe-peer"]').attributes('disabled')).toBeDefined()
      expect(w.get('[data-test="peers-status"]').text()).toBe('Starting an agent on studio-b…')

      held.open()
      await flushPromises()
      expect(calls.filter((c) => c.url === '/api/lab/peers/studio-b/agent').map((c) => c.method)).toEqual(['POST'])
      expect(peerCard(w, 'studio-b').get('[data-test="report-agent"]').text()).toBe('running')
      expect(peerCard(w, 'studio-b').find('[data-test="start-agent"]').exists()).toBe(false)
      expect(w.get('[data-test="peers-status"]').text()).toBe('Started an agent on studio-b.')
      expect(document.activeElement.id).toBe('peer-studio-b-h')
      w.unmount()
    })

    it('shows why the agent did not start, on the peer’s card', async () => {
      mockFetch(
        routes({
          'GET /api/lab/peers': [200, [peer({ report: peerReport({ agentRunning: false }) })]],
          'POST /api/lab/peers/studio-b/agent': [502, { error: 'ssh', kind: 'exec_timeout', message: 'the agent did not answer within 10 s: see `~/.cache/jamwire/agent.log` there' }],
        }),
      )
      const w = await mountView(LabView)
      await clickOn(peerCard(w, 'studio-b'), 'start-agent')
      const error = peerCard(w, 'studio-b').get('[data-test="agent-error"]')
      expect(error.attributes('role')).toBe('alert')
      expect(error.text()).toBe('Could not start an agent on studio-b: the agent did not answer within 10 s: see ~/.cache/jamwire/agent.log there')
      expect(peerCard(w, 'studio-b').get('[data-test="start-agent"]').attributes('disabled')).toBeUndefined()
      w.unmount()
    })
  })

  describe('a running pair', () => {
    it('measures the round trip, showing its progress, and keeps the results newest first', async () => {
      let n = 0
      const { calls, fetch } = mockFetch(
        routes({
          'GET /api/lab/pairs': [200, [runningPair({ latency: latencyResult({ ms: 30.1, frames: 1445 }) })]],
          'POST /api/lab/pairs/p1/latency': () =>
            ++n === 3
              ? [422, { error: 'invalid', message: 'no echo came back: connect studio-b’s receive ports, or raise the level with `--gain`' }]
              : [200, latencyResult({ ms: 25.7 + n, frames: 1234 + 48 * n })],
        }),
      )
      const w = await mountView(LabView)
      const latency = w.get('[data-test="pair-latency"]')
      // the pair's last measurement, before this page measures
      expect(latency.findAll('[data-test="latency-result"]').map((r) => r.get('[data-test="latency-ms"]').text())).toEqual(['30.1 ms'])

      const held = holdRoute(fetch, 'POST /api/lab/pairs/p1/latency')
      await latency.get('[data-test="measure-latency"]').trigger('click')
      await flushPromises()
      const button = w.get('[data-test="measure-latency"]')
      expect(button.text()).toBe('Measuring…')
      expect(button.attributes('disabled')).toBeDefined()
      expect(button.attributes('aria-busy')).toBe('true')
      expect(w.find('[data-test="latency-progress"]').exists()).toBe(true)
      expect(w.get('[data-test="latency-status"]').attributes('data-state')).toBe('measuring')
      expect(w.get('[data-test="latency-status"]').attributes('aria-live')).toBe('polite')

      held.open()
      await flushPromises()
      expect(calls.filter((c) => c.url === '/api/lab/pairs/p1/latency').map((c) => [c.method, c.body])).toEqual([['POST', undefined]])
      expect(w.get('[data-test="measure-latency"]').text()).toBe('Measure latency')
      expect(w.get('[data-test="measure-latency"]').attributes('disabled')).toBeUndefined()
      expect(w.get('[data-test="latency-status"]').text()).toBe('Round trip: 26.7 ms (1,282 frames).')
      const first = w.get('[data-test="latency-result"]')
      expect(first.get('[data-test="latency-ms"]').text()).toBe('26.7 ms')
      expect(first.get('[data-test="latency-frames"]').text()).toBe('1,282 frames')
      expect(first.get('[data-test="latency-format"]').text()).toBe('at 48,000 Hz, 128-frame period')
      expect(first.text()).toContain('channel 1, confidence 8.3')

      await clickOn(w, 'measure-latency')
      await clickOn(w, 'measure-latency')
      const status = w.get('[data-test="latency-status"]')
      expect(status.attributes('data-state')).toBe('failed')
      expect(status.classes()).toContain('error')
      expect(status.text()).toBe('Not measured: no echo came back: connect studio-b’s receive ports, or raise the level with --gain')
      expect(w.findAll('[data-test="latency-result"]').map((r) => r.attributes('data-frames'))).toEqual(['1330', '1282'])
      w.unmount()
    })

    it('shows both ends side by side, each with its own meters and counters, and follows them on the feed', async () => {
      mockFetch(
        routes({
          'GET /api/lab/pairs': [200, [runningPair()]],
          'GET /api/links': [200, [link({ id: 'l3', mode: 'client', state: 'connected' })]],
        }),
      )
      const w = await mountView(LabView)
      expect(liveClient().topics).toEqual([...BASE_TOPICS, 'counters:l3', 'meters:l3', 'peer:studio-b'])

      const server = end(w, 'server')
      const client = end(w, 'client')
      expect(server.get('[data-test="end-name"]').text()).toBe('Server: studio-b')
      expect(client.get('[data-test="end-name"]').text()).toBe('Client: This machine')
      expect(server.get('[data-test="end-relay"]').text()).toBe('Connecting to studio-b’s agent…')
      expect(client.find('[data-test="end-relay"]').exists()).toBe(false)
      expect(server.get('[data-test="end-send"]').attributes('aria-label')).toBe('studio-b send meters')

      handleMessage({ type: 'peer', peer: 'studio-b', state: 'up', message: null })
      handleMessage({ type: 'links', peer: 'studio-b', links: [link({ id: 'l2', state: 'connected', format: { sendChannels: 2, receiveChannels: 2 } })] })
      handleMessage({ type: 'meters', peer: 'studio-b', link: 'l2', t: 1, send: { peak: [-3, -4], rms: [-6, -7] }, receive: { peak: [-20, -21], rms: [-24, -25] } })
      handleMessage({ type: 'counters', peer: 'studio-b', link: 'l2', t: 1, values: { level_frames: 3, queue_ms: 8, lost: 4, late: 1, underrun: 2 } })
      handleMessage({ type: 'meters', link: 'l3', t: 1, send: { peak: [-10, -11], rms: [-12, -13] }, receive: { peak: [-30, -31], rms: [-33, -34] } })
      handleMessage({ type: 'counters', link: 'l3', t: 1, values: { level_frames: 5, lost: 0 } })
      await flushPromises()

      expect(server.find('[data-test="end-relay"]').exists()).toBe(false)
      expect(meterDb(server, 'send')).toEqual(['-6', '-7'])
      expect(meterDb(server, 'receive')).toEqual(['-24', '-25'])
      expect(meterDb(client, 'send')).toEqual(['-12', '-13'])
      expect(meterDb(client, 'receive')).toEqual(['-33', '-34'])
      expect(server.findAll('.meter-group .meter')).toHaveLength(4)
      expect(server.get('[data-test="counter-lost"] dd').text()).toBe('4')
      expect(server.get('[data-test="counter-underrun"] dd').text()).toBe('2')
      expect(server.get('[data-test="counter-lost"]').attributes('title')).toBe('packets that never came')
      expect(client.get('[data-test="counter-lost"] dd').text()).toBe('0')
      expect(server.get('[data-test="end-queue"]').text()).toBe('Queue: 3 frames (8.0 ms)')
      expect(client.get('[data-test="end-queue"]').text()).toBe('Queue: 5 frames')
      expect(server.get('.badge').attributes('data-state')).toBe('connected')

      handleMessage({ type: 'peer', peer: 'studio-b', state: 'failed', message: 'the agent on studio-b stopped' })
      await flushPromises()
      expect(server.get('[data-test="end-relay"]').attributes('data-state')).toBe('failed')
      expect(server.get('[data-test="end-relay"]').text()).toBe('Cannot follow studio-b’s agent: the agent on studio-b stopped')

      w.unmount()
      expect(liveClient().topics).toEqual(BASE_TOPICS)
      expect(liveStore.peers).toEqual({})
    })

    it('follows both peers of a two-peer pair, and stops when the pair is stopped', async () => {
      const job = runningPair({ client: 'studio-c', localLink: null, clientLink: 'l5' })
      mockFetch(
        routes({
          'GET /api/lab/pairs': [200, [job]],
          'DELETE /api/lab/pairs/p1': [200, { ...job, state: 'stopped', serverRunning: false }],
        }),
      )
      const w = await mountView(LabView)
      expect(liveClient().topics).toEqual([...BASE_TOPICS, 'peer:studio-b', 'peer:studio-c'])
      expect(w.get('[data-test="pair-job"] h3').text()).toBe('Pair p1: studio-b and studio-c')
      expect(w.find('[data-test="pair-live-link"]').exists()).toBe(false)

      handleMessage({ type: 'meters', peer: 'studio-c', link: 'l5', t: 1, send: { peak: [-1], rms: [-2] }, receive: { peak: [-8], rms: [-9] } })
      handleMessage({ type: 'meters', peer: 'studio-b', link: 'l5', t: 1, send: { peak: [-40], rms: [-41] }, receive: { peak: [-50], rms: [-51] } })
      handleMessage({ type: 'links', peer: 'studio-c', links: [link({ id: 'l5', state: 'waiting' })] })
      await flushPromises()
      const client = end(w, 'client')
      expect(client.get('[data-test="end-name"]').text()).toBe('Client: studio-c')
      expect(meterDb(client, 'send')).toEqual(['-2'])
      expect(meterDb(client, 'receive')).toEqual(['-9'])
      // studio-b's link of the same id is not the client's
      expect(meterDb(end(w, 'server'), 'send')).toEqual([])
      expect(w.get('[data-test="pair-client-link"]').text()).toContain('l5')
      expect(w.get('[data-test="pair-client-link"] .badge').attributes('data-state')).toBe('waiting')

      await clickOn(w, 'stop-pair')
      expect(w.get('[data-test="pair-summary"]').text()).toBe('Stopped: the client and the server.')
      expect(w.find('[data-test="pair-ends"]').exists()).toBe(false)
      expect(w.find('[data-test="pair-latency"]').exists()).toBe(false)
      expect(liveClient().topics).toEqual(BASE_TOPICS)
      w.unmount()
    })

    it('says why a server run in an ssh channel shows no meters, and does not follow it', async () => {
      mockFetch(routes({ 'GET /api/lab/pairs': [200, [runningPair({ serverLink: null, peerProgram: 'jacktrip' })]] }))
      const w = await mountView(LabView)
      expect(liveClient().topics).toEqual([...BASE_TOPICS, 'counters:l3', 'meters:l3'])
      const server = end(w, 'server')
      expect(server.get('[data-test="end-note"]').text()).toBe('studio-b runs jacktrip in an ssh channel, with no agent there to read its meters from.')
      expect(server.find('[data-test="end-send"]').exists()).toBe(false)
      expect(w.get('[data-test="pair-server-link"]').text()).toBe('in an ssh channel (no agent there)')
      expect(end(w, 'client').find('[data-test="end-send"]').exists()).toBe(true)
      w.unmount()
    })
  })
})
