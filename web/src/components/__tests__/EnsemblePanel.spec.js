import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import LabView from '../../views/LabView.vue'
import { ensembleRequest } from '../../stores/ensembles.js'
import { handleMessage, liveStore } from '../../stores/live.js'
import { mockFetch } from '../../testing/fakes.js'
import { peer } from '../../testing/lab.js'
import { labRoutes, labViewAfter, labViewBefore, mountView } from '../../testing/views.js'

const PEERS = [peer({ name: 'hub' }), peer({ name: 'studio-a' }), peer({ name: 'studio-b' })]
const STEP_NAMES = [
  'connect to hub',
  'connect to studio-a',
  'check every machine against the hub’s',
  'start the hub on hub',
  'start studio-a’s hub client',
  'hear the hub at every member',
]

function ensemble({ state = null, stepStates = [], members = [] } = {}) {
  return {
    name: 'band',
    hub: 'hub',
    patch: 2,
    members: [{ peer: 'studio-a', channels: 2, queue: '4' }],
    run: state
      ? {
          id: 'e1',
          state,
          startedAt: '2026-12-07T12:00:00Z',
          hubLink: 'l1',
          members,
          steps: STEP_NAMES.map((name, i) => ({ name, state: stepStates[i] || 'PENDING', detail: null })),
        }
      : null,
  }
}

describe('Ensembles on the Lab view', () => {
  let wrapper
  beforeEach(labViewBefore)
  afterEach(() => {
    wrapper?.unmount()
    labViewAfter()
    vi.useRealTimers()
  })

  it('builds the request from the members ticked, with numbers where numbers were typed', () => {
    const body = ensembleRequest({
      name: ' band ',
      hub: 'hub',
      patch: 4,
      members: [
        { peer: 'studio-a', on: true, channels: 2, queue: '4' },
        { peer: 'studio-b', on: false, channels: 8, queue: 'auto' },
        { peer: 'studio-c', on: true, channels: 8, queue: ' auto ' },
      ],
    })
    expect(body).toEqual({
      name: 'band',
      hub: 'hub',
      patch: 4,
      members: [
        { peer: 'studio-a', channels: 2, queue: 4 },
        { peer: 'studio-c', channels: 8, queue: 'auto' },
      ],
    })
  })

  it('starts an ensemble with one button, shows its steps, then every member it runs', async () => {
    let polls = 0
    const { calls } = mockFetch(
      labRoutes(PEERS, {
        'POST /api/lab/ensembles': [202, ensemble({ state: 'starting', stepStates: ['RUNNING'] })],
        'GET /api/lab/ensembles/band': () => {
          polls++
          return [
            200,
            ensemble({
              state: 'running',
              stepStates: STEP_NAMES.map(() => 'DONE'),
              members: [{ peer: 'studio-a', program: 'agent', link: 'l7', output: '' }],
            }),
          ]
        },
      }),
    )
    wrapper = await mountView(LabView, { attachTo: document.body })
    const panel = wrapper.get('[data-test="ensemble-panel"]')
    expect(panel.get('[data-test="start-ensemble"]').attributes('disabled')).toBeDefined()
    await panel.get('[data-test="ensemble-name"]').setValue('band')
    expect(panel.find('[data-member="hub"]').exists()).toBe(false)
    await panel.get('[data-test="member-studio-a"]').setValue(true)
    await panel.get('[data-test="ensemble-form"]').trigger('submit')
    await flushPromises()
    expect(calls.find((c) => c.method === 'POST' && c.url === '/api/lab/ensembles').body).toEqual({
      name: 'band',
      hub: 'hub',
      patch: 2,
      members: [{ peer: 'studio-a', channels: 2, queue: 4 }],
    })
    const run = wrapper.get('[data-test="ensemble-run"]')
    expect(run.attributes('data-state')).toBe('starting')
    expect(run.get('[data-test="ensemble-summary"]').text()).toBe('Step 1 of 6: connect to hub…')
    expect(run.findAll('[data-test="ensemble-step"]').map((s) => s.attributes('data-state'))[0]).toBe('RUNNING')

    await vi.advanceTimersByTimeAsync(1000)
    await flushPromises()
    expect(polls).toBe(1)
    const running = wrapper.get('[data-test="ensemble-run"]')
    expect(running.attributes('data-state')).toBe('running')
    expect(running.get('[data-test="ensemble-summary"]').text()).toBe('Running: the hub on hub, and every member hears it.')
    const ends = running.findAll('[data-test="pair-end"]')
    expect(ends.map((e) => e.attributes('data-end'))).toEqual(['member'])
    expect(ends[0].get('[data-test="end-name"]').text()).toBe('Member: studio-a')
    expect(running.find('[data-test="ensemble-control"]').exists()).toBe(false)
    // The page follows the member's agent through the relay.
    expect(liveStore.ends.peers).toEqual(['studio-a'])
    // While it runs, the page reads it again every second: the hub's client list and the control
    // path's note move.
    await vi.advanceTimersByTimeAsync(3000)
    expect(polls).toBeGreaterThanOrEqual(3)
  })

  it('offers this machine as the hub, says what that means, and names it so in the run', async () => {
    const here = {
      ...ensemble({ state: 'running', stepStates: STEP_NAMES.map(() => 'DONE'), members: [] }),
      hub: 'here',
      members: [
        { peer: 'hub', channels: 2, queue: '4' },
        { peer: 'studio-a', channels: 2, queue: '4' },
      ],
    }
    here.run.machines = [
      { peer: 'here', role: 'hub', os: 'Linux', jackRunning: true, sampleRate: 48000, bufferSize: 128, xruns: 0, agentRunning: true, freePorts: [4464], fixes: [], jackMismatch: false },
    ]
    const { calls } = mockFetch(labRoutes(PEERS, { 'POST /api/lab/ensembles': [202, here], 'GET /api/lab/ensembles/band': [200, here] }))
    wrapper = await mountView(LabView, { attachTo: document.body })
    const panel = wrapper.get('[data-test="ensemble-panel"]')
    const hub = panel.get('[data-test="ensemble-hub"]')
    expect(hub.findAll('option').map((o) => [o.element.value, o.text()]).at(-1)).toEqual(['here', 'this machine (this agent)'])
    await hub.setValue('here')
    expect(panel.text()).toContain('every member must reach this machine over UDP, and the ensemble stops when this agent stops')
    // Every peer can be a member now, the first one too.
    await panel.get('[data-test="ensemble-name"]').setValue('band')
    await panel.get('[data-test="member-hub"]').setValue(true)
    await panel.get('[data-test="member-studio-a"]').setValue(true)
    await panel.get('[data-test="ensemble-form"]').trigger('submit')
    await flushPromises()
    expect(calls.find((c) => c.method === 'POST' && c.url === '/api/lab/ensembles').body.hub).toBe('here')
    const run = wrapper.get('[data-test="ensemble-run"]')
    expect(run.get('[data-test="ensemble-summary"]').text()).toBe('Running: the hub on this machine, and every member hears it.')
    expect(wrapper.get('[data-name="band"]').text()).toContain('hub this machine, patch 2; hub, studio-a')
  })

  it('shows the hub’s clients beside the members, a jacktrip member’s counters among them', async () => {
    const running = ensemble({
      state: 'running',
      stepStates: STEP_NAMES.map(() => 'DONE'),
      members: [
        { peer: 'studio-a', program: 'agent', link: 'l7', output: '' },
        { peer: 'studio-b', program: 'jacktrip', link: null, output: 'Received Connection from Peer!' },
      ],
    })
    const client = (slot, name, recv, lost) => ({
      slot,
      name,
      address: `10.0.0.${slot + 2}`,
      clientPort: 4464,
      udpPort: 61002 + slot,
      state: 'connected',
      joinedAt: '2026-12-07T12:00:01Z',
      uptimeSeconds: 60,
      counters: { recv, lost, queue_ms: 21.3 },
    })
    running.run.hubClients = { at: '2026-12-07T12:01:00Z', refused: 0, clients: [client(0, 'studio-a', 11250, 0), client(1, 'studio-b', 11240, 3)] }
    mockFetch(labRoutes(PEERS, { 'GET /api/lab/ensembles': [200, [running]], 'GET /api/lab/ensembles/band': [200, running] }))
    wrapper = await mountView(LabView, { attachTo: document.body })
    const table = wrapper.get('[data-test="ensemble-hub-clients"]')
    expect(table.get('h4').text()).toBe('The hub’s clients on hub')
    const rows = table.findAll('[data-test="hub-client"]')
    expect(rows.map((r) => r.attributes('data-name'))).toEqual(['studio-a', 'studio-b'])
    expect(rows[1].get('[data-test="client-lost"]').text()).toBe('3')
    expect(rows[1].get('[data-test="client-lost"]').classes()).toContain('nonzero')
    expect(rows[0].get('[data-test="client-recv"]').text()).toBe('11,250')
    // studio-b runs jacktrip with no agent: its end shows the hub's meters and counters for it,
    // the hub's relayed feed followed for them beside studio-a's agent.
    expect(liveStore.ends.peers).toEqual(['studio-a', 'hub'])
    handleMessage({ type: 'meters', peer: 'hub', link: 'l1', client: 1, name: 'studio-b', t: 5, send: { peak: [-40], rms: [-43] }, receive: { peak: [-6], rms: [-9] } })
    await flushPromises()
    const b = wrapper.findAll('[data-test="pair-end"]')[1]
    expect(b.get('[data-test="end-name"]').text()).toBe('Member: studio-b')
    expect(b.get('[data-test="end-source"]').text()).toContain('studio-b runs jacktrip detached, with no agent there: its meters and counters are the hub’s for it')
    // What it sends is what the hub receives from it.
    expect(b.get('[data-test="end-send"] [data-test="meter"]').attributes('data-peak')).toBe('-6')
    expect(b.get('[data-test="end-receive"] [data-test="meter"]').attributes('data-peak')).toBe('-40')
    expect(b.get('[data-test="end-counters"]').text()).toContain('3')
  })

  it('names the refused field next to it, and lists saved ensembles with Start and Forget', async () => {
    mockFetch(
      labRoutes(PEERS, {
        'GET /api/lab/ensembles': [200, [ensemble({ state: 'failed', stepStates: ['FAILED'] })]],
        'POST /api/lab/ensembles': [
          400,
          { error: 'invalid', field: 'name', rule: 'see the message', message: 'name: use 1 to 32 letters' },
        ],
      }),
    )
    wrapper = await mountView(LabView, { attachTo: document.body })
    const saved = wrapper.findAll('[data-test="ensemble"]')
    expect(saved.map((e) => e.attributes('data-name'))).toEqual(['band'])
    expect(saved[0].get('[data-test="ensemble-state"]').text()).toBe('failed')
    expect(saved[0].find('[data-test="restart-ensemble"]').exists()).toBe(true)
    expect(saved[0].find('[data-test="stop-ensemble"]').exists()).toBe(false)

    const panel = wrapper.get('[data-test="ensemble-panel"]')
    await panel.get('[data-test="ensemble-name"]').setValue('a b')
    await panel.get('[data-test="member-studio-b"]').setValue(true)
    await panel.get('[data-test="ensemble-form"]').trigger('submit')
    await flushPromises()
    expect(panel.get('#ensemble-name-err').text()).toBe('name: use 1 to 32 letters')
    expect(panel.get('[data-test="ensemble-name"]').attributes('aria-invalid')).toBe('true')
  })

  it('offers Stop for a run found again in part after the agent restarted, and says what runs on', async () => {
    const found = ensemble({ state: 'failed', stepStates: ['DONE', 'FAILED'] })
    found.run.reattached = true
    found.run.steps = [
      { name: 'find the hub again on hub', state: 'DONE', detail: 'link l1 on hub’s agent, waiting' },
      { name: 'find studio-a’s hub client again', state: 'FAILED', detail: 'jacktrip no longer runs on root@studio-a:22' },
    ]
    const { calls } = mockFetch(
      labRoutes(PEERS, {
        'GET /api/lab/ensembles': [200, [found]],
        'POST /api/lab/ensembles/band/stop': [200, { ...found, run: { ...found.run, state: 'stopped' } }],
      }),
    )
    wrapper = await mountView(LabView, { attachTo: document.body })
    const run = wrapper.get('[data-test="ensemble-run"]')
    expect(run.get('[data-test="ensemble-summary"]').text()).toBe(
      'Found again in part: “find studio-a’s hub client again” failed, see below. What was found runs on; Stop stops it.',
    )
    await wrapper.get('[data-test="ensemble"][data-name="band"] [data-test="stop-ensemble"]').trigger('click')
    await flushPromises()
    expect(calls.some((c) => c.method === 'POST' && c.url === '/api/lab/ensembles/band/stop')).toBe(true)
    expect(wrapper.get('[data-test="ensemble-run"]').attributes('data-state')).toBe('stopped')
    expect(wrapper.find('[data-test="ensemble"][data-name="band"] [data-test="restart-ensemble"]').exists()).toBe(true)
  })

  it('shows the pre-flight, a row per machine, and makes a member’s JACK match the hub’s', async () => {
    const failed = ensemble({ state: 'failed', stepStates: ['DONE', 'DONE', 'FAILED'] })
    const machine = (peer, role, sampleRate, bufferSize, fixes = [], jackMismatch = false) => ({
      peer,
      role,
      os: 'Linux 6.1 x86_64',
      jackRunning: true,
      sampleRate,
      bufferSize,
      xruns: 2,
      jamwireVersion: '0.1.0',
      jacktripVersion: '1.7.0',
      agentRunning: true,
      freePorts: [4464, 4474],
      fixes,
      jackMismatch,
      bitDepth: 16,
      channels: role === 'hub' ? null : 2,
    })
    failed.run.machines = [
      machine('hub', 'hub', 48000, 128),
      machine('studio-a', 'member', 44100, 128, ['restart studio-a’s JACK at 48000 Hz'], true),
    ]
    const { calls } = mockFetch(
      labRoutes(PEERS, {
        'GET /api/lab/ensembles': [200, [failed]],
        'POST /api/lab/peers/studio-a/match-jack': [200, { ...PEERS[1], restarted: 'its JACK service restarted at 48000 Hz, 128 frames' }],
      }),
    )
    wrapper = await mountView(LabView, { attachTo: document.body })
    // A failed run is shown once its ensemble is chosen.
    await wrapper.get('[data-test="ensemble"][data-name="band"] .link-button').trigger('click')
    const table = wrapper.get('[data-test="ensemble-preflight"]')
    expect(table.attributes('open')).toBeDefined()
    expect(table.get('[data-test="preflight-fixes"]').text()).toBe('1 to fix')
    const rows = table.findAll('[data-test="preflight-machine"]')
    expect(rows.map((r) => [r.attributes('data-peer'), r.attributes('data-role')])).toEqual([
      ['hub', 'hub'],
      ['studio-a', 'member'],
    ])
    expect(rows[1].get('[data-test="preflight-jack"]').text()).toBe('44,100 Hz, 128 frames')
    expect(rows.map((r) => r.get('[data-test="preflight-audio"]').text())).toEqual([
      '16-bit, each member’s channels',
      '16-bit, 2 channels each way',
    ])
    expect(rows[0].find('[data-test="preflight-match"]').exists()).toBe(false)
    await rows[1].get('[data-test="preflight-match"]').trigger('click')
    await rows[1].get('[data-test="preflight-confirm-yes"]').trigger('click')
    await flushPromises()
    expect(calls.find((c) => c.method === 'POST' && c.url === '/api/lab/peers/studio-a/match-jack').body).toEqual({
      sampleRate: 48000,
      bufferSize: 128,
    })
    expect(wrapper.get('[data-test="preflight-match-status"]').text()).toBe(
      'studio-a: its JACK service restarted at 48000 Hz, 128 frames. Start the ensemble again to check every machine anew.',
    )
  })

  it('says what the watchdog found of the control path while the ensemble runs', async () => {
    const running = ensemble({
      state: 'running',
      stepStates: STEP_NAMES.map(() => 'DONE'),
      members: [{ peer: 'studio-a', program: 'agent', link: 'l7', output: '' }],
    })
    running.run.control = { note: 'the ssh connection to studio-a was lost, and is back: its link l7 ran on', at: '2026-12-07T12:01:00Z' }
    mockFetch(labRoutes(PEERS, { 'GET /api/lab/ensembles': [200, [running]] }))
    wrapper = await mountView(LabView, { attachTo: document.body })
    const note = wrapper.get('[data-test="ensemble-control"]')
    expect(note.attributes('role')).toBe('status')
    expect(note.text()).toContain('the ssh connection to studio-a was lost, and is back: its link l7 ran on')
  })
})
