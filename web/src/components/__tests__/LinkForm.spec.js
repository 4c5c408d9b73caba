import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import LinkForm from '../LinkForm.vue'
import { setToken } from '../../stores/auth.js'
import { linksStore } from '../../stores/links.js'
import { LINK_OPTIONS, link, mockFetch } from '../../testing/fakes.js'

// The agent's check as a function of the request, like the real one: queue must be 1..1000 or
// auto, a client needs a host.
function checkRoute(call) {
  const { mode, host, options } = call.body
  if (mode === 'client' && !host) return [400, { error: 'invalid', field: 'host', message: 'a client needs a host' }]
  if (options.queue !== undefined && !/^(auto|[1-9]\d{0,2}|1000)$/.test(options.queue)) {
    return [
      400,
      {
        error: 'invalid',
        field: 'options.queue',
        rule: 'use a whole number from 1 to 1000, or auto',
        message: `-q/--queue: '${options.queue}' is not allowed: use a whole number from 1 to 1000, or auto`,
      },
    ]
  }
  let line = mode === 'client' ? `jamwire -c ${host}` : 'jamwire -s'
  for (const [k, v] of Object.entries(options)) line += v === true ? ` --${k}` : ` --${k} ${v}`
  const warnings = options.bitres === '32' ? ['--bitres 32: a jacktrip peer sends noise at 32 bits'] : []
  return [200, { commandLine: line, warnings }]
}

async function settle(ms = 250) {
  await vi.advanceTimersByTimeAsync(ms)
  await flushPromises()
}

function checks(calls) {
  return calls.filter((c) => c.url === '/api/links/check')
}

// Fake timers (the form checks after a pause), a token, no links, and the agent's answers.
function startWith(routes) {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] })
  setToken('t'.repeat(32))
  linksStore.list = []
  return mockFetch(routes)
}

describe('LinkForm', () => {
  let fetchMock
  beforeEach(() => {
    fetchMock = startWith({
      'POST /api/links/check': checkRoute,
      'POST /api/links': (call) => [201, link({ id: 'l7', state: 'waiting', commandLine: checkRoute(call)[1].commandLine })],
    })
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('builds a field for every option: selects for choices, checkboxes for flags', () => {
    const w = mount(LinkForm, { props: { options: LINK_OPTIONS } })
    expect(w.get('[data-test="opt-backend"]').element.tagName).toBe('SELECT')
    expect(w.findAll('[data-test="opt-backend"] option').map((o) => o.text())).toEqual(['default (jack)', 'jack', 'builtin'])
    expect(w.get('[data-test="opt-bitres"]').element.tagName).toBe('SELECT')
    expect(w.get('[data-test="opt-no-drift-correction"]').attributes('type')).toBe('checkbox')
    expect(w.get('[data-test="opt-queue"]').attributes('placeholder')).toBe('default: 4')
    expect(w.get('[data-test="opt-numchannels"]').attributes('inputmode')).toBe('numeric')
    expect(w.get('[data-test="opt-queue"]').attributes('inputmode')).toBeUndefined()
    expect(w.find('[data-test="opt-help"]').exists()).toBe(false)
    // each field has a label
    for (const key of ['numchannels', 'queue', 'bindport', 'backend', 'bitres']) {
      expect(w.find(`label[for="opt-${key}"]`).exists()).toBe(true)
    }
    // grouped by section
    expect(w.findAll('legend').map((l) => l.text())).toEqual(['Mode', 'Channels, samples and buffering', 'Network', 'Audio'])
    w.unmount()
  })

  it('checks the defaults at once and shows the command line', async () => {
    const w = mount(LinkForm, { props: { options: LINK_OPTIONS } })
    await settle()
    expect(checks(fetchMock.calls)).toHaveLength(1)
    expect(checks(fetchMock.calls)[0].body).toEqual({ mode: 'server', options: {} })
    expect(w.get('[data-test="command-line"]').text()).toBe('jamwire -s')
    w.unmount()
  })

  it('waits for typing to pause before checking', async () => {
    const w = mount(LinkForm, { props: { options: LINK_OPTIONS } })
    await settle()
    const queue = w.get('[data-test="opt-queue"]')
    for (const text of ['1', '12', '128']) {
      await queue.setValue(text)
      await vi.advanceTimersByTimeAsync(100)
    }
    expect(checks(fetchMock.calls)).toHaveLength(1)
    await settle()
    expect(checks(fetchMock.calls)).toHaveLength(2)
    expect(checks(fetchMock.calls)[1].body.options).toEqual({ queue: '128' })
    expect(w.get('[data-test="command-line"]').text()).toBe('jamwire -s --queue 128')
    w.unmount()
  })

  it('shows a refusal beside the field it names, and clears it once fixed', async () => {
    const w = mount(LinkForm, { props: { options: LINK_OPTIONS } })
    await settle()
    await w.get('[data-test="opt-queue"]').setValue('0')
    await settle()
    const error = w.get('[data-test="error-queue"]')
    expect(error.text()).toMatch(/-q\/--queue: '0' is not allowed/)
    // beside the field: inside the same field block
    expect(error.element.closest('.field').querySelector('[data-test="opt-queue"]')).not.toBe(null)
    const input = w.get('[data-test="opt-queue"]')
    expect(input.attributes('aria-invalid')).toBe('true')
    expect(input.attributes('aria-describedby')).toContain('err-queue')
    expect(w.get('[data-test="check-status"]').attributes('aria-live')).toBe('polite')
    expect(w.get('[data-test="check-status"]').text()).toMatch(/not allowed/)
    expect(w.get('[data-test="command-line"]').text()).toBe('')

    await w.get('[data-test="opt-queue"]').setValue('auto')
    await settle()
    expect(w.find('[data-test="error-queue"]').exists()).toBe(false)
    expect(w.get('[data-test="opt-queue"]').attributes('aria-invalid')).toBeUndefined()
    expect(w.get('[data-test="command-line"]').text()).toBe('jamwire -s --queue auto')
    w.unmount()
  })

  it('shows warnings', async () => {
    const w = mount(LinkForm, { props: { options: LINK_OPTIONS } })
    await w.get('[data-test="opt-bitres"]').setValue('32')
    await settle()
    expect(w.get('[data-test="check-warnings"]').text()).toMatch(/32 bits/)
    expect(w.get('[data-test="command-line"]').text()).toBe('jamwire -s --bitres 32')
    w.unmount()
  })

  it('asks for a host in client mode and sends it', async () => {
    const w = mount(LinkForm, { props: { options: LINK_OPTIONS } })
    expect(w.find('[data-test="host-input"]').exists()).toBe(false)
    await w.get('[data-test="mode-client"]').setValue(true)
    await settle()
    expect(w.get('[data-test="host-input"]').attributes('aria-invalid')).toBe('true')
    expect(w.get('#err-host').text()).toBe('a client needs a host')
    await w.get('[data-test="host-input"]').setValue('192.0.2.10')
    await w.get('[data-test="opt-no-drift-correction"]').setValue(true)
    await settle()
    const last = checks(fetchMock.calls).at(-1)
    expect(last.body).toEqual({ mode: 'client', host: '192.0.2.10', options: { 'no-drift-correction': true } })
    expect(w.get('[data-test="command-line"]').text()).toBe('jamwire -c 192.0.2.10 --no-drift-correction')
    w.unmount()
  })

  it('starts the link and adds it to the list', async () => {
    const w = mount(LinkForm, { props: { options: LINK_OPTIONS } })
    await w.get('[data-test="opt-backend"]').setValue('builtin')
    await w.get('[data-test="opt-bindport"]').setValue('4474')
    await w.get('[data-test="link-form"]').trigger('submit')
    await flushPromises()
    const start = fetchMock.calls.find((c) => c.method === 'POST' && c.url === '/api/links')
    expect(start.body).toEqual({ mode: 'server', options: { backend: 'builtin', bindport: '4474' } })
    expect(linksStore.list.map((l) => l.id)).toEqual(['l7'])
    expect(w.get('[data-test="start-status"]').text()).toMatch(/Started link l7/)
    w.unmount()
  })

  it('says why a start was refused', async () => {
    fetchMock = mockFetch({
      'POST /api/links/check': checkRoute,
      'POST /api/links': [409, { error: 'conflict', message: 'UDP port 4464 is in use' }],
    })
    const w = mount(LinkForm, { props: { options: LINK_OPTIONS } })
    await w.get('[data-test="link-form"]').trigger('submit')
    await flushPromises()
    expect(w.get('[data-test="start-status"]').text()).toBe('Not started: UDP port 4464 is in use')
    expect(w.get('[data-test="start-status"]').classes()).toContain('error')
    w.unmount()
  })
})

describe('LinkForm hub modes', () => {
  const HUB_OPTIONS = [
    ...LINK_OPTIONS.map((o) => ({ ...o, modes: ['server', 'client', 'hubserver', 'hubclient'] })),
    {
      key: 'remotename',
      names: ['-K', '--remotename'],
      valueName: 'NAME',
      default: 'none',
      allowed: '1 to 63 bytes of UTF-8',
      description: 'Hub client: the name the hub gives this client.',
      section: 'Hub',
      flag: false,
      choices: null,
      modes: ['hubclient'],
    },
    {
      key: 'hubpatch',
      names: ['-p', '--hubpatch'],
      valueName: 'MODE',
      default: '0',
      allowed: '0 to 5',
      description: 'Hub server: how clients are connected.',
      section: 'Hub',
      flag: false,
      choices: ['0', '1', '2', '3', '4', '5'],
      choiceMeanings: {
        0: "each client to and from the hub's system ports",
        1: 'each client hears itself',
        2: 'each client hears every other client, not itself',
        3: 'reserved',
        4: 'each client hears every client, itself included',
        5: 'no ports are connected',
      },
      modes: ['hubserver'],
    },
    {
      key: 'includeserver',
      names: ['-i', '--includeserver'],
      valueName: null,
      default: 'off',
      allowed: null,
      description: "Hub server: the hub's system ports too.",
      section: 'Hub',
      flag: true,
      choices: null,
      modes: ['hubserver'],
    },
  ]
  let fetchMock
  beforeEach(() => {
    fetchMock = startWith({
      'POST /api/links/check': (call) => {
        const { mode, host, options } = call.body
        if (mode === 'hubclient' && !host) return [400, { error: 'invalid', field: 'host', message: 'host: a hub client needs the hub to connect to' }]
        let line = { hubserver: 'jamwire --jacktripserver', hubclient: `jamwire --pingtoserver ${host}` }[mode] || 'jamwire -s'
        for (const [k, v] of Object.entries(options)) line += v === true ? ` --${k}` : ` --${k} ${v}`
        return [200, { commandLine: line, warnings: [] }]
      },
      'POST /api/links': () => [201, link({ id: 'l9', mode: 'hubserver', state: 'waiting', commandLine: 'jamwire --jacktripserver' })],
    })
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('shows each mode only its own options', async () => {
    const w = mount(LinkForm, { props: { options: HUB_OPTIONS } })
    expect(w.find('[data-test="opt-hubpatch"]').exists()).toBe(false)
    expect(w.find('[data-test="opt-remotename"]').exists()).toBe(false)
    await w.get('[data-test="mode-hubserver"]').setValue(true)
    expect(w.find('[data-test="opt-hubpatch"]').exists()).toBe(true)
    expect(w.find('[data-test="opt-includeserver"]').exists()).toBe(true)
    expect(w.find('[data-test="opt-remotename"]').exists()).toBe(false)
    expect(w.find('#link-host').exists()).toBe(false)
    await w.get('[data-test="mode-hubclient"]').setValue(true)
    expect(w.find('[data-test="opt-hubpatch"]').exists()).toBe(false)
    expect(w.find('[data-test="opt-remotename"]').exists()).toBe(true)
    expect(w.get('label[for="link-host"]').text()).toBe('Hub host')
  })

  it('says what each patch mode does, in the choice and beside it', async () => {
    const w = mount(LinkForm, { props: { options: HUB_OPTIONS } })
    await w.get('[data-test="mode-hubserver"]').setValue(true)
    const labels = w.findAll('[data-test="opt-hubpatch"] option').map((o) => o.text())
    expect(labels).toContain('2: each client hears every other client, not itself')
    expect(w.get('[data-test="meanings-hubpatch"]').text()).toContain('each client hears itself')
    await w.get('[data-test="opt-hubpatch"]').setValue('2')
    expect(w.get('[data-test="meanings-hubpatch"] .chosen').text()).toContain('every other client')
  })

  it('sends a hub server request with its options only, and starts the hub', async () => {
    const w = mount(LinkForm, { props: { options: HUB_OPTIONS } })
    await w.get('[data-test="mode-hubclient"]').setValue(true)
    await w.get('[data-test="opt-remotename"]').setValue('alice')
    await w.get('[data-test="mode-hubserver"]').setValue(true)
    await w.get('[data-test="opt-hubpatch"]').setValue('2')
    await w.get('[data-test="opt-includeserver"]').setValue(true)
    await settle()
    const last = checks(fetchMock.calls).at(-1)
    // the hub client's name is not sent with a hub server
    expect(last.body).toEqual({ mode: 'hubserver', options: { hubpatch: '2', includeserver: true } })
    expect(w.get('[data-test="command-line"]').text()).toBe('jamwire --jacktripserver --hubpatch 2 --includeserver')
    expect(w.get('[data-test="start-link"]').text()).toBe('Start hub')
    await w.get('form').trigger('submit')
    await flushPromises()
    expect(w.get('[data-test="start-status"]').text()).toContain('Started link l9')
  })

  it('asks a hub client for its hub and names the field when it is missing', async () => {
    const w = mount(LinkForm, { props: { options: HUB_OPTIONS } })
    await w.get('[data-test="mode-hubclient"]').setValue(true)
    await settle()
    expect(w.get('#err-host').text()).toContain('hub client needs the hub')
    await w.get('#link-host').setValue('192.0.2.10')
    await w.get('[data-test="opt-remotename"]').setValue('alice')
    await settle()
    expect(checks(fetchMock.calls).at(-1).body).toEqual({ mode: 'hubclient', host: '192.0.2.10', options: { remotename: 'alice' } })
  })
})

describe('LinkForm choices', () => {
  it('gives an option with choices a select and no text field besides', () => {
    setToken('t'.repeat(32))
    mockFetch({ 'POST /api/links/check': [200, { commandLine: 'jamwire -s', warnings: [] }] })
    const w = mount(LinkForm, { props: { options: LINK_OPTIONS } })
    const field = w.get('[data-test="opt-bitres"]').element.closest('.field')
    expect(field.querySelectorAll('input').length).toBe(0)
    expect(field.querySelectorAll('select').length).toBe(1)
  })
})
