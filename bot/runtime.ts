import type { i18n } from 'i18next'
import type { ChannelHealth } from '../app/http/health.ts'
import { hotPathOf, type Db } from '../app/db/open.ts'
import type { Logger } from '../app/logger.ts'
import type { FlowRegistry } from '../flows/engine.ts'
import type { ChannelAdapter } from './channels/channel-adapter.ts'
import { WebAdapter } from './channels/web/web-adapter.ts'
import { OutboxDispatcher, type DispatcherOptions } from './outbox/dispatcher.ts'
import { Pipeline, type Loader } from './pipeline/pipeline.ts'
import { GroupCommitter } from './pipeline/group-commit.ts'
import { programmeLoaders } from './loaders/index.ts'
import { BroadcastScheduler } from './broadcasts/scheduler.ts'
import {
  DispatcherLeadership,
  openPgLockSession,
  type ChannelAccount,
} from './outbox/dispatcher-leader.ts'
import { RetentionJob } from './retention/retention-job.ts'

export type RuntimeOptions = {
  db: Db
  provider: 'sqlite' | 'postgresql'
  registry: FlowRegistry
  i18n: i18n
  logger: Logger
  loaders?: Record<string, Loader>
  now?: () => Date
  sessionIdleMs?: number
  defaultLocale?: string
  pollMs?: number
  maxAttempts?: number
  /** Extra channel adapters (Telegram, WhatsApp) besides the always-present web channel. */
  adapters?: ChannelAdapter[]
  /** How often to look for messages stored but never handled (after a crash). */
  resumeEveryMs?: number
  /** Each channel's pace for broadcast rows (BROADCAST_RATE_* settings). */
  broadcastRates?: DispatcherOptions['broadcastRates']
  /**
   * PostgreSQL only: the database URL for the dispatcher's lock connection. With it, each
   * platform channel account is dispatched by one process at a time (DispatcherLeadership).
   */
  databaseUrl?: string
  /** Each platform channel's account (the Telegram bot id, the WhatsApp account name). */
  channelAccounts?: Partial<Record<string, string>>
  /** How often a process that does not dispatch an account tries to take over (ms). */
  leaderRetryMs?: number
  /** Message bodies and attachments older than this many days are deleted daily; 0 keeps all. */
  retentionDays?: number
  /** The file of an attachment key, for the retention job (AttachmentStore.pathOf). */
  attachmentPath?: (ref: string) => string
}

/** The bot's moving parts wired together: the pipeline, the web channel and the dispatcher. */
export class Runtime {
  readonly web = new WebAdapter()
  readonly pipeline: Pipeline
  readonly dispatcher: OutboxDispatcher
  readonly broadcasts: BroadcastScheduler
  /** Which channel accounts this process dispatches (PostgreSQL with several processes). */
  readonly leadership: DispatcherLeadership | undefined
  readonly retention: RetentionJob | undefined
  private readonly adapters: ChannelAdapter[]
  private resumeTimer: NodeJS.Timeout | undefined

  constructor(private readonly opts: RuntimeOptions) {
    this.adapters = [this.web, ...(opts.adapters ?? [])]
    const committer = new GroupCommitter(hotPathOf(opts.db))
    const databaseUrl = opts.databaseUrl
    if (opts.provider === 'postgresql' && databaseUrl) {
      // The web channel has no platform account to pace: every process sends its own rows.
      const accounts: ChannelAccount[] = this.adapters
        .filter((a) => a.channel !== 'web')
        .map((a) => ({ channel: a.channel, account: opts.channelAccounts?.[a.channel] ?? '' }))
      this.leadership = new DispatcherLeadership({
        accounts,
        openSession: () => openPgLockSession(databaseUrl),
        logger: opts.logger,
        retryMs: opts.leaderRetryMs,
        onAcquired: () => this.dispatcher.wake(),
      })
    }
    const leadership = this.leadership
    if (opts.retentionDays)
      this.retention = new RetentionJob({
        db: opts.db,
        days: opts.retentionDays,
        logger: opts.logger,
        now: opts.now,
        attachmentPath: opts.attachmentPath,
      })
    this.dispatcher = new OutboxDispatcher({
      db: opts.db,
      provider: opts.provider,
      adapters: leadership ? this.adapters.map((a) => leadership.gate(a)) : this.adapters,
      logger: opts.logger,
      now: opts.now,
      pollMs: opts.pollMs,
      maxAttempts: opts.maxAttempts,
      broadcastRates: opts.broadcastRates,
      committer,
    })
    this.pipeline = new Pipeline({
      db: opts.db,
      provider: opts.provider,
      registry: opts.registry,
      i18n: opts.i18n,
      logger: opts.logger,
      loaders: { ...programmeLoaders, ...opts.loaders },
      now: opts.now,
      sessionIdleMs: opts.sessionIdleMs,
      defaultLocale: opts.defaultLocale,
      committer,
      onCommitted: () => this.dispatcher.wake(),
    })
    this.broadcasts = new BroadcastScheduler({
      db: opts.db,
      i18n: opts.i18n,
      logger: opts.logger,
      now: opts.now,
      onEnqueued: () => this.dispatcher.wake(),
    })
  }

  /** Starts sending, and answers what a previous run stored but never answered. */
  async start(): Promise<void> {
    await this.leadership?.start()
    this.dispatcher.start()
    this.retention?.start()
    this.broadcasts.start()
    const resumed = await this.pipeline.resumeUnhandled(0)
    if (resumed > 0) this.opts.logger.info({ resumed }, 'pipeline: resuming unanswered messages')
    const every = this.opts.resumeEveryMs ?? 15_000
    this.resumeTimer = setInterval(() => {
      this.pipeline.resumeUnhandled(every * 2).catch((error: unknown) => {
        this.opts.logger.error({ err: error }, 'pipeline: resume sweep failed')
      })
    }, every)
    this.resumeTimer.unref()
  }

  /** Graceful stop: no new messages, finish those in hand, then stop sending. */
  async stop(): Promise<void> {
    clearInterval(this.resumeTimer)
    await this.retention?.stop()
    await this.broadcasts.stop()
    await this.pipeline.close()
    await this.dispatcher.stop()
    await this.leadership?.stop()
  }

  channelHealth(): Record<string, ChannelHealth> {
    return Object.fromEntries(this.adapters.map((a) => [a.channel, a.health()]))
  }
}
