import { afterAll, describe, expect, it } from 'vitest'
import { Prisma } from '../../generated/sqlite/index.js'
import { freshSqlite, type TestDatabase } from '../../test/support/test-db.ts'
import { hotPathOf } from './open.ts'

const opened: TestDatabase[] = []
afterAll(async () => {
  await Promise.all(opened.map((d) => d.cleanup()))
})

async function fresh() {
  const t = await freshSqlite()
  opened.push(t)
  return { ...t, hot: hotPathOf(t.db) }
}

const received = new Date('2026-03-04T05:06:07.089Z')

function insertInbound(hot: ReturnType<typeof hotPathOf>, id: string, platformMessageId = id) {
  return hot.$executeRaw`
    INSERT INTO "InboundMessage" ("id", "channel", "platformMessageId", "channelUserId", "text",
      "textTruncated", "receivedAt", "handledAt", "status")
    VALUES (${id}, 'telegram', ${platformMessageId}, '42', ${'¡hola! 👋🏽 مرحبا'}, ${true},
      ${received}, ${null}, 'received')`
}

describe('the direct SQLite hot path', () => {
  it('is not Prisma on SQLite (it is on PostgreSQL)', async () => {
    const t = await fresh()
    expect(t.hot).not.toBe(t.db)
  })

  it('writes rows Prisma reads back exactly, and reads them as Prisma does', async () => {
    const t = await fresh()
    // before any Prisma query: it opens Prisma's connection itself
    expect(await insertInbound(t.hot, 'm1')).toBe(1)
    const viaPrisma = await t.db.inboundMessage.findUniqueOrThrow({ where: { id: 'm1' } })
    expect(viaPrisma).toMatchObject({
      text: '¡hola! 👋🏽 مرحبا',
      textTruncated: true,
      receivedAt: received,
      handledAt: null,
    })
    const select = Prisma.sql`SELECT "id", "text", "textTruncated", "receivedAt", "handledAt"
      FROM "InboundMessage" WHERE "id" = ${'m1'}`
    const direct = await t.hot.$queryRaw<Record<string, unknown>[]>(select)
    const prisma = await t.db.$queryRaw<Record<string, unknown>[]>(select)
    expect(direct).toEqual(prisma)
    expect(direct[0]!.receivedAt).toEqual(received)
    // and a row Prisma wrote compares equal to a date the hot path binds
    await t.db.inboundMessage.update({ where: { id: 'm1' }, data: { handledAt: received } })
    const found = await t.hot.$queryRaw<{ id: string }[]>`
      SELECT "id" FROM "InboundMessage" WHERE "handledAt" = ${received}`
    expect(found).toEqual([{ id: 'm1' }])
  })

  it('rolls a batch back whole when one statement fails', async () => {
    const t = await fresh()
    await insertInbound(t.hot, 'first')
    await expect(
      t.hot.$transaction([insertInbound(t.hot, 'second'), insertInbound(t.hot, 'first')]),
    ).rejects.toThrow(/UNIQUE/)
    expect(await t.db.inboundMessage.count()).toBe(1)
    // the connection is usable afterwards, outside any transaction
    await t.hot.$transaction([insertInbound(t.hot, 'third')])
    expect(await t.db.inboundMessage.count()).toBe(2)
  })

  it('waits for a Prisma transaction in progress instead of joining it', async () => {
    const t = await fresh()
    let batch: Promise<unknown> | undefined
    await expect(
      t.db.$transaction(async (tx) => {
        await tx.inboundMessage.create({
          data: { id: 'p', channel: 'web', platformMessageId: 'p', receivedAt: received },
        })
        batch = t.hot.$transaction([insertInbound(t.hot, 'd')])
        await new Promise((r) => setTimeout(r, 50))
        throw new Error('staff cancelled')
      }),
    ).rejects.toThrow('staff cancelled')
    await batch
    const ids = await t.db.inboundMessage.findMany({ select: { id: true } })
    expect(ids).toEqual([{ id: 'd' }]) // Prisma's rolled back, the batch committed after it
  })

  it('keeps working past its cache of prepared statements', async () => {
    const t = await fresh()
    for (let i = 0; i < 2_100; i++) {
      const rows = await t.hot.$queryRaw<{ n: number }[]>(
        Prisma.sql`SELECT ${Prisma.raw(String(i))} + ${1} AS "n"`,
      )
      expect(rows[0]!.n).toBe(i + 1)
    }
  })
})
