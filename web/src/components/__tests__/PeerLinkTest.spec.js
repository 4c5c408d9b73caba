import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import PeerLinkTest from '../PeerLinkTest.vue'
import { setToken } from '../../stores/auth.js'
import { labStore, resetLab } from '../../stores/lab.js'
import { linkTestStore, resetLinkTests } from '../../stores/linktests.js'
import { holdRoute, mockFetch } from '../../testing/fakes.js'
import { FINGERPRINT, linkTestRecord, peer } from '../../testing/lab.js'

const RUN = 'POST /api/lab/peers/studio-b/linktest'
const KEPT = 'GET /api/lab/peers/studio-b/linktests'

describe('PeerLinkTest', () => {
  let wrapper
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] })
    setToken('t'.repeat(32))
    resetLab()
    resetLinkTests()
    labStore.peers = [peer()]
  })
  afterEach(() => {
    wrapper?.unmount()
    vi.useRealTimers()
  })

  async function mountIt() {
    wrapper = mount(PeerLinkTest, { props: { peer: peer() }, attachTo: document.body })
    await flushPromises()
    return wrapper
  }

  it('runs the test on a free lab port and shows progress while it runs', async () => {
    const { fetch, calls } = mockFetch({ [KEPT]: [200, []], [RUN]: [200, linkTestRecord()] })
    const gate = holdRoute(fetch, RUN)
    const w = await mountIt()
    expect(w.get('[data-test="linktest-run"]').text()).toBe('Link test')
    expect(w.get('[data-test="linktest-run"]').attributes('aria-label')).toBe('Link test with studio-b')

    await w.get('[data-test="linktest-run"]').trigger('click')
    await flushPromises()
    expect(w.get('[data-test="linktest-run"]').text()).toBe('Testing…')
    expect(w.get('[data-test="linktest-run"]').attributes('disabled')).toBeDefined()
    expect(w.get('[data-test="peer-linktest"]').attributes('aria-busy')).toBe('true')
    const status = w.get('[data-test="linktest-status"]')
    expect(status.attributes('aria-live')).toBe('polite')
    expect(status.text()).toBe('Starting the echo on studio-b on a free lab link port, then sending for 5 s…')
    expect(w.get('[data-test="linktest-progress"]').element.value).toBe(0)

    await vi.advanceTimersByTimeAsync(2500)
    expect(w.get('[data-test="linktest-progress"]').element.value).toBeCloseTo(0.5, 1)
    await vi.advanceTimersByTimeAsync(3000)
    // Sending is over: the bar waits without a value for the last echoes.
    expect(w.get('[data-test="linktest-progress"]').attributes('value')).toBeUndefined()
    expect(status.text()).toBe('Sent for 5 s; collecting the last echoes from studio-b…')
    // one test at a time
    await w.get('[data-test="linktest-run"]').trigger('click')

    gate.open()
    await flushPromises()
    const posts = calls.filter((c) => c.method === 'POST')
    expect(posts).toHaveLength(1)
    expect(posts[0].body).toEqual({ seconds: 5, port: 0 })
    expect(w.find('[data-test="linktest-progress"]').exists()).toBe(false)
    expect(w.get('[data-test="linktest-status"]').text()).toBe('')
    expect(w.get('[data-test="peer-linktest"]').attributes('aria-busy')).toBe('false')
    expect(w.get('[data-test="linktest-run"]').text()).toBe('Test again')
    expect(document.activeElement?.id).toBe('linktest-studio-b-h')
  })

  it('shows the result both ways: loss, jitter, round trip and the -q and -b to use on both ends', async () => {
    mockFetch({ [KEPT]: [200, []], [RUN]: [200, linkTestRecord()] })
    const w = await mountIt()
    await w.get('[data-test="linktest-run"]').trigger('click')
    await flushPromises()
    const result = w.get('[data-test="linktest-result"]')
    expect(w.get('[data-test="linktest-path"]').text()).toContain('this machine → studio-b → this machine: both directions')
    expect(w.get('[data-test="linktest-received"]').text()).toBe('1,873 of 1,875')
    expect(w.get('[data-test="linktest-loss"]').text()).toBe('0.11 %')
    expect(w.get('[data-test="linktest-loss"]').classes()).toContain('warn')
    expect(w.get('[data-test="linktest-jitter"]').text()).toBe('1.0 ms')
    expect(w.get('[data-test="linktest-rtt"]').text()).toBe('0.3 / 0.4 / 2.3 ms')
    expect(w.get('[data-test="linktest-advice"] code').text()).toBe('-q 3 -b 2')
    expect(w.get('[data-test="linktest-advice"]').text()).toContain('2 copies of each packet for the loss')
    expect(w.get('[data-test="linktest-shape"]').text()).toBe('528-byte datagrams, 375 a second')
    expect(result.find('[data-test="linktest-earlier"]').exists()).toBe(false)
  })

  it('shows the latest test the agent kept, and how many came before it', async () => {
    const lossless = { lossPercent: 0, received: 1875, recommendedQueue: 2, recommendedRedundancy: 1 }
    const { calls } = mockFetch({
      [KEPT]: [200, [linkTestRecord({}, '2026-11-25T19:00:00Z'), linkTestRecord(lossless, '2026-11-25T20:00:00Z')]],
    })
    const w = await mountIt()
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([KEPT])
    expect(w.get('[data-test="linktest-at"]').attributes('datetime')).toBe('2026-11-25T20:00:00Z')
    expect(w.get('[data-test="linktest-loss"]').text()).toBe('0.00 %')
    expect(w.get('[data-test="linktest-loss"]').classes()).not.toContain('warn')
    expect(w.get('[data-test="linktest-advice"] code').text()).toBe('-q 2 -b 1')
    expect(w.get('[data-test="linktest-advice"]').text()).toContain('no redundancy needed')
    expect(w.get('[data-test="linktest-earlier"]').text()).toBe('1, kept by the agent')
    expect(w.get('[data-test="linktest-run"]').text()).toBe('Test again')
  })

  it('says why a test failed, in the agent’s words', async () => {
    mockFetch({
      [KEPT]: [200, []],
      [RUN]: [
        503,
        { error: 'unavailable', message: 'JACK is not running here, so the link’s rate and period are not known: start JACK, or give options.backend builtin with rate and buffersize' },
      ],
    })
    const w = await mountIt()
    await w.get('[data-test="linktest-run"]').trigger('click')
    await flushPromises()
    const error = w.get('[data-test="linktest-error"]')
    expect(error.attributes('role')).toBe('alert')
    expect(error.text()).toMatch(/^Link test with studio-b failed: JACK is not running here/)
    expect(w.find('[data-test="linktest-builtin"]').exists()).toBe(true)
    expect(w.find('[data-test="linktest-result"]').exists()).toBe(false)
    expect(w.get('[data-test="linktest-run"]').attributes('disabled')).toBeUndefined()
  })

  it('offers the built-in backend’s link when JACK does not run here, and only then', async () => {
    const { calls } = mockFetch({
      [KEPT]: [200, []],
      [RUN]: (call) =>
        call.body.options?.backend === 'builtin'
          ? [200, linkTestRecord()]
          : [503, { error: 'unavailable', message: 'JACK is not running here, so the link’s rate and period are not known' }],
    })
    const w = await mountIt()
    await w.get('[data-test="linktest-run"]').trigger('click')
    await flushPromises()
    await w.get('[data-test="linktest-builtin"]').trigger('click')
    await flushPromises()
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.body)).toEqual([
      { seconds: 5, port: 0 },
      { seconds: 5, port: 0, options: { backend: 'builtin' } },
    ])
    expect(w.find('[data-test="linktest-error"]').exists()).toBe(false)
    expect(w.find('[data-test="linktest-builtin"]').exists()).toBe(false)
    expect(w.get('[data-test="linktest-advice"] code').text()).toBe('-q 3 -b 2')
  })

  it('keeps an unknown host key for the peer’s card, to be confirmed by its fingerprint', async () => {
    mockFetch({
      [KEPT]: [200, []],
      [RUN]: [409, { error: 'unknown_host_key', fingerprint: FINGERPRINT, message: `192.0.2.20 is not in known_hosts: its key's fingerprint is ${FINGERPRINT}` }],
    })
    const w = await mountIt()
    await w.get('[data-test="linktest-run"]').trigger('click')
    await flushPromises()
    expect(labStore.problems['studio-b']).toMatchObject({ error: 'unknown_host_key', fingerprint: FINGERPRINT })
    expect(labStore.peers[0].hostKey).toBe('unknown')
    expect(linkTestStore.errors['studio-b'].error).toBe('unknown_host_key')
    expect(w.find('[data-test="linktest-builtin"]').exists()).toBe(false)
  })
})
