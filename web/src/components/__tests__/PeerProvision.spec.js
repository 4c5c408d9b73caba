import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import PeerProvision from '../PeerProvision.vue'
import { setToken } from '../../stores/auth.js'
import { applyProvisionFeed, resetProvision } from '../../stores/provision.js'
import { mockFetch } from '../../testing/fakes.js'
import { provisionJob } from '../../testing/lab.js'
import { clickOn } from '../../testing/views.js'

const PEER = { name: 'studio-b', host: '192.0.2.20', port: 22, user: 'lab', key: '/home/lab/.ssh/id_ed25519' }

describe('PeerProvision', () => {
  let wrapper
  beforeEach(() => {
    setToken('t'.repeat(32))
    resetProvision()
  })
  afterEach(() => wrapper?.unmount())

  function mountIt() {
    wrapper = mount(PeerProvision, { props: { peer: PEER }, attachTo: document.body })
    return wrapper
  }

  it('asks before provisioning, saying that it installs packages and writes system files', async () => {
    const { calls } = mockFetch()
    const w = mountIt()
    await w.get('[data-test="provision-open"]').trigger('click')
    const text = w.get('[data-test="provision-confirm"]').text()
    expect(text).toContain('installs packages')
    expect(text).toContain('writes system files')
    expect(text).toContain('lab@192.0.2.20')
    expect(document.activeElement?.id).toBe('provision-confirm-studio-b')
    expect(calls).toEqual([])
  })

  it('cancels with Escape, giving the focus back to the Provision button', async () => {
    const { calls } = mockFetch()
    const w = mountIt()
    await w.get('[data-test="provision-open"]').trigger('click')
    await w.get('[data-test="provision-confirm"]').trigger('keydown', { key: 'Escape' })
    await flushPromises()
    expect(w.find('[data-test="provision-confirm"]').exists()).toBe(false)
    expect(document.activeElement?.id).toBe('provision-studio-b')
    expect(calls).toEqual([])
  })

  it('starts a dry run when the box is ticked, then shows the job', async () => {
    const { calls } = mockFetch({ 'POST /api/lab/peers/studio-b/provision': [202, provisionJob({ check: true })] })
    const w = mountIt()
    await w.get('[data-test="provision-open"]').trigger('click')
    await w.get('[data-test="provision-dry-run"]').setValue(true)
    expect(w.get('[data-test="provision-confirm-button"]').text()).toBe('Dry run on studio-b')
    await clickOn(w, 'provision-confirm-button')
    expect(calls[0].body).toEqual({ check: true })
    expect(w.get('[data-test="provision-job"]').text()).toContain('Dry run of provisioning studio-b')
    expect(w.get('[data-test="provision-open"]').attributes('disabled')).toBeDefined()
  })

  it('streams the lines with the current task and a progress bar, politely announced', async () => {
    mockFetch()
    const w = mountIt()
    applyProvisionFeed({ type: 'provision', ...provisionJob(), from: 0, lines: ['PLAY [Provision lab machines for JamWire]'] })
    applyProvisionFeed({
      type: 'provision',
      ...provisionJob({ task: "jamwire_agent : Install the agent's jar", tasksStarted: 10 }),
      from: 1,
      lines: ["TASK [jamwire_agent : Install the agent's jar]", 'changed: [studio-b]'],
    })
    await flushPromises()
    const summary = w.get('[data-test="provision-summary"]')
    expect(summary.attributes('aria-live')).toBe('polite')
    expect(summary.text()).toBe("Task 10 of about 40: jamwire_agent : Install the agent's jar")
    expect(w.get('[data-test="provision-progress"]').element.value).toBe(0.25)
    const lines = w.findAll('[data-test="provision-log"] li')
    expect(lines.map((l) => l.text())).toEqual([
      'PLAY [Provision lab machines for JamWire]',
      "TASK [jamwire_agent : Install the agent's jar]",
      'changed: [studio-b]',
    ])
    expect(lines[2].classes()).toContain('line-changed')
    expect(w.get('[data-test="provision-log"]').attributes('tabindex')).toBe('0')
  })

  it('shows the recap at the end', async () => {
    mockFetch({ 'GET /api/lab/provisions/v1': [200, provisionJob({ state: 'done', exit: 0, recap: { ok: 31, changed: 4, unreachable: 0, failed: 0, skipped: 7 } })] })
    const w = mountIt()
    applyProvisionFeed({ type: 'provision', ...provisionJob(), from: 0, lines: [] })
    applyProvisionFeed({ type: 'provision', ...provisionJob({ state: 'done', exit: 0, recap: { ok: 31, changed: 4, unreachable: 0, failed: 0, skipped: 7 } }), from: 0, lines: [] })
    await flushPromises()
    expect(w.get('[data-test="provision-summary"]').text()).toBe('Done: 4 changed, 31 ok, 0 failed.')
    expect(w.get('[data-test="recap-changed"]').text()).toBe('4')
    expect(w.get('[data-test="recap-failed"]').text()).toBe('0')
    expect(w.get('[data-test="provision-state"]').text()).toBe('done')
    expect(w.get('[data-test="provision-open"]').attributes('disabled')).toBeUndefined()
  })

  it('says why a start was refused, and puts the focus back on the button', async () => {
    mockFetch({
      'POST /api/lab/peers/studio-b/provision': [503, { error: 'unavailable', message: 'ansible-playbook is not installed on this machine: apt install ansible' }],
    })
    const w = mountIt()
    await w.get('[data-test="provision-open"]').trigger('click')
    await clickOn(w, 'provision-confirm-button')
    expect(w.get('[data-test="provision-refused"]').text()).toContain('apt install ansible')
    expect(w.find('[data-test="provision-job"]').exists()).toBe(false)
    expect(document.activeElement?.id).toBe('provision-studio-b')
  })
})
