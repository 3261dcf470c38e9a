import { hotPathOf, type Db } from '../../app/db/open.ts'
import type { HotPath } from '../../app/db/direct-sqlite.ts'
import type { Logger } from '../../app/logger.ts'
import type { ChannelAdapter } from '../channels/channel-adapter.ts'
import { outboxPayloadSchema } from '../messages.ts'
import { retryDelayMs } from './backoff.ts'
import {
  claimDueRows,
  markContactUnreachable,
  markFailed,
  markRetry,
  markSent,
  releaseRow,
  requeueExpiredLeases,
  type ClaimedRow,
} from './outbox-store.ts'
import { TokenBucket } from './token-bucket.ts'
import { GroupCommitter } from '../pipeline/group-commit.ts'

export type DispatcherOptions = {
  db: Db
  provider: 'sqlite' | 'postgresql'
  adapters: ChannelAdapter[]
  logger: Logger
  now?: () => Date
  random?: () => number
  pollMs?: number
  batchSize?: number
  leaseMs?: number
  maxAttempts?: number
  /**
   * Where the row updates go: a group committer lets the marks of rows sent at the same time
   * share one transaction (each is still written right after its own send).
   */
  committer?: GroupCommitter
  /**
   * Each channel's pace for broadcast rows (origin 'broadcast'), on top of the channel's own
   * pace: `perSecond` on average, and on WhatsApp a random pause of up to `jitterMs` after each
   * one so the sends do not come like clockwork. Replies are never held by it: they are claimed
   * first, and a broadcast row is claimed only when its turn has come.
   */
  broadcastRates?: Partial<Record<string, BroadcastRate>>
  /** Called after each row reaches a final state (tests and the terminal chat wait on it). */
  onSettled?: (row: ClaimedRow, status: 'sent' | 'failed' | 'cancelled') => void
}

export type BroadcastRate = { perSecond: number; jitterMs?: number }

/**
 * Sends outbox rows through the channel adapters: claims due rows, sends each woman's rows in
 * order (different women concurrently), paces every channel, retries transient failures with
 * back-off and jitter, and records the outcome on the row.
 */
export class OutboxDispatcher {
  private readonly adapters: Map<string, ChannelAdapter>
  private readonly buckets = new Map<string, TokenBucket>()
  /** Broadcast pacing per channel (only channels with a configured rate). */
  private readonly broadcastBuckets = new Map<string, { bucket: TokenBucket; jitterMs: number }>()
  private readonly now: () => Date
  private readonly random: () => number
  private readonly pollMs: number
  private readonly batchSize: number
  private readonly leaseMs: number
  private readonly maxAttempts: number
  private running = false
  private loop: Promise<void> | undefined
  private wakeUp: (() => void) | undefined
  private pendingWake = false
  private readonly committer: GroupCommitter

  constructor(private readonly opts: DispatcherOptions) {
    this.adapters = new Map(opts.adapters.map((a) => [a.channel, a]))
    this.committer = opts.committer ?? new GroupCommitter(hotPathOf(opts.db))
    for (const a of opts.adapters) this.buckets.set(a.channel, new TokenBucket(a.sendsPerSecond))
    for (const [channel, rate] of Object.entries(opts.broadcastRates ?? {})) {
      if (!rate || !Number.isFinite(rate.perSecond) || rate.perSecond <= 0) continue
      // Room for two poll intervals' worth, so a slow cycle never caps the rate below the
      // limit; but it starts with one token: a broadcast starts at its pace, not with a burst.
      const poll = Math.max(opts.pollMs ?? 250, 250)
      const burst = Math.max(1, Math.ceil((rate.perSecond * 2 * poll) / 1000))
      const bucket = new TokenBucket(rate.perSecond, burst)
      bucket.tryTake(burst - 1)
      this.broadcastBuckets.set(channel, { bucket, jitterMs: rate.jitterMs ?? 0 })
    }
    this.now = opts.now ?? (() => new Date())
    this.random = opts.random ?? Math.random
    this.pollMs = opts.pollMs ?? 250
    this.batchSize = opts.batchSize ?? 100
    this.leaseMs = opts.leaseMs ?? 60_000
    this.maxAttempts = opts.maxAttempts ?? 8
  }

  start(): void {
    if (this.running) return
    this.running = true
    this.loop = this.run()
  }

  /** Stops claiming; rows already claimed finish sending. */
  async stop(): Promise<void> {
    this.running = false
    this.wake()
    await this.loop
  }

  /** Look for due rows now instead of at the next poll (called after a reply is written). */
  wake(): void {
    this.pendingWake = true
    this.wakeUp?.()
  }

  /** Claims and sends one batch; returns how many rows it handled. */
  async dispatchOnce(): Promise<number> {
    const now = this.now()
    const channels = [...this.adapters.values()].filter((a) => a.isReady()).map((a) => a.channel)
    const leaseUntil = new Date(now.getTime() + this.leaseMs)
    const paced = channels.filter((c) => this.broadcastBuckets.has(c))
    const rows = await claimDueRows(this.opts.db, {
      provider: this.opts.provider,
      channels,
      now,
      leaseUntil,
      limit: this.batchSize,
      pacedBroadcastChannels: paced,
    })
    // then, per paced channel, as many broadcast rows as its rate allows right now
    for (const channel of paced) {
      const { bucket, jitterMs } = this.broadcastBuckets.get(channel)!
      const allowed = bucket.tryTake(Math.max(0, this.batchSize - rows.length))
      if (allowed === 0) continue
      const claimed = await claimDueRows(this.opts.db, {
        provider: this.opts.provider,
        channels: [channel],
        now,
        leaseUntil,
        limit: allowed,
        onlyBroadcasts: true,
      })
      bucket.refund(allowed - claimed.length)
      if (jitterMs > 0)
        for (let i = 0; i < claimed.length; i++) bucket.postpone(this.random() * jitterMs)
      rows.push(...claimed)
    }
    const byContact = new Map<string, ClaimedRow[]>()
    for (const row of rows)
      byContact.set(row.contactId, [...(byContact.get(row.contactId) ?? []), row])
    await Promise.all([...byContact.values()].map((list) => this.sendInOrder(list)))
    return rows.length
  }

  private async write(
    build: (
      q: HotPath,
    ) => ReturnType<HotPath['$executeRaw']> | ReturnType<HotPath['$executeRaw']>[],
  ): Promise<void> {
    await this.committer.commit((q) => [build(q)].flat())
  }

  /** Retries a write while the database is away (0.5 + 1 + 2 + 4 + 8 + 8 + 8 s apart). */
  private async persist(write: () => Promise<void>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await write()
      } catch (error) {
        if (attempt >= 8) throw error
        this.opts.logger.warn({ err: error, attempt }, 'outbox: could not record a send; retrying')
        await new Promise((r) => setTimeout(r, Math.min(8_000, 250 * 2 ** attempt)))
      }
    }
  }

  private async run(): Promise<void> {
    await requeueExpiredLeases(this.opts.db, this.now()).catch((error: unknown) =>
      this.opts.logger.error({ err: error }, 'outbox: could not re-queue expired leases'),
    )
    let lastLeaseSweep = Date.now()
    while (this.running) {
      let handled = 0
      this.pendingWake = false
      try {
        handled = await this.dispatchOnce()
        if (Date.now() - lastLeaseSweep > this.leaseMs) {
          await requeueExpiredLeases(this.opts.db, this.now())
          lastLeaseSweep = Date.now()
        }
      } catch (error) {
        // The database may be briefly unavailable: wait for the next poll, lose nothing.
        this.opts.logger.error({ err: error }, 'outbox: dispatch failed; retrying')
      }
      if (handled < this.batchSize && !this.pendingWake && this.running) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.pollMs)
          this.wakeUp = () => {
            clearTimeout(timer)
            resolve()
          }
        })
        this.wakeUp = undefined
      }
    }
  }

  private async sendInOrder(rows: ClaimedRow[]): Promise<void> {
    for (let i = 0; i < rows.length; i++) {
      const outcome = await this.sendRow(rows[i]!)
      if (outcome === 'wait') {
        // Keep her messages in order: the rest wait until the failed one goes out.
        await this.write((q) => rows.slice(i + 1).map((r) => releaseRow(q, r.id)))
        return
      }
      if (outcome === 'stop') return // she is unreachable: her other rows were cancelled
    }
  }

  /**
   * Sends one row. 'next': it reached a final state and her next row may go; 'wait': it will
   * be retried, so her next rows wait; 'stop': she cannot be reached at all.
   */
  private async sendRow(row: ClaimedRow): Promise<'next' | 'wait' | 'stop'> {
    const { db, logger } = this.opts
    const adapter = this.adapters.get(row.channel)
    const parsed = outboxPayloadSchema.safeParse(JSON.parse(row.payload))
    if (!adapter || !parsed.success) {
      const reason = adapter ? 'invalid payload' : 'no such channel'
      await this.write((q) => markFailed(q, row.id, row.attempts + 1, reason))
      this.opts.onSettled?.(row, 'failed')
      return 'next'
    }
    if (!adapter.isReady()) {
      await this.write((q) => releaseRow(q, row.id))
      return 'wait'
    }
    await this.buckets.get(row.channel)!.take()
    let result
    try {
      result = await adapter.send({
        outboxId: row.id,
        contactId: row.contactId,
        channelUserId: row.channelUserId,
        payload: parsed.data,
      })
    } catch (error) {
      result = { ok: false as const, permanent: false, reason: (error as Error).message }
    }
    const attempts = row.attempts + 1
    if (result.ok) {
      const id = result.platformMessageId
      // The platform has it: the mark must land, or the lease expires and it goes out twice.
      await this.persist(() =>
        id === undefined
          ? this.committer.markSent(row.id, this.now())
          : this.write((q) => markSent(q, row.id, this.now(), id)),
      )
      this.opts.onSettled?.(row, 'sent')
      return 'next'
    }
    if (result.unreachable) {
      await this.write((q) => markFailed(q, row.id, attempts, result.reason))
      await markContactUnreachable(db, row.contactId, this.now(), result.reason)
      logger.warn({ outboxId: row.id, channel: row.channel }, 'outbox: contact unreachable')
      this.opts.onSettled?.(row, 'failed')
      return 'stop'
    }
    if (result.permanent || attempts >= this.maxAttempts) {
      await this.write((q) => markFailed(q, row.id, attempts, result.reason))
      logger.warn({ outboxId: row.id, reason: result.reason, attempts }, 'outbox: send failed')
      this.opts.onSettled?.(row, 'failed')
      return 'next'
    }
    const delay = Math.max(result.retryAfterMs ?? 0, retryDelayMs(attempts, this.random))
    await this.write((q) =>
      markRetry(q, row.id, attempts, new Date(this.now().getTime() + delay), result.reason),
    )
    logger.info({ outboxId: row.id, attempts, delayMs: delay }, 'outbox: send will be retried')
    return 'wait'
  }
}
