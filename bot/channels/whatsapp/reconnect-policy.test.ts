import { describe, expect, it } from 'vitest'
import { backoffDelayMs, decideReconnect } from './reconnect-policy.ts'

const top = () => 0.999_999
const bottom = () => 0

describe('decideReconnect', () => {
  it.each([
    [401, { kind: 'repair', delayMs: 0, reason: 'logged_out' }],
    [515, { kind: 'reconnect', delayMs: 0, reason: 'restart_required' }],
    [440, { kind: 'stop', reason: 'connection_replaced' }],
    [403, { kind: 'stop', reason: 'forbidden' }],
  ])('maps %i on the first close to %o', (code, action) => {
    expect(decideReconnect(code, 0, top)).toEqual(action)
  })

  it.each([
    [408, 'connection_lost'],
    [428, 'connection_closed'],
    [500, 'bad_session'],
    [503, 'service_unavailable'],
    [499, 'unknown'],
    [undefined, 'unknown'],
  ])('backs off on %s (%s)', (code, reason) => {
    const action = decideReconnect(code, 0, top)
    expect(action).toMatchObject({ kind: 'reconnect', reason })
    expect(action.kind === 'reconnect' && action.delayMs).toBeGreaterThanOrEqual(1_000)
  })

  it('grows the delay with each attempt and caps it at five minutes', () => {
    const delays = [0, 1, 2, 3, 4, 5, 6, 7, 8, 20].map((n) => {
      const a = decideReconnect(503, n, top)
      return a.kind === 'reconnect' ? a.delayMs : -1
    })
    expect(delays).toEqual([
      2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 128_000, 256_000, 300_000, 300_000,
    ])
  })

  it('never draws a delay below half the ceiling, so reconnects cannot spin', () => {
    expect(backoffDelayMs(0, bottom)).toBe(1_000)
    expect(backoffDelayMs(10, bottom)).toBe(150_000)
  })

  it('slows down a restart or a re-pairing that keeps failing', () => {
    expect(decideReconnect(515, 2, top)).toMatchObject({ delayMs: 0 })
    expect(decideReconnect(515, 3, top)).toMatchObject({ delayMs: 16_000 })
    expect(decideReconnect(401, 1, top)).toMatchObject({ kind: 'repair', delayMs: 4_000 })
  })
})
