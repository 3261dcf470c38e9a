/**
 * Paces sends to `perSecond` on average with bursts of at most `burst`. `take()` resolves when
 * a token is free. The clock and sleep are injectable so tests do not wait.
 */
export class TokenBucket {
  private tokens: number
  private last: number

  constructor(
    private readonly perSecond: number,
    private readonly burst = Math.max(1, Math.ceil(perSecond)),
    private readonly now: () => number = () => performance.now(),
    private readonly sleep: (ms: number) => Promise<void> = (ms) =>
      new Promise((r) => setTimeout(r, ms)),
  ) {
    this.tokens = burst
    this.last = now()
  }

  /**
   * Takes up to `max` whole tokens that are free right now, without waiting; returns how many.
   * The dispatcher claims only that many paced rows, so none sits claimed in memory waiting
   * for its turn (its lease would run out, and replies would queue behind it).
   */
  tryTake(max: number): number {
    if (!Number.isFinite(this.perSecond)) return max
    this.refill()
    const n = Math.max(0, Math.min(max, Math.floor(this.tokens)))
    this.tokens -= n
    return n
  }

  /** Gives back tokens taken with tryTake but not used (fewer rows were due). */
  refund(n: number): void {
    if (Number.isFinite(this.perSecond)) this.tokens = Math.min(this.burst, this.tokens + n)
  }

  /** Pushes the next free token `ms` later: a random pause between sends (jitter). */
  postpone(ms: number): void {
    if (Number.isFinite(this.perSecond)) this.tokens -= (ms / 1000) * this.perSecond
  }

  private refill(): void {
    const t = this.now()
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.perSecond)
    this.last = t
  }

  async take(): Promise<void> {
    if (!Number.isFinite(this.perSecond)) return
    for (;;) {
      this.refill()
      if (this.tokens >= 1) {
        this.tokens -= 1
        return
      }
      await this.sleep(Math.ceil(((1 - this.tokens) / this.perSecond) * 1000))
    }
  }
}
