import { beforeEach, describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import TokenView from '../TokenView.vue'
import { auth } from '../../stores/auth.js'
import { mockFetch } from '../../testing/fakes.js'

const GOOD = 'a1'.repeat(16)

describe('TokenView', () => {
  beforeEach(() => {
    sessionStorage.clear()
    auth.token = null
    auth.message = ''
  })

  it('checks the token with the agent and keeps it when accepted', async () => {
    const { calls } = mockFetch({ 'GET /api/version': [200, { version: '0.1.0', protocol: 'JackTrip 1.7 P2P' }] })
    const w = mount(TokenView)
    await w.get('[data-test="token-input"]').setValue(GOOD)
    await w.get('form').trigger('submit')
    await flushPromises()
    expect(calls[0].headers.Authorization).toBe(`Bearer ${GOOD}`)
    expect(auth.token).toBe(GOOD)
    expect(sessionStorage.getItem('jamwire.token')).toBe(GOOD)
  })

  it('accepts the whole URL the agent printed', async () => {
    mockFetch({ 'GET /api/version': [200, { version: '0.1.0' }] })
    const w = mount(TokenView)
    await w.get('[data-test="token-input"]').setValue(`http://127.0.0.1:8464/#token=${GOOD}`)
    await w.get('[data-test="token-submit"]').trigger('submit')
    await flushPromises()
    expect(auth.token).toBe(GOOD)
  })

  it('says so when the agent refuses the token', async () => {
    mockFetch({ 'GET /api/version': [401, { error: 'unauthorized', message: 'missing or wrong token' }] })
    const w = mount(TokenView)
    await w.get('[data-test="token-input"]').setValue('wrong')
    await w.get('form').trigger('submit')
    await flushPromises()
    expect(auth.token).toBe(null)
    const error = w.get('[data-test="token-error"]')
    expect(error.text()).toMatch(/did not accept this token/)
    expect(error.attributes('role')).toBe('alert')
    expect(w.get('[data-test="token-input"]').attributes('aria-invalid')).toBe('true')
  })

  it('shows why it came back after a token was refused elsewhere', () => {
    auth.message = 'The agent did not accept this token (401).'
    const w = mount(TokenView)
    expect(w.get('[data-test="token-error"]').text()).toBe('The agent did not accept this token (401).')
  })

  it('has a labelled field and a real submit button', () => {
    const w = mount(TokenView)
    const input = w.get('[data-test="token-input"]')
    expect(w.get(`label[for="${input.attributes('id')}"]`).text()).toBe('Token')
    expect(w.get('[data-test="token-submit"]').element.tagName).toBe('BUTTON')
    expect(w.get('[data-test="token-submit"]').attributes('type')).toBe('submit')
  })
})
