import { afterEach, describe, expect, it } from 'vitest'
import {
  outboxSettled,
  startTelegramHarness,
  type TelegramHarness,
} from './support/telegram-harness.ts'
import { SERVER_ERROR, TOO_MANY_REQUESTS } from '../../bot/channels/telegram/fake-bot-api.ts'

// Faults injected at the fake Bot API while a burst of women write: nothing lost, nothing sent
// twice, retries bounded. Real grammY, real HTTP, real SQLite; real time (seconds).
let h: TelegramHarness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

const WELCOME = /Soy Minka/
const CONSENT = /¿Acepta que guardemos/

async function burst(harness: TelegramHarness, chats: number[]) {
  for (const chat of chats) harness.fake.push(harness.fake.message(chat, { text: 'hola' }))
  await harness.fake.waitFor(
    () => chats.every((c) => harness.fake.sentTo(c).some((m) => CONSENT.test(m.text))),
    30_000,
  )
  await outboxSettled(harness.bot)
}

function chatsFrom(first: number, n: number) {
  return Array.from({ length: n }, (_, i) => first + i)
}

describe('Telegram faults during a burst', () => {
  it('429 with retry_after, 500s and dropped connections: each reply once, bounded attempts', async () => {
    h = await startTelegramHarness()
    const { fake, bot } = h
    fake.failNext('sendMessage', TOO_MANY_REQUESTS(1), 4)
    fake.failNext('sendMessage', SERVER_ERROR, 6)
    fake.dropNext('sendMessage', 4)
    const chats = chatsFrom(7_100_000, 20)
    await burst(h, chats)
    for (const chat of chats) {
      const texts = fake.sentTo(chat).map((m) => m.text)
      expect(
        texts.filter((t) => WELCOME.test(t)),
        `chat ${chat}`,
      ).toHaveLength(1)
      expect(
        texts.filter((t) => CONSENT.test(t)),
        `chat ${chat}`,
      ).toHaveLength(1)
    }
    const db = bot.database.db
    const rows = await db.outboundMessage.findMany()
    expect(rows.every((r) => r.status === 'sent')).toBe(true)
    expect(await db.inboundMessage.count()).toBe(chats.length)
    // bounded: each of the 14 injected failures cost exactly one more call; failures that
    // came back to the dispatcher (attempts > 0 on a sent row) were retried a few times at most
    expect(fake.callsOf('sendMessage')).toHaveLength(rows.length + 14)
    expect(Math.max(...rows.map((r) => r.attempts))).toBeLessThanOrEqual(3)
    // every sendMessage Telegram carried out is a message she received, once
    expect(fake.sent.size).toBe(rows.length)
  }, 60_000)

  it('a failing getUpdates (500, 429, dropped) loses no update and stores none twice', async () => {
    h = await startTelegramHarness()
    const { fake, bot } = h
    fake.failNext('getUpdates', SERVER_ERROR, 2)
    fake.failNext('getUpdates', TOO_MANY_REQUESTS(1), 1)
    fake.dropNext('getUpdates', 2)
    const chats = chatsFrom(7_200_000, 10)
    await burst(h, chats)
    expect(await bot.database.db.inboundMessage.count()).toBe(chats.length)
    for (const chat of chats) {
      expect(fake.sentTo(chat).filter((m) => WELCOME.test(m.text))).toHaveLength(1)
    }
    expect(h.telegram.adapter.health().state).toBe('up')
  }, 60_000)

  it('gives up on a row after OUTBOX_MAX_ATTEMPTS and keeps serving the others', async () => {
    h = await startTelegramHarness({ maxAttempts: 2 })
    const { fake, bot } = h
    // the first chat's welcome fails on every try (auto-retry makes two calls per attempt)
    fake.failNext('sendMessage', SERVER_ERROR, 4)
    fake.push(fake.message(7_300_001, { text: 'hola' }))
    await fake.waitFor(() => fake.callsOf('sendMessage').length >= 4, 20_000)
    fake.push(fake.message(7_300_002, { text: 'hola' }))
    await fake.waitFor(() => fake.sentTo(7_300_002).some((m) => CONSENT.test(m.text)), 20_000)
    await outboxSettled(bot)
    const failed = await bot.database.db.outboundMessage.findMany({ where: { status: 'failed' } })
    expect(failed).toHaveLength(1)
    expect(failed[0]).toMatchObject({ attempts: 2, lastError: '500: Internal Server Error' })
  }, 60_000)
})
