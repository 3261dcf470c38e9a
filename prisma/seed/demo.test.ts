import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { freshSqlite } from '../../test/support/test-db.ts'
import type { TestDatabase } from '../../test/support/test-db.ts'
import { DEMO, seedDemo } from './demo.ts'
import { seedProgramme } from './seed.ts'

const log = { info: () => undefined, warn: () => undefined }

describe('seedDemo', () => {
  let t: TestDatabase

  beforeEach(async () => {
    t = await freshSqlite()
    await seedProgramme(t.db, {
      adminEmail: 'admin@minka.test',
      adminPassword: 'x'.repeat(16),
      log,
    })
  })
  afterEach(async () => {
    await t.cleanup()
  })

  it('creates marked demo data once', async () => {
    const now = new Date('2026-11-25T12:00:00Z')
    const first = await seedDemo(t.db, { now, log, adminEmail: 'admin@minka.test' })
    const second = await seedDemo(t.db, { now, log, adminEmail: 'admin@minka.test' })
    expect(second).toEqual(first)
    expect(first).toMatchObject({ group: 6, training: 4, case: 3 })
    expect(await t.db.group.groupBy({ by: ['country'], _count: true })).toHaveLength(2)

    const contacts = await t.db.contact.findMany()
    expect(contacts.every((c) => c.channel === 'web' && c.consentAt !== null)).toBe(true)
    const trainings = await t.db.training.findMany()
    expect(trainings.every((tr) => tr.title.startsWith(DEMO) && tr.startsAt > now)).toBe(true)
    const cases = await t.db.case.findMany({ include: { messages: true } })
    expect(cases.every((c) => c.messages.length >= 2)).toBe(true)
    expect(cases.flatMap((c) => c.messages).every((m) => m.text?.startsWith(DEMO))).toBe(true)
  })
})
