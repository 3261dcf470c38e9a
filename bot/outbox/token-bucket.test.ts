import { describe, expect, it } from 'vitest'
import { TokenBucket } from './token-bucket.ts'

/** A bucket on a simulated clock: sleeping advances time instead of waiting. */
function simulated(perSecond: number, burst?: number) {
  let t = 0
  const bucket = new TokenBucket(
    perSecond,
    burst,
    () => t,
    async (ms) => {
      t += ms
    },
  )
  return { bucket, elapsed: () => t }
}

describe('TokenBucket', () => {
  it('lets a burst through at once, then holds the rate', async () => {
    const { bucket, elapsed } = simulated(10, 5)
    for (let i = 0; i < 5; i++) await bucket.take()
    expect(elapsed()).toBe(0)
    for (let i = 0; i < 50; i++) await bucket.take()
    // 50 more at 10/s take 5 s of simulated time, not less
    expect(elapsed()).toBeGreaterThanOrEqual(5000)
    expect(elapsed()).toBeLessThan(5100)
  })

  it('paces one message a second when asked to', async () => {
    const { bucket, elapsed } = simulated(1, 1)
    for (let i = 0; i < 10; i++) await bucket.take()
    expect(elapsed()).toBeGreaterThanOrEqual(9000)
  })

  it('never waits for an unlimited channel', async () => {
    const { bucket, elapsed } = simulated(Number.POSITIVE_INFINITY)
    for (let i = 0; i < 1000; i++) await bucket.take()
    expect(elapsed()).toBe(0)
  })
})
