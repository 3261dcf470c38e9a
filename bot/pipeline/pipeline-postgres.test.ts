import { afterAll, describe, expect, it } from 'vitest'
import { createLogger } from '../../app/logger.ts'
import { loadProgrammeFlows } from '../../flows/programme-flows.ts'
import { seedProgramme } from '../../prisma/seed/seed.ts'
import { freshPostgres, type TestDatabase } from '../../test/support/test-db.ts'
import { openDatabase } from '../../app/db/open.ts'
import type { InboundMessage } from '../messages.ts'
import { Runtime } from '../runtime.ts'

// Two Minka processes on one PostgreSQL database, as behind a load balancer: each has its own
// pool, pipeline and dispatcher. Her messages may reach either.
const cleanups: (() => Promise<void>)[] = []
afterAll(async () => {
  for (const c of cleanups.reverse()) await c()
})

async function twoProcesses(): Promise<{
  t: TestDatabase
  a: Runtime
  b: Runtime
  sent: string[]
}> {
  const t = await freshPostgres()
  cleanups.push(() => t.cleanup())
  const logger = createLogger('silent')
  await seedProgramme(t.db, {
    adminEmail: 'a@test.local',
    adminPassword: 'a-long-test-password',
    log: logger,
  })
  const { registry, i18n } = await loadProgrammeFlows()
  const second = openDatabase(t.url)
  cleanups.push(() => second.db.$disconnect())
  const make = (db: typeof t.db) =>
    new Runtime({ db, provider: 'postgresql', registry, i18n, logger, pollMs: 20 })
  const a = make(t.db)
  const b = make(second.db)
  const sent: string[] = []
  for (const r of [a, b]) r.web.events.on('delivered', (m) => sent.push(m.outboxId))
  await a.start()
  await b.start()
  cleanups.push(async () => {
    await a.stop()
    await b.stop()
  })
  return { t, a, b, sent }
}

const msg = (user: string, id: string, text: string): InboundMessage => ({
  channel: 'web',
  channelUserId: user,
  platformMessageId: id,
  text,
  receivedAt: new Date(),
})

describe('two processes on PostgreSQL', () => {
  it('answer a message delivered to both once, and keep her order across processes', async () => {
    const { t, a, b, sent } = await twoProcesses()
    // the same delivery reaching both processes
    const both = await Promise.all(
      [a, b].map((r) => r.pipeline.receive(msg('ana', 'dup-1', 'hola'))),
    )
    expect(both.filter((r) => !r.duplicate)).toHaveLength(1)
    await Promise.all(both.map((r) => (r.duplicate ? null : r.handled)))
    const replies = await t.db.outboundMessage.count()
    expect(replies).toBeGreaterThan(0)

    // her next three answers, alternating between processes, all at once
    const results = await Promise.all(
      ['1', '1', '1'].map((text, i) =>
        (i % 2 ? b : a).pipeline.receive(msg('ana', `next-${i}`, text)),
      ),
    )
    await Promise.all(results.map((r) => (r.duplicate ? null : r.handled)))
    const handled = await t.db.inboundMessage.findMany({ orderBy: { receivedAt: 'asc' } })
    expect(handled.map((m) => m.status)).toEqual(['handled', 'handled', 'handled', 'handled'])
    // each answer moved her one question on: consent → language → country → menu
    const session = await t.db.session.findFirstOrThrow()
    expect(session.version).toBe(4)

    // every reply sent once, by one of the two dispatchers
    await expect
      .poll(() => t.db.outboundMessage.count({ where: { status: { not: 'sent' } } }), {
        timeout: 10_000,
      })
      .toBe(0)
    expect(sent.length).toBe(await t.db.outboundMessage.count())
    expect(new Set(sent).size).toBe(sent.length)
  })
})
