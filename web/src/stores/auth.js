import { reactive } from 'vue'

// The token the agent printed. It lives in sessionStorage only: it goes with the tab.
export const TOKEN_KEY = 'jamwire.token'

export const REJECTED_MESSAGE =
  'The agent did not accept this token (401). Open the URL that jamwire agent printed, ' +
  'or copy the token again from its token file.'

export const auth = reactive({
  token: null,
  // Why the token prompt is showing, when it is not the first visit.
  message: '',
})

function storage(win) {
  try {
    return win.sessionStorage
  } catch {
    return null
  }
}

// "#token=ABC", "#token=ABC&x=1" or "#/links&token=ABC": the token, or null.
export function tokenFromHash(hash) {
  const body = (hash || '').replace(/^#/, '')
  for (const part of body.split(/[&?]/)) {
    const m = /^\/?token=(.*)$/.exec(part)
    if (m) {
      try {
        return decodeURIComponent(m[1]).trim() || null
      } catch {
        return m[1].trim() || null
      }
    }
  }
  return null
}

// A token typed or pasted into the prompt: the token itself, or the whole URL the agent printed.
export function tokenFromInput(text) {
  const value = (text || '').trim()
  const hashAt = value.indexOf('#')
  if (hashAt >= 0) {
    const fromUrl = tokenFromHash(value.slice(hashAt))
    if (fromUrl) return fromUrl
  }
  return value.replace(/^token=/, '')
}

// Reads the token at start-up. A token in the address bar wins over a stored one (it is what the
// agent printed most recently) and is removed from the address bar at once.
export function loadToken(win = window) {
  const store = storage(win)
  let token = null
  try {
    token = store?.getItem(TOKEN_KEY) || null
  } catch {
    token = null
  }
  const fromHash = tokenFromHash(win.location.hash)
  if (fromHash) {
    token = fromHash
    try {
      store?.setItem(TOKEN_KEY, token)
    } catch {
      // A browser that refuses storage keeps the token for this page only.
    }
    const { pathname, search } = win.location
    win.history.replaceState(win.history.state, '', pathname + search + '#/links')
  }
  auth.token = token
  auth.message = ''
  return token
}

export function setToken(token, win = window) {
  auth.token = token
  auth.message = ''
  try {
    storage(win)?.setItem(TOKEN_KEY, token)
  } catch {
    // as above
  }
}

// The agent answered 401 (or closed the live feed with 4401): forget the token and ask again.
export function rejectToken(message = REJECTED_MESSAGE, win = window) {
  auth.token = null
  auth.message = message
  try {
    storage(win)?.removeItem(TOKEN_KEY)
  } catch {
    // as above
  }
}
