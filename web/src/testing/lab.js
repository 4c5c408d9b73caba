// Test doubles of the lab: peers reached over ssh, their probes, pre-flights, pair jobs, latency
// results and provisioning jobs (docs/agent-api.md, "Lab: peers reached over ssh").

export const FINGERPRINT = 'SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s'
export const CHANGED_FINGERPRINT = 'SHA256:Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eHF1dXg'

export function peerReport(overrides = {}) {
  return {
    os: 'Linux 6.1.0 x86_64',
    jackServer: 'default',
    jackRunning: true,
    sampleRate: 48000,
    bufferSize: 128,
    periods: 2,
    xruns: 0,
    jamwireVersion: '0.1.0',
    jacktripVersion: '1.7.0',
    agentRunning: true,
    freePorts: [4464, 4474, 4484, 4494],
    notes: [],
    jamwirePath: null,
    jackService: null,
    ...overrides,
  }
}

export function peer(overrides = {}) {
  return {
    name: 'studio-b',
    host: '192.0.2.20',
    port: 22,
    user: 'lab',
    key: '/home/lab/.ssh/id_ed25519',
    jackServer: 'default',
    hostKey: 'known',
    report: null,
    probedAt: null,
    ...overrides,
  }
}

export const SSH_HOSTS = [
  { name: 'studio-c', host: '192.0.2.30', port: 2222, user: 'lab', key: '/home/lab/.ssh/id_ed25519' },
  { name: 'studio-b', host: '192.0.2.20', port: 22, user: 'lab', key: '/home/lab/.ssh/id_ed25519' },
]

export const PAIR_STEP_NAMES = [
  'connect to the peer',
  'check both ends',
  'start the server on the peer',
  'wait until it listens',
  'start the client here',
  'wait for audio both ways',
]

// A pair job; `states` gives each step's state in order (PENDING where it gives none), `details`
// their details.
export function pairJob({ id = 'p1', states = [], details = [], ...rest } = {}) {
  return {
    id,
    startedAt: '2026-11-25T20:00:00Z',
    steps: PAIR_STEP_NAMES.map((name, i) => ({ name, state: states[i] ?? 'PENDING', detail: details[i] ?? null })),
    peerProgram: null,
    serverRunning: false,
    localLink: null,
    ...rest,
  }
}

export function preflightResult({ blocking = false } = {}) {
  const rows = [
    {
      setting: 'sample rate',
      local: '48000 Hz',
      peer: blocking ? '44100 Hz' : '48000 Hz',
      blocking,
      fix: blocking ? "restart studio-b's JACK at 48000 Hz (jackd -r 48000), or this machine's at 44100 Hz" : null,
    },
    { setting: 'buffer size', local: '128 frames', peer: '128 frames', blocking: false, fix: null },
    { setting: 'bit depth', local: '16 bits', peer: '16 bits', blocking: false, fix: null },
    { setting: 'receive queue', local: 'auto', peer: 'auto', blocking: false, fix: null },
  ]
  return { ok: !blocking, rows, fixes: rows.filter((r) => r.blocking).map((r) => r.fix) }
}

// POST /api/lab/pairs/{id}/latency
export function latencyResult(overrides = {}) {
  return { frames: 1234, ms: 25.7, sampleRate: 48000, periodFrames: 128, channel: 1, confidence: 8.3, ...overrides }
}

// A pair whose both ends run, audio arriving both ways: the server on studio-b with its agent's link
// l2 on UDP port 4464, the client here on l3 on UDP port 4474.
export function runningPair(overrides = {}) {
  return pairJob({
    states: Array(PAIR_STEP_NAMES.length).fill('DONE'),
    port: 4464,
    clientPort: 4474,
    peer: 'studio-b',
    client: 'here',
    state: 'running',
    peerProgram: 'jamwire',
    serverRunning: true,
    serverLink: 'l2',
    clientLink: 'l3',
    localLink: 'l3',
    latency: null,
    ...overrides,
  })
}

// A provisioning job (GET /api/lab/provisions/{id}), running and without lines unless told.
export function provisionJob(overrides = {}) {
  return {
    id: 'v1',
    peer: 'studio-b',
    check: false,
    state: 'running',
    startedAt: '2026-11-25T19:00:00Z',
    endedAt: null,
    task: null,
    tasksStarted: 0,
    tasksTotal: 40,
    exit: null,
    recap: null,
    error: null,
    firstLine: 0,
    lines: [],
    ...overrides,
  }
}

// POST /api/lab/peers/{name}/linktest (and each entry of GET .../linktests)
export function linkTestRecord(overrides = {}, at = '2026-11-25T20:10:00Z') {
  return {
    peer: 'studio-b',
    at,
    result: {
      sent: 1875,
      received: 1873,
      lossPercent: 0.11,
      rttMinMs: 0.3,
      rttMedianMs: 0.4,
      rtt99Ms: 2.3,
      jitterMs: 1.0,
      recommendedQueue: 3,
      recommendedRedundancy: 2,
      datagramBytes: 528,
      packetsPerSecond: 375,
      ...overrides,
    },
  }
}

// POST /api/lab/inventory: studio-a added, studio-b kept, rehearsal refused.
export function inventoryImport(overrides = {}) {
  return {
    inventory: '/home/lab/jamwire-lab/inventory.yml',
    added: 1,
    kept: 1,
    refused: 1,
    hosts: [
      {
        name: 'studio-a',
        outcome: 'added',
        field: null,
        message: 'added: probe it to confirm its host key by fingerprint',
        peer: peer({ name: 'studio-a', host: '192.0.2.10', user: 'jamwire', key: '/home/lab/jamwire-lab/id_ed25519', hostKey: 'unchecked' }),
      },
      {
        name: 'studio-b',
        outcome: 'kept',
        field: null,
        message: "a peer named 'studio-b' exists already and is left as it is (remove it first to import it again)",
        peer: peer(),
      },
      {
        name: 'rehearsal',
        outcome: 'refused',
        field: 'jamwire_agent_token_file',
        message: "jamwire_agent_token_file: '{{ jamwire_agent_state_dir }}/token' is a Jinja template, which ansible-inventory prints as it is written, unevaluated: give the value itself, or add the peer by hand",
        peer: null,
      },
    ],
    ...overrides,
  }
}
