// Hash routing between the three views: #/links, #/live, #/jack.
import { reactive } from 'vue'

export const ROUTES = [
  { name: 'links', label: 'Links' },
  { name: 'live', label: 'Live' },
  { name: 'jack', label: 'JACK' },
]

export const route = reactive({ name: 'links' })

export function routeFromHash(hash) {
  const m = /^#\/([a-z]+)/.exec(hash || '')
  return m && ROUTES.some((r) => r.name === m[1]) ? m[1] : 'links'
}

export function startRouter(win = window) {
  const update = () => {
    route.name = routeFromHash(win.location.hash)
  }
  update()
  win.addEventListener('hashchange', update)
  return () => win.removeEventListener('hashchange', update)
}
