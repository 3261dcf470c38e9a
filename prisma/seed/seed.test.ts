import argon2 from 'argon2'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Db } from '../../app/db/open.ts'
import { Prisma } from '../../generated/sqlite/index.js'
import { freshPostgres, freshSqlite } from '../../test/support/test-db.ts'
import type { TestDatabase } from '../../test/support/test-db.ts'
import { loadContent } from './content-schema.ts'
import { ADMIN_NAME, DEFAULT_SETTINGS, seedProgramme } from './seed.ts'
import type { SeedLog } from './seed.ts'

const content = loadContent()

type Call = { level: 'info' | 'warn'; obj: object; msg?: string }

function recordingLog(): SeedLog & { calls: Call[] } {
  const calls: Call[] = []
  return {
    calls,
    info: (obj, msg) => calls.push({ level: 'info', obj, msg }),
    warn: (obj, msg) => calls.push({ level: 'warn', obj, msg }),
  }
}

/** Row count of every table of the schema. */
async function countAll(db: Db): Promise<Record<string, number>> {
  const out: Record<string, number> = {}
  for (const model of Object.values(Prisma.ModelName)) {
    const delegate = (db as unknown as Record<string, { count(): Promise<number> }>)[
      model[0]!.toLowerCase() + model.slice(1)
    ]!
    out[model] = await delegate.count()
  }
  return out
}

const ADMIN = 'admin@minka.test'
const PASSWORD = 'correct-horse-battery-staple-42'

describe.each([
  ['SQLite', freshSqlite],
  ['PostgreSQL', () => freshPostgres(2)],
] as const)('seedProgramme on %s', (_name, fresh) => {
  let t: TestDatabase

  beforeEach(async () => {
    t = await fresh()
  })
  afterEach(async () => {
    await t.cleanup()
  })

  it('seeding twice leaves the same row counts in every table', async () => {
    const log = recordingLog()
    const first = await seedProgramme(t.db, { adminEmail: ADMIN, adminPassword: PASSWORD, log })
    const after1 = await countAll(t.db)
    const second = await seedProgramme(t.db, { adminEmail: ADMIN, adminPassword: PASSWORD, log })
    const after2 = await countAll(t.db)
    expect(after2).toEqual(after1)
    expect(second.counts).toEqual(first.counts)
    expect(first.counts).toEqual({
      programme: 2,
      phase: 7,
      region: content.regions.length,
      rubro: content.rubros.length,
      partner: content.partners.length,
      contentFact: content.facts.length,
      requirement: content.requirements.length,
      faqEntry: content.faq.length,
      staff: 1,
      setting: Object.keys(DEFAULT_SETTINGS).length,
    })
  })

  it('stores the programmes with their phases in order', async () => {
    await seedProgramme(t.db, { adminEmail: ADMIN, adminPassword: PASSWORD, log: recordingLog() })
    const phases = async (id: string) =>
      (await t.db.phase.findMany({ where: { programmeId: id }, orderBy: { order: 'asc' } })).map(
        (p) => [p.order, p.nameEs],
      )
    expect(await phases('PA-ECV')).toEqual([
      [1, 'Acercamiento a la comunidad'],
      [2, 'Formación laboral'],
      [3, 'Activación de la cooperativa'],
    ])
    expect(await phases('BO-ATC')).toEqual([
      [1, 'Identificación de actores sociales'],
      [2, 'Presentación del programa y articulación interinstitucional'],
      [3, 'Difusión y fomento cooperativo'],
      [4, 'Monitoreo y evaluación'],
    ])
    const pa = await t.db.programme.findUniqueOrThrow({ where: { id: 'PA-ECV' } })
    expect(pa.country).toBe('PA')
  })

  it('keeps every por_confirmar tag of the content', async () => {
    await seedProgramme(t.db, { adminEmail: ADMIN, adminPassword: PASSWORD, log: recordingLog() })
    const stored = await t.db.contentFact.findMany({ where: { status: 'por_confirmar' } })
    const expected = content.facts.filter((f) => f.status === 'por_confirmar').map((f) => f.id)
    expect(stored.map((f) => f.id).sort()).toEqual(expected.sort())
    for (const id of ['BO-20', 'BO-28', 'BO-53', 'PA-40', 'PA-42', 'PA-43', 'PRG-90']) {
      expect(expected).toContain(id)
    }
    const req = await t.db.requirement.findUniqueOrThrow({ where: { id: 'BO-20' } })
    expect(req.status).toBe('por_confirmar')
    const faq = await t.db.faqEntry.findUniqueOrThrow({ where: { id: 'FAQ-28' } })
    expect(faq.status).toBe('por_confirmar')
    const confirmed = await t.db.contentFact.findUniqueOrThrow({ where: { id: 'BO-21' } })
    expect(confirmed.status).toBe('confirmado')
  })

  it('never overwrites what staff edited', async () => {
    const log = recordingLog()
    await seedProgramme(t.db, { adminEmail: ADMIN, adminPassword: PASSWORD, log })
    await t.db.contentFact.update({
      where: { id: 'BO-20' },
      data: { textEs: 'Mínimo confirmado por el personal', status: 'confirmado', verifiedBy: 'x' },
    })
    await t.db.faqEntry.update({ where: { id: 'FAQ-06' }, data: { answerEs: 'Editada' } })
    await t.db.requirement.update({ where: { id: 'PA-20' }, data: { titleEs: 'Carta (editada)' } })
    await t.db.setting.update({ where: { key: 'sla.hours.legal' }, data: { value: '24' } })
    await t.db.rubro.update({ where: { id: 'otro' }, data: { nameEs: 'Otros rubros' } })
    await t.db.region.update({ where: { id: 'PA-NB' }, data: { active: false } })
    await t.db.faqEntry.delete({ where: { id: 'FAQ-40' } })

    await seedProgramme(t.db, { adminEmail: ADMIN, adminPassword: PASSWORD, log })

    const fact = await t.db.contentFact.findUniqueOrThrow({ where: { id: 'BO-20' } })
    expect([fact.textEs, fact.status]).toEqual(['Mínimo confirmado por el personal', 'confirmado'])
    expect((await t.db.faqEntry.findUniqueOrThrow({ where: { id: 'FAQ-06' } })).answerEs).toBe(
      'Editada',
    )
    expect((await t.db.requirement.findUniqueOrThrow({ where: { id: 'PA-20' } })).titleEs).toBe(
      'Carta (editada)',
    )
    expect(
      (await t.db.setting.findUniqueOrThrow({ where: { key: 'sla.hours.legal' } })).value,
    ).toBe('24')
    expect((await t.db.rubro.findUniqueOrThrow({ where: { id: 'otro' } })).nameEs).toBe(
      'Otros rubros',
    )
    expect((await t.db.region.findUniqueOrThrow({ where: { id: 'PA-NB' } })).active).toBe(false)
    // a missing row comes back
    expect(await t.db.faqEntry.findUnique({ where: { id: 'FAQ-40' } })).not.toBeNull()
  })

  it('skips, with a warning, a missing requirement whose place staff gave to another', async () => {
    const log = recordingLog()
    await seedProgramme(t.db, { adminEmail: ADMIN, adminPassword: PASSWORD, log })
    await t.db.requirement.delete({ where: { id: 'BO-20' } })
    await t.db.requirement.create({
      data: {
        id: 'BO-STAFF-1',
        country: 'BO',
        order: 1,
        kind: 'step',
        titleEs: 'Paso del personal',
        titleEn: 'Staff step',
        source: 'personal',
        status: 'confirmado',
      },
    })
    await seedProgramme(t.db, { adminEmail: ADMIN, adminPassword: PASSWORD, log })
    expect(await t.db.requirement.findUnique({ where: { id: 'BO-20' } })).toBeNull()
    expect(log.calls.some((c) => c.level === 'warn' && 'id' in c.obj && c.obj.id === 'BO-20')).toBe(
      true,
    )
  })

  it('creates the admin from ADMIN_PASSWORD once and never logs the password', async () => {
    const log = recordingLog()
    const first = await seedProgramme(t.db, { adminEmail: ADMIN, adminPassword: PASSWORD, log })
    const second = await seedProgramme(t.db, { adminEmail: ADMIN, adminPassword: PASSWORD, log })
    expect(first.adminCreated).toBe(true)
    expect(first.generatedPassword).toBeUndefined()
    expect(second.adminCreated).toBe(false)
    expect(log.calls.length).toBeGreaterThan(0)
    expect(JSON.stringify(log.calls)).not.toContain(PASSWORD)
    const staff = await t.db.staff.findUniqueOrThrow({ where: { email: ADMIN } })
    expect(staff).toMatchObject({ role: 'admin', name: ADMIN_NAME, mustChangePassword: false })
    expect(staff.passwordHash).toMatch(/^\$argon2id\$/)
    expect(await argon2.verify(staff.passwordHash, PASSWORD)).toBe(true)
  })

  it('generates a strong password when none is given and returns it once', async () => {
    const log = recordingLog()
    const first = await seedProgramme(t.db, { adminEmail: 'Jefa@Minka.Test ', log })
    const password = first.generatedPassword!
    expect(first.adminCreated).toBe(true)
    expect(password.length).toBeGreaterThanOrEqual(16)
    expect(password).toMatch(/^[A-Za-z0-9_-]+$/)
    expect(JSON.stringify(log.calls)).not.toContain(password)
    const staff = await t.db.staff.findUniqueOrThrow({ where: { email: 'jefa@minka.test' } })
    expect(staff.mustChangePassword).toBe(true)
    expect(await argon2.verify(staff.passwordHash, password)).toBe(true)

    const second = await seedProgramme(t.db, { adminEmail: 'jefa@minka.test', log })
    expect(second).toMatchObject({ adminCreated: false })
    expect(second.generatedPassword).toBeUndefined()
    expect(await t.db.staff.count()).toBe(1)
  })

  it('writes the default settings', async () => {
    await seedProgramme(t.db, { adminEmail: ADMIN, adminPassword: PASSWORD, log: recordingLog() })
    const rows = await t.db.setting.findMany()
    expect(Object.fromEntries(rows.map((r) => [r.key, r.value]))).toEqual({
      'sla.hours.legal': '16',
      'sla.hours.technical': '16',
      'sla.hours.training': '8',
      'sla.hours.human': '8',
      'sla.hours.other': '16',
      'languages.enabled': '["es","en"]',
    })
  })
})
