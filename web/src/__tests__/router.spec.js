import { describe, expect, it } from 'vitest'
import { paramFromHash, routeFromHash } from '../router.js'

describe('router', () => {
  it('takes the view from the hash, and the links view when it names none', () => {
    expect(routeFromHash('#/lab')).toBe('lab')
    expect(routeFromHash('#/jack')).toBe('jack')
    expect(routeFromHash('#/nowhere')).toBe('links')
    expect(routeFromHash('')).toBe('links')
  })

  it('takes a link id after the view', () => {
    expect(routeFromHash('#/live/l3')).toBe('live')
    expect(paramFromHash('#/live/l3')).toBe('l3')
    expect(paramFromHash('#/live/a%20b')).toBe('a b')
    expect(paramFromHash('#/live')).toBe(null)
    expect(paramFromHash('#/nowhere/l3')).toBe(null)
  })
})
