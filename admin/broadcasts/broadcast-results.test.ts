import { randomUUID } from 'node:crypto'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../app/db/open.ts'
import { createHttpApp } from '../../app/http/server.ts'
import { createI18n } from '../../app/i18n.ts'
import { createLogger } from '../../app/logger.ts'
import { seedProgramme } from '../../prisma/seed/seed.ts'
import { freshSqlite, type TestDatabase } from '../../test/support/test-db.ts'
import { AttachmentStore } from '../../bot/attachments/attachment-store.ts'
import { audienceSchema } from '../../bot/broadcasts/audience.ts'
import { PASSWORD, createStaff, signIn } from '../admin-test-kit.ts'
import { adminRouter } from '../admin-router.ts'
import { BROADCAST_MEDIA_MAX_BYTES } from './media-upload.ts'

/** The panel on a seeded database with a real attachment store (uploads are saved). */
let database: TestDatabase
let db: Db
let dir: string
let store: AttachmentStore
let app: ReturnType<typeof createHttpApp>
const woken: number[] = []
type Session = Awaited<ReturnType<typeof signIn>>
let admin: Session
let agent: Session
let adminId: string
const i18n = await createI18n()

beforeAll(async () => {
  database = await freshSqlite()
  db = database.db
  const logger = createLogger('silent')
  await seedProgramme(db, { adminEmail: 'admin@test.local', adminPassword: PASSWORD, log: logger })
  dir = await mkdtemp(path.join(os.tmpdir(), 'minka-bc-'))
  store = new AttachmentStore(dir, 16 * 1_048_576)
  app = createHttpApp(
    [
      adminRouter({
        db,
        i18n,
        logger,
        wakeDispatcher: () => woken.push(Date.now()),
        channelHealth: () => ({}),
        attachments: store,
        sessionIdleMinutes: 60,
      }),
    ],
    logger,
  )
  await createStaff(db, 'agent@test.local', 'agent', ['BO-LP'])
  admin = await signIn(app, 'admin@test.local')
  agent = await signIn(app, 'agent@test.local')
  adminId = (await db.staff.findFirstOrThrow({ where: { email: 'admin@test.local' } })).id
})
afterAll(async () => {
  await database.cleanup()
  await rm(dir, { recursive: true, force: true })
})

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(64),
])

const compose = {
  title: 'Capacitación',
  text_es: 'Capacitación el lunes',
  regionIds: 'BO-LP',
  onlyWhoWrote: '1',
  when: 'now',
  timezone: 'America/La_Paz',
}

async function post(who: Session, url: string, body: Record<string, string>) {
  return who.agent
    .post(url)
    .type('form')
    .send({ _csrf: await who.csrf(), ...body })
}

/** The compose form as the browser sends it with a file: multipart. */
async function postMultipart(
  who: Session,
  body: Record<string, string>,
  file?: { bytes: Buffer; name: string; type: string },
) {
  let req = who.agent.post('/admin/broadcasts').field('_csrf', await who.csrf())
  for (const [k, v] of Object.entries(body)) req = req.field(k, v)
  if (file) req = req.attach('media', file.bytes, { filename: file.name, contentType: file.type })
  return req
}

async function contact(opts: { phone?: string; regionId?: string | null; optedOutAt?: Date }) {
  const id = randomUUID()
  await db.contact.create({
    data: {
      id,
      channel: 'telegram',
      channelUserId: `tg-${id.slice(0, 8)}`,
      regionId: opts.regionId === undefined ? 'BO-LP' : opts.regionId,
      country: 'BO',
      phone: opts.phone ?? null,
      consentAt: new Date(),
      lastInboundAt: new Date(),
      optedOutAt: opts.optedOutAt ?? null,
    },
  })
  return id
}

describe('preview', () => {
  it('shows the message as WhatsApp and Telegram will deliver it, with the follow-up and BAJA', async () => {
    const long = `${'Palabra '.repeat(490)}fin.`
    const res = await post(admin, '/admin/broadcasts', {
      ...compose,
      text_es: long,
      followup_q_es: '¿Le interesa?',
      followup_opts_es: 'Me interesa\nNo puedo',
      action: 'preview',
    })
    expect(res.status).toBe(200)
    expect(await db.broadcast.count()).toBe(0)
    const block = (channel: string) =>
      new RegExp(
        `data-test="preview-${channel}">([\\s\\S]*?)</div>\\s*(<div class="bc-phone|</div>)`,
      ).exec(res.text)![1]!
    const whatsapp = block('whatsapp')
    const telegram = block('telegram')
    for (const view of [whatsapp, telegram]) {
      expect(view).toContain('1 = Me interesa')
      expect(view).toContain('2 = No puedo')
      expect(view).toContain('BAJA')
    }
    // 4,000 characters a message on WhatsApp, 4,096 on Telegram: the same text splits in two
    // on WhatsApp and fits in one on Telegram
    expect(whatsapp.match(/class="bc-bubble"/g)).toHaveLength(2)
    expect(telegram.match(/class="bc-bubble"/g)).toHaveLength(1)
  })

  it('refuses a follow-up question without options, or English options that do not pair', async () => {
    for (const extra of <Record<string, string>[]>[
      { followup_q_es: '¿Le interesa?' },
      { followup_q_es: '¿Le interesa?', followup_opts_es: 'Sí\nNo', followup_opts_en: 'Yes' },
    ]) {
      const res = await post(admin, '/admin/broadcasts', { ...compose, ...extra })
      expect(res.status).toBe(400)
      expect(res.text).toContain(i18n.t('broadcasts.admin.invalid_follow_up', { lng: 'es' }))
    }
    expect(await db.broadcast.count()).toBe(0)
  })
})

describe('test send to her own contact', () => {
  it('queues one row to the contact matched by phone, audited; an unknown one queues nothing', async () => {
    const mine = await contact({ phone: '+59170000123' })
    const res = await post(admin, '/admin/broadcasts', {
      ...compose,
      followup_q_es: '¿Le interesa?',
      followup_opts_es: 'Sí\nNo',
    })
    const id = res.headers.location!.split('/').at(-1)!
    const before = woken.length
    const sent = await post(admin, `/admin/broadcasts/${id}/test`, { contact: '+591 7000-0123' })
    expect(sent.status).toBe(303)
    expect(sent.headers.location).toBe(`/admin/broadcasts/${id}?test=telegram`)
    const rows = await db.outboundMessage.findMany({ where: { contactId: mine } })
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ status: 'queued', origin: 'system', originId: id })
    expect(JSON.parse(rows[0]!.payload).text).toMatch(
      /Capacitación el lunes[\s\S]*1 = Sí[\s\S]*BAJA/,
    )
    expect(woken.length).toBe(before + 1)
    expect(
      await db.auditLog.count({ where: { action: 'broadcast.test_send', entityId: id } }),
    ).toBe(1)
    // she is not a recipient: the broadcast's counts are untouched
    expect(await db.broadcastRecipient.count({ where: { broadcastId: id } })).toBe(0)

    const unknown = await post(admin, `/admin/broadcasts/${id}/test`, { contact: '+59999999' })
    expect(unknown.headers.location).toBe(`/admin/broadcasts/${id}?test=unknown`)
    expect(await db.outboundMessage.count({ where: { originId: id } })).toBe(1)
  })

  it('an agent cannot test-send to a woman of another region', async () => {
    const other = await contact({ phone: '+50760000001', regionId: 'PA-8' })
    const res = await post(agent, '/admin/broadcasts', compose)
    const id = res.headers.location!.split('/').at(-1)!
    const sent = await post(agent, `/admin/broadcasts/${id}/test`, { contact: '+50760000001' })
    expect(sent.headers.location).toBe(`/admin/broadcasts/${id}?test=unknown`)
    expect(await db.outboundMessage.count({ where: { contactId: other } })).toBe(0)
  })
})

describe('image or document', () => {
  it('stores an uploaded image and sends it with the text as caption', async () => {
    const res = await postMultipart(
      admin,
      { ...compose, action: 'save' },
      {
        bytes: PNG,
        name: 'afiche.png',
        type: 'image/png',
      },
    )
    expect(res.status).toBe(303)
    const b = await db.broadcast.findFirstOrThrow({ where: { mediaRef: { not: null } } })
    expect(b.mediaRef).toMatch(/\.png$/)
    expect(await readFile(store.pathOf(b.mediaRef!))).toEqual(PNG)
    expect(
      await db.auditLog.count({
        where: { action: 'broadcast.media_upload', entityId: b.mediaRef },
      }),
    ).toBe(1)
    const page = await admin.agent.get(`/admin/broadcasts/${b.id}`)
    expect(page.text).toContain('afiche.png')
  })

  it('keeps the upload across a count, and refuses a file name it did not upload', async () => {
    const counted = await postMultipart(
      admin,
      { ...compose, action: 'count' },
      {
        bytes: PNG,
        name: 'a.png',
        type: 'image/png',
      },
    )
    expect(counted.status).toBe(200)
    const ref = /name="mediaRef" value="([^"]+)"/.exec(counted.text)![1]!
    expect(ref).toMatch(/\.png$/)
    const saved = await postMultipart(admin, { ...compose, mediaRef: ref })
    expect(saved.status).toBe(303)
    const forged = await postMultipart(agent, { ...compose, mediaRef: ref })
    expect(forged.status).toBe(400)
    expect(forged.text).toContain(i18n.t('broadcasts.admin.media_failed', { lng: 'es' }))
  })

  it('refuses a file that is too large or not an image or PDF, with a clear error', async () => {
    const before = await db.broadcast.count()
    const big = await postMultipart(admin, compose, {
      bytes: Buffer.concat([PNG, Buffer.alloc(BROADCAST_MEDIA_MAX_BYTES)]),
      name: 'big.png',
      type: 'image/png',
    })
    expect(big.status).toBe(400)
    expect(big.text).toContain(i18n.t('broadcasts.admin.media_too_large', { lng: 'es', mb: 5 }))
    const exe = await postMultipart(admin, compose, {
      bytes: Buffer.from('MZ this is not an image'),
      name: 'foto.png',
      type: 'image/png',
    })
    expect(exe.status).toBe(400)
    expect(exe.text).toContain(i18n.t('broadcasts.admin.media_type', { lng: 'es' }))
    expect(await db.broadcast.count()).toBe(before)
  })
})

describe('results', () => {
  it('counts delivered, failures by reason, answers per option and the opt-outs it caused; CSV', async () => {
    const id = randomUUID()
    const T = new Date('2026-11-20T12:00:00Z')
    await db.broadcast.create({
      data: {
        id,
        title: 'Feria',
        texts: JSON.stringify({ es: 'Feria el sábado' }),
        followUp: JSON.stringify({
          question: { es: '¿Viene?' },
          options: [{ es: 'Sí' }, { es: 'No' }],
        }),
        audience: JSON.stringify(audienceSchema.parse({ regionIds: ['BO-LP'] })),
        status: 'done',
        createdById: adminId,
      },
    })
    const outcomes: { status: string; error?: string; answer?: string; optOut?: number }[] = [
      { status: 'sent', answer: '1' },
      { status: 'sent', answer: '1' },
      { status: 'sent', answer: '2' },
      { status: 'sent', optOut: 3_600_000 }, // BAJA an hour after it: caused by it
      { status: 'sent', optOut: -3_600_000 }, // had opted out before (not caused)
      { status: 'sent' },
      { status: 'failed', error: '403 bot was blocked by the user' },
      { status: 'failed', error: '403 bot was blocked by the user' },
      { status: 'failed', error: 'invalid payload' },
    ]
    for (const o of outcomes) {
      const c = await contact({
        optedOutAt: o.optOut ? new Date(T.getTime() + o.optOut) : undefined,
      })
      const outboundId = randomUUID()
      await db.outboundMessage.create({
        data: {
          id: outboundId,
          contactId: c,
          channel: 'telegram',
          channelUserId: 'x',
          payload: '{}',
          status: o.status,
          lastError: o.error ?? null,
          origin: 'broadcast',
          originId: id,
          nextAttemptAt: T,
          createdAt: T,
          sentAt: o.status === 'sent' ? T : null,
        },
      })
      await db.broadcastRecipient.create({
        data: {
          id: randomUUID(),
          broadcastId: id,
          contactId: c,
          outboundId,
          status: o.status,
          answer: o.answer ?? null,
        },
      })
    }
    const page = await admin.agent.get(`/admin/broadcasts/${id}/results`)
    expect(page.status).toBe(200)
    const value = (k: string) => new RegExp(`data-result="${k}">(\\d+)<`).exec(page.text)![1]
    expect(value('delivered')).toBe('6')
    expect(value('failed')).toBe('3')
    expect(value('opt_outs_caused')).toBe('1')
    expect(page.text).toMatch(/403 bot was blocked by the user<\/td><td>2</)
    expect(page.text).toMatch(/invalid payload<\/td><td>1</)
    expect(page.text).toMatch(/data-answer="1"><td>1 = Sí<\/td><td>2</)
    expect(page.text).toMatch(/data-answer="2"><td>2 = No<\/td><td>1</)
    expect(page.text).toMatch(/data-answer="none"><td>[^<]+<\/td><td>3</)

    const csv = await admin.agent.get(`/admin/broadcasts/${id}/results.csv`)
    expect(csv.status).toBe(200)
    expect(csv.headers['content-type']).toMatch(/text\/csv/)
    expect(csv.text.charCodeAt(0)).toBe(0xfeff)
    const rows = parse(csv.text.slice(1)) as string[][]
    expect(rows).toHaveLength(1 + outcomes.length)
    const answers = rows
      .slice(1)
      .map((r) => r[6])
      .filter(Boolean)
      .sort()
    expect(answers).toEqual(['1 = Sí', '1 = Sí', '2 = No'])
    expect(rows.slice(1).filter((r) => r[7] !== '')).toHaveLength(1)
    expect(rows.slice(1).filter((r) => r[5] === '403 bot was blocked by the user')).toHaveLength(2)
    expect(await db.auditLog.count({ where: { action: 'broadcast.export', entityId: id } })).toBe(1)

    // an agent of another region sees neither
    const pa = await createStaff(db, 'pa@test.local', 'agent', ['PA-8'])
    expect(pa).toBeTruthy()
    const other = await signIn(app, 'pa@test.local')
    expect((await other.agent.get(`/admin/broadcasts/${id}/results`)).status).toBe(404)
    expect((await other.agent.get(`/admin/broadcasts/${id}/results.csv`)).status).toBe(404)
  })
})
