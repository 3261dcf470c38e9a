import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHttpApp } from '../../app/http/server.ts'
import { createI18n } from '../../app/i18n.ts'
import { createLogger } from '../../app/logger.ts'
import { seedProgramme } from '../../prisma/seed/seed.ts'
import { freshPostgres, type TestDatabase } from '../../test/support/test-db.ts'
import { adminRouter } from '../admin-router.ts'
import { createStaff, PASSWORD, signIn } from '../admin-test-kit.ts'
import { addMember, createGroupRow } from './group-test-kit.ts'

// The same routes on PostgreSQL: the conditional phase move, the notices and the export.
let database: TestDatabase
let app: ReturnType<typeof createHttpApp>
let agent: Awaited<ReturnType<typeof signIn>>
let groupId: string

beforeAll(async () => {
  database = await freshPostgres(4)
  const logger = createLogger('silent')
  await seedProgramme(database.db, {
    adminEmail: 'admin@test.local',
    adminPassword: PASSWORD,
    log: logger,
  })
  app = createHttpApp(
    [
      adminRouter({
        db: database.db,
        i18n: await createI18n(),
        logger,
        wakeDispatcher: () => undefined,
        channelHealth: () => ({}),
        attachments: { read: async () => Buffer.alloc(0) },
        sessionIdleMinutes: 60,
      }),
    ],
    logger,
  )
  await createStaff(database.db, 'agent@test.local', 'agent', ['PA-4'])
  groupId = await createGroupRow(database.db, {
    name: 'Cosméticas, de Boquete',
    regionId: 'PA-4',
    municipality: 'Boquete',
  })
  await addMember(database.db, groupId, { name: 'Sara', locale: 'en' })
  await createGroupRow(database.db, { name: 'Otra', regionId: 'PA-8' })
  agent = await signIn(app, 'agent@test.local')
})
afterAll(() => database?.cleanup())

describe('groups on PostgreSQL', () => {
  it('moves a group once per click and queues her notice in English', async () => {
    // one token for both: the session keeps one CSRF token, and both clicks come from one page
    const _csrf = await agent.csrf()
    const move = (from: string) =>
      agent.agent.post(`/admin/groups/${groupId}/phase`).type('form').send({ _csrf, from })
    const [a, b] = await Promise.all([move('PA-ECV-1'), move('PA-ECV-1')])
    expect([a.status, b.status].sort()).toEqual([303, 409])
    const g = await database.db.group.findUniqueOrThrow({ where: { id: groupId } })
    expect(g.currentPhaseId).toBe('PA-ECV-2')
    const rows = await database.db.outboundMessage.findMany({ where: { originId: groupId } })
    expect(rows).toHaveLength(1)
    expect(JSON.parse(rows[0]!.payload).text).toContain(
      'moved to phase 2 of 3 of the programme: Job training',
    )
  })

  it('exports only her region', async () => {
    const res = await agent.agent.get('/admin/groups/export.csv').buffer()
    const rows: Record<string, string>[] = parse(res.text, { columns: true, bom: true })
    expect(rows.map((r) => [r.nombre, r.fase])).toEqual([
      ['Cosméticas, de Boquete', 'Formación laboral'],
    ])
  })
})
