import { autoRetry } from '@grammyjs/auto-retry'
import { run, sequentialize, type RunnerHandle } from '@grammyjs/runner'
import express, { Router, type Request, type Response } from 'express'
import { Bot, BotError, GrammyError, webhookCallback, type Context } from 'grammy'
import type { CallbackQuery, Update } from 'grammy/types'
import type { i18n, TFunction } from 'i18next'
import { ZodError } from 'zod'
import type { Config } from '../../../app/config.ts'
import { createI18n, translatorFor } from '../../../app/i18n.ts'
import type { Logger } from '../../../app/logger.ts'
import type { AttachmentStore } from '../../attachments/attachment-store.ts'
import type { InboundMessage } from '../../messages.ts'
import type { Pipeline } from '../../pipeline/pipeline.ts'
import type { ChannelModule } from '../channel-module.ts'
import { parseButtonData } from './callback-data.ts'
import { keepMedia, mediaOf } from './inbound-media.ts'
import { RecentChoices } from './recent-choices.ts'
import { TelegramAdapter, TelegramHealth, TOKEN_REJECTED } from './telegram-adapter.ts'

export type TelegramDeps = {
  config: Config
  logger: Logger
  attachments: AttachmentStore
  i18n?: i18n
  now?: () => Date
  /** How long start() waits for Telegram before letting Minka go on (it keeps trying). */
  startWaitMs?: number
}

/** The updates Minka asks Telegram for; edited messages and channel posts are not among them. */
const ALLOWED_UPDATES = ['message', 'callback_query', 'my_chat_member'] as const

/** Storing an update failures: 0.5 + 1 + 2 + 4 + 8 s of waiting covers a short outage. */
const RECEIVE_ATTEMPTS = 6

/** An update the pipeline could not store (the database is away): it must come again. */
class NotStored extends Error {
  constructor(cause: unknown) {
    super('update not stored', { cause })
  }
}

/** Turns the Telegram channel on: see TelegramModule. */
export async function createTelegramModule(deps: TelegramDeps): Promise<TelegramModule> {
  return new TelegramModule(deps, deps.i18n ?? (await createI18n()))
}

/**
 * Telegram through grammY. Inbound: updates arrive by long polling (@grammyjs/runner) or, when
 * TELEGRAM_WEBHOOK_URL is set, on an Express route; each is translated into one InboundMessage
 * for the pipeline (the `u<update_id>` id makes a redelivered update a duplicate). Outbound:
 * TelegramAdapter. Nothing here knows about flows (STYLE.md, point 5).
 */
export class TelegramModule implements ChannelModule {
  readonly adapter: TelegramAdapter
  readonly routes?: Router
  readonly bot: Bot
  private readonly state = new TelegramHealth()
  private readonly choices = new RecentChoices()
  private readonly toldGroups = new Set<number>()
  private readonly abort = new AbortController()
  private readonly t: TFunction
  private readonly apiRoot: string
  private readonly webhookUrl: string | undefined
  private readonly now: () => Date
  private pipeline: Pipeline | undefined
  private runner: RunnerHandle | undefined
  private handleWebhook: ((req: Request, res: Response) => Promise<unknown>) | undefined
  private stopped = false

  constructor(
    private readonly deps: TelegramDeps,
    i18n: i18n,
  ) {
    const { config, logger } = deps
    if (!config.TELEGRAM_BOT_TOKEN) throw new Error('TELEGRAM_BOT_TOKEN is not set')
    this.apiRoot = config.TELEGRAM_API_ROOT.replace(/\/+$/, '')
    this.webhookUrl = config.TELEGRAM_WEBHOOK_URL
    this.now = deps.now ?? (() => new Date())
    // She never told the adapter her language; Spanish is the programme's default.
    this.t = translatorFor(i18n, config.DEFAULT_LOCALE)
    this.bot = new Bot(config.TELEGRAM_BOT_TOKEN, { client: { apiRoot: this.apiRoot } })
    this.bot.api.config.use(async (prev, method, payload, signal) => {
      try {
        const result = await prev(method, payload, signal)
        if (!result.ok)
          this.state.recordError(`${method}: ${result.error_code} ${result.description}`)
        return result
      } catch (error) {
        this.state.recordError(`${method}: ${(error as Error).message}`)
        throw error
      }
    })
    // Short waits are retried inside the call; anything longer goes back to the dispatcher as
    // a transient failure with retryAfterMs, so it keeps pacing and ordering in its hands.
    // Network errors are not retried here: the plugin would retry them without limit.
    this.bot.api.config.use(
      autoRetry({ maxRetryAttempts: 1, maxDelaySeconds: 5, rethrowHttpErrors: true }),
    )
    // Her updates are handled one after another (a press is stored after the message before it).
    this.bot.use(sequentialize((ctx: Context) => (ctx.chat ? String(ctx.chat.id) : undefined)))
    this.bot.use((ctx) => this.onUpdate(ctx.update))
    this.bot.catch((error) => {
      logger.error(
        { err: error.error, updateId: error.ctx.update.update_id },
        'telegram: an update could not be stored',
      )
    })
    this.adapter = new TelegramAdapter(
      this.bot.api,
      this.choices,
      this.state,
      logger,
      deps.attachments,
    )
    if (this.webhookUrl) this.routes = this.webhookRoutes(new URL(this.webhookUrl).pathname)
  }

  /**
   * Connects (getMe), sets or deletes the webhook, and starts polling. Never throws: a wrong
   * token or an unreachable Telegram shows in /healthz, and the rest of Minka runs on.
   */
  async start(pipeline: Pipeline): Promise<void> {
    this.pipeline = pipeline
    const connected = this.connect().catch((error: unknown) => this.fail(error))
    let timer: NodeJS.Timeout | undefined
    const waited = await Promise.race([
      connected.then(() => true),
      new Promise<false>(
        (resolve) => (timer = setTimeout(resolve, this.deps.startWaitMs ?? 10_000, false)),
      ),
    ])
    clearTimeout(timer)
    if (!waited) this.deps.logger.warn('telegram: Telegram not reachable yet; still trying')
  }

  async stop(): Promise<void> {
    this.stopped = true
    this.abort.abort()
    await this.runner?.stop()
  }

  private async connect(): Promise<void> {
    const { logger, config } = this.deps
    // grammY types its signal with the abort-controller polyfill's class; Node's is the same thing.
    await this.bot.init(this.abort.signal as Parameters<Bot['init']>[0])
    if (this.stopped) return
    if (this.webhookUrl) {
      // Without the webhook nothing arrives: this one is essential.
      await this.bot.api.setWebhook(this.webhookUrl, {
        secret_token: config.TELEGRAM_WEBHOOK_SECRET,
        allowed_updates: [...ALLOWED_UPDATES],
      })
      this.handleWebhook = webhookCallback(this.bot, 'express', {
        secretToken: config.TELEGRAM_WEBHOOK_SECRET,
        timeoutMilliseconds: 50_000,
      })
    } else {
      // Polling does not work while a webhook is set; an old one from another deployment is
      // removed. Failing here is not fatal: getUpdates will say so if it matters (409).
      await this.bot.api.deleteWebhook().catch((error: unknown) => {
        logger.warn({ err: error }, 'telegram: deleteWebhook failed; polling anyway')
      })
    }
    void this.setCommands()
    this.state.set('up')
    logger.info(
      { bot: this.bot.botInfo.username, mode: this.webhookUrl ? 'webhook' : 'polling' },
      'telegram: connected',
    )
    if (!this.webhookUrl) this.startPolling()
  }

  private startPolling(): void {
    this.runner = run(this.bot, {
      runner: { fetch: { timeout: 30, allowed_updates: [...ALLOWED_UPDATES] }, silent: true },
    })
    this.runner.task()?.catch((error: unknown) => this.fail(error))
  }

  /** Start-up or polling stopped for good: say why once, keep the rest of Minka running. */
  private fail(error: unknown): void {
    if (this.stopped) return
    const code = error instanceof GrammyError ? error.error_code : undefined
    const reason =
      code === 401
        ? TOKEN_REJECTED
        : code === 409
          ? 'another process receives this bot’s updates (409 Conflict)'
          : `Telegram failed: ${(error as Error).message}`
    this.state.set('down', reason)
    this.deps.logger.error(
      `telegram: ${reason}${code === 401 ? ' (check TELEGRAM_BOT_TOKEN)' : ''}; the channel is off, the rest of Minka keeps running`,
    )
  }

  private async setCommands(): Promise<void> {
    try {
      await this.bot.api.setMyCommands([
        { command: 'start', description: this.t('telegram.command_start') },
      ])
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'telegram: setMyCommands failed; continuing')
    }
  }

  private webhookRoutes(path: string): Router {
    const router = Router()
    router.post(path, express.json({ limit: '1mb' }), async (req, res) => {
      if (!this.handleWebhook || this.state.current !== 'up') {
        res.status(503).json({ error: 'telegram_not_ready' }) // Telegram retries later
        return
      }
      // Checks the secret token header (constant time; 401 otherwise) and answers once the
      // update is handled here, i.e. stored: her reply is written and sent afterwards.
      try {
        await this.handleWebhook(req, res)
      } catch (error) {
        const cause = error instanceof BotError ? error.error : error
        if (cause instanceof NotStored) {
          // The database is away: Telegram delivers the update again later.
          this.deps.logger.error({ err: cause.cause }, 'telegram: update not stored; 503')
          if (!res.headersSent) res.status(503).json({ error: 'not_stored' })
          return
        }
        // A malformed update would come back forever on a 5xx: acknowledge and drop it.
        this.deps.logger.warn(
          { err: cause, updateId: (req.body as { update_id?: unknown })?.update_id },
          'telegram: an update could not be stored',
        )
        if (!res.headersSent) res.status(200).json({ ok: true })
      }
    })
    return router
  }

  // ——— inbound: Telegram update → InboundMessage ———

  private async onUpdate(update: Update): Promise<void> {
    if (update.callback_query) return this.onPress(update.update_id, update.callback_query)
    if (update.my_chat_member) {
      const { chat, new_chat_member } = update.my_chat_member
      const joined = ['member', 'administrator'].includes(new_chat_member.status)
      if (chat.type !== 'private' && joined) this.tellGroupOnce(chat.id)
      return
    }
    const message = update.message
    if (!message) return // edited messages, channel posts
    if (message.chat.type !== 'private') return this.tellGroupOnce(message.chat.id)
    const source = mediaOf(message)
    const text = message.text ?? message.caption
    if (text === undefined && !source) return // service messages (a pin, a changed photo…)
    const media = source
      ? await keepMedia(source, {
          api: this.bot.api,
          fileUrl: (filePath) => `${this.apiRoot}/file/bot${this.bot.token}/${filePath}`,
          attachments: this.savingAttachments,
        })
      : undefined
    await this.receive({
      channel: 'telegram',
      channelUserId: String(message.chat.id),
      platformMessageId: `u${update.update_id}`,
      ...(text !== undefined && { text }),
      ...(media && { media }),
      ...(message.from?.first_name && { displayName: message.from.first_name.slice(0, 200) }),
      receivedAt: this.now(),
    })
  }

  /**
   * A button press. A press on the current question is her answer: the option id, with the
   * button's label as text (what she saw, kept with the message). A press on an older
   * question is stale: Telegram shows a short notice and the pipeline gets an empty message,
   * so the engine asks the current question again. It does not get the old option id, which
   * could mean something else in the current question ("yes" to a different question).
   */
  private async onPress(updateId: number, query: CallbackQuery): Promise<void> {
    const chatId = String(query.message?.chat.id ?? query.from.id)
    const messageId = query.message?.message_id
    const press = parseButtonData(query.data)
    const recent = this.choices.get(chatId)
    const label = query.message?.reply_markup?.inline_keyboard
      .flat()
      .find((b) => 'callback_data' in b && b.callback_data === query.data)?.text
    // Nothing remembered (a restart): take it as current; the engine checks the option id.
    const current = press && (!recent || (recent.tag === press.tag && !recent.answered))
    const doubleTap = recent?.answered && recent.messageId === messageId
    let answered = false
    try {
      if (doubleTap) return
      const base: InboundMessage = {
        channel: 'telegram',
        channelUserId: chatId,
        platformMessageId: `u${updateId}`,
        receivedAt: this.now(),
      }
      if (current) {
        const option = press.option
        const choice = 'id' in option ? option.id : recent?.optionIds[option.index]
        if (recent) recent.answered = true
        await this.receive({
          ...base,
          ...(choice !== undefined && { choice }),
          ...(label !== undefined && { text: label }),
        })
        answered = true
      } else {
        await this.receive(base)
      }
    } finally {
      // Always answered, or her button keeps spinning; and the pressed keyboard goes away.
      this.bot.api
        .answerCallbackQuery(query.id, {
          ...(!current && !doubleTap && { text: this.t('telegram.stale') }),
        })
        .catch((error: unknown) =>
          this.deps.logger.debug({ err: error, chatId }, 'telegram: answerCallbackQuery failed'),
        )
      if (messageId !== undefined && (answered || !current)) {
        void this.adapter.removeKeyboard(chatId, messageId)
      }
    }
  }

  /**
   * The attachment store, saying in the log why a file could not be kept (a full disk): she
   * is asked to send it again, and staff see on her case that a file was lost.
   */
  private get savingAttachments(): Pick<AttachmentStore, 'save' | 'maxBytes'> {
    const { attachments, logger } = this.deps
    return {
      maxBytes: attachments.maxBytes,
      save: async (bytes, mime) => {
        const saved = await attachments.save(bytes, mime)
        if (!saved.ok && saved.reason === 'write_failed') {
          logger.error({ reason: saved.detail }, 'telegram: could not keep a file')
        }
        return saved
      },
    }
  }

  /** The bot talks only in private chats; a group is told so once (per process). */
  private tellGroupOnce(chatId: number): void {
    if (this.toldGroups.has(chatId)) return
    if (this.toldGroups.size > 10_000) this.toldGroups.clear()
    this.toldGroups.add(chatId)
    this.bot.api.sendMessage(chatId, this.t('telegram.private_only')).catch((error: unknown) => {
      this.deps.logger.warn({ err: error, chatId }, 'telegram: could not tell a group')
    })
  }

  private async receive(message: InboundMessage): Promise<void> {
    const pipeline = this.pipeline
    if (!pipeline) throw new Error('the Telegram channel was not started')
    let result
    for (let attempt = 1; ; attempt++) {
      try {
        result = await pipeline.receive(message)
        break
      } catch (error) {
        // A message that is not valid will not become valid: only storage failures are retried
        // (the database away for a few seconds), with back-off, then reported as not stored.
        if (error instanceof ZodError) throw error
        if (attempt >= RECEIVE_ATTEMPTS || this.stopped) throw new NotStored(error)
        await new Promise((r) => setTimeout(r, 250 * 2 ** attempt))
      }
    }
    this.deps.logger.debug(
      {
        chatId: message.channelUserId,
        platformMessageId: message.platformMessageId,
        duplicate: result.duplicate,
      },
      'telegram: update stored',
    )
    if (!result.duplicate) {
      result.handled.catch((error: unknown) =>
        this.deps.logger.error(
          { err: error, inboundId: result.inboundId },
          'telegram: handling failed',
        ),
      )
    }
  }
}
