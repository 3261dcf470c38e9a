import type { Update } from 'grammy/types'
import { afterEach, describe, expect, it } from 'vitest'
import { createLogger } from '../../../app/logger.ts'
import { BLOCKED, TOO_MANY_REQUESTS, type FakeBotApi } from './fake-bot-api.ts'
import { startFakeTelegram, type FakeTelegram } from './fake-bot-api-harness.ts'
import { TOKEN_REJECTED } from './telegram-adapter.ts'

const SECRET = 'webhook-secret-for-tests-0123456789'
const STALE = 'Esa pregunta ya pasó. Le muestro la pregunta de ahora.'
const cleanups: (() => Promise<void> | void)[] = []

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

type Harness = FakeTelegram & {
  /** Hands an update to Minka the way the mode receives it (getUpdates or a webhook POST). */
  send: (update: Update) => Promise<void>
  clock: { skewMs: number }
}

async function harness(
  opts: {
    webhook?: boolean
    token?: string
    maxBytes?: number
    beforeStart?: (f: FakeBotApi) => void
  } = {},
): Promise<Harness> {
  // Real time, which a test may move forward: the dispatcher sends a reply once the clock
  // reaches it, and the pipeline dates her replies a millisecond after her last message.
  const clock = { skewMs: 0 }
  const now = () => new Date(Date.now() + clock.skewMs)
  const started = await startFakeTelegram({
    ...(opts.webhook && { webhook: { secret: SECRET } }),
    token: opts.token,
    logger: createLogger(process.env.TG_LOG ?? 'silent'),
    attachments: { maxBytes: opts.maxBytes },
    runtime: { now },
    beforeStart: opts.beforeStart,
  })
  cleanups.push(() => started.close())
  const { fake } = started
  const send = async (update: Update) => {
    if (!opts.webhook) {
      fake.push(update)
      return
    }
    expect(await fake.deliver(update)).toBe(200)
  }
  return { ...started, send, clock }
}

const ANA = 5551001

/** Waits for a message to `chat` matching `pattern`, sent after the first `since` ones. */
function reply(fake: FakeBotApi, chat: number, pattern: RegExp, since = 0) {
  return fake.waitFor(() =>
    fake
      .sentTo(chat)
      .slice(since)
      .find((m) => pattern.test(m.text)),
  )
}

/** Presses the button labelled `label` on the latest keyboard and waits for the next message. */
async function press(h: Harness, chat: number, label: RegExp) {
  const { fake } = h
  const keyboard = fake.keyboardOf(chat)
  const button = keyboard.buttons.find((b) => label.test(b.text))
  if (!button) throw new Error(`no button ${label} in ${JSON.stringify(keyboard.buttons)}`)
  const before = fake.sentTo(chat).length
  const answers = fake.callsOf('answerCallbackQuery').length
  await h.send(fake.press(chat, keyboard.messageId, button.data))
  await fake.waitFor(() => fake.sentTo(chat).length > before)
  await fake.waitFor(() => fake.callsOf('answerCallbackQuery').length > answers)
  return { messageId: keyboard.messageId, since: before }
}

/** From /start to the main menu: consent, language, country, each by button. */
async function reachMenu(h: Harness, chat = ANA) {
  const { fake } = h
  await h.send(fake.message(chat, { text: '/start' }))
  await reply(fake, chat, /Soy Minka/)
  await reply(fake, chat, /¿Acepta que guardemos estos datos\?/)
  expect(fake.keyboardOf(chat).buttons.map((b) => b.text)).toEqual(['Acepto', 'No acepto'])
  const consent = await press(h, chat, /^Acepto$/)
  await reply(fake, chat, /¿En qué idioma/, consent.since)
  const language = await press(h, chat, /^Español$/)
  await reply(fake, chat, /¿En qué país/, language.since)
  const country = await press(h, chat, /^Bolivia$/)
  await reply(fake, chat, /¿En qué le puedo ayudar\?/, country.since)
  return [consent, language, country]
}

async function openCase(h: Harness, chat = ANA) {
  await reachMenu(h, chat)
  const human = await press(h, chat, /Hablar con una persona/)
  await reply(h.fake, chat, /caso C-1/, human.since)
  return h.bot.database.db.case.findFirstOrThrow({
    where: { contact: { channelUserId: String(chat) } },
  })
}

describe('Telegram channel, long polling', () => {
  it('holds a whole conversation with buttons, and removes each keyboard once answered', async () => {
    const h = await harness()
    const { fake, bot } = h
    const pressed = await reachMenu(h)
    const human = await press(h, ANA, /Hablar con una persona/)
    await reply(fake, ANA, /Su número de caso|caso C-1/, human.since)

    expect(fake.callsOf('deleteWebhook')).toHaveLength(1)
    expect(fake.callsOf('setMyCommands')).toHaveLength(1)
    expect(fake.callsOf('setWebhook')).toHaveLength(0)
    // every press answered, and its keyboard taken off the message that carried it
    expect(fake.callsOf('answerCallbackQuery')).toHaveLength(4)
    const edited = fake.callsOf('editMessageReplyMarkup').map((c) => c.payload.message_id)
    for (const p of [...pressed, human]) {
      expect(edited).toContain(p.messageId)
      expect(fake.sent.get(p.messageId)!.reply_markup).toBeUndefined()
    }
    const contact = await bot.database.db.contact.findFirstOrThrow({
      where: { channel: 'telegram' },
    })
    expect(contact).toMatchObject({ channelUserId: String(ANA), locale: 'es', country: 'BO' })
    expect(contact.consentAt).not.toBeNull()
    const inbound = await bot.database.db.inboundMessage.findMany({
      where: { channel: 'telegram' },
      orderBy: { receivedAt: 'asc' },
    })
    expect(inbound.map((m) => m.choice)).toEqual([null, 'accept', 'es', 'BO', 'human'])
    expect(inbound.every((m) => /^u\d+$/.test(m.platformMessageId))).toBe(true)
    expect(h.telegram.adapter.health()).toMatchObject({ state: 'up' })
  })

  it('handles the same update delivered twice once', async () => {
    const { fake, bot } = await harness()
    const update = fake.message(ANA, { text: 'hola' })
    fake.push(update)
    fake.push(update)
    await reply(fake, ANA, /¿Acepta que guardemos/)
    await new Promise((r) => setTimeout(r, 200))
    expect(await bot.database.db.inboundMessage.count({ where: { channel: 'telegram' } })).toBe(1)
    expect(fake.sentTo(ANA).filter((m) => /Soy Minka/.test(m.text))).toHaveLength(1)
  })

  it('answers a stale button with a notice and asks the current question again', async () => {
    const h = await harness()
    const { fake, bot } = h
    await h.send(fake.message(ANA, { text: 'hola' }))
    await reply(fake, ANA, /¿Acepta que guardemos/)
    const consent = fake.keyboardOf(ANA)
    const accept = consent.buttons.find((b) => b.text === 'Acepto')!
    await press(h, ANA, /^Acepto$/)
    const language = fake.keyboardOf(ANA)
    expect(language.buttons.map((b) => b.text)).toEqual(['Español', 'English'])

    // the consent message lost its keyboard, but an old client may still show it
    const before = fake.sentTo(ANA).length
    await h.send(fake.press(ANA, consent.messageId, accept.data))
    await fake.waitFor(() =>
      fake.callsOf('answerCallbackQuery').find((c) => c.payload.text === STALE),
    )
    const again = await reply(fake, ANA, /¿En qué idioma/, before)
    expect(again.reply_markup?.inline_keyboard.flat().map((b) => b.text)).toEqual([
      'Español',
      'English',
    ])
    const stored = await bot.database.db.inboundMessage.findMany({ where: { channel: 'telegram' } })
    expect(stored.filter((m) => m.choice === 'accept')).toHaveLength(1)

    // a press on the current question still works
    const chosen = await press(h, ANA, /^English$/)
    await reply(fake, ANA, /country/, chosen.since)
  })

  it('keeps a photo and a voice note as attachments of her open case', async () => {
    const h = await harness()
    const { fake, bot } = h
    const openCase_ = await openCase(h)
    const photoSmall = fake.addFile(Buffer.alloc(100, 1), 'photos/file_1.jpg')
    const photoLarge = fake.addFile(Buffer.alloc(5_000, 2), 'photos/file_2.jpg')
    const voice = fake.addFile(Buffer.alloc(3_000, 3), 'voice/file_3.oga')
    let since = fake.sentTo(ANA).length
    await h.send(
      fake.message(ANA, {
        photo: [
          { file_id: photoSmall, file_unique_id: 's', width: 90, height: 90, file_size: 100 },
          { file_id: photoLarge, file_unique_id: 'l', width: 800, height: 800, file_size: 5_000 },
        ],
      }),
    )
    await reply(fake, ANA, /Recibimos su archivo/, since)
    since = fake.sentTo(ANA).length
    await h.send(
      fake.message(ANA, {
        voice: {
          file_id: voice,
          file_unique_id: 'v',
          duration: 4,
          mime_type: 'audio/ogg',
          file_size: 3_000,
        },
      }),
    )
    await reply(fake, ANA, /Recibimos su archivo/, since)
    const rows = await bot.database.db.attachment.findMany({ orderBy: { size: 'desc' } })
    expect(rows.map((a) => [a.kind, a.mime, a.size, a.caseId])).toEqual([
      ['image', 'image/jpeg', 5_000, openCase_.id],
      ['audio', 'audio/ogg', 3_000, openCase_.id],
    ])
    expect((await h.attachments.read(rows[0]!.storageKey)).equals(Buffer.alloc(5_000, 2))).toBe(
      true,
    )
    expect(fake.callsOf('getFile').map((c) => c.payload.file_id)).toEqual([photoLarge, voice])
  })

  it('refuses a file over the limit without downloading it, and one that turns out too big', async () => {
    const h = await harness({ maxBytes: 1_000 })
    const { fake, bot } = h
    const big = fake.addFile(Buffer.alloc(2_000), 'documents/big.pdf')
    await h.send(
      fake.message(ANA, {
        document: {
          file_id: big,
          file_unique_id: 'b',
          file_name: 'actas.pdf',
          mime_type: 'application/pdf',
          file_size: 2_000,
        },
      }),
    )
    await reply(fake, ANA, /demasiado grande/)
    expect(fake.callsOf('getFile')).toHaveLength(0)
    // no size in the message, and getFile understates it: the download itself is cut off
    const sneaky = fake.addFile(Buffer.alloc(2_000), 'documents/sneaky.pdf', 500)
    const since = fake.sentTo(ANA).length
    await h.send(
      fake.message(ANA, {
        document: { file_id: sneaky, file_unique_id: 'x', mime_type: 'application/pdf' },
      }),
    )
    await reply(fake, ANA, /demasiado grande/, since)
    expect(await bot.database.db.attachment.count()).toBe(0)
  })

  it('retries a 429 inside the call and delivers the message once', async () => {
    const h = await harness({ beforeStart: (f) => f.failNext('sendMessage', TOO_MANY_REQUESTS(1)) })
    const { fake } = h
    await h.send(fake.message(ANA, { text: 'hola' }))
    await reply(fake, ANA, /¿Acepta que guardemos/)
    const welcome = fake
      .callsOf('sendMessage')
      .filter((c) => /Soy Minka/.test(String(c.payload.text)))
    expect(welcome).toHaveLength(2) // refused once, then accepted
    expect(welcome[1]!.at - welcome[0]!.at).toBeGreaterThanOrEqual(950)
    expect(fake.sentTo(ANA).filter((m) => /Soy Minka/.test(m.text))).toHaveLength(1)
  })

  it('hands a long retry_after to the dispatcher, which sends once it is due', async () => {
    const h = await harness({
      beforeStart: (f) => f.failNext('sendMessage', TOO_MANY_REQUESTS(30)),
    })
    const { fake, bot } = h
    await h.send(fake.message(ANA, { text: 'hola' }))
    const db = bot.database.db
    await expect
      .poll(() => db.outboundMessage.findFirst({ where: { attempts: 1, status: 'queued' } }))
      .toMatchObject({ lastError: '429: Too Many Requests: retry after 30' })
    expect(fake.sentTo(ANA)).toHaveLength(0)
    h.clock.skewMs += 31_000
    await reply(fake, ANA, /¿Acepta que guardemos/)
    expect(fake.sentTo(ANA).filter((m) => /Soy Minka/.test(m.text))).toHaveLength(1)
  })

  it('marks her unreachable on 403 and cancels what was still queued for her', async () => {
    const h = await harness({ beforeStart: (f) => f.failNext('sendMessage', BLOCKED) })
    const { fake, bot } = h
    await h.send(fake.message(ANA, { text: 'hola' }))
    const db = bot.database.db
    await expect
      .poll(() => db.contact.findFirst({ where: { channel: 'telegram' } }))
      .toMatchObject({ unreachableReason: '403: Forbidden: bot was blocked by the user' })
    const rows = await db.outboundMessage.findMany({
      orderBy: [{ createdAt: 'asc' }, { seq: 'asc' }],
    })
    expect(rows.map((r) => r.status)).toEqual(['failed', 'cancelled'])
    expect(fake.callsOf('sendMessage')).toHaveLength(1)
  })

  it('answers only in private chats: a group is told once; edits and channel posts are ignored', async () => {
    const h = await harness()
    const { fake, bot } = h
    const group = { id: -100123, type: 'supergroup' as const, title: 'Cooperativa' }
    await h.send(fake.message(ANA, { chat: group, text: 'hola' }))
    await h.send(fake.message(ANA, { chat: group, text: '/start' }))
    const edit = fake.message(ANA, { text: 'editado' })
    await h.send({ update_id: edit.update_id, edited_message: edit.message! } as Update)
    const post = fake.message(ANA, { text: 'x', chat: { id: -1009, type: 'channel', title: 'c' } })
    await h.send({ update_id: post.update_id, channel_post: post.message! } as unknown as Update)
    await h.send(fake.message(ANA, { text: 'hola' }))
    await reply(fake, ANA, /¿Acepta que guardemos/)
    await fake.waitFor(() =>
      fake.callsOf('sendMessage').some((c) => c.payload.chat_id === group.id),
    )
    const told = fake.callsOf('sendMessage').filter((c) => c.payload.chat_id === group.id)
    expect(told.map((c) => c.payload.text)).toEqual([
      'Hola, soy Minka. Solo converso en chats privados: escríbame directamente para que la ayude.',
    ])
    expect(await bot.database.db.inboundMessage.count()).toBe(1)
  })

  it('starts despite failing non-essential calls', async () => {
    const h = await harness({
      beforeStart: (f) => {
        f.failNext('deleteWebhook', { error_code: 404, description: 'Not Found' })
        f.failNext('setMyCommands', {
          error_code: 400,
          description: 'Bad Request: BOT_COMMAND_INVALID',
        })
      },
    })
    await h.send(h.fake.message(ANA, { text: 'hola' }))
    await reply(h.fake, ANA, /¿Acepta que guardemos/)
    expect(h.telegram.adapter.health().state).toBe('up')
  })

  it('reports a rejected token as down, and start() still resolves', async () => {
    const h = await harness({ token: '999999:wrong-token-wrong-token-wrong' })
    const health = h.telegram.adapter.health()
    expect(health).toMatchObject({
      state: 'down',
      detail: TOKEN_REJECTED,
      lastError: TOKEN_REJECTED,
    })
    expect(health.since).toBeDefined()
    expect(h.telegram.adapter.isReady()).toBe(false)
    expect(h.fake.callsOf('getMe')).toHaveLength(1)
    expect(h.fake.callsOf('getUpdates')).toHaveLength(0)
    // the rest of the bot runs on
    expect((await h.bot.say('web-user', 'hola')).length).toBeGreaterThan(0)
  })
})

describe('Telegram channel, webhook', () => {
  it('holds the conversation over a webhook, and rejects a wrong secret without storing it', async () => {
    const h = await harness({ webhook: true })
    const { fake, bot } = h
    expect(fake.webhook).toMatchObject({
      secret_token: SECRET,
      allowed_updates: ['message', 'callback_query', 'my_chat_member'],
    })
    expect(fake.callsOf('deleteWebhook')).toHaveLength(0)
    expect(fake.callsOf('getUpdates')).toHaveLength(0)

    const forged = fake.message(ANA, { text: 'hola' })
    expect(await fake.deliver(forged, 'not-the-secret-not-the-secret')).toBe(401)
    expect(await fake.deliver(forged, '')).toBe(401)
    expect(await bot.database.db.inboundMessage.count()).toBe(0)

    await reachMenu(h)
    const human = await press(h, ANA, /Hablar con una persona/)
    await reply(fake, ANA, /caso C-1/, human.since)
    // Telegram redelivers when it did not get a 200 in time: stored once
    const update = fake.message(ANA, { text: 'gracias' })
    const before = await bot.database.db.inboundMessage.count()
    expect(await fake.deliver(update)).toBe(200)
    expect(await fake.deliver(update)).toBe(200)
    expect(await bot.database.db.inboundMessage.count()).toBe(before + 1)
    expect(fake.callsOf('editMessageReplyMarkup').length).toBeGreaterThanOrEqual(4)
  })

  it('answers 200 once the update is stored, before the reply is written', async () => {
    const h = await harness({ webhook: true })
    const { fake, bot } = h
    const update = fake.message(ANA, { text: 'hola' })
    expect(await fake.deliver(update)).toBe(200)
    const stored = await bot.database.db.inboundMessage.findFirst({
      where: { channel: 'telegram' },
    })
    expect(stored?.platformMessageId).toBe(`u${update.update_id}`)
    await reply(fake, ANA, /¿Acepta que guardemos/)
  })
})
