export type PacerClock = {
  now: () => number
  sleep: (ms: number) => Promise<void>
  random: () => number
}

export const realClock: PacerClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
}

/**
 * Keeps at least `minIntervalMs` (plus a random jitter) between two messages to the same chat:
 * faster than about one a second to a chat WhatsApp answers with rate-overlimit and, repeated,
 * a ban (DESIGN.md). The jitter also keeps the overall rhythm from looking machine-made.
 * Turns are reserved before sleeping, so concurrent sends to one chat queue up.
 */
export class ChatPacer {
  private readonly nextAt = new Map<string, number>()

  constructor(
    private readonly minIntervalMs: number,
    private readonly jitterMs: number,
    private readonly clock: PacerClock = realClock,
  ) {}

  /** Waits for this chat's turn; resolves with whether the chat had been quiet before. */
  async waitTurn(chat: string): Promise<{ quiet: boolean }> {
    const now = this.clock.now()
    const earliest = this.nextAt.get(chat)
    const quiet = earliest === undefined || earliest + this.minIntervalMs * 3 < now
    const at = Math.max(now, earliest ?? now) + Math.round(this.clock.random() * this.jitterMs)
    this.nextAt.set(chat, at + this.minIntervalMs)
    if (this.nextAt.size > 10_000) this.forgetQuietChats(now)
    if (at > now) await this.clock.sleep(at - now)
    return { quiet }
  }

  /** Records that a message to `chat` just went out: its next one waits from now. */
  markSent(chat: string): void {
    const after = this.clock.now() + this.minIntervalMs
    this.nextAt.set(chat, Math.max(after, this.nextAt.get(chat) ?? 0))
  }

  private forgetQuietChats(now: number): void {
    for (const [chat, at] of this.nextAt) if (at < now) this.nextAt.delete(chat)
  }
}
