import type { i18n } from 'i18next'
import type { ChannelHealth } from '../app/http/health.ts'
import type { Db } from '../app/db/open.ts'
import type { Logger } from '../app/logger.ts'
import type { FlowRegistry } from '../flows/engine.ts'
import type { ChannelAdapter } from './channels/channel-adapter.ts'
import { WebAdapter } from './channels/web/web-adapter.ts'
import { OutboxDispatcher } from './outbox/dispatcher.ts'
import { Pipeline, type Loader } from './pipeline/pipeline.ts'
import { GroupCommitter } from './pipeline/group-commit.ts'
import { programmeLoaders } from './loaders/index.ts'
import { BroadcastScheduler } from './broadcasts/scheduler.ts'

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
}

/** The bot's moving parts wired together: the pipeline, the web channel and the dispatcher. */
export class Runtime {
  readonly web = new WebAdapter()
  readonly pipeline: Pipeline
  readonly dispatcher: OutboxDispatcher
  readonly broadcasts: BroadcastScheduler
  private readonly adapters: ChannelAdapter[]
  private resumeTimer: NodeJS.Timeout | undefined

  constructor(private readonly opts: RuntimeOptions) {
    this.adapters = [this.web, ...(opts.adapters ?? [])]
    const committer = new GroupCommitter(opts.db)
    this.dispatcher = new OutboxDispatcher({
      db: opts.db,
      provider: opts.provider,
      adapters: this.adapters,
      logger: opts.logger,
      now: opts.now,
      pollMs: opts.pollMs,
      maxAttempts: opts.maxAttempts,
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
    this.dispatcher.start()
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
    await this.broadcasts.stop()
    await this.pipeline.close()
    await this.dispatcher.stop()
  }

  channelHealth(): Record<string, ChannelHealth> {
    return Object.fromEntries(this.adapters.map((a) => [a.channel, a.health()]))
  }
}
