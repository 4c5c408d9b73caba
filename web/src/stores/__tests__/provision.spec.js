import { beforeEach, describe, expect, it } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import {
  applyProvisionFeed,
  LINES_KEPT,
  loadProvisions,
  provisionOf,
  provisionProgress,
  provisionStore,
  resetProvision,
  startProvision,
} from '../provision.js'
import { setToken } from '../auth.js'
import { handleMessage, resetLive, topicsFor } from '../live.js'
import { mockFetch } from '../../testing/fakes.js'
import { provisionJob } from '../../testing/lab.js'

function feed(over = {}) {
  const { firstLine, lines, ...rest } = provisionJob(over)
  return { type: 'provision', from: 0, lines: [], ...rest, ...over }
}

describe('provision store', () => {
  beforeEach(() => {
    setToken('t'.repeat(32))
    resetProvision()
    resetLive()
  })

  it('starts a provisioning, asking for a dry run only when told, and keeps the job', async () => {
    const { calls } = mockFetch({ 'POST /api/lab/peers/studio-b/provision': [202, provisionJob()] })
    const result = await startProvision('studio-b', { check: true })
    expect(result.ok).toBe(true)
    expect(calls[0].body).toEqual({ check: true })
    expect(provisionOf('studio-b').id).toBe('v1')
    await startProvision('studio-b')
    expect(calls[1].body).toEqual({ check: false })
  })

  it('keeps a refusal for the peer’s card: an untrusted host key is not trusted here', async () => {
    mockFetch({
      'POST /api/lab/peers/studio-b/provision': [409, { error: 'unknown_host_key', fingerprint: 'SHA256:x', message: 'Probe it and trust it first.' }],
    })
    const result = await startProvision('studio-b')
    expect(result.ok).toBe(false)
    expect(provisionStore.refused['studio-b'].error).toBe('unknown_host_key')
    expect(provisionStore.starting['studio-b']).toBeUndefined()
    expect(provisionOf('studio-b')).toBeNull()
  })

  it('appends the feed’s lines in order and skips lines it has already', () => {
    applyProvisionFeed(feed({ from: 0, lines: ['PLAY [Provision lab machines for JamWire]', 'TASK [Gathering Facts]'] }))
    applyProvisionFeed(feed({ from: 1, lines: ['TASK [Gathering Facts]', 'ok: [studio-b]'], task: 'Gathering Facts', tasksStarted: 1 }))
    const j = provisionOf('studio-b')
    expect(j.lines).toEqual(['PLAY [Provision lab machines for JamWire]', 'TASK [Gathering Facts]', 'ok: [studio-b]'])
    expect(j.task).toBe('Gathering Facts')
  })

  it('starts over from the feed when lines were dropped while the page was away', () => {
    applyProvisionFeed(feed({ from: 0, lines: ['a'] }))
    applyProvisionFeed(feed({ from: 700, lines: ['x', 'y'] }))
    expect(provisionOf('studio-b').firstLine).toBe(700)
    expect(provisionOf('studio-b').lines).toEqual(['x', 'y'])
  })

  it('keeps at most as many lines as the agent does', () => {
    applyProvisionFeed(feed({ from: 0, lines: Array.from({ length: LINES_KEPT + 20 }, (_, i) => `line ${i}`) }))
    const j = provisionOf('studio-b')
    expect(j.lines.length).toBe(LINES_KEPT)
    expect(j.firstLine).toBe(20)
    expect(j.lines[0]).toBe('line 20')
  })

  it('reads the whole job once the feed says it ended', async () => {
    const done = provisionJob({ state: 'done', exit: 0, recap: { ok: 30, changed: 4, unreachable: 0, failed: 0, skipped: 6 }, lines: ['PLAY RECAP'] })
    const { calls } = mockFetch({ 'GET /api/lab/provisions/v1': [200, done] })
    applyProvisionFeed(feed({ from: 0, lines: ['PLAY'] }))
    applyProvisionFeed(feed({ from: 1, lines: [], state: 'done', exit: 0 }))
    await flushPromises()
    expect(calls.map((c) => c.url)).toEqual(['/api/lab/provisions/v1'])
    expect(provisionOf('studio-b').recap.changed).toBe(4)
  })

  it('follows the newest job of each peer', async () => {
    mockFetch({ 'GET /api/lab/provisions': [200, [provisionJob({ id: 'v2', state: 'done' }), provisionJob({ id: 'v10' }), provisionJob({ id: 'v3', peer: 'studio-c' })]] })
    expect(await loadProvisions()).toBe(true)
    expect(provisionOf('studio-b').id).toBe('v10')
    expect(provisionOf('studio-c').id).toBe('v3')
  })

  it('shows progress by tasks started, indeterminate while the count is not known', () => {
    expect(provisionProgress(provisionJob({ tasksStarted: 10, tasksTotal: 40 }))).toBe(0.25)
    expect(provisionProgress(provisionJob({ tasksStarted: 50, tasksTotal: 40 }))).toBe(1)
    expect(provisionProgress(provisionJob({ tasksTotal: 0 }))).toBeNull()
    expect(provisionProgress(provisionJob({ state: 'failed', tasksTotal: 0 }))).toBe(1)
  })

  it('takes the feed’s provision messages and subscribes to the provisions topic', () => {
    expect(topicsFor(null)).toContain('provisions')
    handleMessage(feed({ from: 0, lines: ['TASK [jack_realtime : Install JACK]'] }))
    expect(provisionOf('studio-b').lines).toEqual(['TASK [jack_realtime : Install JACK]'])
  })
})
