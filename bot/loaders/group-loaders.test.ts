import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../app/db/open.ts'
import { createLogger } from '../../app/logger.ts'
import { seedDemo } from '../../prisma/seed/demo.ts'
import { seedProgramme } from '../../prisma/seed/seed.ts'
import { freshSqlite, type TestDatabase } from '../../test/support/test-db.ts'
import type { ContactRow } from '../pipeline/conversation-store.ts'
import { groupLoaders as L, formatDate, formatTime } from './group-loaders.ts'

const NOW = new Date('2026-03-02T18:00:00Z')
let database: TestDatabase
let db: Db

async function contact(id: string, locale = 'es', country = 'BO'): Promise<ContactRow> {
  const row = await db.contact.findUnique({ where: { id } })
  return { ...row!, locale, country }
}

beforeAll(async () => {
  database = await freshSqlite()
  db = database.db
  const log = createLogger('silent')
  await seedProgramme(db, { adminEmail: 'admin@test.local', adminPassword: 'a-long-password', log })
  await seedDemo(db, { now: NOW, log })
  await db.contact.create({
    data: { id: 'lonely', channel: 'web', channelUserId: 'lonely', country: 'BO', locale: 'es' },
  })
})
afterAll(() => database.cleanup())

describe('group loaders on the seeded database', () => {
  it('shows her group with its phase, in her language', async () => {
    const ana = await contact('demo-contact-bo2-1')
    expect(await L.myGroup!(db, ana, undefined, NOW)).toMatchObject({
      name: '[Demo] Tejedoras del Valle',
      region: 'Cochabamba',
      rubro: 'Artesanía',
      role: 'presidenta',
      inviteCode: 'DEMO-BO2',
      phaseOrder: 2,
      phaseTotal: 4,
      phaseName: 'Presentación del programa y articulación interinstitucional',
      nextPhase: 'Difusión y fomento cooperativo',
      done: 1,
      submitted: 1,
      total: 15,
    })
    const en = await contact('demo-contact-pa3-1', 'en', 'PA')
    expect(await L.myGroup!(db, en, undefined, NOW)).toMatchObject({
      rubro: 'Handmade cosmetics',
      phaseOrder: 3,
      phaseTotal: 3,
      phaseName: 'Cooperative activation',
      nextPhase: null,
    })
    expect(await L.myGroup!(db, await contact('lonely'), undefined, NOW)).toBeNull()
    expect(await L.myGroup!(db, null, undefined, NOW)).toBeNull()
  })

  it('lists the regions of her country only, and the rubros with "Otro" last', async () => {
    const bo = (await L.regionOptions!(db, await contact('lonely'), undefined, NOW)) as {
      id: string
      vars: { name: string }
    }[]
    expect(bo).toHaveLength(9)
    expect(bo.every((r) => r.id.startsWith('BO-'))).toBe(true)
    expect(bo[0]!.vars.name).toBe('Beni')
    const pa = (await L.regionOptions!(
      db,
      await contact('lonely', 'es', 'PA'),
      undefined,
      NOW,
    )) as {
      id: string
    }[]
    expect(pa.map((r) => r.id).slice(0, 3)).toEqual(['PA-1', 'PA-2', 'PA-3'])
    expect(pa.every((r) => r.id.startsWith('PA-'))).toBe(true)
    const rubros = (await L.rubroOptions!(db, await contact('lonely', 'en'), undefined, NOW)) as {
      id: string
      vars: { name: string }
    }[]
    expect(rubros.at(-1)).toMatchObject({ id: 'otro', vars: { name: 'Other' } })
    expect(await L.firstPhase!(db, await contact('lonely'), undefined, NOW)).toMatchObject({
      phaseOrder: 1,
      phaseTotal: 4,
      phaseName: 'Identificación de actores sociales',
    })
  })

  it('finds a group by its invite code, whatever the case', async () => {
    expect(await L.groupByCode!(db, null, { code: 'demo-pa1' }, NOW)).toMatchObject({
      id: 'demo-group-pa1',
      region: 'Coclé',
    })
    expect(await L.groupByCode!(db, null, { code: 'NOPE99' }, NOW)).toBeNull()
    expect(await L.groupByCode!(db, null, {}, NOW)).toBeNull()
  })

  it('gives the checklist with statuses and the unconfirmed mark', async () => {
    const ana = await contact('demo-contact-bo1-1')
    const steps = (await L.checklist!(db, ana, { kind: 'step' }, NOW)) as {
      id: string
      key: string
      vars: { mark: string }
    }[]
    expect(steps.map((s) => s.id)).toEqual([
      'BO-20', 'BO-21', 'BO-22', 'BO-23', 'BO-24', 'BO-25', 'BO-26', 'BO-27', 'BO-28',
    ]) // prettier-ignore
    expect(steps[0]).toMatchObject({ key: 'requirements.item_done', vars: { mark: ' *' } })
    expect(steps[1]).toMatchObject({ key: 'requirements.item_submitted', vars: { mark: '' } })
    expect(steps[2]!.key).toBe('requirements.item_pending')
    const docs = (await L.checklist!(db, ana, { kind: 'document' }, NOW)) as unknown[]
    expect(docs).toHaveLength(6)
    expect(await L.checklist!(db, await contact('lonely'), { kind: 'step' }, NOW)).toBeNull()
  })

  it('details an item with its fact, cleaned source and confidence', async () => {
    const ana = await contact('demo-contact-bo1-1')
    expect(await L.requirementDetail!(db, ana, { id: 'BO-21' }, NOW)).toMatchObject({
      title: 'Reservar el nombre',
      source: 'gob.bo 2932',
      confidence: 'confirmado',
      status: 'submitted',
    })
    expect(await L.requirementDetail!(db, ana, { id: 'BO-35' }, NOW)).toMatchObject({
      confidence: 'por_confirmar',
      status: 'pending',
    })
    // another country's item is not hers
    expect(await L.requirementDetail!(db, ana, { id: 'PA-30' }, NOW)).toBeNull()
  })

  it('lists trainings of her group region, with seats and reminder times', async () => {
    const ana = await contact('demo-contact-bo1-1')
    const list = (await L.upcomingTrainings!(db, ana, undefined, NOW)) as {
      id: string
      vars: Record<string, string>
    }[]
    expect(list.map((t) => t.id)).toEqual(['demo-training-t1'])
    expect(list[0]!.vars).toEqual({
      title: '[Demo] Gestión y administración de la cooperativa',
      date: 'lunes, 9 de marzo',
      time: '10:00',
    })
    const t = (await L.training!(db, ana, { id: 'demo-training-t1' }, NOW)) as Record<
      string,
      unknown
    >
    expect(t).toMatchObject({
      seats: 28,
      state: 'registered',
      modality: 'virtual',
      where: 'https://example.org/demo-capacitacion',
      remind24At: '2026-03-08T14:00:00.000Z',
      remind1At: '2026-03-09T13:00:00.000Z',
      surveyAt: '2026-03-09T18:00:00.000Z',
    })
    const later = new Date('2026-03-09T13:30:00Z')
    expect(await L.training!(db, ana, { id: 'demo-training-t1' }, later)).toMatchObject({
      remind24At: null,
      remind1At: null,
    })
    expect(await L.myTrainings!(db, ana, undefined, NOW)).toHaveLength(1)
    // Panama in English: Panama's time zone
    const pa = await contact('demo-contact-pa2-1', 'en', 'PA')
    const panama = (await L.upcomingTrainings!(db, pa, undefined, NOW)) as {
      vars: Record<string, string>
    }[]
    expect(panama[0]!.vars).toMatchObject({ date: 'Thursday 12 March', time: '09:00' })
  })

  it('formats dates in the training country time zone', () => {
    const at = new Date('2026-03-10T03:30:00Z')
    expect(formatDate(at, 'BO', 'es')).toBe('lunes, 9 de marzo')
    expect(formatTime(at, 'BO')).toBe('23:30')
    expect(formatTime(at, 'PA')).toBe('22:30')
  })

  it('lists her cases and details one with the team reply', async () => {
    const ana = await contact('demo-contact-pa2-1')
    const cases = (await L.myCases!(db, ana, undefined, NOW)) as {
      id: string
      vars: Record<string, string>
    }[]
    expect(cases).toHaveLength(1)
    expect(cases[0]!.vars).toMatchObject({ topic: 'technical', status: 'pending' })
    expect(cases[0]!.vars.number).toMatch(/^C-\d+$/)
    const detail = await L.caseDetail!(db, ana, { id: cases[0]!.id }, NOW)
    expect(detail).toMatchObject({ reply: '[Demo] Sí. ¿Qué producen y cuántas socias son?' })
    // someone else's case is not hers
    expect(await L.caseDetail!(db, await contact('lonely'), { id: cases[0]!.id }, NOW)).toBeNull()
    expect(await L.myCases!(db, await contact('lonely'), undefined, NOW)).toBeNull()
  })
})
