import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import LabView from '../LabView.vue'
import { labStore } from '../../stores/lab.js'
import { handleMessage } from '../../stores/live.js'
import { link, mockFetch, requests } from '../../testing/fakes.js'
import { CHANGED_FINGERPRINT, FINGERPRINT, pairJob, peer, peerReport, preflightResult, runningPair } from '../../testing/lab.js'
import { clickOn, labRoutes, labViewAfter, labViewBefore, mountView, peerCard } from '../../testing/views.js'

const PROBED = peer({
  report: peerReport({ xruns: 3, freePorts: [4474, 4484], notes: ['the agent on studio-b is not running: xruns not counted'] }),
  probedAt: '2026-11-25T20:00:00Z',
})

function routes(extra = {}) {
  return labRoutes([PROBED, peer({ name: 'studio-c', host: '192.0.2.30', port: 2222, jackServer: 'live', hostKey: 'unchecked' })], extra)
}

describe('LabView', () => {
  beforeEach(labViewBefore)
  afterEach(() => {
    labViewAfter()
    vi.useRealTimers()
  })

  it('shows a peer whose JACK programs run on PipeWire, with its quantum', async () => {
    const pw = peer({ name: 'studio-p', report: peerReport({ bufferSize: 256, periods: 0, pipeWire: { rate: 48000, quantum: 1024, forceRate: 0, forceQuantum: 256 } }) })
    mockFetch(labRoutes([pw]))
    const w = await mountView(LabView)
    const p = peerCard(w, 'studio-p')
    expect(p.get('[data-test="report-jack"]').text()).toBe('PipeWire’s graph (its JACK programs run on PipeWire)')
    expect(p.text()).toContain('Quantum')
    expect(p.get('[data-test="report-period"]').text()).toBe('256 frames (5.33 ms), forced')
    expect(p.find('[data-test="report-periods"]').exists()).toBe(false)
    w.unmount()
  })

  it('lists the peers with their ssh target, JACK server, host key and last probe', async () => {
    mockFetch(routes())
    const w = await mountView(LabView)
    const rows = w.findAll('[data-test="peer-row"]')
    expect(rows.map((r) => r.attributes('data-peer'))).toEqual(['studio-b', 'studio-c'])

    const b = peerCard(w, 'studio-b')
    expect(b.get('h3').text()).toBe('studio-b')
    expect(b.get('[data-test="peer-target"]').text()).toBe('lab@192.0.2.20:22')
    expect(b.get('[data-test="peer-jack-server"]').text()).toBe('default')
    expect(b.get('[data-test="host-key"]').attributes('data-state')).toBe('known')
    expect(b.get('[data-test="host-key"]').text()).toBe('host key known')
    expect(b.get('[data-test="host-key"]').classes()).toContain('hostkey-known')
    expect(b.get('[data-test="report-os"]').text()).toBe('Linux 6.1.0 x86_64')
    expect(b.get('[data-test="report-jack"]').text()).toBe('running')
    expect(b.get('[data-test="report-rate"]').text()).toBe('48,000 Hz')
    expect(b.get('[data-test="report-period"]').text()).toBe('128 frames (2.67 ms)')
    expect(b.get('[data-test="report-periods"]').text()).toBe('2')
    expect(b.get('[data-test="report-xruns"]').text()).toBe('3')
    expect(b.get('[data-test="report-xruns"]').classes()).toContain('warn')
    expect(b.get('[data-test="report-jamwire"]').text()).toBe('0.1.0')
    expect(b.get('[data-test="report-jacktrip"]').text()).toBe('1.7.0')
    expect(b.get('[data-test="report-agent"]').text()).toBe('running')
    expect(b.get('[data-test="report-ports"]').text()).toBe('4474, 4484')
    expect(b.get('[data-test="report-notes"]').text()).toContain('xruns not counted')
    expect(b.get('[data-test="probe-peer"]').attributes('aria-label')).toBe('Probe studio-b')

    const c = peerCard(w, 'studio-c')
    expect(c.get('[data-test="peer-target"]').text()).toBe('lab@192.0.2.30:2222')
    expect(c.get('[data-test="peer-jack-server"]').text()).toBe('live')
    expect(c.get('[data-test="host-key"]').attributes('data-state')).toBe('unchecked')
    expect(c.find('[data-test="peer-report"]').exists()).toBe(false)
    expect(c.find('[data-test="not-probed"]').exists()).toBe(true)
    w.unmount()
  })

  it('shows what a peer lacks: JACK not running, no jacktrip, no free port', async () => {
    mockFetch(
      routes({
        'GET /api/lab/peers': [
          200,
          [peer({ report: peerReport({ jackRunning: false, sampleRate: 0, bufferSize: 0, periods: 0, xruns: -1, jacktripVersion: null, agentRunning: false, freePorts: [] }) })],
        ],
      }),
    )
    const w = await mountView(LabView)
    const b = peerCard(w, 'studio-b')
    expect(b.get('[data-test="report-jack"]').text()).toBe('not running')
    expect(b.find('[data-test="report-rate"]').exists()).toBe(false)
    expect(b.get('[data-test="report-xruns"]').text()).toBe('not counted (no agent)')
    expect(b.get('[data-test="report-jacktrip"]').text()).toBe('not installed')
    expect(b.get('[data-test="report-jack-service"]').text()).toBe('none')
    expect(b.find('[data-test="report-jamwire-path"]').exists()).toBe(false)
    expect(b.get('[data-test="report-agent"]').text()).toBe('not running')
    expect(b.get('[data-test="report-ports"]').text()).toBe('none')
    w.unmount()
  })

  it('shows what the roles installed: the JACK service’s settings and where jamwire is', async () => {
    const service = { server: 'default', driver: 'alsa', sampleRate: 48000, bufferSize: 128 }
    mockFetch(
      routes({
        'GET /api/lab/peers': [
          200,
          [
            peer({ report: peerReport({ jackService: service, jamwirePath: '/usr/local/bin/jamwire' }) }),
            peer({ name: 'studio-c', report: peerReport({ jackService: null, jamwireVersion: null, jamwirePath: '/opt/bin/jamwire' }) }),
          ],
        ],
      }),
    )
    const w = await mountView(LabView)
    const b = peerCard(w, 'studio-b')
    expect(b.get('[data-test="report-jack-service"]').text()).toBe('default at 48,000 Hz / 128')
    expect(b.get('[data-test="report-jamwire"]').text()).toBe('0.1.0')
    expect(b.get('[data-test="report-jamwire-path"]').text()).toBe('/usr/local/bin/jamwire')
    const c = peerCard(w, 'studio-c')
    expect(c.get('[data-test="report-jack-service"]').text()).toBe('none')
    expect(c.get('[data-test="report-jamwire"]').text()).toBe('installed, version not known')
    expect(c.get('[data-test="report-jamwire-path"]').text()).toBe('/opt/bin/jamwire')
    w.unmount()
  })

  it('adds a peer, and shows a refusal beside the field it names', async () => {
    const { calls } = mockFetch(
      routes({
        'POST /api/lab/peers': (call) =>
          call.body.key === '/nope'
            ? [400, { error: 'invalid', field: 'key', rule: null, message: 'key: /nope is not a readable private key file' }]
            : [201, peer({ ...call.body, hostKey: 'unchecked' })],
      }),
    )
    const w = await mountView(LabView, { attachTo: document.body })
    const form = w.get('[data-test="peer-form"]')
    expect(w.get('[data-test="peer-port"]').element.value).toBe('22')
    expect(w.get('[data-test="peer-jack"]').element.value).toBe('default')
    for (const f of ['name', 'host', 'port', 'user', 'key', 'jackServer', 'agentToken']) expect(w.find(`label[for="peer-${f}"]`).exists()).toBe(true)
    expect(w.get('[data-test="peer-agent-token"]').element.value).toBe('')
    expect(w.get('[data-test="peer-agent-token"]').attributes('aria-describedby')).toBe('peer-agentToken-hint')

    await w.get('[data-test="peer-name"]').setValue('studio-d')
    await w.get('[data-test="peer-host"]').setValue('192.0.2.40')
    await w.get('[data-test="peer-user"]').setValue('lab')
    await w.get('[data-test="peer-key"]').setValue('/nope')
    await form.trigger('submit')
    await flushPromises()
    const key = w.get('[data-test="peer-key"]')
    expect(key.attributes('aria-invalid')).toBe('true')
    expect(key.attributes('aria-describedby')).toContain('peer-key-err')
    const error = w.get('[data-test="error-key"]')
    expect(error.text()).toBe('key: /nope is not a readable private key file')
    expect(error.element.closest('.field').querySelector('[data-test="peer-key"]')).not.toBe(null)
    expect(document.activeElement).toBe(key.element)
    expect(w.get('[data-test="peer-form-status"]').text()).toBe('Not added: fix the field marked above.')
    expect(w.get('[data-test="peer-name"]').attributes('aria-invalid')).toBeUndefined()

    await key.setValue('/home/lab/.ssh/id_ed25519')
    await w.get('[data-test="add-peer"]').trigger('submit')
    await flushPromises()
    const post = calls.filter((c) => c.method === 'POST').at(-1)
    expect(post.body).toEqual({ name: 'studio-d', host: '192.0.2.40', port: 22, user: 'lab', key: '/home/lab/.ssh/id_ed25519', jackServer: 'default' })
    expect(w.find('[data-test="error-key"]').exists()).toBe(false)
    expect(peerCard(w, 'studio-d').get('[data-test="host-key"]').attributes('data-state')).toBe('unchecked')
    expect(w.get('[data-test="peer-form-status"]').text()).toMatch(/^Added studio-d\./)
    expect(w.get('[data-test="peer-name"]').element.value).toBe('')
    w.unmount()
  })

  it('adds a peer with its JACK server and agent token file, and shows the token file on its card', async () => {
    const { calls } = mockFetch(routes({ 'POST /api/lab/peers': (call) => [201, peer({ ...call.body, hostKey: 'unchecked' })] }))
    const w = await mountView(LabView)
    await w.get('[data-test="peer-name"]').setValue('studio-e')
    await w.get('[data-test="peer-host"]').setValue('192.0.2.50')
    await w.get('[data-test="peer-user"]').setValue('lab')
    await w.get('[data-test="peer-key"]').setValue('/home/lab/.ssh/id_ed25519')
    await w.get('[data-test="peer-jack"]').setValue('live')
    await w.get('[data-test="peer-agent-token"]').setValue(' /srv/jamwire/token ')
    await w.get('[data-test="peer-form"]').trigger('submit')
    await flushPromises()
    const post = calls.filter((c) => c.method === 'POST').at(-1)
    expect(post.body).toEqual({
      name: 'studio-e',
      host: '192.0.2.50',
      port: 22,
      user: 'lab',
      key: '/home/lab/.ssh/id_ed25519',
      jackServer: 'live',
      agentToken: '/srv/jamwire/token',
    })
    expect(peerCard(w, 'studio-e').get('[data-test="peer-agent-token-file"]').text()).toBe('/srv/jamwire/token')
    expect(peerCard(w, 'studio-e').get('[data-test="peer-jack-server"]').text()).toBe('live')
    expect(w.get('[data-test="peer-agent-token"]').element.value).toBe('')
    w.unmount()
  })

  it('fills the form from a ~/.ssh/config host, and marks the ones already added', async () => {
    mockFetch(routes())
    const w = await mountView(LabView)
    const hosts = w.findAll('[data-test="ssh-host"]')
    expect(hosts.map((h) => h.attributes('data-name'))).toEqual(['studio-c', 'studio-b'])
    // studio-b and studio-c are peers already in routes(); take studio-c off the list to add it
    labStore.peers = labStore.peers.filter((p) => p.name !== 'studio-c')
    await flushPromises()
    expect(w.get('[data-name="studio-b"]').find('[data-test="use-ssh-host"]').exists()).toBe(false)
    expect(w.get('[data-name="studio-b"]').text()).toContain('added')
    await w.get('[data-name="studio-c"] [data-test="use-ssh-host"]').trigger('click')
    expect(w.get('[data-test="peer-name"]').element.value).toBe('studio-c')
    expect(w.get('[data-test="peer-host"]').element.value).toBe('192.0.2.30')
    expect(w.get('[data-test="peer-port"]').element.value).toBe('2222')
    expect(w.get('[data-test="peer-user"]').element.value).toBe('lab')
    expect(w.get('[data-test="peer-key"]').element.value).toBe('/home/lab/.ssh/id_ed25519')
    expect(w.get('[data-test="peer-jack"]').element.value).toBe('default')
    w.unmount()
  })

  it('asks to confirm an unknown host key by its fingerprint, trusts it, and probes again', async () => {
    let trusted = false
    const { calls } = mockFetch(
      routes({
        'POST /api/lab/peers/studio-c/probe': () =>
          trusted
            ? [200, peer({ name: 'studio-c', host: '192.0.2.30', port: 2222, jackServer: 'live', report: peerReport({ jackServer: 'live' }), probedAt: '2026-11-25T20:05:00Z' })]
            : [409, { error: 'unknown_host_key', fingerprint: FINGERPRINT, message: `[192.0.2.30]:2222 is not in known_hosts: its key's fingerprint is ${FINGERPRINT}` }],
        'POST /api/lab/peers/studio-c/trust': (call) => {
          trusted = call.body.fingerprint === FINGERPRINT
          return [204]
        },
      }),
    )
    const w = await mountView(LabView, { attachTo: document.body })
    await clickOn(peerCard(w, 'studio-c'), 'probe-peer')

    const c = peerCard(w, 'studio-c')
    expect(c.get('[data-test="host-key"]').attributes('data-state')).toBe('unknown')
    expect(c.get('[data-test="fingerprint"]').text()).toBe(FINGERPRINT)
    const panel = c.get('[data-test="hostkey-unknown"]')
    expect(panel.text()).toContain('ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub')
    expect(panel.text()).toContain('lab@192.0.2.30:2222')
    // the panel takes the focus: it is what to read next
    expect(document.activeElement).toBe(panel.element)
    expect(c.get('[data-test="trust-key"]').text()).toBe('It matches: trust it')
    expect(c.find('[data-test="cancel-trust"]').exists()).toBe(true)
    // another peer's card is not affected
    expect(peerCard(w, 'studio-b').find('[data-test="fingerprint"]').exists()).toBe(false)

    await c.get('[data-test="trust-key"]').trigger('click')
    await flushPromises()
    expect(requests(calls).filter((r) => r.startsWith('POST'))).toEqual([
      'POST /api/lab/peers/studio-c/probe',
      'POST /api/lab/peers/studio-c/trust',
      'POST /api/lab/peers/studio-c/probe',
    ])
    expect(calls.find((c) => c.url.endsWith('/trust')).body).toEqual({ fingerprint: FINGERPRINT })
    const after = peerCard(w, 'studio-c')
    expect(after.find('[data-test="fingerprint"]').exists()).toBe(false)
    expect(after.get('[data-test="host-key"]').attributes('data-state')).toBe('known')
    expect(after.get('[data-test="report-jack"]').text()).toBe('running')
    expect(w.get('[data-test="peers-status"]').text()).toBe('Trusted studio-c’s host key and probed it.')
    w.unmount()
  })

  it('cancels a host-key confirmation without trusting anything', async () => {
    const { calls } = mockFetch(
      routes({ 'POST /api/lab/peers/studio-c/probe': [409, { error: 'unknown_host_key', fingerprint: FINGERPRINT, message: 'unknown' }] }),
    )
    const w = await mountView(LabView, { attachTo: document.body })
    await clickOn(peerCard(w, 'studio-c'), 'probe-peer')
    await clickOn(peerCard(w, 'studio-c'), 'cancel-trust')
    expect(peerCard(w, 'studio-c').find('[data-test="fingerprint"]').exists()).toBe(false)
    expect(calls.some((c) => c.url.endsWith('/trust'))).toBe(false)
    expect(document.activeElement.id).toBe('probe-studio-c')
    w.unmount()
  })

  it('warns loudly about a changed host key, with nothing to trust', async () => {
    const message =
      "WARNING: the host key of 192.0.2.20 has CHANGED since it was recorded in /home/lab/.config/jamwire/known_hosts (it is now " +
      CHANGED_FINGERPRINT +
      '). Someone may be intercepting the connection. Refusing to connect. If the machine was reinstalled, check the new key there and remove the old one with `ssh-keygen -f /home/lab/.config/jamwire/known_hosts -R \'192.0.2.20\'`'
    mockFetch(routes({ 'POST /api/lab/peers/studio-b/probe': [409, { error: 'changed_host_key', fingerprint: CHANGED_FINGERPRINT, message }] }))
    const w = await mountView(LabView)
    await clickOn(peerCard(w, 'studio-b'), 'probe-peer')
    const b = peerCard(w, 'studio-b')
    const warning = b.get('[data-test="changed-key"]')
    expect(warning.attributes('role')).toBe('alert')
    expect(warning.text()).toContain('has CHANGED since it was recorded')
    expect(warning.text()).toContain(CHANGED_FINGERPRINT)
    // the command it quotes is shown as code
    expect(warning.findAll('code').map((c) => c.text())).toContain("ssh-keygen -f /home/lab/.config/jamwire/known_hosts -R '192.0.2.20'")
    expect(b.find('[data-test="trust-key"]').exists()).toBe(false)
    expect(w.find('[data-test="trust-key"]').exists()).toBe(false)
    expect(b.get('[data-test="host-key"]').attributes('data-state')).toBe('changed')
    expect(b.get('[data-test="host-key"]').classes()).toContain('hostkey-changed')
    w.unmount()
  })

  it('shows an ssh failure’s message and kind', async () => {
    mockFetch(
      routes({
        'POST /api/lab/peers/studio-b/probe': [502, { error: 'ssh', kind: 'auth_failed', message: 'lab@192.0.2.20 refused the key /home/lab/.ssh/id_ed25519' }],
      }),
    )
    const w = await mountView(LabView)
    await clickOn(peerCard(w, 'studio-b'), 'probe-peer')
    const error = peerCard(w, 'studio-b').get('[data-test="ssh-error"]')
    expect(error.attributes('data-kind')).toBe('auth_failed')
    expect(error.get('[data-test="ssh-kind"]').text()).toBe('auth_failed')
    expect(error.text()).toContain('refused the key')
    expect(w.find('[data-test="trust-key"]').exists()).toBe(false)
    w.unmount()
  })

  it('checks both ends and shows them side by side, the blocking row marked with its fix', async () => {
    const { calls } = mockFetch(routes({ 'POST /api/lab/preflight': [200, { ...preflightResult({ blocking: true }), peer: PROBED }] }))
    const w = await mountView(LabView)
    expect(w.get('[data-test="pair-peer"]').element.value).toBe('studio-b')
    await w.get('[data-test="pair-opt-queue"]').setValue('auto')
    await w.get('[data-test="pair-opt-bitres"]').setValue('24')
    await clickOn(w, 'check-both')
    const post = calls.find((c) => c.url === '/api/lab/preflight')
    expect(post.body).toEqual({ peer: 'studio-b', options: { queue: 'auto', bitres: '24' } })

    const table = w.get('[data-test="preflight"]')
    expect(table.attributes('data-ok')).toBe('false')
    expect(table.findAll('thead th').map((th) => th.text())).toEqual(['Setting', 'This machine', 'studio-b'])
    const rows = table.findAll('[data-test="preflight-row"]')
    expect(rows.map((r) => r.attributes('data-blocking'))).toEqual(['true', 'false', 'false', 'false'])
    expect(rows[0].classes()).toContain('blocking')
    expect(rows[0].findAll('td').map((td) => td.text())).toEqual(['48000 Hz', '44100 Hz'])
    expect(rows[0].get('[data-test="blocks"]').text()).toBe('blocks the start')
    expect(rows[1].find('[data-test="blocks"]').exists()).toBe(false)
    const fixes = table.findAll('[data-test="preflight-fix"]')
    expect(fixes).toHaveLength(1)
    expect(fixes[0].text()).toContain("restart studio-b's JACK at 48000 Hz")
    expect(w.get('[data-test="preflight-summary"]').text()).toMatch(/One setting blocks the start/)

    // a change after the check marks it stale
    expect(table.classes()).not.toContain('stale')
    await w.get('[data-test="pair-opt-queue"]').setValue('8')
    expect(w.get('[data-test="preflight"]').classes()).toContain('stale')
    w.unmount()
  })

  it('sends a pre-flight whose peer has an unknown key to the peer’s card', async () => {
    mockFetch(
      routes({ 'POST /api/lab/preflight': [409, { error: 'unknown_host_key', fingerprint: FINGERPRINT, message: 'not in known_hosts' }] }),
    )
    const w = await mountView(LabView)
    await clickOn(w, 'check-both')
    expect(w.find('[data-test="preflight"]').exists()).toBe(false)
    expect(w.get('[data-test="preflight-error"]').text()).toMatch(/studio-b’s host key is not known yet/)
    expect(peerCard(w, 'studio-b').get('[data-test="fingerprint"]').text()).toBe(FINGERPRINT)
    w.unmount()
  })

  it('shows a refused pair option beside its field', async () => {
    mockFetch(
      routes({
        'POST /api/lab/pairs': [400, { error: 'invalid', field: 'options.queue', rule: 'use a whole number from 1 to 1000, or auto', message: "-q/--queue: '0' is not allowed" }],
      }),
    )
    const w = await mountView(LabView)
    await w.get('[data-test="pair-opt-queue"]').setValue('0')
    await w.get('[data-test="start-pair"]').trigger('submit')
    await flushPromises()
    expect(w.get('[data-test="error-queue"]').text()).toBe("-q/--queue: '0' is not allowed")
    expect(w.get('[data-test="pair-opt-queue"]').attributes('aria-invalid')).toBe('true')
    expect(w.get('[data-test="start-pair-error"]').text()).toBe('Not started: fix the field marked above.')
    expect(w.find('[data-test="pair-job"]').exists()).toBe(false)
    w.unmount()
  })

  it('starts a pair and shows its steps as they go, from the feed and by polling, then stops it', async () => {
    let job = pairJob({ states: ['RUNNING', 'PENDING', 'PENDING', 'PENDING', 'PENDING'] })
    const { calls } = mockFetch(
      routes({
        'POST /api/lab/pairs': () => [202, job],
        'GET /api/lab/pairs/p1': () => [200, job],
        'DELETE /api/lab/pairs/p1': () => [200, { ...job, serverRunning: false }],
        'GET /api/links': [200, [link({ id: 'l3', mode: 'client', host: '192.0.2.20', state: 'connected' })]],
      }),
    )
    const w = await mountView(LabView)
    await w.get('[data-test="pair-port"]').setValue('4474')
    await w.get('[data-test="pair-opt-backend"]').setValue('builtin')
    await w.get('[data-test="start-pair"]').trigger('submit')
    await flushPromises()
    expect(calls.find((c) => c.method === 'POST' && c.url === '/api/lab/pairs').body).toEqual({
      peer: 'studio-b',
      port: 4474,
      options: { backend: 'builtin' },
    })
    const states = () => w.findAll('[data-test="pair-step"]').map((s) => s.attributes('data-state'))
    expect(states()).toEqual(['RUNNING', 'PENDING', 'PENDING', 'PENDING', 'PENDING', 'PENDING'])
    expect(w.get('[data-test="pair-job"] h3').text()).toBe('Pair p1 with studio-b')
    expect(w.get('[data-test="pair-summary"]').text()).toBe('Step 1 of 6: connect to the peer…')
    expect(w.get('[data-test="pair-summary"]').attributes('aria-live')).toBe('polite')
    // one pair at a time
    expect(w.get('[data-test="start-pair"]').attributes('disabled')).toBeDefined()

    // the feed says the first step is done and the second runs
    job = pairJob({ states: ['DONE', 'RUNNING', 'PENDING', 'PENDING', 'PENDING'], details: ['ssh to lab@192.0.2.20: Linux 6.1.0 x86_64'] })
    handleMessage({ type: 'event', link: null, kind: 'pair_step', message: 'p1: check both ends: running', time: '2026-11-25T20:00:01Z' })
    await flushPromises()
    expect(states()).toEqual(['DONE', 'RUNNING', 'PENDING', 'PENDING', 'PENDING', 'PENDING'])
    expect(w.findAll('[data-test="pair-step"]')[0].get('[data-test="step-detail"]').text()).toBe('ssh to lab@192.0.2.20: Linux 6.1.0 x86_64')

    // polling brings the rest
    const details = [
      'ssh to lab@192.0.2.20: Linux 6.1.0 x86_64',
      'both at 48000 Hz, 128 frames; the server on UDP port 4474 of studio-b, the client on UDP port 4464 of this machine',
      'jamwire on studio-b: jamwire -s --bindport 4474 --backend builtin',
      'listening on UDP port 4474 of studio-b',
      'link l3 connects to 192.0.2.20:4474 from UDP port 4464',
    ]
    // both ends started, but no audio has arrived yet: the pair is still starting
    job = pairJob({
      states: ['DONE', 'DONE', 'DONE', 'DONE', 'DONE', 'RUNNING'],
      details,
      state: 'starting',
      port: 4474,
      clientPort: 4464,
      peerProgram: 'jamwire',
      serverRunning: true,
      localLink: 'l3',
    })
    await vi.advanceTimersByTimeAsync(1000)
    await flushPromises()
    expect(states()).toEqual(['DONE', 'DONE', 'DONE', 'DONE', 'DONE', 'RUNNING'])
    expect(w.get('[data-test="pair-summary"]').text()).toBe('Step 6 of 6: wait for audio both ways…')
    expect(w.get('[data-test="pair-outcome"]').text()).toBe('starting')
    expect(w.get('[data-test="pair-ports"]').text()).toBe('the server 4474 on studio-b, the client 4464 on this machine')
    expect(w.find('[data-test="pair-ends"]').exists()).toBe(false)

    job = { ...job, state: 'running', steps: job.steps.map((s, i) => (i === 5 ? { ...s, state: 'DONE', detail: 'audio arrives both ways' } : s)) }
    await vi.advanceTimersByTimeAsync(1000)
    await flushPromises()
    expect(states()).toEqual(['DONE', 'DONE', 'DONE', 'DONE', 'DONE', 'DONE'])
    const steps = w.findAll('[data-test="pair-step"]')
    expect(steps[4].text()).toContain('start the client here')
    expect(steps[4].get('[data-test="step-detail"]').text()).toBe('link l3 connects to 192.0.2.20:4474 from UDP port 4464')
    expect(w.get('[data-test="pair-summary"]').text()).toBe('Both ends run, and audio arrives both ways.')
    expect(w.get('[data-test="pair-outcome"]').text()).toBe('running')
    expect(w.get('[data-test="start-pair"]').attributes('disabled')).toBeUndefined()
    expect(w.get('[data-test="pair-server"]').text()).toBe('jamwire runs')
    expect(w.get('[data-test="pair-live-link"]').attributes('href')).toBe('#/live/l3')
    expect(w.get('[data-test="pair-job"] .badge-connected').text()).toBe('connected')
    const polls = calls.filter((c) => c.url === '/api/lab/pairs/p1' && c.method === 'GET').length
    await vi.advanceTimersByTimeAsync(3000)
    expect(calls.filter((c) => c.url === '/api/lab/pairs/p1' && c.method === 'GET')).toHaveLength(polls)

    await clickOn(w, 'stop-pair')
    expect(requests(calls)).toContain('DELETE /api/lab/pairs/p1')
    expect(w.get('[data-test="pair-job"]').attributes('data-outcome')).toBe('stopped')
    expect(w.get('[data-test="pair-summary"]').text()).toMatch(/^Stopped/)
    expect(w.find('[data-test="stop-pair"]').exists()).toBe(false)
    expect(w.get('[data-test="pair-server"]').text()).toBe('jamwire does not run')
    w.unmount()
  })

  it('shows a pair whose audio never arrived as failed, with the silent direction and the fix', async () => {
    const why =
      'no audio from studio-b to this machine: the server on studio-b heard the client, but nothing it sent reached' +
      ' the client on this machine, UDP port 4474, within 15 s: let UDP port 4474 in through this machine’s firewall'
    mockFetch(
      routes({
        'GET /api/lab/pairs': [
          200,
          [runningPair({ state: 'failed', serverRunning: false, states: ['DONE', 'DONE', 'DONE', 'DONE', 'DONE', 'FAILED'], details: [null, null, null, null, null, why] })],
        ],
      }),
    )
    const w = await mountView(LabView)
    expect(w.get('[data-test="pair-outcome"]').text()).toBe('failed')
    expect(w.get('[data-test="pair-summary"]').text()).toBe('Failed at “wait for audio both ways”: see the step below.')
    expect(w.findAll('[data-test="step-detail"]').at(-1).text()).toBe(why)
    expect(w.find('[data-test="pair-ends"]').exists()).toBe(false)
    w.unmount()
  })

  it('renders a failed step with its detail, and offers no stop', async () => {
    mockFetch(
      routes({
        'GET /api/lab/pairs': [
          200,
          [
            pairJob({
              states: ['DONE', 'FAILED', 'PENDING', 'PENDING', 'PENDING'],
              details: ['ssh to lab@192.0.2.20: Linux', "restart studio-b's JACK at 48000 Hz (jackd -r 48000)"],
            }),
          ],
        ],
      }),
    )
    const w = await mountView(LabView)
    const steps = w.findAll('[data-test="pair-step"]')
    expect(steps.map((s) => s.attributes('data-state'))).toEqual(['DONE', 'FAILED', 'PENDING', 'PENDING', 'PENDING', 'PENDING'])
    expect(steps[1].classes()).toContain('step-failed')
    expect(steps[1].get('[data-test="step-state"]').text()).toBe('failed')
    expect(steps[1].get('[data-test="step-detail"]').text()).toBe("restart studio-b's JACK at 48000 Hz (jackd -r 48000)")
    expect(steps[2].get('[data-test="step-state"]').text()).toBe('waiting')
    expect(w.get('[data-test="pair-summary"]').text()).toBe('Failed at “check both ends”: see the step below.')
    expect(w.find('[data-test="stop-pair"]').exists()).toBe(false)
    w.unmount()
  })
})
