import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { Api } from 'grammy'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createI18n } from '../../app/i18n.ts'
import { createLogger } from '../../app/logger.ts'
import { AttachmentStore } from '../attachments/attachment-store.ts'
import { FakeBotApi } from '../channels/telegram/fake-bot-api.ts'
import { RecentChoices } from '../channels/telegram/recent-choices.ts'
import { TelegramAdapter, TelegramHealth } from '../channels/telegram/telegram-adapter.ts'
import { FakeSocket } from '../channels/whatsapp/fake-socket.ts'
import { WhatsAppAdapter } from '../channels/whatsapp/whatsapp-adapter.ts'
import { renderBroadcast } from './broadcasts.ts'
import { previewOn } from './preview.ts'

/** A broadcast with a file, through each channel adapter against its fake platform. */
const logger = createLogger('silent')
const i18n = await createI18n()
let dir: string
let store: AttachmentStore
let fake: FakeBotApi
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47]), Buffer.alloc(32, 7)])
const PDF = Buffer.from('%PDF-1.4 minimal')

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'minka-media-'))
  store = new AttachmentStore(dir, 1_048_576)
  fake = await FakeBotApi.start()
})
afterAll(async () => {
  await fake.close()
  await rm(dir, { recursive: true, force: true })
})

function telegram() {
  const health = new TelegramHealth()
  health.set('up')
  const api = new Api(fake.token, { apiRoot: fake.apiRoot })
  return new TelegramAdapter(api, new RecentChoices(), health, logger, store)
}

async function saved(bytes: Buffer, mime: string) {
  const r = await store.save(bytes, mime)
  if (!r.ok) throw new Error('not saved')
  return r.ref
}

describe('Telegram', () => {
  it('sends an image as a photo with the text as caption', async () => {
    const ref = await saved(PNG, 'image/png')
    const payload = renderBroadcast(i18n, { texts: { es: 'Feria el sábado' }, mediaRef: ref }, 'es')
    const result = await telegram().send({
      outboxId: 'o1',
      contactId: 'c',
      channelUserId: '42',
      payload,
    })
    expect(result.ok).toBe(true)
    const file = fake.sentFiles.at(-1)!
    expect(file).toMatchObject({ method: 'sendPhoto', chatId: 42 })
    expect(file.bytes).toEqual(PNG)
    expect(file.caption).toMatch(/^Feria el sábado\n\n.*BAJA/s)
    // the preview says the same: the file with its caption, no text message after it
    expect(previewOn('telegram', payload)).toEqual({
      file: { ref, caption: file.caption },
      messages: [],
    })
  })

  it('sends a PDF as a document; a caption over 1,024 characters follows as text', async () => {
    const ref = await saved(PDF, 'application/pdf')
    const long = `${'Requisitos de la convocatoria. '.repeat(40)}Fin.`
    const payload = renderBroadcast(i18n, { texts: { es: long }, mediaRef: ref }, 'es')
    const before = fake.sent.size
    const result = await telegram().send({
      outboxId: 'o2',
      contactId: 'c',
      channelUserId: '43',
      payload,
    })
    expect(result.ok).toBe(true)
    const file = fake.sentFiles.at(-1)!
    expect(file).toMatchObject({ method: 'sendDocument', chatId: 43, caption: undefined })
    expect(file.bytes).toEqual(PDF)
    const texts = [...fake.sent.values()].slice(before).map((m) => m.text)
    expect(texts).toEqual(previewOn('telegram', payload).messages)
    expect(texts.join('')).toContain('BAJA')
  })

  it('fails the row for good when the file is gone', async () => {
    const payload = renderBroadcast(
      i18n,
      { texts: { es: 'x' }, mediaRef: '2026-01/missing.png' },
      'es',
    )
    const result = await telegram().send({
      outboxId: 'o3',
      contactId: 'c',
      channelUserId: '44',
      payload,
    })
    expect(result).toMatchObject({ ok: false, permanent: true, reason: 'attachment-unreadable' })
  })
})

describe('WhatsApp', () => {
  it('sends the image with the text as caption, as the preview shows', async () => {
    const ref = await saved(PNG, 'image/png')
    const socket = new FakeSocket({} as never)
    const adapter = new WhatsAppAdapter({
      link: { openSocket: () => socket, health: () => ({ state: 'up' }) },
      attachments: store,
      logger,
      sendsPerMinute: 600,
      chatMinIntervalMs: 1000,
      typingMaxMs: 0,
      clock: { now: () => 0, sleep: async () => undefined, random: () => 0 },
    })
    const payload = renderBroadcast(i18n, { texts: { es: 'Feria el sábado' }, mediaRef: ref }, 'es')
    const result = await adapter.send({
      outboxId: 'w1',
      contactId: 'c',
      channelUserId: '59170000001@s.whatsapp.net',
      payload,
    })
    expect(result.ok).toBe(true)
    expect(socket.sent).toHaveLength(1)
    const content = socket.sent[0]!.content as { image: Buffer; caption: string }
    expect(content.image).toEqual(PNG)
    expect(content.caption).toMatch(/^Feria el sábado\n\n.*BAJA/s)
    expect(previewOn('whatsapp', payload)).toEqual({
      file: { ref, caption: content.caption },
      messages: [],
    })
  })
})
