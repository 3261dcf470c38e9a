import type { Db } from '../../app/db/open.ts'
import type { Logger } from '../../app/logger.ts'
import { applyRetention } from './retention.ts'

const DAY_MS = 86_400_000

export type RetentionJobOptions = {
  db: Db
  days: number
  logger: Logger
  now?: () => Date
  attachmentPath?: (ref: string) => string
  /** First run this long after start (the start-up's own work goes first). */
  firstRunMs?: number
}

/**
 * Runs the retention rules once a day (and shortly after start). With several processes on
 * PostgreSQL each runs it: the rules are idempotent, so the second finds nothing to do.
 */
export class RetentionJob {
  private timer: NodeJS.Timeout | undefined
  private running: Promise<void> | undefined

  constructor(private readonly opts: RetentionJobOptions) {}

  start(): void {
    const schedule = (ms: number) => {
      this.timer = setTimeout(() => {
        void this.runOnce().finally(() => schedule(DAY_MS))
      }, ms)
      this.timer.unref()
    }
    schedule(this.opts.firstRunMs ?? 60_000)
  }

  /** No further runs; waits for one in progress (the database is closed next). */
  async stop(): Promise<void> {
    clearTimeout(this.timer)
    await this.running
  }

  runOnce(): Promise<void> {
    this.running ??= (async () => {
      const { logger } = this.opts
      try {
        const result = await applyRetention({
          db: this.opts.db,
          days: this.opts.days,
          now: (this.opts.now ?? (() => new Date()))(),
          attachmentPath: this.opts.attachmentPath,
        })
        logger.info({ ...result, days: this.opts.days }, 'retention: old message bodies deleted')
      } catch (error) {
        logger.error({ err: error }, 'retention: run failed; next run tomorrow')
      } finally {
        this.running = undefined
      }
    })()
    return this.running
  }
}
