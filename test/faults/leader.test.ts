import type { ChildProcess } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FakeBotApi } from '../../bot/channels/telegram/fake-bot-api.ts'
import { freePort, spawnMinka, waitHealthy } from '../support/minka-process.ts'
import { freshPostgres, type TestDatabase } from '../support/test-db.ts'

// Two Minka processes on one PostgreSQL database, both receiving Telegram webhooks: only the
// one holding the channel account's advisory lock dispatches its outbox. kill -9 that one; the
// other takes over within seconds. Each process talks to a Bot API of its own, so who sent
// what is counted, not guessed.
const SECRET = 'leader-test-secret-0123456789'
const TAKEOVER_LIMIT_MS = 10_000

let database: TestDatabase
const fakes: FakeBotApi[] = []
const children: ChildProcess[] = []
beforeAll(async () => {
  database = await freshPostgres(2)
})
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL')
  for (const fake of fakes) await fake.close()
  await database.cleanup()
})

async function startProcess() {
  const fake = await FakeBotApi.start()
  fakes.push(fake)
  const port = await freePort()
  const { child, output } = spawnMinka({
    DATABASE_URL: database.url,
    DATABASE_POOL_SIZE: '4',
    PORT: String(port),
    LOG_LEVEL: 'info',
    ADMIN_PASSWORD: 'fault-test-password',
    SESSION_SECRET: 'x'.repeat(40),
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.apiRoot,
    TELEGRAM_WEBHOOK_URL: `http://127.0.0.1:${port}/telegram/hook`,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
  })
  children.push(child)
  await waitHealthy(port, child)
  await fake.waitFor(() => fake.webhook !== null, 20_000)
  return { fake, child, output }
}

let nextUpdateId = 1_000
/** One message from each chat to the process that fronts it; all must be accepted. */
async function say(route: (chat: number) => FakeBotApi, chats: number[], text: string) {
  await Promise.all(
    chats.map(async (chat) => {
      const fake = route(chat)
      const status = await fake.deliver(fake.message(chat, { text }, nextUpdateId++))
      expect(status).toBe(200)
    }),
  )
}

async function allSent(): Promise<number> {
  await expect
    .poll(
      () => database.db.outboundMessage.count({ where: { status: { in: ['queued', 'sending'] } } }),
      { timeout: 30_000, interval: 100 },
    )
    .toBe(0)
  return database.db.outboundMessage.count({ where: { status: 'sent' } })
}

const sends = (fake: FakeBotApi) => fake.callsOf('sendMessage')

describe('one outbox dispatcher per channel account across processes', () => {
  it('only the lock holder sends; after kill -9 the other takes over; nothing lost or doubled', async () => {
    const a = await startProcess()
    const b = await startProcess() // started second: a already holds the lock
    const chats = Array.from({ length: 20 }, (_, i) => 9_000 + i)
    const split = (chat: number) => (chat % 2 === 0 ? a.fake : b.fake)

    for (const text of ['hola', '1', 'menu']) await say(split, chats, text)
    const sentBefore = await allSent()
    expect(sentBefore).toBeGreaterThanOrEqual(chats.length * 3)
    // both processes stored messages; only a sent replies
    expect(sends(a.fake).length).toBe(sentBefore)
    expect(sends(b.fake).length).toBe(0)

    const killedAt = Date.now()
    const exited = new Promise((r) => a.child.once('exit', r))
    a.child.kill('SIGKILL')
    await exited
    for (const text of ['hola', '2']) await say(() => b.fake, chats, text)
    const sentAfter = await allSent()
    const takeoverMs = sends(b.fake)[0]!.at - killedAt
    expect(takeoverMs).toBeLessThan(TAKEOVER_LIMIT_MS)

    // nothing lost: every update stored, handled and answered; nothing doubled: one Bot API
    // call per outbox row, over both processes
    const inbound = await database.db.inboundMessage.findMany({
      select: { id: true, status: true },
    })
    expect(inbound.length).toBe(chats.length * 5)
    expect(inbound.every((m) => m.status === 'handled')).toBe(true)
    const answered = await database.db.outboundMessage.groupBy({ by: ['inboundId'], _count: true })
    expect(answered.length).toBe(inbound.length)
    expect(await database.db.outboundMessage.count({ where: { status: { not: 'sent' } } })).toBe(0)
    expect(sends(a.fake).length + sends(b.fake).length).toBe(sentAfter)
    const ids = await database.db.outboundMessage.findMany({ select: { platformMessageId: true } })
    expect(ids.every((r) => r.platformMessageId !== null)).toBe(true)
    expect(b.output()).toContain('outbox leader: this process dispatches')
    console.log(
      `leader: ${sentBefore} replies sent by the first process, ${sentAfter - sentBefore} by the second after kill -9; takeover in ${takeoverMs} ms`,
    )
  }, 150_000)
})
