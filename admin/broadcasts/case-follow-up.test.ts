import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createI18n } from '../../app/i18n.ts'
import { createLogger } from '../../app/logger.ts'
import {
  CASE_FOLLOW_UP_DELAY_MS,
  cancelStaleCaseFollowUps,
} from '../../bot/broadcasts/case-follow-up.ts'
import { BroadcastScheduler } from '../../bot/broadcasts/scheduler.ts'
import { adminTestApp, createCase, signIn } from '../admin-test-kit.ts'

/** Issue 10: "¿se resolvió su consulta?" as a scheduled reminder through the outbox. */
let kit: Awaited<ReturnType<typeof adminTestApp>>
let admin: Awaited<ReturnType<typeof signIn>>
const i18n = await createI18n()

beforeAll(async () => {
  kit = await adminTestApp()
  admin = await signIn(kit.app, 'admin@test.local')
})
afterAll(() => kit.cleanup())

async function setStatus(caseId: number, status: string) {
  const res = await admin.agent
    .post(`/admin/cases/${caseId}/status`)
    .type('form')
    .send({ _csrf: await admin.csrf(), status })
  expect(res.status).toBe(303)
}

const followUps = (caseId: number) =>
  kit.db.outboundMessage.findMany({ where: { origin: 'reminder', originId: `case:${caseId}` } })

describe('case follow-up', () => {
  it('resolving a case queues one question for her, due in three days, in her language', async () => {
    const id = await createCase(kit.db, { regionId: 'BO-LP' })
    const before = Date.now()
    await setStatus(id, 'resolved')
    const rows = await followUps(id)
    expect(rows).toHaveLength(1)
    expect(rows[0]!.status).toBe('queued')
    const due = rows[0]!.nextAttemptAt.getTime() - before
    expect(due).toBeGreaterThanOrEqual(CASE_FOLLOW_UP_DELAY_MS - 60_000)
    expect(due).toBeLessThanOrEqual(CASE_FOLLOW_UP_DELAY_MS + 60_000)
    expect(JSON.parse(rows[0]!.payload).text).toBe(
      i18n.t('broadcasts.case_follow_up', { lng: 'es', caseNumber: id }),
    )
    // closing it afterwards does not ask twice, and the sweep leaves it alone
    await setStatus(id, 'closed')
    await cancelStaleCaseFollowUps(kit.db)
    expect((await followUps(id)).map((r) => r.status)).toEqual(['queued'])
  })

  it('is cancelled when the case is reopened', async () => {
    const id = await createCase(kit.db, { regionId: 'BO-LP' })
    await setStatus(id, 'resolved')
    await setStatus(id, 'open')
    const scheduler = new BroadcastScheduler({ db: kit.db, i18n, logger: createLogger('silent') })
    await scheduler.tick()
    expect((await followUps(id)).map((r) => r.status)).toEqual(['cancelled'])
  })

  it('is cancelled when she writes again before it is due', async () => {
    const id = await createCase(kit.db, { regionId: 'BO-LP' })
    await setStatus(id, 'resolved')
    const c = await kit.db.case.findUniqueOrThrow({ where: { id } })
    await kit.db.contact.update({
      where: { id: c.contactId! },
      data: { lastInboundAt: new Date(Date.now() + 1000) },
    })
    await cancelStaleCaseFollowUps(kit.db)
    expect((await followUps(id)).map((r) => r.status)).toEqual(['cancelled'])
  })

  it('is not queued for a woman who said BAJA', async () => {
    const id = await createCase(kit.db, { regionId: 'BO-LP' })
    const c = await kit.db.case.findUniqueOrThrow({ where: { id } })
    await kit.db.contact.update({ where: { id: c.contactId! }, data: { optedOutAt: new Date() } })
    await setStatus(id, 'resolved')
    expect(await followUps(id)).toHaveLength(0)
  })
})

describe('case follow-up sweep on PostgreSQL', () => {
  it('runs and cancels a reopened case’s question', async () => {
    const { freshPostgres } = await import('../../test/support/test-db.ts')
    const pg = await freshPostgres()
    try {
      const id = await createCase(pg.db, { regionId: null })
      const c = await pg.db.case.findUniqueOrThrow({ where: { id }, include: { contact: true } })
      const { queueCaseFollowUp } = await import('../../bot/broadcasts/case-follow-up.ts')
      await queueCaseFollowUp(pg.db, i18n, c, c.contact!, new Date())
      expect(await cancelStaleCaseFollowUps(pg.db)).toBe(1) // the case is still open
    } finally {
      await pg.cleanup()
    }
  })
})
