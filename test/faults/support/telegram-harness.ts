import { writeFile } from 'node:fs/promises'
import type { Update } from 'grammy/types'
import { createLogger } from '../../../app/logger.ts'
import {
  startFakeTelegram,
  type FakeTelegram,
} from '../../../bot/channels/telegram/fake-bot-api-harness.ts'
import type { TestBot } from '../../support/test-bot.ts'
import { LogCapture } from './log-capture.ts'

export const WEBHOOK_SECRET = 'webhook-secret-for-fault-tests-0123456789'

export type TelegramHarness = FakeTelegram & {
  logs: LogCapture
  /** When set, every attachment write fails with this error (a full disk: ENOSPC). */
  diskError: { current: NodeJS.ErrnoException | undefined }
}

/**
 * Minka's bot with its Telegram channel against the fake Bot API (real grammY, real HTTP), on a
 * fresh SQLite database, in real time: the fault tests inject errors at the fake's boundary.
 */
export async function startTelegramHarness(
  opts: { webhook?: boolean; maxAttempts?: number } = {},
): Promise<TelegramHarness> {
  const diskError: TelegramHarness['diskError'] = { current: undefined }
  const logs = new LogCapture()
  const logger = createLogger('debug', logs.stream)
  const started = await startFakeTelegram({
    ...(opts.webhook && { webhook: { secret: WEBHOOK_SECRET } }),
    logger,
    attachments: {
      write: async (file, bytes) => {
        if (diskError.current) throw diskError.current
        await writeFile(file, bytes)
      },
    },
    runtime: {
      now: () => new Date(),
      logger,
      ...(opts.maxAttempts && { maxAttempts: opts.maxAttempts }),
    },
  })
  return { ...started, logs, diskError }
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
