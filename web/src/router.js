// Hash routing between the views: #/links, #/live, #/clients, #/jack, #/lab. The Live view also
// takes a link to show first, #/live/l3, and the Clients view a hub server link, #/clients/l2.
import { reactive } from 'vue'

export const ROUTES = [
  { name: 'links', label: 'Links' },
  { name: 'live', label: 'Live' },
  { name: 'clients', label: 'Clients' },
  { name: 'jack', label: 'JACK' },
  { name: 'lab', label: 'Lab' },
]

export const route = reactive({ name: 'links', param: null })

const HASH = /^#\/([a-z]+)(?:\/([^/?&#]+))?/

export function routeFromHash(hash) {
  const m = HASH.exec(hash || '')
  return m && ROUTES.some((r) => r.name === m[1]) ? m[1] : 'links'
}

// "#/live/l3": "l3"; null when the hash names no view or nothing after it.
export function paramFromHash(hash) {
  const m = HASH.exec(hash || '')
  if (!m || !m[2] || routeFromHash(hash) !== m[1]) return null
  try {
    return decodeURIComponent(m[2])
  } catch {
    return m[2]
  }
}

export function startRouter(win = window) {
  const update = () => {
    route.name = routeFromHash(win.location.hash)
    route.param = paramFromHash(win.location.hash)
  }
  update()
  win.addEventListener('hashchange', update)
  return () => win.removeEventListener('hashchange', update)
}
