import { beforeEach, describe, expect, it, vi } from 'vitest'
import { auth, loadToken, rejectToken, setToken, tokenFromHash, tokenFromInput, TOKEN_KEY } from '../auth.js'

const TOKEN = '0123456789abcdef0123456789abcdef'

function fakeWindow(hash, stored = null) {
  const store = new Map(stored ? [[TOKEN_KEY, stored]] : [])
  const win = {
    location: { hash, pathname: '/', search: '' },
    history: { state: null, replaceState: vi.fn() },
    sessionStorage: {
      getItem: (k) => (store.has(k) ? store.get(k) : null),
      setItem: (k, v) => store.set(k, v),
      removeItem: (k) => store.delete(k),
    },
  }
  return { win, store }
}

describe('token store', () => {
  beforeEach(() => {
    sessionStorage.clear()
    auth.token = null
    auth.message = ''
  })

  it('reads the token from the fragment', () => {
    expect(tokenFromHash(`#token=${TOKEN}`)).toBe(TOKEN)
    expect(tokenFromHash(`#/links&token=${TOKEN}`)).toBe(TOKEN)
    expect(tokenFromHash('#/links')).toBe(null)
    expect(tokenFromHash('')).toBe(null)
    expect(tokenFromHash('#token=')).toBe(null)
  })

  it('takes a pasted URL or a bare token', () => {
    expect(tokenFromInput(`  http://127.0.0.1:8464/#token=${TOKEN}  `)).toBe(TOKEN)
    expect(tokenFromInput(TOKEN)).toBe(TOKEN)
    expect(tokenFromInput(`token=${TOKEN}`)).toBe(TOKEN)
  })

  it('takes the token from the address bar, keeps it and removes it from the address bar', () => {
    const { win, store } = fakeWindow(`#token=${TOKEN}`)
    expect(loadToken(win)).toBe(TOKEN)
    expect(auth.token).toBe(TOKEN)
    expect(store.get(TOKEN_KEY)).toBe(TOKEN)
    expect(win.history.replaceState).toHaveBeenCalledTimes(1)
    const url = win.history.replaceState.mock.calls[0][2]
    expect(url).not.toContain(TOKEN)
    expect(url).toBe('/#/links')
  })

  it('uses the stored token when the address bar has none', () => {
    const { win } = fakeWindow('#/live', TOKEN)
    expect(loadToken(win)).toBe(TOKEN)
    expect(win.history.replaceState).not.toHaveBeenCalled()
  })

  it('has no token on a first visit without a fragment', () => {
    const { win } = fakeWindow('')
    expect(loadToken(win)).toBe(null)
    expect(auth.token).toBe(null)
  })

  it('forgets a refused token and says why', () => {
    setToken(TOKEN)
    expect(sessionStorage.getItem(TOKEN_KEY)).toBe(TOKEN)
    rejectToken()
    expect(auth.token).toBe(null)
    expect(auth.message).toMatch(/did not accept/)
    expect(sessionStorage.getItem(TOKEN_KEY)).toBe(null)
  })
})
