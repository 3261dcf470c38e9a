import { afterAll, expect, it } from 'vitest'
import { freshPostgres, type TestDatabase } from '../../test/support/test-db.ts'
import { TcpProxy } from '../../test/faults/support/tcp-proxy.ts'
import { openDatabase } from './open.ts'

const opened: { cleanup: () => Promise<unknown> }[] = []
afterAll(async () => {
  for (const o of opened.reverse()) await o.cleanup()
})

// Prisma 6.19 skips releasing a transaction's connection when its ROLLBACK fails on a dead
// socket; with a pool of 2, two transactions cut mid-way used to leave every later query waiting.
it('after the database drops transactions mid-way, the pool serves again (PostgreSQL)', async () => {
  const database: TestDatabase = await freshPostgres()
  opened.push(database)
  const proxy = await new TcpProxy(Number(new URL(database.url).port || 5432)).start()
  opened.push({ cleanup: () => proxy.close() })
  const url = new URL(database.url)
  url.port = String(proxy.port)
  const { db } = openDatabase(url.toString(), { poolSize: 2 })
  opened.push({ cleanup: () => db.$disconnect() })

  // both transactions hold their connection when it is cut
  let ready = 0
  let resolveReady = () => {}
  const bothReadyPromise = new Promise<void>((r) => (resolveReady = r))
  const inFlight = Array.from({ length: 2 }, () =>
    db.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT 1`
      if (++ready === 2) resolveReady()
      await bothReadyPromise
      await new Promise((r) => setTimeout(r, 50))
      await tx.$queryRaw`SELECT 1`
    }),
  )
  await bothReadyPromise
  proxy.cut()
  const outcomes = await Promise.allSettled(inFlight)
  expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected'])
  proxy.restore()

  const answered = await Promise.race([
    db.$queryRaw<{ one: number }[]>`SELECT 1 AS one`.then((r) => r[0]!.one),
    new Promise((r) => setTimeout(() => r('still waiting after 5 s'), 5_000)),
  ])
  expect(answered).toBe(1)
  const inTx = await db.$transaction(async (tx) => tx.$queryRaw<{ two: number }[]>`SELECT 2 AS two`)
  expect(inTx[0]!.two).toBe(2)
}, 30_000)
