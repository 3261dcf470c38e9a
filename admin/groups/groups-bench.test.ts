import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLogger } from '../../app/logger.ts'
import { seedProgramme } from '../../prisma/seed/seed.ts'
import { freshSqlite, type TestDatabase } from '../../test/support/test-db.ts'
import type { CurrentStaff } from '../admin-context.ts'
import { groupsTable } from './group-export.ts'
import { benchGroups } from './groups-bench.ts'
import { groupFilterSchema } from './group-queries.ts'

// The bench's data set, small: the export reads it in batches whose ids go into IN lists, and
// SQLite refuses more than 999 bound values in one query (groupBy is not split by Prisma).
let database: TestDatabase

beforeAll(async () => {
  database = await freshSqlite()
  await seedProgramme(database.db, {
    adminEmail: 'admin@test.local',
    adminPassword: 'a-long-test-password',
    log: createLogger('silent'),
  })
})
afterAll(() => database?.cleanup())

describe('groups bench and export over many batches', () => {
  it('exports every one of 1,001 groups once, with its members and checklist', async () => {
    const figures = await benchGroups(database.db, { count: 1001, runs: 1 })
    expect(figures['groups.count']).toBe(1001)
    const admin: CurrentStaff = {
      id: 'x',
      email: 'x@test.local',
      name: 'x',
      role: 'admin',
      locale: 'es',
      regionIds: [],
      mustChangePassword: false,
    }
    const table = await groupsTable(database.db, admin, groupFilterSchema.parse({}), (k) => k, 'es')
    expect(table.rows).toHaveLength(1001)
    expect(new Set(table.rows.map((r) => r[0])).size).toBe(1001)
    const registered = table.header.indexOf('admin-groups.csv.members_registered')
    expect(table.rows.every((r) => r[registered] === 2)).toBe(true)
    const members = table.header.indexOf('admin-groups.csv.members')
    expect(String(table.rows[0]![members])).toContain('Socia 1 (presidenta, +591')
    expect(String(table.rows[0]![members])).toContain('; Socia ')
  }, 90_000)
})
