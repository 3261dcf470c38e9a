import { randomUUID } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Db } from '../../app/db/open.ts'
import { createI18n } from '../../app/i18n.ts'
import { createLogger } from '../../app/logger.ts'
import { freshSqlite, type TestDatabase } from '../../test/support/test-db.ts'
import { claimDueRows } from '../outbox/outbox-store.ts'
import { contactEffectStatements } from '../pipeline/contact-effects.ts'
import { audienceSchema, type Audience } from './audience.ts'
import {
  HELD_UNTIL,
  MATERIALISED,
  cancel,
  countAudience,
  finishIfDone,
  materialise,
  pause,
  progress,
  resume,
  schedule,
} from './broadcasts.ts'
import { zonedToUtc, utcToZoned } from './schedule.ts'
import { BroadcastScheduler } from './scheduler.ts'

const i18n = await createI18n()
const T0 = new Date('2026-12-01T12:00:00Z')
let database: TestDatabase
let db: Db
let staffId: string

beforeEach(async () => {
  database = await freshSqlite()
  db = database.db
  staffId = randomUUID()
  await db.staff.create({
    data: { id: staffId, email: 's@test.local', name: 's', passwordHash: 'x', role: 'admin' },
  })
  await db.region.createMany({
    data: [
      { id: 'BO-LP', country: 'BO', kind: 'departamento', name: 'La Paz' },
      { id: 'BO-CB', country: 'BO', kind: 'departamento', name: 'Cochabamba' },
    ],
  })
  await db.rubro.create({ data: { id: 'textil', nameEs: 'Textil', nameEn: 'Textile' } })
  await db.programme.create({
    data: {
      id: 'BO-X',
      country: 'BO',
      nameEs: 'X',
      nameEn: 'X',
      source: 's',
      status: 'confirmado',
    },
  })
  await db.phase.create({
    data: {
      id: 'BO-X-1',
      programmeId: 'BO-X',
      order: 1,
      nameEs: 'Uno',
      nameEn: 'One',
      descriptionEs: '',
      descriptionEn: '',
      source: 's',
      status: 'confirmado',
    },
  })
})
afterEach(() => database.cleanup())

type ContactOpts = {
  id?: string
  channel?: 'whatsapp' | 'telegram' | 'web'
  regionId?: string | null
  locale?: string | null
  consent?: boolean
  wrote?: boolean
  optedOut?: boolean
  erased?: boolean
  unreachable?: boolean
}

async function contact(o: ContactOpts = {}): Promise<string> {
  const id = o.id ?? randomUUID()
  await db.contact.create({
    data: {
      id,
      channel: o.channel ?? 'telegram',
      channelUserId: `u-${id}`,
      regionId: o.regionId === undefined ? 'BO-LP' : o.regionId,
      country: 'BO',
      locale: o.locale ?? 'es',
      consentAt: o.consent === false ? null : T0,
      lastInboundAt: o.wrote === false ? null : T0,
      optedOutAt: o.optedOut ? T0 : null,
      erasedAt: o.erased ? T0 : null,
      unreachableAt: o.unreachable ? T0 : null,
    },
  })
  return id
}

async function broadcast(
  audience: Partial<Audience> = {},
  texts: Record<string, string> = { es: 'Hola', en: 'Hello' },
  status = 'sending',
): Promise<string> {
  const id = randomUUID()
  await db.broadcast.create({
    data: {
      id,
      title: 't',
      texts: JSON.stringify(texts),
      audience: JSON.stringify(audienceSchema.parse(audience)),
      status,
      createdById: staffId,
    },
  })
  return id
}

const rowsOf = (broadcastId: string) =>
  db.outboundMessage.findMany({ where: { origin: 'broadcast', originId: broadcastId } })

describe('audience', () => {
  it('counts exactly the rows it creates, and never reaches excluded contacts', async () => {
    const included = [
      await contact(),
      await contact({ channel: 'whatsapp' }),
      await contact({ regionId: 'BO-CB' }),
    ]
    const excluded = [
      await contact({ optedOut: true }),
      await contact({ erased: true }),
      await contact({ unreachable: true }),
      await contact({ consent: false }),
      await contact({ channel: 'whatsapp', wrote: false }),
    ]
    const audience = audienceSchema.parse({})
    expect(audience.onlyWhoWrote).toBe(true)
    const id = await broadcast()
    expect(await countAudience(db, audience)).toBe(3)
    const result = await materialise(db, i18n, id, { now: () => T0 })
    expect(result).toEqual({ created: 3, complete: true })
    const rows = await rowsOf(id)
    expect(rows.map((r) => r.contactId).sort()).toEqual([...included].sort())
    for (const r of rows) expect(excluded).not.toContain(r.contactId)
    expect(rows.every((r) => r.priority === 20 && r.status === 'queued')).toBe(true)
    const recipients = await db.broadcastRecipient.findMany({ where: { broadcastId: id } })
    expect(recipients).toHaveLength(3)
    expect(recipients.every((r) => rows.some((o) => o.id === r.outboundId))).toBe(true)
  })

  it('reaches WhatsApp contacts who never wrote only when staff turn the rule off', async () => {
    await contact({ channel: 'whatsapp', wrote: false })
    await contact({ channel: 'whatsapp', wrote: false, consent: false })
    expect(await countAudience(db, audienceSchema.parse({ onlyWhoWrote: false }))).toBe(1)
    expect(await countAudience(db, audienceSchema.parse({}))).toBe(0)
  })

  it('filters by region, channel, group rubro/phase/role and training', async () => {
    const a = await contact()
    const b = await contact({ regionId: 'BO-CB', channel: 'whatsapp' })
    await contact()
    await db.group.create({
      data: {
        id: 'g1',
        name: 'G',
        country: 'BO',
        rubroId: 'textil',
        currentPhaseId: 'BO-X-1',
        inviteCode: 'ABC',
        members: { create: [{ id: randomUUID(), contactId: a, role: 'presidenta' }] },
      },
    })
    await db.training.create({
      data: {
        id: 'tr1',
        title: 'T',
        modality: 'virtual',
        startsAt: T0,
        endsAt: T0,
        capacity: 10,
        country: 'BO',
        registrations: {
          create: [{ id: randomUUID(), contactId: b, status: 'registered' }],
        },
      },
    })
    const count = (a: Partial<Audience>) => countAudience(db, audienceSchema.parse(a))
    expect(await count({ regionIds: ['BO-CB'] })).toBe(1)
    expect(await count({ channel: 'whatsapp' })).toBe(1)
    expect(await count({ rubroIds: ['textil'] })).toBe(1)
    expect(await count({ phaseIds: ['BO-X-1'], groupRole: 'presidenta' })).toBe(1)
    expect(await count({ groupRole: 'tesorera' })).toBe(0)
    expect(await count({ trainingId: 'tr1' })).toBe(1)
    expect(await count({ country: 'PA' })).toBe(0)
  })
})

describe('materialise', () => {
  it('resumes after a crash between batches: each recipient gets exactly one row', async () => {
    for (let i = 0; i < 7; i++) await contact()
    const id = await broadcast()
    // "crash" after the first batch: only one batch is written
    const first = await materialise(db, i18n, id, { batchSize: 3, maxBatches: 1 })
    expect(first).toEqual({ created: 3, complete: false })
    const cursor = (await db.broadcast.findUniqueOrThrow({ where: { id } })).enqueuedUpTo
    expect(cursor).toBe((await rowsOf(id)).map((r) => r.contactId).sort()[2])
    const rest = await materialise(db, i18n, id, { batchSize: 3 })
    expect(rest).toEqual({ created: 4, complete: true })
    expect((await db.broadcast.findUniqueOrThrow({ where: { id } })).enqueuedUpTo).toBe(
      MATERIALISED,
    )
    // even with the cursor lost, nobody is added twice
    await db.broadcast.update({ where: { id }, data: { enqueuedUpTo: null } })
    expect(await materialise(db, i18n, id, { batchSize: 3 })).toEqual({
      created: 0,
      complete: true,
    })
    const rows = await rowsOf(id)
    expect(rows).toHaveLength(7)
    expect(new Set(rows.map((r) => r.contactId)).size).toBe(7)
    expect(await db.broadcastRecipient.count({ where: { broadcastId: id } })).toBe(7)
  })

  it('writes her language, else Spanish, and always ends with how to stop (BAJA)', async () => {
    const en = await contact({ locale: 'en' })
    const es = await contact({ locale: 'es' })
    const qu = await contact({ locale: 'qu' })
    const id = await broadcast({}, { es: 'Hola', en: 'Hello' })
    const onlyEs = await broadcast({}, { es: 'Solo', en: '  ' })
    await materialise(db, i18n, id)
    await materialise(db, i18n, onlyEs)
    const text = async (b: string, c: string) =>
      (
        JSON.parse(
          (await db.outboundMessage.findFirstOrThrow({ where: { originId: b, contactId: c } }))
            .payload,
        ) as { text: string }
      ).text
    expect(await text(id, en)).toBe('Hello\n\nTo stop receiving announcements, write BAJA.')
    expect(await text(id, es)).toBe('Hola\n\nPara no recibir más avisos, escriba BAJA.')
    expect(await text(id, qu)).toBe('Hola\n\nPara no recibir más avisos, escriba BAJA.')
    expect(await text(onlyEs, en)).toBe('Solo\n\nPara no recibir más avisos, escriba BAJA.')
  })

  it('does nothing for a broadcast that is not sending', async () => {
    await contact()
    const id = await broadcast({}, undefined, 'paused')
    expect(await materialise(db, i18n, id)).toEqual({ created: 0, complete: false })
    expect(await rowsOf(id)).toHaveLength(0)
  })
})

describe('BAJA, pause, resume, cancel', () => {
  it('BAJA in the middle of a broadcast cancels her rows at once', async () => {
    const her = await contact()
    await contact()
    const id = await broadcast()
    await materialise(db, i18n, id)
    await db.$transaction(contactEffectStatements(db, { kind: 'optOut' }, her, T0))
    const rows = await rowsOf(id)
    expect(rows.find((r) => r.contactId === her)?.status).toBe('cancelled')
    expect(rows.find((r) => r.contactId !== her)?.status).toBe('queued')
    expect(await progress(db, id)).toMatchObject({ total: 2, queued: 1, optedOut: 1 })
  })

  it('pause holds unsent rows, resume releases them, cancel stops them', async () => {
    for (let i = 0; i < 3; i++) await contact()
    const id = await broadcast()
    await materialise(db, i18n, id, { now: () => T0 })
    const claim = () =>
      claimDueRows(db, {
        provider: 'sqlite',
        channels: ['telegram'],
        now: T0,
        leaseUntil: new Date(T0.getTime() + 60_000),
        limit: 10,
      })
    expect(await pause(db, id)).toBe(true)
    expect(
      (await rowsOf(id)).every((r) => r.nextAttemptAt.getTime() === HELD_UNTIL.getTime()),
    ).toBe(true)
    expect(await claim()).toHaveLength(0)
    expect(await materialise(db, i18n, id)).toEqual({ created: 0, complete: false })
    expect(await resume(db, id, T0)).toBe(true)
    const claimed = await claim()
    expect(claimed).toHaveLength(3)
    await db.outboundMessage.update({ where: { id: claimed[0]!.id }, data: { status: 'sent' } })
    await db.outboundMessage.updateMany({
      where: { id: { in: claimed.slice(1).map((r) => r.id) } },
      data: { status: 'queued' },
    })
    expect(await cancel(db, id, T0)).toBe(true)
    expect(await progress(db, id)).toEqual({
      total: 3,
      queued: 0,
      sent: 1,
      failed: 0,
      optedOut: 0,
      cancelled: 2,
    })
    expect((await db.broadcast.findUniqueOrThrow({ where: { id } })).status).toBe('cancelled')
    expect(await resume(db, id, T0)).toBe(false)
  })

  it('is done once every row has an outcome', async () => {
    await contact()
    await contact()
    const id = await broadcast()
    await materialise(db, i18n, id)
    expect(await finishIfDone(db, id, T0)).toBe(false)
    const rows = await rowsOf(id)
    await db.outboundMessage.update({ where: { id: rows[0]!.id }, data: { status: 'sent' } })
    await db.outboundMessage.update({ where: { id: rows[1]!.id }, data: { status: 'failed' } })
    expect(await finishIfDone(db, id, T0)).toBe(true)
    const b = await db.broadcast.findUniqueOrThrow({ where: { id } })
    expect(b.status).toBe('done')
    const statuses = (await db.broadcastRecipient.findMany({ where: { broadcastId: id } }))
      .map((r) => r.status)
      .sort()
    expect(statuses).toEqual(['failed', 'sent'])
  })
})

describe('schedule', () => {
  it('turns a local date and time into the instant in Bolivia and Panama', () => {
    expect(zonedToUtc('2026-12-01', '09:30', 'America/La_Paz').toISOString()).toBe(
      '2026-12-01T13:30:00.000Z',
    )
    expect(zonedToUtc('2026-12-01', '09:30', 'America/Panama').toISOString()).toBe(
      '2026-12-01T14:30:00.000Z',
    )
    expect(zonedToUtc('2026-12-31', '23:00', 'America/La_Paz').toISOString()).toBe(
      '2027-01-01T03:00:00.000Z',
    )
    expect(utcToZoned(new Date('2027-01-01T03:00:00Z'), 'America/La_Paz')).toEqual({
      date: '2026-12-31',
      time: '23:00',
    })
  })

  it('fires a scheduled broadcast at its time with a fixed clock, then marks it done', async () => {
    await contact()
    const id = await broadcast({}, undefined, 'draft')
    const at = zonedToUtc('2026-12-01', '09:30', 'America/La_Paz')
    expect(await schedule(db, id, at)).toBe(true)
    let clock = new Date(at.getTime() - 1000)
    let woken = 0
    const scheduler = new BroadcastScheduler({
      db,
      i18n,
      logger: createLogger('silent'),
      now: () => clock,
      onEnqueued: () => woken++,
    })
    expect(await scheduler.tick()).toEqual([])
    expect(await rowsOf(id)).toHaveLength(0)
    clock = at
    expect(await scheduler.tick()).toEqual([id])
    expect(woken).toBe(1)
    const rows = await rowsOf(id)
    expect(rows).toHaveLength(1)
    expect(rows[0]!.nextAttemptAt.getTime()).toBe(at.getTime())
    await db.outboundMessage.update({ where: { id: rows[0]!.id }, data: { status: 'sent' } })
    await scheduler.tick()
    expect((await db.broadcast.findUniqueOrThrow({ where: { id } })).status).toBe('done')
  })
})
