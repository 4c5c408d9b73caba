import { afterEach, describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'
import MeterBar from '../MeterBar.vue'
import MeterGroup from '../MeterGroup.vue'
import QueueGauge from '../QueueGauge.vue'
import CounterGrid from '../CounterGrid.vue'
import TimePlot from '../TimePlot.vue'

describe('MeterBar', () => {
  it('covers the scale from the RMS level and marks the peak', () => {
    const w = mount(MeterBar, { props: { label: '1', rms: -30, peak: -12 } })
    const meter = w.get('[data-test="meter"]')
    expect(meter.attributes('data-db')).toBe('-30')
    expect(meter.attributes('role')).toBe('meter')
    // The cover hides the scale from 50 % on (it is scaled to the right half); the peak sits at 80 %.
    expect(w.get('.meter-cover').attributes('data-from')).toBe('50')
    expect(w.get('.meter-cover').attributes('style')).toContain('scaleX(0.5)')
    expect(w.get('.meter-peak-track').attributes('style')).toContain('translateX(80%)')
    expect(w.get('.meter-value').text()).toBe('-30.0 dB')
  })

  it('shows silence and clipping', () => {
    const silent = mount(MeterBar, { props: { label: '1', rms: -120, peak: -120 } })
    expect(silent.get('.meter-cover').attributes('style')).toContain('scaleX(1)')
    expect(silent.get('.meter-value').text()).toBe('silent')
    const clip = mount(MeterBar, { props: { label: '1', rms: -2, peak: 0 } })
    expect(clip.get('[data-test="meter"]').classes()).toContain('meter-clip')
  })

  it('has one bar per channel of the message', () => {
    const w = mount(MeterGroup, { props: { title: 'Send', levels: { peak: [-1, -2, -3], rms: [-4, -5, -6] } } })
    expect(w.findAll('[data-test="meter"]').map((m) => m.attributes('data-db'))).toEqual(['-4', '-5', '-6'])
  })
})

describe('QueueGauge', () => {
  it('fills to the level and marks the target', () => {
    const w = mount(QueueGauge, { props: { counters: { level_frames: 256, target_frames: 512, queue_ms: 5.3 } } })
    expect(w.get('.gauge-fill').attributes('style')).toContain('width: 25%')
    expect(w.get('.gauge-target').attributes('style')).toContain('left: 50%')
    expect(w.get('[data-test="queue-level"]').text()).toBe('256 frames')
    expect(w.get('[data-test="queue-target"]').text()).toBe('512 frames')
    expect(w.get('[data-test="queue-ms"]').text()).toBe('5.3 ms')
    expect(w.get('[data-test="queue-gauge"]').classes()).toContain('gauge-ok')
    const empty = mount(QueueGauge, { props: { counters: { level_frames: 0, target_frames: 512 } } })
    expect(empty.get('[data-test="queue-gauge"]').classes()).toContain('gauge-empty')
  })
})

describe('CounterGrid', () => {
  afterEach(() => vi.useRealTimers())

  it('marks a counter that just went up', async () => {
    vi.useFakeTimers()
    const w = mount(CounterGrid, { props: { values: { lost: 0, late: 0 }, labels: ['lost', 'late'] } })
    expect(w.get('[data-test="counter-lost"]').classes()).not.toContain('rising')
    await w.setProps({ values: { lost: 2, late: 0 } })
    expect(w.get('[data-test="counter-lost"]').classes()).toContain('rising')
    expect(w.get('[data-test="counter-lost"]').classes()).toContain('nonzero')
    expect(w.get('[data-test="counter-late"]').classes()).not.toContain('rising')
    vi.advanceTimersByTime(3000)
    await w.vm.$nextTick()
    expect(w.get('[data-test="counter-lost"]').classes()).not.toContain('rising')
  })
})

describe('TimePlot', () => {
  it('draws a step line over the window, holding the last value until now', () => {
    const w = mount(TimePlot, {
      props: {
        title: 'Queue delay',
        now: 60_000,
        points: [
          { t: -5000, v: 4 },
          { t: 30_000, v: 8 },
          { t: 45_000, v: 2 },
        ],
      },
    })
    // the point before the window starts the line at the left edge; y spans 0..10 (8 rounded up)
    expect(w.get('path.line').attributes('d')).toBe('M0.0,60.0H150.0V20.0H225.0V80.0H300')
    expect(w.get('[data-test="plot-now"]').text()).toBe('2.0 ms')
    expect(w.get('svg').attributes('aria-label')).toBe('Queue delay: now 2.0 ms, highest 8.0 ms in the last 60 s')
  })

  it('says when there is nothing to draw', () => {
    const w = mount(TimePlot, { props: { title: 'Jitter', now: 1000, points: [] } })
    expect(w.find('path.line').exists()).toBe(false)
    expect(w.get('[data-test="plot-now"]').text()).toBe('–')
  })
})
