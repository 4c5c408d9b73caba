import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import LabView from '../../views/LabView.vue'
import { labStore } from '../../stores/lab.js'
import { mockFetch } from '../../testing/fakes.js'
import { inventoryImport, peer } from '../../testing/lab.js'
import { clickOn, labRoutes, labViewAfter, labViewBefore, mountView, peerCard } from '../../testing/views.js'

const PATH = '~/jamwire-lab/inventory.yml'

describe('Import inventory… on the Lab view', () => {
  let wrapper
  beforeEach(labViewBefore)
  afterEach(() => {
    wrapper?.unmount()
    labViewAfter()
  })

  async function openForm(routes) {
    const fetch = mockFetch(labRoutes([peer()], routes))
    wrapper = await mountView(LabView, { attachTo: document.body })
    await clickOn(wrapper, 'inventory-open')
    return fetch
  }

  it('opens a path field with its hint, and cancels with Escape without asking the agent', async () => {
    const { calls } = await openForm()
    const field = wrapper.get('[data-test="inventory-path"]')
    expect(document.activeElement).toBe(field.element)
    expect(wrapper.find('label[for="inventory-path"]').text()).toBe('Ansible inventory file')
    expect(field.attributes('aria-describedby')).toBe('inventory-path-hint')
    expect(wrapper.get('#inventory-path-hint').text()).toContain('agent’s machine')
    await wrapper.get('[data-test="inventory-form"]').trigger('keydown', { key: 'Escape' })
    await flushPromises()
    expect(wrapper.find('[data-test="inventory-form"]').exists()).toBe(false)
    expect(document.activeElement?.id).toBe('inventory-open')
    expect(calls.some((c) => c.url === '/api/lab/inventory')).toBe(false)
  })

  it('imports the file and shows what became of each host, the added peer listed at once', async () => {
    const { calls } = await openForm({ 'POST /api/lab/inventory': [200, inventoryImport()] })
    await wrapper.get('[data-test="inventory-path"]').setValue(` ${PATH} `)
    await wrapper.get('[data-test="inventory-form"]').trigger('submit')
    await flushPromises()
    expect(calls.find((c) => c.url === '/api/lab/inventory').body).toEqual({ path: PATH })
    expect(wrapper.find('[data-test="inventory-form"]').exists()).toBe(false)
    expect(document.activeElement?.id).toBe('inventory-result-h')
    expect(wrapper.get('[data-test="inventory-summary"]').text()).toBe(
      'Read /home/lab/jamwire-lab/inventory.yml: 1 added, 1 kept, 1 refused. Probe each added peer to confirm its host key by its fingerprint.',
    )
    const rows = wrapper.findAll('[data-test="inventory-host"]')
    expect(rows.map((r) => [r.attributes('data-host'), r.attributes('data-outcome')])).toEqual([
      ['studio-a', 'added'],
      ['studio-b', 'kept'],
      ['rehearsal', 'refused'],
    ])
    expect(rows[0].get('[data-test="inventory-outcome"]').text()).toBe('added')
    expect(rows[0].get('[data-test="inventory-note"]').text()).toBe(
      'jamwire@192.0.2.10:22, JACK server default: probe it to confirm its host key',
    )
    expect(rows[1].get('[data-test="inventory-outcome"]').text()).toBe('kept (exists already)')
    expect(rows[2].get('[data-test="inventory-note"]').text()).toContain('jamwire_agent_token_file:')
    expect(rows[2].get('[data-test="inventory-note"]').text()).toContain('Jinja template')

    // The added peer has a card, its host key still to be confirmed; the kept one is as it was.
    expect(labStore.peers.map((p) => p.name)).toEqual(['studio-b', 'studio-a'])
    const a = peerCard(wrapper, 'studio-a')
    expect(a.get('[data-test="host-key"]').attributes('data-state')).toBe('unchecked')
    expect(a.get('[data-test="peer-target"]').text()).toBe('jamwire@192.0.2.10:22')
    expect(a.find('[data-test="probe-peer"]').exists()).toBe(true)
  })

  it('shows a refused path beside the field, and keeps the form open to fix it', async () => {
    await openForm({
      'POST /api/lab/inventory': [
        400,
        { error: 'invalid', field: 'path', rule: 'a readable inventory file', message: "path: /home/lab/nope.yml does not exist on the agent's machine" },
      ],
    })
    await wrapper.get('[data-test="inventory-path"]').setValue('/home/lab/nope.yml')
    await wrapper.get('[data-test="inventory-import-button"]').trigger('submit')
    await flushPromises()
    const field = wrapper.get('[data-test="inventory-path"]')
    expect(field.attributes('aria-invalid')).toBe('true')
    expect(wrapper.get('[data-test="inventory-error"]').text()).toBe("path: /home/lab/nope.yml does not exist on the agent's machine")
    expect(document.activeElement).toBe(field.element)
    expect(wrapper.find('[data-test="inventory-result"]').exists()).toBe(false)
  })

  it('says what to install when ansible-inventory is missing', async () => {
    await openForm({
      'POST /api/lab/inventory': [503, { error: 'unavailable', message: 'ansible-inventory is not installed on this machine, which reads the inventory with it: apt install ansible' }],
    })
    await wrapper.get('[data-test="inventory-path"]').setValue(PATH)
    await wrapper.get('[data-test="inventory-form"]').trigger('submit')
    await flushPromises()
    const error = wrapper.get('[data-test="inventory-error"]')
    expect(error.attributes('role')).toBe('alert')
    expect(error.text()).toContain('apt install ansible')
    expect(wrapper.get('[data-test="inventory-import-button"]').attributes('disabled')).toBeUndefined()
  })
})
