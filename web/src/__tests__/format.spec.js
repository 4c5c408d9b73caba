import { describe, expect, it } from 'vitest'
import { counterDigits, counterUnit, formatCounter } from '../format.js'

describe('counter units', () => {
  it('reads the unit from the label’s ending', () => {
    expect(counterUnit('level_frames')).toBe('frames')
    expect(counterUnit('target_frames')).toBe('frames')
    expect(counterUnit('queue_ms')).toBe('ms')
    expect(counterUnit('jitter_us')).toBe('µs')
    expect(counterUnit('lost')).toBe('')
  })

  it('shows milliseconds to a tenth and the rest whole', () => {
    expect(counterDigits('queue_ms')).toBe(1)
    expect(counterDigits('level_frames')).toBe(0)
    expect(formatCounter('queue_ms', 9.46)).toBe('9.5 ms')
    expect(formatCounter('level_frames', 384)).toBe('384 frames')
    expect(formatCounter('lost', 3)).toBe('3')
  })

  it('shows a dash without a unit before the first value', () => {
    expect(formatCounter('level_frames', null)).toBe('–')
  })
})
