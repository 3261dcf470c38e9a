import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../app/db/open.ts'
import { FakeBotApi } from '../../bot/channels/telegram/fake-bot-api.ts'
import { audienceSchema } from '../../bot/broadcasts/audience.ts'
import { freePort, spawnMinka, waitHealthy } from '../support/minka-process.ts'

// kill -9 in the middle of a broadcast, then restart on the same database: every recipient gets
// it once. Deliveries are counted where they leave Minka: at the fake Telegram Bot API.
const dir = mkdtempSync(path.join(os.tmpdir(), 'minka-kill-bc-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const RECIPIENTS = 400
const TEXT = 'Aviso de prueba: taller de cooperativas el lunes.'

describe('kill -9 mid-broadcast', () => {
  it('completes the broadcast with each recipient once; no row marked sent goes again', async () => {
    const fake = await FakeBotApi.start()
    const file = path.join(dir, 'broadcast.db')
    const port = await freePort()
    const start = async () => {
      const minka = spawnMinka({
        DATABASE_URL: `file:${file}`,
        PORT: String(port),
        LOG_LEVEL: 'error',
        ADMIN_PASSWORD: 'fault-test-password',
        TELEGRAM_BOT_TOKEN: fake.token,
        TELEGRAM_API_ROOT: fake.apiRoot,
        OUTBOX_POLL_MS: '100',
      })
      await waitHealthy(port, minka.child)
      return minka.child
    }
    const first = await start()
    const { db } = openDatabase(`file:${file}`)
    try {
      const admin = await db.staff.findFirstOrThrow()
      const now = new Date()
      const chats = Array.from({ length: RECIPIENTS }, (_, i) => String(8_000_000 + i))
      await db.contact.createMany({
        data: chats.map((chat) => ({
          id: randomUUID(),
          channel: 'telegram',
          channelUserId: chat,
          consentAt: now,
          firstInboundAt: now,
          lastInboundAt: now,
          locale: 'es',
        })),
      })
      await db.broadcast.create({
        data: {
          id: randomUUID(),
          title: 'fault test',
          texts: JSON.stringify({ es: TEXT }),
          audience: JSON.stringify(audienceSchema.parse({})),
          status: 'scheduled',
          scheduledAt: now,
          createdById: admin.id,
        },
      })
      const deliveries = () =>
        fake.callsOf('sendMessage').filter((c) => String(c.payload.text).startsWith(TEXT))
      // kill once a good part has gone out
      await fake.waitFor(() => deliveries().length >= RECIPIENTS / 4, 60_000)
      const exited = new Promise((r) => first.once('exit', r))
      first.kill('SIGKILL')
      await exited
      const beforeKill = deliveries().length

      const rows = await db.outboundMessage.findMany({ where: { origin: 'broadcast' } })
      const sentBefore = new Set(rows.filter((r) => r.status === 'sent').map((r) => r.channelUserId)) // prettier-ignore
      const inFlight = rows.filter((r) => r.status === 'sending').length
      const callsAtKill = fake.calls.length

      const second = await start()
      try {
        await expect
          .poll(() => db.broadcast.findFirstOrThrow().then((b) => b.status), {
            timeout: 120_000,
            interval: 500,
          })
          .toBe('done')
        const perChat = new Map<string, number>()
        for (const c of deliveries()) {
          const chat = String(c.payload.chat_id)
          perChat.set(chat, (perChat.get(chat) ?? 0) + 1)
        }
        // complete: everyone got it
        expect(chats.filter((c) => !perChat.has(c))).toEqual([])
        // no row marked sent before the kill went out again
        const resent = fake.calls
          .slice(callsAtKill)
          .filter((c) => c.method === 'sendMessage' && sentBefore.has(String(c.payload.chat_id)))
        expect(resent).toEqual([])
        // a second copy only where the kill fell between Telegram's answer and the mark
        const twice = [...perChat.values()].filter((n) => n > 1).length
        expect(twice).toBeLessThanOrEqual(inFlight)
        expect(Math.max(...perChat.values())).toBeLessThanOrEqual(2)
        const recipients = await db.broadcastRecipient.count()
        expect(recipients).toBe(RECIPIENTS)
        expect(await db.outboundMessage.count({ where: { origin: 'broadcast', status: { not: 'sent' } } })).toBe(0) // prettier-ignore
        console.log(
          `kill -9 mid-broadcast: ${beforeKill} delivered before the kill, ${sentBefore.size} marked sent, ${inFlight} in flight, ${twice} delivered twice, ${RECIPIENTS} recipients all reached`,
        )
      } finally {
        const stopped = new Promise((r) => second.once('exit', r))
        second.kill('SIGTERM')
        await stopped
      }
    } finally {
      await db.$disconnect()
      await fake.close()
    }
  }, 240_000)
})
