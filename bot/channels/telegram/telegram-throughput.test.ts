import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, it } from 'vitest'
import { parseConfig } from '../../../app/config.ts'
import { createI18n } from '../../../app/i18n.ts'
import { createLogger } from '../../../app/logger.ts'
import { startTestBot } from '../../../test/support/test-bot.ts'
import { AttachmentStore } from '../../attachments/attachment-store.ts'
import type { ChannelAdapter } from '../channel-adapter.ts'
import { FakeBotApi } from './fake-bot-api.ts'
import { createTelegramModule } from './telegram-module.ts'

/**
 * Figures for the issue, not a check: `TELEGRAM_MEASURE=1 npx vitest run
 * bot/channels/telegram/telegram-throughput.test.ts`. Closed loop over long polling through
 * the fake Bot API (each user sends her next message once the previous reply arrived), and
 * latency from the update being offered to getUpdates to her first reply reaching the server,
 * compared with the pipeline alone (web channel: stored → replies in the outbox).
 */
describe.skipIf(!process.env.TELEGRAM_MEASURE)('Telegram figures', () => {
  it.each([
    ['paced at 25 sends/s (production)', 25],
    ['unpaced (the channel path itself)', 100_000],
  ])('measures %s', { timeout: 120_000 }, async (label, sendsPerSecond) => {
    const fake = await FakeBotApi.start()
    const dir = mkdtempSync(path.join(os.tmpdir(), 'minka-tg-bench-'))
    const parsed = parseConfig({ TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot })
    if (!parsed.ok) throw new Error(parsed.message)
    const telegram = await createTelegramModule({
      config: parsed.config,
      logger: createLogger('silent'),
      attachments: new AttachmentStore(dir, 1_048_576),
      i18n: await createI18n(),
    })
    // Same adapter, another pace: the dispatcher reads sendsPerSecond once, at construction.
    const adapter = Object.create(telegram.adapter, {
      sendsPerSecond: { value: sendsPerSecond },
    }) as ChannelAdapter
    const bot = await startTestBot({ runtime: { adapters: [adapter], now: () => new Date() } })
    await telegram.start(bot.runtime.pipeline)

    const users = 50
    const seconds = 5
    const chats = Array.from({ length: users }, (_, i) => 900_000 + i)
    // Bring everyone past onboarding once, so every measured message gets a one-message reply.
    const replyAfter = async (chat: number, text: string) => {
      const before = fake.sentTo(chat).length
      fake.push(fake.message(chat, { text }))
      await fake.waitFor(() => fake.sentTo(chat).length > before, 60_000)
    }
    await Promise.all(chats.map((c) => replyAfter(c, 'hola')))
    await fake.waitFor(() => chats.every((c) => fake.sentTo(c).length >= 2), 60_000)

    // Every answer to 'x' ends with a question with buttons (the re-ask, or the offer of help).
    const untilQuestion = (chat: number, since: number) =>
      fake.waitFor(
        () =>
          fake
            .sentTo(chat)
            .slice(since)
            .some((m) => m.reply_markup),
        60_000,
      )
    let handled = 0
    const sentBefore = fake.sent.size
    const started = performance.now()
    const deadline = started + seconds * 1000
    await Promise.all(
      chats.map(async (chat) => {
        while (performance.now() < deadline) {
          const before = fake.sentTo(chat).length
          fake.push(fake.message(chat, { text: 'x' }))
          await untilQuestion(chat, before)
          handled++
        }
      }),
    )
    const elapsed = (performance.now() - started) / 1000
    const sends = fake.sent.size - sentBefore

    // Latency, one user, one message at a time.
    const chat = 990_001
    await replyAfter(chat, 'hola')
    const telegramMs: number[] = []
    for (let i = 0; i < 50; i++) {
      const before = fake.sentTo(chat).length
      const t0 = performance.now()
      fake.push(fake.message(chat, { text: 'x' }))
      await fake.waitFor(() => fake.sentTo(chat).length > before, 60_000)
      telegramMs.push(performance.now() - t0)
      await untilQuestion(chat, before)
    }
    const webMs: number[] = []
    await bot.say('web-1', 'hola')
    for (let i = 0; i < 50; i++) {
      const t0 = performance.now()
      await bot.say('web-1', 'x')
      webMs.push(performance.now() - t0)
    }
    const pct = (xs: number[], p: number) =>
      [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!
    console.log(
      JSON.stringify({
        label,
        users,
        inbound_msgs_per_s: +(handled / elapsed).toFixed(1),
        bot_sends_per_s: +(sends / elapsed).toFixed(1),
        telegram_first_reply_ms: {
          p50: +pct(telegramMs, 0.5).toFixed(1),
          p95: +pct(telegramMs, 0.95).toFixed(1),
        },
        pipeline_only_ms: { p50: +pct(webMs, 0.5).toFixed(1), p95: +pct(webMs, 0.95).toFixed(1) },
      }),
    )
    await telegram.stop()
    await bot.close()
    await fake.close()
    rmSync(dir, { recursive: true, force: true })
  })
})
