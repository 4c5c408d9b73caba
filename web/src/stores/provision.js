// Provisioning peers with the lab's Ansible playbook, run by the agent (docs/agent-api.md,
// "Provisioning a peer"). A job's lines come over the feed's provisions topic, in batches that say
// where they start; the job read over HTTP is the whole truth and replaces what the feed brought.
import { reactive } from 'vue'
import { api } from '../api/http.js'

// As many as the agent keeps per job.
export const LINES_KEPT = 500

export const provisionStore = reactive({
  // id -> { id, peer, check, state, startedAt, endedAt, task, tasksStarted, tasksTotal, exit, recap,
  // error, firstLine, lines }
  jobs: {},
  // peer name -> the id of its newest job
  latest: {},
  // peer name -> true while the start is asked for
  starting: {},
  // peer name -> the ApiError of the last start refused
  refused: {},
})

function idNumber(id) {
  return Number(String(id).replace(/\D/g, '')) || 0
}

function noteLatest(job) {
  const now = provisionStore.latest[job.peer]
  if (!now || idNumber(job.id) >= idNumber(now)) provisionStore.latest[job.peer] = job.id
}

function keep(job) {
  const lines = job.lines || []
  const firstLine = typeof job.firstLine === 'number' ? job.firstLine : 0
  const drop = Math.max(0, lines.length - LINES_KEPT)
  provisionStore.jobs[job.id] = { ...job, lines: lines.slice(drop), firstLine: firstLine + drop }
  noteLatest(job)
}

// The newest job of a peer, or null.
export function provisionOf(peer) {
  const id = provisionStore.latest[peer]
  return (id && provisionStore.jobs[id]) || null
}

// 0..1 once the number of tasks is known, else null (an indeterminate progress bar).
export function provisionProgress(job) {
  if (!job) return null
  if (job.state !== 'running') return 1
  if (!(job.tasksTotal > 0)) return null
  return Math.min(job.tasksStarted || 0, job.tasksTotal) / job.tasksTotal
}

// A feed message of type provision: the job's state, and lines numbered from `from`. Lines it had
// already are skipped; lines the agent dropped before this page saw them are simply missing.
export function applyProvisionFeed(msg) {
  if (!msg || typeof msg.id !== 'string' || typeof msg.peer !== 'string') return
  const { type, from, lines: incoming = [], ...state } = msg
  const job = provisionStore.jobs[msg.id]
  if (!job) {
    keep({ ...state, firstLine: from ?? 0, lines: [...incoming] })
    return
  }
  const end = job.firstLine + job.lines.length
  const start = typeof from === 'number' ? from : end
  let lines = job.lines
  let firstLine = job.firstLine
  if (start > end) {
    // Older lines went while this page was away: start over from what came.
    lines = [...incoming]
    firstLine = start
  } else {
    lines = lines.concat(incoming.slice(end - start))
  }
  keep({ ...job, ...state, firstLine, lines })
  if (job.state === 'running' && state.state && state.state !== 'running') refreshProvision(msg.id)
}

// POST /api/lab/peers/{name}/provision. { ok: true, job } or { ok: false, error }; a refusal
// (host key not trusted, one runs already, no ansible-playbook here) is kept for the peer's card.
export async function startProvision(peer, { check = false } = {}) {
  provisionStore.starting[peer] = true
  delete provisionStore.refused[peer]
  try {
    const job = await api.provision(peer, { check: !!check })
    if (job?.id) keep(job)
    return { ok: true, job }
  } catch (e) {
    provisionStore.refused[peer] = e
    return { ok: false, error: e }
  } finally {
    delete provisionStore.starting[peer]
  }
}

// GET /api/lab/provisions: the jobs the agent keeps, after a reload say.
export async function loadProvisions() {
  try {
    for (const job of (await api.provisions()) || []) keep(job)
    return true
  } catch {
    return false
  }
}

// GET /api/lab/provisions/{id}, once the feed says a job ended: its lines and recap as kept.
export async function refreshProvision(id) {
  try {
    const job = await api.provisionJob(id)
    if (job?.id) keep(job)
  } catch {
    // the feed's copy stays
  }
}

export function dismissRefusal(peer) {
  delete provisionStore.refused[peer]
}

// For tests.
export function resetProvision() {
  provisionStore.jobs = {}
  provisionStore.latest = {}
  provisionStore.starting = {}
  provisionStore.refused = {}
}
