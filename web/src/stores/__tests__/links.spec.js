import { beforeEach, describe, expect, it } from 'vitest'
import {
  applyLinksFeed,
  checkLink,
  linkRequest,
  linksStore,
  loadLinks,
  loadOptions,
  startLink,
  stopLink,
  uptimeOf,
} from '../links.js'
import { setToken } from '../auth.js'
import { link, LINK_OPTIONS, mockFetch } from '../../testing/fakes.js'

describe('links store', () => {
  beforeEach(() => {
    setToken('t'.repeat(32))
    linksStore.list = []
    linksStore.loaded = false
    linksStore.error = ''
    linksStore.options = null
  })

  it('builds the request: given options only, flags only when set, host only for a client', () => {
    expect(
      linkRequest({ mode: 'server', host: 'ignored', values: { queue: ' auto ', bitres: undefined, numchannels: '', 'no-drift-correction': false } }),
    ).toEqual({ mode: 'server', options: { queue: 'auto' } })
    expect(linkRequest({ mode: 'client', host: ' 192.0.2.10 ', values: { 'no-drift-correction': true, numchannels: '8' } })).toEqual({
      mode: 'client',
      host: '192.0.2.10',
      options: { 'no-drift-correction': true, numchannels: '8' },
    })
  })

  it('loads the links and the options', async () => {
    mockFetch({ 'GET /api/links': [200, [link()]], 'GET /api/link-options': [200, LINK_OPTIONS] })
    await loadLinks()
    await loadOptions()
    expect(linksStore.loaded).toBe(true)
    expect(linksStore.list.map((l) => l.id)).toEqual(['l1'])
    expect(linksStore.options).toHaveLength(LINK_OPTIONS.length)
  })

  it('keeps counters and events that the feed list lacks', () => {
    linksStore.list = [link({ counters: { lost: 3 } })]
    const { counters, events, ...slim } = link({ state: 'audio_lost' })
    applyLinksFeed([slim, { ...slim, id: 'l2', state: 'waiting' }])
    expect(linksStore.list).toHaveLength(2)
    expect(linksStore.list[0]).toMatchObject({ id: 'l1', state: 'audio_lost', counters: { lost: 3 } })
    expect(linksStore.list[1]).toMatchObject({ id: 'l2', state: 'waiting' })
  })

  it('counts uptime on from when a running link was received', () => {
    const l = { ...link({ uptimeSeconds: 10 }), receivedAt: 1000 }
    expect(uptimeOf(l, 6000)).toBe(15)
    expect(uptimeOf({ ...l, state: 'stopped' }, 6000)).toBe(10)
  })

  it('returns the check result or the refusal', async () => {
    mockFetch({
      'POST /api/links/check': (call) =>
        call.body.options.queue === '0'
          ? [400, { error: 'invalid', field: 'options.queue', message: 'bad queue' }]
          : [200, { commandLine: 'jamwire -s --queue 8', warnings: ['w'] }],
    })
    await expect(checkLink({ mode: 'server', options: { queue: '8' } })).resolves.toEqual({
      ok: true,
      commandLine: 'jamwire -s --queue 8',
      warnings: ['w'],
    })
    const refused = await checkLink({ mode: 'server', options: { queue: '0' } })
    expect(refused.ok).toBe(false)
    expect(refused.error.field).toBe('options.queue')
  })

  it('adds a started link and replaces a stopped one', async () => {
    mockFetch({
      'POST /api/links': [201, link({ id: 'l2', state: 'waiting' })],
      'DELETE /api/links/l2': [200, link({ id: 'l2', state: 'stopped' })],
    })
    await startLink({ mode: 'server', options: {} })
    expect(linksStore.list.map((l) => [l.id, l.state])).toEqual([['l2', 'waiting']])
    await stopLink('l2')
    expect(linksStore.list.map((l) => [l.id, l.state])).toEqual([['l2', 'stopped']])
  })
})
