import { reactive } from 'vue'
import { api } from '../api/http.js'
import { readInto } from './read.js'

export const jackStore = reactive({
  info: null,
  ports: [],
  portsLoaded: false,
  error: '',
})

export function outputPorts() {
  return jackStore.ports.filter((p) => p.direction === 'output')
}

export function inputPorts() {
  return jackStore.ports.filter((p) => p.direction === 'input')
}

// Every connection once, from the output side.
export function connections() {
  const pairs = []
  for (const port of outputPorts()) {
    for (const destination of port.connections || []) pairs.push({ source: port.name, destination })
  }
  return pairs
}

export async function loadPorts() {
  if (jackStore.info && jackStore.info.state !== 'running') {
    jackStore.ports = []
    jackStore.portsLoaded = true
    return
  }
  try {
    jackStore.ports = (await api.jackPorts()) || []
    jackStore.error = ''
  } catch (e) {
    jackStore.ports = []
    jackStore.error = e.status === 503 ? '' : e.message
  } finally {
    jackStore.portsLoaded = true
  }
}

export async function loadJack() {
  if (await readInto(jackStore, { key: 'info', loaded: null }, api.jack)) await loadPorts()
}

// The live feed's `jack` message. Ports have no topic of their own: they are read again when
// JACK comes or goes.
export function applyJackFeed(info) {
  const before = jackStore.info?.state
  jackStore.info = info
  if (info?.state !== before) loadPorts()
}

// Throws ApiError (with `field` source or destination when a port is at fault).
export async function connectPorts(source, destination) {
  await api.connect(source, destination)
  await loadPorts()
}

export async function disconnectPorts(source, destination) {
  await api.disconnect(source, destination)
  await loadPorts()
}

// For tests.
export function resetJack() {
  jackStore.info = null
  jackStore.ports = []
  jackStore.portsLoaded = false
  jackStore.error = ''
}
