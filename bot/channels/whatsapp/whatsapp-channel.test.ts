import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import express from 'express'
import request from 'supertest'
import { afterEach, describe, expect, it } from 'vitest'
import { createI18n, readLocaleResources } from '../../../app/i18n.ts'
import type { Db } from '../../../app/db/open.ts'
import { createLogger } from '../../../app/logger.ts'
import { flowDefinitions } from '../../../flows/definitions/index.ts'
import { loadFlows } from '../../../flows/registry.ts'
import { seedProgramme } from '../../../prisma/seed/seed.ts'
import { freshSqlite, type TestDatabase } from '../../../test/support/test-db.ts'
import { TestClock } from '../../../test/support/test-bot.ts'
import { AttachmentStore } from '../../attachments/attachment-store.ts'
import { Runtime } from '../../runtime.ts'
import type { PacerClock } from './chat-pacer.ts'
import { fakeSocketFactory, incoming, type FakeSocket } from './fake-socket.ts'
import { WhatsAppChannel, type WhatsAppChannelOptions } from './whatsapp-channel.ts'

const HER = '59171234567@s.whatsapp.net'
const logger = createLogger('silent')
const resources = readLocaleResources()
const registry = loadFlows(flowDefinitions, resources)

/** Simulated time for pacing and typing: sleeping moves the clock, never the test. */
class SimClock implements PacerClock {
  t = Date.parse('2026-03-02T18:00:00Z')
  now = () => this.t
  sleep = async (ms: number) => {
    this.t += ms
    await new Promise((resolve) => setImmediate(resolve))
  }
  random = () => 0.5
}

const open: { close: () => Promise<void> }[] = []

afterEach(async () => {
  for (const h of open.splice(0)) await h.close()
})

/** A whole bot (seeded database, pipeline, dispatcher) whose WhatsApp side is a fake socket. */
async function startWhatsAppBot(
  options: Partial<WhatsAppChannelOptions> & { database?: TestDatabase } = {},
) {
  const database = options.database ?? (await freshSqlite())
  if (!options.database) {
    await seedProgramme(database.db, {
      adminEmail: 'admin@test.local',
      adminPassword: 'a-long-test-password',
      log: logger,
    })
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'minka-wa-'))
  const attachments = new AttachmentStore(dir, 1_000_000)
  const sockets = fakeSocketFactory()
  const sim = new SimClock()
  const timers: number[] = []
  const printed: string[] = []
  const i18n = await createI18n(resources)
  const channel = new WhatsAppChannel({
    db: database.db,
    logger,
    i18n,
    staffLocale: 'es',
    attachments,
    account: 'default',
    // The dispatcher's own bucket runs on real time: keep it out of the way; per-chat pacing
    // (on simulated time) is what these tests measure.
    sendsPerMinute: 60_000,
    chatMinIntervalMs: 1_000,
    makeSocket: sockets,
    download: async () => Readable.from([Buffer.from('OggS-voice-note')]),
    clock: sim,
    setTimer: (fn, ms) => {
      timers.push(ms)
      setImmediate(fn) // reconnect at once in simulated time, but remember the delay asked for
      return () => undefined
    },
    printToTerminal: (text) => printed.push(text),
    ...options,
  })
  const clock = new TestClock()
  const runtime = new Runtime({
    db: database.db,
    provider: database.target.provider,
    registry,
    i18n,
    logger,
    now: clock.now,
    pollMs: 10,
    adapters: [channel.adapter],
  })
  await runtime.start()
  await channel.start(runtime.pipeline)
  let closed = false
  const harness = {
    database,
    db: database.db,
    channel,
    sockets,
    sim,
    timers,
    printed,
    clock,
    socket: () => sockets.last(),
    /** Her message arrives; resolves once the bot's replies to it went out. */
    say: async (text: string, key: Parameters<typeof incoming>[1] = {}) => {
      const before = sockets.last().sent.length
      clock.advance(60_000) // her replies are due at the pipeline's time, which must move on
      sockets.last().receive([incoming({ conversation: text }, key)])
      await channel.idle()
      await until(() => settled(database, before, sockets.last()))
      return sockets.last().texts().slice(before)
    },
    close: async () => {
      if (closed) return
      closed = true
      await channel.stop()
      await runtime.stop()
      if (!options.database) await database.cleanup()
      rmSync(dir, { recursive: true, force: true })
    },
  }
  open.push(harness)
  return harness
}

/** Every reply row written so far is sent, and at least one new message went out. */
async function settled(database: TestDatabase, before: number, socket: FakeSocket) {
  const pending = await database.db.outboundMessage.count({
    where: { channel: 'whatsapp', status: { in: ['queued', 'sending'] } },
  })
  return pending === 0 && socket.sent.length > before
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 10_000) {
  const started = Date.now()
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out waiting')
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

async function queueRows(h: { db: Db; clock: TestClock }, texts: string[]) {
  const contact = await h.db.contact.upsert({
    where: { channel_channelUserId: { channel: 'whatsapp', channelUserId: HER } },
    create: { id: 'c-her', channel: 'whatsapp', channelUserId: HER },
    update: {},
  })
  const at = h.clock.now()
  await h.db.outboundMessage.createMany({
    data: texts.map((text, i) => ({
      id: `row-${i.toString().padStart(3, '0')}`,
      contactId: contact.id,
      channel: 'whatsapp',
      channelUserId: HER,
      payload: JSON.stringify({ kind: 'text', text }),
      status: 'queued',
      nextAttemptAt: at,
      origin: 'broadcast',
      seq: i,
      createdAt: at,
    })),
  })
}

describe('WhatsApp channel on a fake socket', () => {
  it('opens the socket as the DESIGN asks and holds a conversation in numbered lists', async () => {
    const h = await startWhatsAppBot()
    expect(h.socket().config).toMatchObject({ markOnlineOnConnect: false, syncFullHistory: false })
    h.socket().open()
    expect(h.channel.snapshot()).toMatchObject({ status: 'connected', phone: '+59170000001' })

    const hello = await h.say('Hola')
    expect(hello.at(-1)).toMatch(/\n1\. .+\n2\. .+/) // the consent question, as a numbered list
    expect(hello.at(-1)).toContain('1. Acepto')
    const next = await h.say('1')
    expect(next.at(-1)).toMatch(/\n1\. .+\n2\. .+/)
    expect(next.at(-1)).not.toBe(hello.at(-1))
    const contact = await h.db.contact.findFirstOrThrow({ where: { channel: 'whatsapp' } })
    expect(contact).toMatchObject({ channelUserId: HER, phone: '+59171234567' })
    expect(contact.consentAt).not.toBeNull()

    expect(h.socket().sent.every((m) => m.jid === HER)).toBe(true)
    expect(h.socket().read).toHaveLength(2) // marked read once stored
    expect(h.socket().presences[0]).toEqual({ type: 'composing', jid: HER })
  })

  it('handles a duplicate upsert once', async () => {
    const h = await startWhatsAppBot()
    h.socket().open()
    const message = incoming({ conversation: 'Hola' }, { id: 'DUPLICATE1' })
    h.socket().receive([message])
    h.socket().receive([message])
    await h.channel.idle()
    await until(() => settled(h.database, 0, h.socket()))
    const first = h.socket().sent.length
    h.socket().receive([message])
    await h.channel.idle()
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(await h.db.inboundMessage.count({ where: { platformMessageId: 'DUPLICATE1' } })).toBe(1)
    expect(h.socket().sent.length).toBe(first)
  })

  it('ignores its own messages, groups, status updates and history', async () => {
    const h = await startWhatsAppBot()
    h.socket().open()
    h.socket().receive([
      incoming({ conversation: 'mine' }, { fromMe: true }),
      incoming({ conversation: 'grupo' }, { remoteJid: '120363000000000000@g.us' }),
      incoming({ conversation: 'estado' }, { remoteJid: 'status@broadcast' }),
      incoming({ conversation: 'lista' }, { remoteJid: '1690000000@broadcast' }),
    ])
    h.socket().receive([incoming({ conversation: 'old' })], 'append')
    await h.channel.idle()
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(await h.db.inboundMessage.count()).toBe(0)
    expect(h.socket().sent).toEqual([])
  })

  it('keeps one contact for a woman who writes from her LID', async () => {
    const h = await startWhatsAppBot()
    h.socket().open()
    await h.say('Hola')
    const lid = { remoteJid: '123456789012345@lid', remoteJidAlt: HER }
    const replies = await h.say('1', lid)
    expect(replies.length).toBeGreaterThan(0)
    expect(await h.db.contact.count({ where: { channel: 'whatsapp' } })).toBe(1)
    expect(h.socket().sent.every((m) => m.jid === HER)).toBe(true)
  })

  it('files a voice note with the case she opened by asking for a person', async () => {
    const h = await startWhatsAppBot()
    h.socket().open()
    await h.say('Hola')
    await h.say('1') // consent
    await h.say('1') // language
    const menu = (await h.say('1')).join('\n') // country (her +591 phone suggests Bolivia)
    const option = /(\d+)\. Hablar con una persona/.exec(menu)
    expect(option, menu).not.toBeNull()
    await h.say(option![1]!)
    const opened = await h.db.case.findFirstOrThrow()

    const before = h.socket().sent.length
    h.clock.advance(60_000)
    h.socket().receive([
      incoming({ audioMessage: { ptt: true, mimetype: 'audio/ogg; codecs=opus', seconds: 4 } }),
    ])
    await h.channel.idle()
    await until(() => settled(h.database, before, h.socket()))
    const attachment = await h.db.attachment.findFirstOrThrow()
    expect(attachment).toMatchObject({ kind: 'audio', caseId: opened.id, size: 15 })
    expect(attachment.storageKey).toMatch(/\.ogg$/)
  })

  it('paces 50 queued messages to one chat at no more than one a second', async () => {
    const h = await startWhatsAppBot()
    h.socket().open()
    const times: number[] = []
    h.socket().onSend = () => times.push(h.sim.now())
    await queueRows(
      h,
      Array.from({ length: 50 }, (_, i) => `Aviso ${i + 1}`),
    )
    await until(() => h.socket().sent.length === 50, 20_000)
    expect(h.socket().texts()).toEqual(Array.from({ length: 50 }, (_, i) => `Aviso ${i + 1}`))
    const gaps = times.slice(1).map((t, i) => t - times[i]!)
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1_000)
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(49 * 1_000)
    // …and the jitter stays bounded: the interval plus at most 400 ms each.
    expect(times.at(-1)! - times[0]!).toBeLessThanOrEqual(49 * 1_400)
  })

  it('keeps messages queued while disconnected and sends them in order after reconnecting', async () => {
    const h = await startWhatsAppBot({ setTimer: () => () => undefined })
    const first = h.socket()
    first.open()
    first.close(503)
    expect(h.channel.adapter.isReady()).toBe(false)
    await queueRows(h, ['uno', 'dos', 'tres'])
    expect(
      await h.channel.adapter.send({
        outboxId: 'x',
        contactId: 'c-her',
        channelUserId: HER,
        payload: { kind: 'text', text: 'x' },
      }),
    ).toEqual({ ok: false, permanent: false, reason: 'disconnected' })
    await new Promise((resolve) => setTimeout(resolve, 150)) // several dispatcher polls
    const rows = await h.db.outboundMessage.findMany({ orderBy: { seq: 'asc' } })
    expect(rows.map((r) => [r.status, r.attempts])).toEqual([
      ['queued', 0],
      ['queued', 0],
      ['queued', 0],
    ])
    // Staff see why and since when.
    expect(h.channel.snapshot()).toMatchObject({ status: 'disconnected', code: 503 })

    await (h.channel as unknown as { connect(): Promise<void> }).connect() // the timer fires
    h.socket().open()
    await until(() => h.socket().sent.length === 3)
    expect(h.socket().texts()).toEqual(['uno', 'dos', 'tres'])
    expect(first.sent).toEqual([])
  })

  it('splits a long text and sends choices as a numbered list', async () => {
    const h = await startWhatsAppBot()
    h.socket().open()
    const long = 'Una oración bastante larga para el aviso. '.repeat(200)
    const result = await h.channel.adapter.send({
      outboxId: 'long',
      contactId: 'c',
      channelUserId: HER,
      payload: { kind: 'text', text: long },
    })
    expect(result.ok).toBe(true)
    expect(h.socket().sent.length).toBe(3)
    expect(h.socket().texts().join(' ')).toBe(long.trim())
    await h.channel.adapter.send({
      outboxId: 'q',
      contactId: 'c',
      channelUserId: HER,
      payload: {
        kind: 'choice',
        text: '¿Continuamos?',
        prompt: 'p',
        options: [
          { id: 'yes', label: 'Sí' },
          { id: 'no', label: 'No' },
        ],
      },
    })
    expect(h.socket().texts().at(-1)).toBe('¿Continuamos?\n1. Sí\n2. No')
  })

  it('classifies send errors: rate limit waits, not-authorized fails, a part is not repeated', async () => {
    const h = await startWhatsAppBot()
    h.socket().open()
    const boom = (message: string, data: number) => Object.assign(new Error(message), { data })
    const send = (text: string, outboxId = text) =>
      h.channel.adapter.send({
        outboxId,
        contactId: 'c',
        channelUserId: HER,
        payload: { kind: 'text', text },
      })
    h.socket().failures.push(boom('rate-overlimit', 429))
    expect(await send('a')).toMatchObject({ ok: false, permanent: false, retryAfterMs: 60_000 })
    h.socket().failures.push(boom('not-authorized', 401))
    expect(await send('b')).toMatchObject({ ok: false, permanent: true })
    expect(await send('c', 'x')).toMatchObject({ ok: true })
    expect(
      await h.channel.adapter.send({
        outboxId: 'bad',
        contactId: 'c',
        channelUserId: 'not-a-jid',
        payload: { kind: 'text', text: 'x' },
      }),
    ).toMatchObject({ ok: false, permanent: true, unreachable: true })

    // The second of two parts fails: the retry sends only the second.
    const long = `${'a'.repeat(3_000)}. ${'b'.repeat(3_000)}.`
    const sock = h.socket()
    sock.onSend = () => {
      sock.onSend = undefined
      sock.failures.push(Object.assign(new Error('Timed Out'), { output: { statusCode: 408 } }))
    }
    expect(await send(long, 'two-parts')).toMatchObject({ ok: false, reason: 'timeout' })
    expect(await send(long, 'two-parts')).toMatchObject({ ok: true })
    expect(sock.texts().filter((t) => t.startsWith('a'))).toHaveLength(1)
    expect(sock.texts().filter((t) => t.startsWith('b'))).toHaveLength(1)
  })
})

describe('reconnection through the module', () => {
  it('wipes the auth state and pairs again when logged out, alerting staff', async () => {
    const h = await startWhatsAppBot()
    const first = h.socket()
    first.ev.emit('creds.update', {})
    first.open()
    await first.config.auth!.keys.set({ session: { s: Buffer.from('x') } })
    await until(async () => (await h.db.channelAuthState.count()) >= 2)

    first.close(401)
    await until(() => h.sockets.sockets.length === 2)
    expect(await h.db.channelAuthState.count()).toBe(0)
    expect(h.channel.snapshot()).toMatchObject({
      status: 'logged_out',
      alert: { reason: 'logged_out' },
    })
    expect(h.channel.adapter.health()).toMatchObject({ state: 'down', lastError: 'logged_out' })

    h.socket().showQr('2@new-qr')
    expect(h.channel.snapshot()).toMatchObject({
      status: 'pairing',
      qr: '2@new-qr',
      alert: { reason: 'logged_out' },
    })
    await until(() => h.printed.length > 0)
    expect(h.printed[0]).toContain('Dispositivos vinculados')

    const app = express().use(h.channel.staffRoutes)
    const res = await request(app).get('/channels/whatsapp')
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ status: 'pairing', alert: { reason: 'logged_out' } })
    expect(res.body.qrDataUrl).toMatch(/^data:image\/png;base64,/)
    expect(res.body.alertMessage).toContain('Vuelva a vincular')
    expect(res.body.qr).toBeUndefined()

    const code = await request(app)
      .post('/channels/whatsapp/pairing-code')
      .send({ phone: '+59170000001' })
    expect(code.body).toEqual({ code: 'ABCD1234' })
    expect(h.socket().pairingCodesFor).toEqual(['59170000001'])

    h.socket().open()
    expect(h.channel.snapshot().alert).toBeUndefined()
  })

  it('reconnects at once when a restart is required', async () => {
    const h = await startWhatsAppBot()
    h.socket().close(515)
    await until(() => h.sockets.sockets.length === 2)
    expect(h.timers).toEqual([0])
  })

  it.each([408, 428, 500, 503])(
    'backs off with growing delays on %i, reset once open',
    async (code) => {
      const h = await startWhatsAppBot()
      for (let n = 1; n <= 4; n++) {
        h.socket().close(code)
        await until(() => h.sockets.sockets.length === n + 1)
      }
      expect(h.timers).toEqual([1_500, 3_000, 6_000, 12_000]) // random 0.5: 3/4 of each ceiling
      expect(h.channel.snapshot()).toMatchObject({ status: 'disconnected', code })
      h.socket().open()
      h.socket().close(code)
      await until(() => h.sockets.sockets.length === 6)
      expect(h.timers.at(-1)).toBe(1_500)
    },
  )

  it('treats a QR that nobody scanned as a fresh start, not an outage', async () => {
    const h = await startWhatsAppBot()
    for (let n = 1; n <= 3; n++) {
      h.socket().showQr()
      h.socket().close(408)
      await until(() => h.sockets.sockets.length === n + 1)
    }
    expect(h.timers).toEqual([1_500, 1_500, 1_500])
  })

  it.each([
    [440, 'connection_replaced'],
    [403, 'forbidden'],
  ])('stops and alerts on %i', async (code, reason) => {
    const h = await startWhatsAppBot()
    h.socket().open()
    h.socket().close(code)
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(h.sockets.sockets).toHaveLength(1)
    expect(h.timers).toEqual([])
    expect(h.channel.snapshot()).toMatchObject({ status: 'stopped', reason, alert: { reason } })
    expect(h.channel.adapter.isReady()).toBe(false)
  })

  it('reconnects after a restart with the credentials it saved, without pairing again', async () => {
    const database = await freshSqlite()
    try {
      const before = await startWhatsAppBot({ database })
      const creds = before.socket().config.auth!.creds
      Object.assign(creds, { registered: true, me: { id: '59170000001:7@s.whatsapp.net' } })
      before.socket().ev.emit('creds.update', { registered: true })
      before.socket().open()
      await until(async () => (await database.db.channelAuthState.count()) === 1)
      await before.close()

      const after = await startWhatsAppBot({ database })
      expect(after.socket().config.auth!.creds).toEqual(creds)
      await after.close()
    } finally {
      await database.cleanup()
    }
  })
})
