// Test doubles shared by the component and store tests.
import { vi } from 'vitest'

export function jsonResponse(status, body) {
  const text = body === undefined ? '' : JSON.stringify(body)
  return {
    ok: status >= 200 && status < 300,
    status,
    text: async () => text,
    json: async () => JSON.parse(text),
  }
}

// Installs a fake fetch. `routes` maps "METHOD /path" (query string included when given) to a
// response [status, body], or to a function (call) => [status, body]. Unknown routes answer 404.
export function mockFetch(routes = {}) {
  const calls = []
  const fetch = vi.fn(async (url, init = {}) => {
    const method = init.method || 'GET'
    const headers = init.headers || {}
    const body = init.body ? JSON.parse(init.body) : undefined
    const call = { method, url, headers, body }
    calls.push(call)
    const exact = routes[`${method} ${url}`]
    const byPath = routes[`${method} ${url.split('?')[0]}`]
    const route = exact ?? byPath
    if (!route) return jsonResponse(404, { error: 'not_found', message: `no route ${method} ${url}` })
    const [status, answer] = typeof route === 'function' ? route(call) : route
    return jsonResponse(status, answer)
  })
  vi.stubGlobal('fetch', fetch)
  return { fetch, calls }
}

export class FakeWebSocket {
  static CONNECTING = 0
  static OPEN = 1
  static CLOSING = 2
  static CLOSED = 3
  static instances = []

  constructor(url) {
    this.url = url
    this.readyState = FakeWebSocket.CONNECTING
    this.sent = []
    this.onopen = null
    this.onmessage = null
    this.onclose = null
    this.onerror = null
    FakeWebSocket.instances.push(this)
  }

  static reset() {
    FakeWebSocket.instances = []
  }

  static last() {
    return FakeWebSocket.instances[FakeWebSocket.instances.length - 1]
  }

  send(data) {
    if (this.readyState !== FakeWebSocket.OPEN) throw new Error('socket not open')
    this.sent.push(JSON.parse(data))
  }

  close(code = 1000) {
    this.readyState = FakeWebSocket.CLOSED
    this.onclose?.({ code })
  }

  // what the agent does
  open() {
    this.readyState = FakeWebSocket.OPEN
    this.onopen?.({})
  }

  receive(message) {
    this.onmessage?.({ data: JSON.stringify(message) })
  }

  drop(code = 1006) {
    this.readyState = FakeWebSocket.CLOSED
    this.onclose?.({ code })
  }
}

export const LINK_OPTIONS = [
  {
    key: 'numchannels',
    names: ['-n', '-a', '--numchannels'],
    valueName: 'N',
    default: '2',
    allowed: '1 to 255',
    description: 'Channels each way.',
    section: 'Channels, samples and buffering',
    flag: false,
    choices: null,
  },
  {
    key: 'bitres',
    names: ['--bitres'],
    valueName: 'BITS',
    default: '16',
    allowed: '8, 16, 24 or 32',
    description: 'Bits per sample on the wire.',
    section: 'Channels, samples and buffering',
    flag: false,
    choices: ['8', '16', '24', '32'],
  },
  {
    key: 'queue',
    names: ['-q', '--queue'],
    valueName: 'N',
    default: '4',
    allowed: '1 to 1000 (whole numbers) or auto',
    description: 'Receive queue length in packets.',
    section: 'Channels, samples and buffering',
    flag: false,
    choices: null,
  },
  {
    key: 'no-drift-correction',
    names: ['--no-drift-correction'],
    valueName: null,
    default: 'off',
    allowed: 'flag',
    description: 'Do not follow the peer clock.',
    section: 'Channels, samples and buffering',
    flag: true,
    choices: null,
  },
  {
    key: 'bindport',
    names: ['-B', '--bindport'],
    valueName: 'PORT',
    default: '4464',
    allowed: '1 to 65535, after -o',
    description: 'Local UDP port.',
    section: 'Network',
    flag: false,
    choices: null,
  },
  {
    key: 'redundancy',
    names: ['-b', '--redundancy'],
    valueName: 'N',
    default: '1',
    allowed: '1 to 16',
    description: 'Copies of each packet.',
    section: 'Audio',
    flag: false,
    choices: null,
  },
  {
    key: 'backend',
    names: ['--backend'],
    valueName: 'NAME',
    default: 'jack',
    allowed: 'jack or builtin',
    description: 'Audio backend.',
    section: 'Audio',
    flag: false,
    choices: ['jack', 'builtin'],
  },
  {
    key: 'help',
    names: ['-h', '--help'],
    valueName: null,
    default: 'off',
    allowed: 'flag',
    description: 'Print this help and exit.',
    section: 'Other',
    flag: true,
    choices: null,
  },
]

export function link(overrides = {}) {
  return {
    id: 'l1',
    mode: 'server',
    host: null,
    state: 'connected',
    failure: null,
    clientName: 'JackTrip',
    localPort: 4464,
    peer: '127.0.0.1:4465',
    commandLine: 'jamwire -s --queue auto',
    options: { queue: 'auto' },
    format: {
      sampleRate: 48000,
      bufferSize: 128,
      bitResolution: 16,
      sendChannels: 2,
      receiveChannels: 2,
      queue: 'auto',
      redundancy: 1,
      backend: 'jack',
    },
    counters: { sent: 1000, lost: 0, level_frames: 512, target_frames: 512, jitter_us: 120 },
    xruns: 0,
    uptimeSeconds: 21.3,
    events: [],
    ...overrides,
  }
}

export const JACK_RUNNING = { server: 'default', state: 'running', sampleRate: 48000, bufferSize: 128, xruns: 2, cpuLoad: 3.2, message: null }
export const JACK_UNAVAILABLE = {
  server: 'default',
  state: 'unavailable',
  sampleRate: 0,
  bufferSize: 0,
  xruns: 0,
  cpuLoad: 0,
  message: 'JACK is not running: start it with jackd -d alsa',
}
export const JACK_PORTS = [
  { name: 'system:capture_1', client: 'system', direction: 'output', physical: true, connections: ['JackTrip:send_1'] },
  { name: 'JackTrip:receive_1', client: 'JackTrip', direction: 'output', physical: false, connections: [] },
  { name: 'JackTrip:send_1', client: 'JackTrip', direction: 'input', physical: false, connections: ['system:capture_1'] },
  { name: 'system:playback_1', client: 'system', direction: 'input', physical: true, connections: [] },
]

// "METHOD /path" of each request a fake fetch saw, in order.
export function requests(calls) {
  return calls.map((c) => `${c.method} ${c.url}`)
}

// A promise to resolve by hand, to see what shows while a request is under way.
export function deferred() {
  let resolve
  const promise = new Promise((r) => (resolve = r))
  return { promise, resolve }
}

// Holds the requests whose "METHOD /path" is `route` until the returned gate is opened.
export function holdRoute(fetch, route) {
  const gate = deferred()
  const answer = fetch.getMockImplementation()
  fetch.mockImplementation(async (url, init = {}) => {
    if (`${init.method || 'GET'} ${url.split('?')[0]}` === route) await gate.promise
    return answer(url, init)
  })
  return { open: () => gate.resolve() }
}
