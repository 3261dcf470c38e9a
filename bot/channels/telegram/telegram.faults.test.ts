import type { Update } from 'grammy/types'
import { afterEach, describe, expect, it } from 'vitest'
import { createHttpApp } from '../../../app/http/server.ts'
import { createI18n } from '../../../app/i18n.ts'
import { createLogger } from '../../../app/logger.ts'
import { adminRouter } from '../../../admin/admin-router.ts'
import { signIn } from '../../../admin/admin-test-kit.ts'
import {
  outboxSettled,
  startTelegramHarness,
  type TelegramHarness,
} from '../../../test/faults/support/telegram-harness.ts'

// Bad updates and a full disk, on the real channel against the fake Bot API (a few seconds).
// The slower platform faults (429, 500, dropped calls during a burst) are in test/faults/.
let h: TelegramHarness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

let nextId = 900_000
/** Updates Telegram would never send, each with an update_id (the runner's offset needs one). */
function malformed(): Update[] {
  const shapes: unknown[] = [
    {},
    { message: null },
    { message: {} },
    { message: { chat: {} } },
    { message: { message_id: 1, chat: { id: 'not-a-number', type: 'private' }, text: 'hola' } },
    { message: { message_id: 1, chat: { id: 42, type: 'private' }, text: 12345 } },
    { message: { message_id: 1, chat: { id: 42, type: 'private' }, text: { a: 1 } } },
    { message: { message_id: 1, chat: { id: 42, type: 'private' }, photo: 'x' } },
    { message: { message_id: 1, chat: { id: 42, type: 'private' }, voice: {} } },
    { message: { message_id: 1, chat: { id: 42, type: 'private' }, text: 'x'.repeat(300_000) } },
    { message: { message_id: 1, chat: { id: 42, type: 'bogus' }, text: 'hola' } },
    { callback_query: {} },
    { callback_query: { id: '1', from: {}, data: 12 } },
    { callback_query: { id: '2', from: { id: 42 }, data: 'z'.repeat(5000) } },
    { my_chat_member: {} },
    { edited_message: { nonsense: true } },
    { unknown_kind: [1, 2, 3] },
  ]
  return shapes.map((s) => ({ ...(s as object), update_id: nextId++ }) as Update)
}

async function answered(harness: TelegramHarness, chat: number, pattern: RegExp) {
  await harness.fake.waitFor(() => harness.fake.sentTo(chat).find((m) => pattern.test(m.text)))
}

describe('malformed Telegram updates', () => {
  it('by long polling: each ignored with a log line, then the next good message is answered', async () => {
    h = await startTelegramHarness()
    const { fake, bot, logs } = h
    const bad = malformed()
    for (const u of bad) fake.push(u)
    fake.push(fake.message(5_550_001, { text: 'hola' }))
    await answered(h, 5_550_001, /Soy Minka/)
    await outboxSettled(bot)
    expect(h.telegram.adapter.health().state).toBe('up')
    // stored: the good message only (the text 12345 one fails validation before storing)
    const inbound = await bot.database.db.inboundMessage.findMany()
    expect(inbound.map((m) => m.channelUserId)).toEqual(expect.arrayContaining(['5550001']))
    expect(inbound.every((m) => m.status === 'handled')).toBe(true)
    const logged = logs.matching(/telegram: an update could not be stored/)
    expect(logged.length).toBeGreaterThanOrEqual(5)
    // a log line names the update, never what she wrote
    expect(JSON.stringify(logged)).not.toContain('x'.repeat(100))
  })

  it('by webhook: answered below 500, logged, and the next good message is answered', async () => {
    h = await startTelegramHarness({ webhook: true })
    const { fake, bot, logs } = h
    for (const u of malformed()) expect(await fake.deliver(u)).toBeLessThan(500)
    // not JSON, or JSON that is not an update at all
    for (const body of ['{', 'null', '42', '"text"', '[]', '{"update_id":"x"}']) {
      const res = await fetch(h.webhookUrl!, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-telegram-bot-api-secret-token': 'webhook-secret-for-fault-tests-0123456789',
        },
        body,
      })
      expect(res.status, body).toBeLessThan(500)
    }
    expect(await fake.deliver(fake.message(5_550_002, { text: 'hola' }))).toBe(200)
    await answered(h, 5_550_002, /Soy Minka/)
    await outboxSettled(bot)
    expect(logs.matching(/telegram: an update could not be stored/).length).toBeGreaterThan(0)
  })
})

describe('an attachment write failing (disk full)', () => {
  it('tells her to try again, shows staff the lost file, logs why, and nothing else breaks', async () => {
    h = await startTelegramHarness()
    const { fake, bot, logs, diskError } = h
    const chat = 5_560_001
    let since = 0
    const say = async (fields: Parameters<typeof fake.message>[1], pattern: RegExp) => {
      fake.push(fake.message(chat, fields))
      await fake.waitFor(() =>
        fake
          .sentTo(chat)
          .slice(since)
          .find((m) => pattern.test(m.text)),
      )
      since = fake.sentTo(chat).length
    }
    await say({ text: 'hola' }, /¿Acepta/)
    await say({ text: 'acepto' }, /idioma/)
    await say({ text: 'español' }, /país/)
    await say({ text: 'bolivia' }, /¿En qué le puedo ayudar\?/)
    await say({ text: 'humano' }, /caso C-\d+/)

    diskError.current = Object.assign(new Error('ENOSPC: no space left on device, write'), {
      code: 'ENOSPC',
    })
    const photo = () => [
      {
        file_id: fake.addFile(Buffer.alloc(500, 7), `photos/f${since}.jpg`),
        file_unique_id: `p${since}`,
        width: 90,
        height: 90,
        file_size: 500,
      },
    ]
    await say({ photo: photo() }, /No pudimos recibir su archivo\. Por favor, intente enviarlo de nuevo/) // prettier-ignore
    const db = bot.database.db
    expect(await db.attachment.count()).toBe(0)
    expect(logs.matching(/telegram: could not keep a file/)).toEqual([
      expect.objectContaining({ reason: 'ENOSPC: no space left on device, write' }),
    ])

    // staff see on her case that a file she sent could not be kept
    const kase = await db.case.findFirstOrThrow({ where: { contact: { channelUserId: String(chat) } } }) // prettier-ignore
    const app = createHttpApp(
      [
        adminRouter({
          db,
          i18n: await createI18n(),
          logger: createLogger('silent'),
          wakeDispatcher: () => bot.runtime.dispatcher.wake(),
          channelHealth: () => bot.runtime.channelHealth(),
          attachments: h.attachments,
          sessionIdleMinutes: 60,
        }),
      ],
      createLogger('silent'),
    )
    const staff = await signIn(app, 'admin@test.local')
    const page = await staff.agent.get(`/admin/cases/${kase.id}`)
    expect(page.status).toBe(200)
    expect(page.text).toContain('Envió un archivo (image) que no se pudo guardar.')

    // the rest goes on: her next message is answered, and once there is room, files are kept
    await say({ text: 'hola' }, /./)
    diskError.current = undefined
    await say({ photo: photo() }, /Recibimos su archivo/)
    expect(await db.attachment.count()).toBe(1)
    await outboxSettled(bot)
    const failedInbound = await db.inboundMessage.count({ where: { status: 'failed' } })
    expect(failedInbound).toBe(0)
  })
})
