export const SILENCE_DB = -120

export function formatUptime(seconds) {
  if (seconds == null || !Number.isFinite(Number(seconds))) return '–'
  let s = Math.floor(Number(seconds))
  const h = Math.floor(s / 3600)
  s -= h * 3600
  const m = Math.floor(s / 60)
  s -= m * 60
  const pad = (n) => String(n).padStart(2, '0')
  if (h > 0) return `${h} h ${pad(m)} min`
  if (m > 0) return `${m} min ${pad(s)} s`
  return `${s} s`
}

export function formatDb(db) {
  if (db == null || !Number.isFinite(Number(db))) return '–'
  if (Number(db) <= SILENCE_DB) return 'silent'
  return `${Number(db).toFixed(1)} dB`
}

export function formatNumber(value, digits = 0) {
  if (value == null || value === '') return '–'
  const n = Number(value)
  if (!Number.isFinite(n)) return String(value)
  return n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits })
}

// A counter's unit, read from its label's ending: level_frames is in frames, queue_ms in ms,
// jitter_us in µs; a label without one (lost, late) counts events.
const UNITS = { frames: 'frames', ms: 'ms', us: 'µs' }

export function counterUnit(label) {
  const m = /_(frames|ms|us)$/.exec(label || '')
  return m ? UNITS[m[1]] : ''
}

// Milliseconds to a tenth; frames, microseconds and counts whole.
export function counterDigits(label) {
  return counterUnit(label) === 'ms' ? 1 : 0
}

// "384 frames", "9.5 ms", "3"; "–" when there is no value yet.
export function formatCounter(label, value) {
  const text = formatNumber(value, counterDigits(label))
  const unit = counterUnit(label)
  return unit && text !== '–' ? `${text} ${unit}` : text
}

// What a role="meter" element tells assistive technology: its name, range, value and the value
// in words.
export function meterAria({ label, min, max, now, text }) {
  return { role: 'meter', 'aria-label': label, 'aria-valuemin': min, 'aria-valuemax': max, 'aria-valuenow': now, 'aria-valuetext': text }
}

export function stateLabel(state) {
  return (state || 'unknown').replace(/_/g, ' ')
}

// The agent's messages quote commands in backticks: [{ text, code }] parts to show them as code.
export function codeParts(message) {
  return String(message ?? '')
    .split('`')
    .map((text, i) => ({ text, code: i % 2 === 1 }))
    .filter((p) => p.text !== '')
}

export function formatTime(iso) {
  if (!iso) return '–'
  const d = new Date(iso)
  return Number.isNaN(d.getTime()) ? String(iso) : d.toLocaleString()
}

// Where a lab job's start is while it goes: "Step 2 of 6: connect to studio-a…", at the step that
// runs, else the next to run.
export function stepProgress(steps) {
  const at = steps.findIndex((s) => s.state === 'RUNNING')
  const i = at >= 0 ? at : steps.findIndex((s) => s.state === 'PENDING')
  return i >= 0 ? `Step ${i + 1} of ${steps.length}: ${steps[i].name}…` : 'Starting…'
}
