// Set-up shared by the view specs: a fresh page with its stores emptied, and the live feed on a
// fake socket.
import { vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { setToken } from '../stores/auth.js'
import { resetEnsembles } from '../stores/ensembles.js'
import { resetLab } from '../stores/lab.js'
import { resetLinkTests } from '../stores/linktests.js'
import { linksStore } from '../stores/links.js'
import { liveClient, resetLive } from '../stores/live.js'
import { resetPairs } from '../stores/pairs.js'
import { route } from '../router.js'
import { FakeWebSocket, LINK_OPTIONS } from './fakes.js'
import { SSH_HOSTS } from './lab.js'

// Before a Live or Clients view spec: a token, no feed yet, sockets faked, and these links listed.
export function feedViewBefore(links) {
  setToken('t'.repeat(32))
  resetLive()
  FakeWebSocket.reset()
  vi.stubGlobal('WebSocket', FakeWebSocket)
  linksStore.loaded = true
  linksStore.list = links
}

export function feedViewAfter() {
  resetLive()
  route.param = null
}

// Starts the page's feed and lets the agent say hello: the socket, to read what the page sent.
export function openFeed() {
  liveClient().start()
  const ws = FakeWebSocket.last()
  ws.open()
  ws.receive({ type: 'hello', version: '0.1.0', rateHz: 25 })
  return ws
}

// Before a Lab view spec: fake timers (the page polls), a token, and every store emptied.
export function labViewBefore() {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] })
  setToken('t'.repeat(32))
  labViewAfter()
  linksStore.list = []
  linksStore.loaded = false
  linksStore.options = null
  linksStore.counterInfo = {}
}

export function labViewAfter() {
  resetLab()
  resetLinkTests()
  resetPairs()
  resetEnsembles()
  resetLive()
}

// The routes every mount of the Lab view asks for, with these peers; a test adds or replaces the
// ones it is about.
export function labRoutes(peers, extra = {}) {
  return {
    'GET /api/lab/peers': [200, peers],
    'GET /api/lab/ssh-config': [200, SSH_HOSTS],
    'GET /api/link-options': [200, LINK_OPTIONS],
    'GET /api/lab/pairs': [200, []],
    'GET /api/lab/ensembles': [200, []],
    'GET /api/links': [200, []],
    ...extra,
  }
}

// A peer's card on the Lab view.
export function peerCard(w, name) {
  return w.get(`[data-test="peer-row"][data-peer="${name}"]`)
}

// Clicks the element with this data-test, and waits for what the click starts.
export async function clickOn(w, test) {
  await w.get(`[data-test="${test}"]`).trigger('click')
  await flushPromises()
}

// Mounts a view and waits for the requests it makes on mount to be answered.
export async function mountView(view, options) {
  const w = mount(view, options)
  await flushPromises()
  return w
}
