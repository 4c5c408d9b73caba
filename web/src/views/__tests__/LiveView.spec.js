import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import LiveView from '../LiveView.vue'
import { linksStore } from '../../stores/links.js'
import { handleMessage, liveStore } from '../../stores/live.js'
import { route } from '../../router.js'
import { link, mockFetch } from '../../testing/fakes.js'
import { feedViewAfter, feedViewBefore, mountView, openFeed } from '../../testing/views.js'

function meters(id, sendRms, receiveRms, t = Date.now()) {
  return {
    type: 'meters',
    link: id,
    t,
    send: { peak: sendRms.map((v) => Math.min(0, v + 3)), rms: sendRms },
    receive: { peak: receiveRms.map((v) => Math.min(0, v + 3)), rms: receiveRms },
  }
}

describe('LiveView', () => {
  beforeEach(() => {
    feedViewBefore([
      link({ id: 'l1', state: 'stopped' }),
      link({ id: 'l2', state: 'connected', format: { ...link().format, sendChannels: 2, receiveChannels: 3 } }),
    ])
    mockFetch({ 'GET /api/counters': [200, [{ label: 'lost', meaning: 'packets that never arrived' }]] })
  })
  afterEach(feedViewAfter)

  it('picks the first running link and follows its counters and meters', async () => {
    const w = await mountView(LiveView)
    expect(w.get('[data-test="live-link"]').element.value).toBe('l2')
    expect(liveStore.linkId).toBe('l2')
    // the feed subscribes to the link once it is live
    const ws = openFeed()
    expect(ws.sent[1]).toEqual({ type: 'subscribe', topics: ['links', 'jack', 'events', 'provisions', 'counters:l2', 'meters:l2'], rateHz: 25 })
    // another pick subscribes again
    await w.get('[data-test="live-link"]').setValue('l1')
    await flushPromises()
    expect(ws.sent.at(-1).topics).toEqual(['links', 'jack', 'events', 'provisions', 'counters:l1', 'meters:l1'])
    w.unmount()
    expect(ws.sent.at(-1).topics).toEqual(['links', 'jack', 'events', 'provisions'])
  })

  it('shows the link the address names, as the Lab view links to it', async () => {
    route.param = 'l1'
    const w = await mountView(LiveView)
    expect(w.get('[data-test="live-link"]').element.value).toBe('l1')
    expect(liveStore.linkId).toBe('l1')
    w.unmount()
  })

  it('draws a meter per channel before any audio', async () => {
    const w = await mountView(LiveView)
    const bars = w.findAll('[data-test="meter"]')
    expect(bars).toHaveLength(5) // 2 send + 3 receive
    expect(bars.every((b) => b.attributes('data-db') === '-120')).toBe(true)
    w.unmount()
  })

  it('moves the meters with each feed message', async () => {
    const w = await mountView(LiveView)
    handleMessage(meters('l2', [-9.1, -20], [-3, -30.5, -120]))
    await flushPromises()
    let bars = w.findAll('[data-test="meter"]')
    expect(bars.map((b) => b.attributes('data-db'))).toEqual(['-9.1', '-20', '-3', '-30.5', '-120'])
    // -9.1 dBFS on a -60..0 scale: the cover starts at 84.8 %
    expect(bars[0].get('.meter-cover').attributes('data-from')).toMatch(/^84\.8/)
    expect(bars[0].attributes('aria-valuetext')).toBe('-9.1 dB RMS, peak -6.1 dB')
    handleMessage(meters('l2', [-40, -20], [-3, -30.5, -6]))
    await flushPromises()
    bars = w.findAll('[data-test="meter"]')
    expect(bars[0].attributes('data-db')).toBe('-40')
    expect(bars[4].attributes('data-db')).toBe('-6')
    // another link's meters do not show here
    handleMessage(meters('l1', [-1, -1], [-1, -1]))
    await flushPromises()
    expect(w.findAll('[data-test="meter"]')[0].attributes('data-db')).toBe('-40')
    w.unmount()
  })

  it('shows the queue against its target, the glitch counters and the plots', async () => {
    const w = await mountView(LiveView)
    const t = Date.now()
    handleMessage({
      type: 'counters',
      link: 'l2',
      t,
      values: { level_frames: 384, target_frames: 512, queue_ms: 8, jitter_ms: 0.6, lost: 0, late: 1, concealed: 2, underrun: 0, overflow: 0, stepback: 1, revived: 5, drift_fix: 0, xruns: 0 },
    })
    handleMessage({ type: 'counters', link: 'l2', t: t + 40, values: { lost: 3, queue_ms: 9.5 } })
    await flushPromises()
    const gauge = w.get('[data-test="queue-gauge"]')
    expect(gauge.attributes('data-level')).toBe('384')
    expect(gauge.attributes('data-target')).toBe('512')
    expect(w.get('[data-test="queue-level"]').text()).toBe('384 frames')
    expect(w.get('[data-test="queue-ms"]').text()).toBe('9.5 ms')
    expect(w.get('[data-test="counter-lost"] dd').text()).toBe('3')
    expect(w.get('[data-test="counter-lost"]').attributes('title')).toBe('packets that never arrived')
    expect(w.get('[data-test="counter-revived"] dd').text()).toBe('5')
    expect(w.get('[data-test="counter-stepback"] dd').text()).toBe('1')
    for (const label of ['lost', 'late', 'concealed', 'underrun', 'overflow', 'stepback', 'revived', 'drift_fix', 'xruns']) {
      expect(w.find(`[data-test="counter-${label}"]`).exists()).toBe(true)
    }
    const plots = w.findAll('[data-test="plot-now"]')
    expect(plots.map((p) => p.text())).toEqual(['9.5 ms', '0.6 ms'])
    expect(w.findAll('[data-test="plot"] path.line')).toHaveLength(2)
    w.unmount()
  })

  it('says so when there is no link', async () => {
    linksStore.list = []
    const w = await mountView(LiveView)
    expect(w.text()).toContain('No links yet')
    expect(w.find('[data-test="live-link"]').exists()).toBe(false)
    w.unmount()
  })

  it('sends a hub server link to its Clients view rather than showing meters it has not', async () => {
    linksStore.list = [link({ id: 'l5', mode: 'hubserver', state: 'connected', format: { bitResolution: 16 }, hub: { clients: 2 } })]
    const w = await mountView(LiveView)
    expect(w.get('[data-test="live-hub-note"] a').attributes('href')).toBe('#/clients/l5')
    expect(w.find('.meter-groups').exists()).toBe(false)
  })
})
