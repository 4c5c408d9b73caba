import { reactive } from 'vue'
import { api } from '../api/http.js'
import { readInto } from './read.js'

export const RUNNING_STATES = ['waiting', 'connected', 'audio_lost']

export function isRunning(link) {
  return RUNNING_STATES.includes(link?.state)
}

export const linksStore = reactive({
  list: [],
  loaded: false,
  error: '',
  options: null,
  optionsError: '',
  counterInfo: {},
})

// Uptime goes on between updates: each link remembers when it was received.
function stamped(link, now = Date.now()) {
  return { ...link, receivedAt: now }
}

export function uptimeOf(link, now = Date.now()) {
  const base = Number(link?.uptimeSeconds) || 0
  if (!isRunning(link) || !link.receivedAt) return base
  return base + Math.max(0, now - link.receivedAt) / 1000
}

export function loadLinks() {
  return readInto(linksStore, { key: 'list' }, async () => ((await api.links()) || []).map((l) => stamped(l)))
}

// The live feed's list lacks counters and events: keep what an earlier REST answer brought.
export function applyLinksFeed(list) {
  const byId = new Map(linksStore.list.map((l) => [l.id, l]))
  linksStore.list = (list || []).map((l) => stamped({ ...(byId.get(l.id) || {}), ...l }))
  linksStore.loaded = true
  linksStore.error = ''
}

function upsert(link) {
  const i = linksStore.list.findIndex((l) => l.id === link.id)
  if (i >= 0) linksStore.list.splice(i, 1, stamped(link))
  else linksStore.list.push(stamped(link))
}

export function loadOptions() {
  return readInto(linksStore, { key: 'options', error: 'optionsError', loaded: null }, api.linkOptions)
}

export async function loadCounterInfo() {
  try {
    const list = await api.counterInfo()
    linksStore.counterInfo = Object.fromEntries((list || []).map((c) => [c.label, c.meaning]))
  } catch {
    // Only the counters' explanations are missing then.
  }
}

// Link options from a form's values: flags are sent only when set, other options only when given.
export function linkOptions(values) {
  const options = {}
  for (const [key, value] of Object.entries(values || {})) {
    if (value === true) options[key] = true
    else if (typeof value === 'string' && value.trim() !== '') options[key] = value.trim()
    else if (typeof value === 'number' && Number.isFinite(value)) options[key] = String(value)
  }
  return options
}

// The body of POST /api/links and /api/links/check from the form's values.
// Only the options the mode takes are sent (keys: the shown options' keys, when given).
export function linkRequest({ mode, host, values, keys = null }) {
  const body = { mode }
  if (mode === 'client' || mode === 'hubclient') body.host = (host || '').trim()
  const given = keys ? Object.fromEntries(Object.entries(values || {}).filter(([k]) => keys.includes(k))) : values
  body.options = linkOptions(given)
  return body
}

// Whether an option (GET /api/link-options) is taken in a mode; options without modes are taken in all.
export function optionInMode(option, mode) {
  return !Array.isArray(option?.modes) || option.modes.includes(mode)
}

export const MODES = [
  { value: 'server', label: 'Server: wait for a client', short: 'server' },
  { value: 'client', label: 'Client: connect to a server', short: 'client' },
  { value: 'hubserver', label: 'Hub server: clients connect here (-S)', short: 'hub server' },
  { value: 'hubclient', label: 'Hub client: connect to a hub (-C)', short: 'hub client' },
]

// { ok: true, commandLine, warnings } or { ok: false, error: ApiError }
export async function checkLink(body) {
  try {
    const r = await api.checkLink(body)
    return { ok: true, commandLine: r?.commandLine ?? '', warnings: r?.warnings ?? [] }
  } catch (e) {
    return { ok: false, error: e }
  }
}

export async function startLink(body) {
  const link = await api.startLink(body)
  if (link?.id) upsert(link)
  return link
}

export async function stopLink(id) {
  const link = await api.stopLink(id)
  if (link?.id) upsert(link)
  return link
}
