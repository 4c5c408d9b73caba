// The agent's REST API (docs/agent-api.md). Every call carries the token; a 401 sends the user
// back to the token prompt.
import { auth, rejectToken } from '../stores/auth.js'

export class ApiError extends Error {
  constructor(status, body) {
    const message =
      (body && typeof body.message === 'string' && body.message) ||
      (status ? `The agent answered ${status}.` : 'The agent did not answer.')
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.error = body?.error ?? null
    this.field = body?.field ?? null
    this.rule = body?.rule ?? null
    // ssh failures (502): connect_timeout, auth_failed, ...; host-key refusals (409): the key shown
    this.kind = body?.kind ?? null
    this.fingerprint = body?.fingerprint ?? null
    // the lab peer at fault, when a request involves two
    this.peer = typeof body?.peer === 'string' ? body.peer : null
  }
}

async function request(method, path, body, { token = auth.token, onUnauthorized = true } = {}) {
  const headers = { Accept: 'application/json' }
  if (token) headers.Authorization = `Bearer ${token}`
  const init = { method, headers, cache: 'no-store' }
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json'
    init.body = JSON.stringify(body)
  }
  let res
  try {
    res = await fetch(path, init)
  } catch (e) {
    throw new ApiError(0, {
      error: 'network',
      message: `Could not reach the agent (${e?.message || e}). Is it still running?`,
    })
  }
  const text = res.status === 204 ? '' : await res.text()
  let data = null
  if (text) {
    try {
      data = JSON.parse(text)
    } catch {
      data = null
    }
  }
  if (!res.ok) {
    if (res.status === 401 && onUnauthorized) rejectToken()
    throw new ApiError(res.status, data)
  }
  return data
}

const q = encodeURIComponent

export const api = {
  request,
  health: () => request('GET', '/api/health'),
  // Checks a token before it is kept: a 401 here is the prompt's own message, not a redirect.
  verifyToken: (token) => request('GET', '/api/version', undefined, { token, onUnauthorized: false }),
  jack: () => request('GET', '/api/jack'),
  jackPorts: () => request('GET', '/api/jack/ports'),
  connect: (source, destination) => request('POST', '/api/jack/connections', { source, destination }),
  disconnect: (source, destination) =>
    request('DELETE', `/api/jack/connections?source=${q(source)}&destination=${q(destination)}`),
  linkOptions: () => request('GET', '/api/link-options'),
  counterInfo: () => request('GET', '/api/counters'),
  checkLink: (link) => request('POST', '/api/links/check', link),
  startLink: (link) => request('POST', '/api/links', link),
  links: () => request('GET', '/api/links'),
  link: (id) => request('GET', `/api/links/${q(id)}`),
  stopLink: (id) => request('DELETE', `/api/links/${q(id)}`),
  linkCounters: (id) => request('GET', `/api/links/${q(id)}/counters`),
  // Lab: peers reached over ssh
  peers: () => request('GET', '/api/lab/peers'),
  sshConfig: () => request('GET', '/api/lab/ssh-config'),
  importInventory: (path) => request('POST', '/api/lab/inventory', { path }),
  addPeer: (peer) => request('POST', '/api/lab/peers', peer),
  removePeer: (name) => request('DELETE', `/api/lab/peers/${q(name)}`),
  probePeer: (name) => request('POST', `/api/lab/peers/${q(name)}/probe`),
  trustPeer: (name, fingerprint) => request('POST', `/api/lab/peers/${q(name)}/trust`, { fingerprint }),
  matchJack: (name, settings = {}) => request('POST', `/api/lab/peers/${q(name)}/match-jack`, settings),
  startAgent: (name) => request('POST', `/api/lab/peers/${q(name)}/agent`),
  linkTest: (name, body = {}) => request('POST', `/api/lab/peers/${q(name)}/linktest`, body),
  linkTests: (name) => request('GET', `/api/lab/peers/${q(name)}/linktests`),
  preflight: (body) => request('POST', '/api/lab/preflight', body),
  startPair: (body) => request('POST', '/api/lab/pairs', body),
  pairs: () => request('GET', '/api/lab/pairs'),
  pair: (id) => request('GET', `/api/lab/pairs/${q(id)}`),
  stopPair: (id) => request('DELETE', `/api/lab/pairs/${q(id)}`),
  measureLatency: (id) => request('POST', `/api/lab/pairs/${q(id)}/latency`),
  // Ensembles: a hub on one peer and members on others, saved and started as one job
  ensembles: () => request('GET', '/api/lab/ensembles'),
  ensemble: (name) => request('GET', `/api/lab/ensembles/${q(name)}`),
  saveEnsemble: (body) => request('POST', '/api/lab/ensembles', body),
  startEnsemble: (name) => request('POST', `/api/lab/ensembles/${q(name)}/start`),
  stopEnsemble: (name) => request('POST', `/api/lab/ensembles/${q(name)}/stop`),
  removeEnsemble: (name) => request('DELETE', `/api/lab/ensembles/${q(name)}`),
  measureMemberLatency: (name, member) => request('POST', `/api/lab/ensembles/${q(name)}/latency`, { member }),
  // Provisioning a peer with the lab's Ansible playbook
  provision: (name, body = {}) => request('POST', `/api/lab/peers/${q(name)}/provision`, body),
  provisions: () => request('GET', '/api/lab/provisions'),
  provisionJob: (id) => request('GET', `/api/lab/provisions/${q(id)}`),
}
