import { randomUUID } from 'node:crypto'
import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../app/db/open.ts'
import { adminTestApp, createStaff, signIn } from '../admin-test-kit.ts'

let kit: Awaited<ReturnType<typeof adminTestApp>>
type Session = Awaited<ReturnType<typeof signIn>>
const as: Record<'admin' | 'agent' | 'viewer' | 'agentB', Session> = {} as never

const HOUR = 3_600_000

async function contact(
  db: Db,
  o: { regionId: string; name?: string; locale?: string; consent?: boolean; optedOut?: boolean },
) {
  const id = randomUUID()
  await db.contact.create({
    data: {
      id,
      channel: 'telegram',
      channelUserId: `u-${id}`,
      displayName: o.name ?? 'Juana',
      phone: '+59170000001',
      locale: o.locale ?? null,
      regionId: o.regionId,
      country: o.regionId.slice(0, 2),
      consentAt: o.consent === false ? null : new Date(),
      optedOutAt: o.optedOut ? new Date() : null,
    },
  })
  return id
}

async function group(db: Db, name: string, regionId: string) {
  const id = randomUUID()
  await db.group.create({
    data: { id, name, country: regionId.slice(0, 2), regionId, inviteCode: id.slice(0, 6) },
  })
  return id
}

async function training(
  db: Db,
  o: { regionId: string; title?: string; startsAt?: Date; capacity?: number },
) {
  const id = randomUUID()
  const startsAt = o.startsAt ?? new Date('2030-05-10T14:00:00Z')
  await db.training.create({
    data: {
      id,
      title: o.title ?? 'Contabilidad básica',
      modality: 'presencial',
      place: 'Sede del Ministerio',
      startsAt,
      endsAt: new Date(startsAt.getTime() + 2 * HOUR),
      capacity: o.capacity ?? 30,
      country: o.regionId.slice(0, 2),
      regionId: o.regionId,
    },
  })
  return id
}

async function register(db: Db, trainingId: string, contactId: string, groupId?: string) {
  const id = randomUUID()
  await db.trainingRegistration.create({
    data: { id, trainingId, contactId, groupId: groupId ?? null, status: 'registered' },
  })
  return id
}

/** A reminder row as the bot writes it when she registers. */
async function queuedReminder(db: Db, trainingId: string, contactId: string, at: Date) {
  const id = randomUUID()
  await db.outboundMessage.create({
    data: {
      id,
      contactId,
      channel: 'telegram',
      channelUserId: `u-${contactId}`,
      payload: JSON.stringify({ kind: 'text', text: 'Recordatorio' }),
      status: 'queued',
      priority: 10,
      nextAttemptAt: at,
      origin: 'reminder',
      originId: trainingId,
      createdAt: new Date(),
    },
  })
  return id
}

beforeAll(async () => {
  kit = await adminTestApp()
  await createStaff(kit.db, 'agent@test.local', 'agent', ['BO-LP'])
  await createStaff(kit.db, 'viewer@test.local', 'viewer', ['BO-LP'])
  await createStaff(kit.db, 'agentb@test.local', 'agent', ['PA-8'])
  as.admin = await signIn(kit.app, 'admin@test.local')
  as.agent = await signIn(kit.app, 'agent@test.local')
  as.viewer = await signIn(kit.app, 'viewer@test.local')
  as.agentB = await signIn(kit.app, 'agentb@test.local')
}, 60_000)
afterAll(() => kit.cleanup())

async function post(who: keyof typeof as, path: string, body: Record<string, unknown>) {
  return as[who].agent
    .post(path)
    .type('form')
    .send({ _csrf: await as[who].csrf(), ...body })
}

const valid = {
  title: 'Cooperativismo, paso a paso',
  description: 'Qué es una cooperativa',
  topic: 'Formación',
  modality: 'presencial',
  place: 'Casa Comunal, El Alto',
  link: '',
  startDate: '2030-03-09',
  startTime: '09:00',
  endDate: '2030-03-09',
  endTime: '12:00',
  capacity: '25',
  regionId: 'BO-LP',
  rubroId: '',
  trainer: 'Lic. Quispe',
}

const idFrom = (location: string | undefined) => location!.split('/').at(-1)!

describe('trainings in the panel: region scope', () => {
  it('admin and her region read; another region is 404; viewers never change anything', async () => {
    const id = await training(kit.db, { regionId: 'BO-LP', title: 'Ámbito La Paz' })
    const expected = { admin: 200, agent: 200, viewer: 200, agentB: 404 } as const
    for (const [who, status] of Object.entries(expected) as [keyof typeof as, number][]) {
      expect((await as[who].agent.get(`/admin/trainings/${id}`)).status, who).toBe(status)
      expect(
        (await as[who].agent.get(`/admin/trainings/${id}/registrations.csv`)).status,
        who,
      ).toBe(status)
      const list = await as[who].agent.get('/admin/trainings')
      expect(list.status).toBe(200)
      expect(list.text.includes(`data-training-id="${id}"`), who).toBe(status === 200)
    }
    const edits = { admin: 303, agent: 303, viewer: 403, agentB: 404 } as const
    for (const [who, status] of Object.entries(edits) as [keyof typeof as, number][]) {
      const res = await post(who, `/admin/trainings/${id}`, { ...valid, title: `Por ${who}` })
      expect(res.status, who).toBe(status)
      const att = await post(who, `/admin/trainings/${id}/attendance`, { shown: 'x' })
      expect(att.status, who).toBe(status)
    }
    expect((await as.viewer.agent.get('/admin/trainings/new')).status).toBe(403)
    expect((await post('viewer', '/admin/trainings', valid)).status).toBe(403)
    expect((await post('agentB', `/admin/trainings/${id}/cancel`, {})).status).toBe(404)
    expect((await post('viewer', `/admin/trainings/${id}/cancel`, {})).status).toBe(403)
    const stored = await kit.db.training.findUniqueOrThrow({ where: { id } })
    expect(stored.title).toBe('Por agent')
    expect(stored.status).toBe('scheduled')
  })

  it('an agent cannot put a training in another region', async () => {
    const res = await post('agent', '/admin/trainings', { ...valid, regionId: 'PA-8' })
    expect(res.status).toBe(400)
    expect(res.text).toContain('data-error-for="regionId"')
  })
})

describe('creating and editing', () => {
  it('reads start and end in the region time zone: La Paz UTC-4, Panama UTC-5', async () => {
    const bo = await post('agent', '/admin/trainings', valid)
    expect(bo.status).toBe(303)
    const t1 = await kit.db.training.findUniqueOrThrow({
      where: { id: idFrom(bo.headers.location) },
    })
    expect(t1.startsAt.toISOString()).toBe('2030-03-09T13:00:00.000Z')
    expect(t1.endsAt.toISOString()).toBe('2030-03-09T16:00:00.000Z')
    expect(t1.country).toBe('BO')
    expect(t1.link).toBeNull()
    const pa = await post('admin', '/admin/trainings', {
      ...valid,
      regionId: 'PA-8',
      modality: 'virtual',
      link: 'https://meet.example.org/coop',
    })
    expect(pa.status).toBe(303)
    const t2 = await kit.db.training.findUniqueOrThrow({
      where: { id: idFrom(pa.headers.location) },
    })
    expect(t2.startsAt.toISOString()).toBe('2030-03-09T14:00:00.000Z')
    expect(t2.place).toBeNull()
    const logged = await kit.db.auditLog.findMany({
      where: { action: 'training.create', entityId: { in: [t1.id, t2.id] } },
    })
    expect(logged).toHaveLength(2)
    // the edit form shows the stored times back in local time
    const edit = await as.agent.agent.get(`/admin/trainings/${t1.id}/edit`)
    expect(edit.text).toContain('value="09:00"')
    expect(edit.text).toContain('value="2030-03-09"')
  })

  it.each([
    ['a date that does not exist', { startDate: '2030-02-30' }, 'start'],
    ['a time that is not one', { endTime: '25:00' }, 'end'],
    ['an end before the start', { endDate: '2030-03-08' }, 'end'],
    ['an end equal to the start', { endTime: '09:00' }, 'end'],
    ['a virtual training without a link', { modality: 'virtual', link: '' }, 'link'],
    [
      'a virtual training on http',
      { modality: 'virtual', link: 'http://meet.example.org/x' },
      'link',
    ],
    ['an in-person training without a place', { place: '' }, 'place'],
    ['no title', { title: '  ' }, 'title'],
    ['zero seats', { capacity: '0' }, 'capacity'],
    ['an unknown modality', { modality: 'hybrid' }, 'modality'],
  ])('answers 400 naming the field for %s, with her values kept', async (_what, change, field) => {
    const before = await kit.db.training.count()
    const res = await post('agent', '/admin/trainings', { ...valid, ...change })
    expect(res.status).toBe(400)
    expect(res.text).toContain(`data-error-for="${field}"`)
    expect(res.text).toContain(`data-field="${field}"`)
    // the other fields come back as she typed them
    expect(res.text).toContain('value="Lic. Quispe"')
    expect(res.text).toContain('Qué es una cooperativa')
    expect(await kit.db.training.count()).toBe(before)
  })

  it('an edit cannot leave fewer seats than registered women, nor move them into the past', async () => {
    const id = await training(kit.db, { regionId: 'BO-LP' })
    for (let i = 0; i < 3; i++)
      await register(kit.db, id, await contact(kit.db, { regionId: 'BO-LP' }))
    const res = await post('agent', `/admin/trainings/${id}`, { ...valid, capacity: '2' })
    expect(res.status).toBe(400)
    expect(res.text).toContain('data-error-for="capacity"')
    const past = await post('agent', `/admin/trainings/${id}`, {
      ...valid,
      startDate: '2020-03-09',
      endDate: '2020-03-09',
    })
    expect(past.status).toBe(400)
    expect(past.text).toContain('data-error-for="start"')
    expect(
      (await kit.db.training.findUniqueOrThrow({ where: { id } })).startsAt.getUTCFullYear(),
    ).toBe(2030)
  })
})

describe('moving and cancelling', () => {
  it('moving cancels her queued reminders and queues new ones at the new UTC times, with a notice in her language', async () => {
    for (const [regionId, offsetHours] of [
      ['BO-LP', 4],
      ['PA-8', 5],
    ] as const) {
      const id = await training(kit.db, { regionId, title: 'Ventas, costos y más' })
      const es = await contact(kit.db, { regionId, name: 'Rosa' })
      const en = await contact(kit.db, { regionId, name: 'Ann', locale: 'en' })
      const gone = await contact(kit.db, { regionId, optedOut: true })
      const never = await contact(kit.db, { regionId, consent: false })
      for (const c of [es, en, gone, never]) await register(kit.db, id, c)
      const old = await queuedReminder(kit.db, id, es, new Date('2030-05-09T14:00:00Z'))
      const sent = await queuedReminder(kit.db, id, en, new Date('2030-05-09T14:00:00Z'))
      await kit.db.outboundMessage.update({ where: { id: sent }, data: { status: 'sent' } })

      const res = await post('admin', `/admin/trainings/${id}`, {
        ...valid,
        title: 'Ventas, costos y más',
        regionId,
        startDate: '2030-06-15',
        startTime: '10:30',
        endDate: '2030-06-15',
        endTime: '12:30',
      })
      expect(res.status).toBe(303)
      const start = Date.UTC(2030, 5, 15, 10 + offsetHours, 30)
      expect((await kit.db.training.findUniqueOrThrow({ where: { id } })).startsAt.getTime()).toBe(
        start,
      )
      expect((await kit.db.outboundMessage.findUniqueOrThrow({ where: { id: old } })).status).toBe(
        'cancelled',
      )
      expect((await kit.db.outboundMessage.findUniqueOrThrow({ where: { id: sent } })).status).toBe(
        'sent',
      )
      const reminders = await kit.db.outboundMessage.findMany({
        where: { origin: 'reminder', originId: id, status: 'queued' },
        orderBy: [{ contactId: 'asc' }, { nextAttemptAt: 'asc' }],
      })
      // two women we may write to, three scheduled messages each (24 h, 1 h, the rating)
      expect(reminders).toHaveLength(6)
      for (const c of [es, en]) {
        const mine = reminders
          .filter((r) => r.contactId === c)
          .map((r) => r.nextAttemptAt.getTime())
        expect(mine).toEqual([start - 24 * HOUR, start - HOUR, start + 4 * HOUR])
      }
      const day = reminders.find(
        (r) => r.contactId === en && r.nextAttemptAt.getTime() === start - 24 * HOUR,
      )
      expect(JSON.parse(day!.payload).text).toMatch(/^Reminder: tomorrow .*10:30/)
      const notices = await kit.db.outboundMessage.findMany({
        where: { origin: 'system', originId: id },
      })
      expect(notices.map((n) => n.contactId).sort()).toEqual([es, en].sort())
      const text = (c: string) => JSON.parse(notices.find((n) => n.contactId === c)!.payload).text
      expect(text(es)).toMatch(/^Aviso: .*Ventas, costos y más.* 10:30/)
      expect(text(en)).toMatch(/^Notice: .* 10:30/)
      const logged = await kit.db.auditLog.findFirstOrThrow({
        where: { action: 'training.move', entityId: id },
      })
      expect(JSON.parse(logged.after!)).toMatchObject({ notified: 2, remindersCancelled: 1 })
    }
  })

  it('cancelling tells each registered woman in her language and cancels her reminders', async () => {
    const id = await training(kit.db, { regionId: 'BO-LP', title: 'Estatutos' })
    const es = await contact(kit.db, { regionId: 'BO-LP' })
    const en = await contact(kit.db, { regionId: 'BO-LP', locale: 'en' })
    const gone = await contact(kit.db, { regionId: 'BO-LP', optedOut: true })
    for (const c of [es, en, gone]) {
      await register(kit.db, id, c)
      await queuedReminder(kit.db, id, c, new Date('2030-05-09T14:00:00Z'))
    }
    const woken = kit.woken.length
    const res = await post('agent', `/admin/trainings/${id}/cancel`, {})
    expect(res.status).toBe(303)
    expect((await kit.db.training.findUniqueOrThrow({ where: { id } })).status).toBe('cancelled')
    expect(
      await kit.db.outboundMessage.count({
        where: { origin: 'reminder', originId: id, status: 'queued' },
      }),
    ).toBe(0)
    const notices = await kit.db.outboundMessage.findMany({
      where: { origin: 'system', originId: id },
    })
    expect(notices).toHaveLength(2)
    const text = (c: string) => JSON.parse(notices.find((n) => n.contactId === c)!.payload).text
    expect(text(es)).toContain('fue cancelada')
    expect(text(es)).toContain('viernes, 10 de mayo a las 10:00 (hora de Bolivia)')
    expect(text(en)).toContain('has been cancelled')
    expect(text(en)).toContain('Friday 10 May at 10:00 (Bolivia time)')
    expect(kit.woken.length).toBeGreaterThan(woken)
    expect(
      await kit.db.auditLog.count({ where: { action: 'training.cancel', entityId: id } }),
    ).toBe(1)
    // a cancelled training is not cancelled twice, nor edited
    expect((await post('agent', `/admin/trainings/${id}/cancel`, {})).status).toBe(409)
    expect((await post('agent', `/admin/trainings/${id}`, valid)).status).toBe(409)
    expect(await kit.db.outboundMessage.count({ where: { origin: 'system', originId: id } })).toBe(
      2,
    )
  })
})

describe('registrations and attendance', () => {
  it('lists registrations with capacity; phones only for admins; saves attendance with audit', async () => {
    const id = await training(kit.db, { regionId: 'BO-LP', capacity: 12 })
    const g = await group(kit.db, 'Tejedoras Warmi', 'BO-LP')
    const a = await register(
      kit.db,
      id,
      await contact(kit.db, { regionId: 'BO-LP', name: 'Rosa' }),
      g,
    )
    const b = await register(
      kit.db,
      id,
      await contact(kit.db, { regionId: 'BO-LP', name: 'Lidia' }),
    )
    const other = await training(kit.db, { regionId: 'BO-LP' })
    const elsewhere = await register(kit.db, other, await contact(kit.db, { regionId: 'BO-LP' }))

    const page = await as.agent.agent.get(`/admin/trainings/${id}`)
    expect(page.text).toContain('2 inscritas de 12 cupos')
    expect(page.text).toContain('Tejedoras Warmi')
    expect(page.text).not.toContain('+59170000001')
    expect((await as.admin.agent.get(`/admin/trainings/${id}`)).text).toContain('+59170000001')

    const res = await post('agent', `/admin/trainings/${id}/attendance`, {
      shown: [a, b, elsewhere],
      present: [a, elsewhere],
    })
    expect(res.status).toBe(303)
    const rows = await kit.db.trainingRegistration.findMany({
      where: { id: { in: [a, b, elsewhere] } },
    })
    const attended = Object.fromEntries(rows.map((r) => [r.id, r.attended]))
    expect(attended).toEqual({ [a]: true, [b]: false, [elsewhere]: null })
    const logged = await kit.db.auditLog.findFirstOrThrow({
      where: { action: 'training.attendance', entityId: id },
    })
    expect(JSON.parse(logged.after!)).toEqual({ [a]: true, [b]: false })
    const list = await as.agent.agent.get('/admin/trainings')
    expect(list.text).toMatch(
      new RegExp(`data-training-id="${id}"[\\s\\S]*?2 / 12[\\s\\S]*?<td>1</td>`),
    )
  })
})

describe('CSV exports', () => {
  it('round-trips accents and commas; personal data only for admins; audited', async () => {
    const id = await training(kit.db, { regionId: 'BO-LP', title: 'Ñandutí, tejido y ventas' })
    const g = await group(kit.db, 'Asociación «Sol», Ltda.', 'BO-LP')
    const r = await register(
      kit.db,
      id,
      await contact(kit.db, { regionId: 'BO-LP', name: 'María José "Pepa", Ñusta' }),
      g,
    )
    await kit.db.trainingRegistration.update({ where: { id: r }, data: { attended: true } })

    const admin = await as.admin.agent.get(`/admin/trainings/${id}/registrations.csv`)
    expect(admin.status).toBe(200)
    expect(admin.headers['content-type']).toContain('text/csv')
    expect(admin.text.charCodeAt(0)).toBe(0xfeff)
    const rows = parse(admin.text, { bom: true }) as string[][]
    expect(rows[0]).toEqual([
      'nombre',
      'teléfono',
      'grupo',
      'canal',
      'inscripción',
      'inscrita el',
      'asistió',
    ])
    expect(rows[1]!.slice(0, 4)).toEqual([
      'María José "Pepa", Ñusta',
      '+59170000001',
      'Asociación «Sol», Ltda.',
      'telegram',
    ])
    expect(rows[1]![6]).toBe('sí')

    const agent = await as.agent.agent.get(`/admin/trainings/${id}/registrations.csv`)
    const agentRows = parse(agent.text, { bom: true }) as string[][]
    expect(agentRows[0]).toEqual(['grupo', 'canal', 'inscripción', 'inscrita el', 'asistió'])
    expect(agent.text).not.toContain('Pepa')
    expect(agent.text).not.toContain('+591')
    expect(
      await kit.db.auditLog.count({
        where: { action: 'training.export_registrations', entityId: id },
      }),
    ).toBe(2)

    const all = await as.agent.agent.get('/admin/trainings/export.csv?when=all&country=BO')
    const table = parse(all.text, { bom: true, columns: true }) as Record<string, string>[]
    const mine = table.find((row) => row.id === id)!
    expect(mine['título']).toBe('Ñandutí, tejido y ventas')
    expect(mine.inscritas).toBe('1')
    expect(mine.asistieron).toBe('1')
    expect(mine.inicio).toBe('2030-05-10 10:00')
    // region scope and filters: nothing from Panama, nothing from another region
    expect(table.every((row) => row['país'] === 'BO')).toBe(true)
    const expected = await kit.db.training.count({ where: { regionId: 'BO-LP' } })
    expect(table).toHaveLength(expected)
    const pa = await as.admin.agent.get('/admin/trainings/export.csv?when=all&country=PA')
    const paRows = parse(pa.text, { bom: true, columns: true }) as Record<string, string>[]
    expect(paRows.every((row) => row['país'] === 'PA')).toBe(true)
    expect(await kit.db.auditLog.count({ where: { action: 'training.export' } })).toBe(2)
  })
})
