import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { computed, defineComponent, h } from 'vue'
import { useAgentClock } from '../useAgentClock.js'
import { useSelectedLink } from '../useSelectedLink.js'
import { route } from '../../router.js'
import { linksStore } from '../../stores/links.js'
import { liveStore, resetLive } from '../../stores/live.js'
import { link, mockFetch } from '../../testing/fakes.js'

// Mounts a component that only runs `setup`, and hands back what it returned.
function host(setup) {
  let result
  const w = mount(defineComponent({ setup: () => ((result = setup()), () => h('div')) }))
  return { w, result }
}

describe('useSelectedLink', () => {
  beforeEach(() => {
    mockFetch({ 'GET /api/counters': [200, []] })
    linksStore.loaded = true
    linksStore.list = [link({ id: 'l1', state: 'stopped' }), link({ id: 'l2', state: 'connected' }), link({ id: 'l3', state: 'waiting' })]
  })
  afterEach(() => {
    route.param = null
  })

  it('shows the first running link, follows each pick, and nothing once the view goes', async () => {
    const follow = vi.fn()
    const { w, result } = host(() => useSelectedLink(computed(() => linksStore.list), follow))
    expect(result.selectedId.value).toBe('l2')
    expect(result.selected.value.state).toBe('connected')
    result.pick('l3')
    await flushPromises()
    expect(follow.mock.calls.map((c) => c[0])).toEqual(['l2', 'l3'])
    w.unmount()
    expect(follow).toHaveBeenLastCalledWith(null)
  })

  it('takes the link the address names, and falls back when it is not listed', async () => {
    route.param = 'l1'
    const { result } = host(() => useSelectedLink(computed(() => linksStore.list), () => {}))
    expect(result.selectedId.value).toBe('l1')
    route.param = 'l9'
    await flushPromises()
    expect(result.selectedId.value).toBe('l2')
  })
})

describe('useAgentClock', () => {
  beforeEach(() => resetLive())
  afterEach(() => vi.useRealTimers())

  it('ticks while mounted, on the agent’s clock', async () => {
    vi.useFakeTimers({ now: 10_000 })
    liveStore.clockOffsetMs = 500
    const { w, result: now } = host(() => useAgentClock(250))
    expect(now.value).toBe(10_500)
    vi.advanceTimersByTime(250)
    expect(now.value).toBe(10_750)
    w.unmount()
    vi.advanceTimersByTime(1000)
    expect(now.value).toBe(10_750)
  })
})
