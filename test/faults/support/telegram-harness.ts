import { mkdtempSync, rmSync } from 'node:fs'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import express, { type Router } from 'express'
import type { Update } from 'grammy/types'
import { parseConfig } from '../../../app/config.ts'
import { createI18n } from '../../../app/i18n.ts'
import { createLogger } from '../../../app/logger.ts'
import { AttachmentStore } from '../../../bot/attachments/attachment-store.ts'
import { FakeBotApi } from '../../../bot/channels/telegram/fake-bot-api.ts'
import {
  createTelegramModule,
  type TelegramModule,
} from '../../../bot/channels/telegram/telegram-module.ts'
import { startTestBot, type TestBot } from '../../support/test-bot.ts'
import { LogCapture } from './log-capture.ts'

export const WEBHOOK_SECRET = 'webhook-secret-for-fault-tests-0123456789'

export type TelegramHarness = {
  fake: FakeBotApi
  bot: TestBot
  telegram: TelegramModule
  attachments: AttachmentStore
  logs: LogCapture
  /** When set, every attachment write fails with this error (a full disk: ENOSPC). */
  diskError: { current: NodeJS.ErrnoException | undefined }
  webhookUrl: string | undefined
  close: () => Promise<void>
}

/**
 * Minka's bot with its Telegram channel against the fake Bot API (real grammY, real HTTP), on a
 * fresh SQLite database, in real time: the fault tests inject errors at the fake's boundary.
 */
export async function startTelegramHarness(
  opts: { webhook?: boolean; maxAttempts?: number } = {},
): Promise<TelegramHarness> {
  const cleanups: (() => Promise<void> | void)[] = []
  const fake = await FakeBotApi.start()
  cleanups.push(() => fake.close())
  const dir = mkdtempSync(path.join(os.tmpdir(), 'minka-tg-faults-'))
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  const diskError: TelegramHarness['diskError'] = { current: undefined }
  const { writeFile } = await import('node:fs/promises')
  const attachments = new AttachmentStore(dir, 1_048_576, async (file, bytes) => {
    if (diskError.current) throw diskError.current
    await writeFile(file, bytes)
  })
  let webhookUrl: string | undefined
  const mounted: { routes?: Router } = {}
  if (opts.webhook) {
    const app = express()
    app.use((req, res, next) => (mounted.routes ? mounted.routes(req, res, next) : next()))
    const server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s))
    })
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())))
    webhookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/telegram/hook`
  }
  const parsed = parseConfig({
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.apiRoot,
    ...(webhookUrl && {
      TELEGRAM_WEBHOOK_URL: webhookUrl,
      TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
    }),
  })
  if (!parsed.ok) throw new Error(parsed.message)
  const logs = new LogCapture()
  const logger = createLogger('debug', logs.stream)
  const telegram = await createTelegramModule({
    config: parsed.config,
    logger,
    attachments,
    i18n: await createI18n(),
  })
  mounted.routes = telegram.routes
  const bot = await startTestBot({
    runtime: {
      adapters: [telegram.adapter],
      now: () => new Date(),
      logger,
      ...(opts.maxAttempts && { maxAttempts: opts.maxAttempts }),
    },
  })
  cleanups.push(() => bot.close())
  cleanups.push(() => telegram.stop())
  await telegram.start(bot.runtime.pipeline)
  return {
    fake,
    bot,
    telegram,
    attachments,
    logs,
    diskError,
    webhookUrl,
    close: async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
    },
  }
}

/** Waits until every outbox row reached a final state (sent, failed or cancelled). */
export async function outboxSettled(bot: TestBot, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const [pending, received] = await Promise.all([
      bot.database.db.outboundMessage.count({
        where: { status: { in: ['queued', 'sending'] } },
      }),
      bot.database.db.inboundMessage.count({ where: { status: 'received' } }),
    ])
    if (pending === 0 && received === 0) return
    if (Date.now() > deadline) throw new Error(`${pending} outbox rows still pending`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

export type { Update }
