import type { i18n } from 'i18next'
import type { Db } from '../../app/db/open.ts'
import type { Logger } from '../../app/logger.ts'
import { finishIfDone, materialise } from './broadcasts.ts'
import { cancelStaleCaseFollowUps } from './case-follow-up.ts'

export type BroadcastSchedulerOptions = {
  db: Db
  i18n: i18n
  logger: Logger
  now?: () => Date
  intervalMs?: number
  batchSize?: number
  /** Called after rows were written (the runtime wakes the outbox dispatcher). */
  onEnqueued?: () => void
}

/**
 * Starts due broadcasts and follows them to the end: a scheduled broadcast whose time has come
 * becomes `sending`; a sending one is materialised (resuming after a crash) and marked `done`
 * once no row of it waits. Sending itself is the outbox dispatcher's job.
 */
export class BroadcastScheduler {
  private readonly now: () => Date
  private timer: NodeJS.Timeout | undefined
  private running: Promise<void> | undefined

  constructor(private readonly opts: BroadcastSchedulerOptions) {
    this.now = opts.now ?? (() => new Date())
  }

  start(): void {
    if (this.timer) return
    this.timer = setInterval(() => {
      void this.tickSafely()
    }, this.opts.intervalMs ?? 5_000)
    this.timer.unref()
    void this.tickSafely()
  }

  async stop(): Promise<void> {
    clearInterval(this.timer)
    this.timer = undefined
    await this.running
  }

  private async tickSafely(): Promise<void> {
    if (this.running) return
    this.running = this.tick()
      .then(() => undefined)
      .catch((error: unknown) => {
        this.opts.logger.error({ err: error }, 'broadcasts: scheduler tick failed')
      })
      .finally(() => {
        this.running = undefined
      })
    await this.running
  }

  /** One pass; returns the ids of broadcasts it started. */
  async tick(): Promise<string[]> {
    const { db } = this.opts
    const now = this.now()
    // scheduled reminders whose reason is gone never go out
    await cancelStaleCaseFollowUps(db)
    const due = await db.broadcast.findMany({
      where: { status: 'scheduled', scheduledAt: { lte: now } },
      select: { id: true },
    })
    const started: string[] = []
    for (const { id } of due) {
      const r = await db.broadcast.updateMany({
        where: { id, status: 'scheduled' },
        data: { status: 'sending' },
      })
      if (r.count === 1) started.push(id)
    }
    const sending = await db.broadcast.findMany({
      where: { status: 'sending' },
      select: { id: true },
    })
    for (const { id } of sending) {
      const { created } = await materialise(db, this.opts.i18n, id, {
        batchSize: this.opts.batchSize,
        now: this.now,
      })
      if (created > 0) {
        this.opts.logger.info({ broadcastId: id, created }, 'broadcasts: rows queued')
        this.opts.onEnqueued?.()
      }
      if (await finishIfDone(db, id, this.now())) {
        this.opts.logger.info({ broadcastId: id }, 'broadcasts: done')
      }
    }
    return started
  }
}
