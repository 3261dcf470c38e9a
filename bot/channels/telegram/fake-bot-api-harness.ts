import { mkdtempSync, rmSync } from 'node:fs'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import express, { type Router } from 'express'
import type { Logger } from 'pino'
import { parseConfig } from '../../../app/config.ts'
import { createI18n } from '../../../app/i18n.ts'
import { startTestBot, type TestBot } from '../../../test/support/test-bot.ts'
import { AttachmentStore } from '../../attachments/attachment-store.ts'
import type { RuntimeOptions } from '../../runtime.ts'
import { FakeBotApi } from './fake-bot-api.ts'
import { createTelegramModule, type TelegramModule } from './telegram-module.ts'

export type FakeTelegram = {
  fake: FakeBotApi
  bot: TestBot
  telegram: TelegramModule
  attachments: AttachmentStore
  /** Where the fake posts updates in webhook mode. */
  webhookUrl: string | undefined
  /** Stops everything it started, last started first. */
  close: () => Promise<void>
}

/**
 * Minka's bot with its Telegram channel against the fake Bot API (real grammY, real HTTP), on a
 * fresh SQLite database: the module tests and the fault suite both start it this way.
 */
export async function startFakeTelegram(opts: {
  /** Webhook mode, with the secret Minka expects on each update; long polling when absent. */
  webhook?: { secret: string }
  /** The token Minka is configured with; the fake's own when not given. */
  token?: string
  logger: Logger
  /** How attachments are kept: their size cap and, to fail as a full disk would, the write. */
  attachments?: { maxBytes?: number; write?: (file: string, bytes: Uint8Array) => Promise<void> }
  runtime?: Partial<RuntimeOptions>
  /** Runs once everything exists, before the channel starts receiving. */
  beforeStart?: (fake: FakeBotApi) => void
}): Promise<FakeTelegram> {
  const cleanups: (() => Promise<void> | void)[] = []
  const close = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  }
  try {
    const fake = await FakeBotApi.start()
    cleanups.push(() => fake.close())
    const dir = mkdtempSync(path.join(os.tmpdir(), 'minka-tg-'))
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
    const attachments = new AttachmentStore(
      dir,
      opts.attachments?.maxBytes ?? 1_048_576,
      opts.attachments?.write,
    )
    let webhookUrl: string | undefined
    const mounted: { routes?: Router } = {}
    if (opts.webhook) {
      // Minka's HTTP side, listening before the module exists so the webhook URL has its port.
      const app = express()
      app.use((req, res, next) => (mounted.routes ? mounted.routes(req, res, next) : next()))
      const server = await new Promise<Server>((resolve) => {
        const s = app.listen(0, '127.0.0.1', () => resolve(s))
      })
      cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())))
      webhookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/telegram/hook`
    }
    const parsed = parseConfig({
      TELEGRAM_BOT_TOKEN: opts.token ?? fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
      ...(webhookUrl && {
        TELEGRAM_WEBHOOK_URL: webhookUrl,
        TELEGRAM_WEBHOOK_SECRET: opts.webhook?.secret,
      }),
    })
    if (!parsed.ok) throw new Error(parsed.message)
    const telegram = await createTelegramModule({
      config: parsed.config,
      logger: opts.logger,
      attachments,
      i18n: await createI18n(),
    })
    mounted.routes = telegram.routes
    const bot = await startTestBot({ runtime: { adapters: [telegram.adapter], ...opts.runtime } })
    cleanups.push(() => bot.close())
    cleanups.push(() => telegram.stop()) // stops before the runtime and the fake (reverse order)
    opts.beforeStart?.(fake)
    await telegram.start(bot.runtime.pipeline)
    return { fake, bot, telegram, attachments, webhookUrl, close }
  } catch (error) {
    await close()
    throw error
  }
}
