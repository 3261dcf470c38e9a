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

  async take(): Promise<void> {
    if (!Number.isFinite(this.perSecond)) return
    for (;;) {
      const t = this.now()
      this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.perSecond)
      this.last = t
      if (this.tokens >= 1) {
        this.tokens -= 1
        return
      }
      await this.sleep(Math.ceil(((1 - this.tokens) / this.perSecond) * 1000))
    }
  }
}
