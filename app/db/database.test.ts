import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { Prisma as SqlitePrisma } from '../../generated/sqlite/index.js'
import { Prisma as PostgresPrisma } from '../../generated/postgresql/index.js'
import { storeInbound } from '../../bot/pipeline/conversation-store.ts'
import { freshPostgres, freshSqlite, type TestDatabase } from '../../test/support/test-db.ts'
import { ROOT } from '../../test/support/prisma-cli.ts'
import { migrateDatabase } from './migrate.ts'
import { openDatabase } from './open.ts'

const opened: TestDatabase[] = []
afterAll(async () => {
  await Promise.all(opened.map((d) => d.cleanup()))
})

describe('one model, two providers', () => {
  it('the PostgreSQL schema is generated from the SQLite one (no drift)', () => {
    expect(() =>
      execFileSync(process.execPath, [path.join(ROOT, 'scripts/prisma-schemas.mjs'), '--check'], {
        stdio: 'pipe',
      }),
    ).not.toThrow()
  })

  it('both clients expose the same models and fields', () => {
    const shape = (
      models: readonly { name: string; fields: readonly { name: string; type: string }[] }[],
    ) =>
      models.map((m) => `${m.name}(${m.fields.map((f) => `${f.name}:${f.type}`).join(',')})`).sort()
    expect(shape(PostgresPrisma.dmmf.datamodel.models)).toEqual(
      shape(SqlitePrisma.dmmf.datamodel.models),
    )
    expect(SqlitePrisma.dmmf.datamodel.models.length).toBeGreaterThanOrEqual(25)
  })

  it('migrates a fresh SQLite file at start-up and skips the CLI when up to date', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'minka-migrate-'))
    const { db, target } = openDatabase(`file:${path.join(dir, 'fresh.db')}`)
    try {
      expect(await migrateDatabase(db, target)).toBe('migrated')
      expect(await db.contact.count()).toBe(0)
      expect(await migrateDatabase(db, target)).toBe('up-to-date')
    } finally {
      await db.$disconnect()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe.each([
  ['sqlite', freshSqlite],
  ['postgresql', () => freshPostgres()],
])('on %s', (_name, fresh) => {
  it('has every table migrated', async () => {
    const t = await fresh()
    opened.push(t)
    expect(await t.db.staff.count()).toBe(0)
    expect(await t.db.outboundMessage.count()).toBe(0)
    expect(await t.db.channelAuthState.count()).toBe(0)
  })

  it('rejects a second inbound message with the same (channel, platform message id)', async () => {
    const t = await fresh()
    opened.push(t)
    const message = {
      channel: 'telegram' as const,
      channelUserId: '42',
      platformMessageId: 'update-1',
      text: 'hola',
      receivedAt: new Date(),
    }
    expect((await storeInbound(t.db, 'a', message)).stored).toBe(true)
    expect((await storeInbound(t.db, 'b', message)).stored).toBe(false)
    // the constraint itself, not only our ON CONFLICT clause
    await expect(
      t.db.inboundMessage.create({
        data: {
          id: 'c',
          channel: 'telegram',
          platformMessageId: 'update-1',
          receivedAt: new Date(),
        },
      }),
    ).rejects.toThrow(/Unique constraint/)
    // the same id on another channel is another message
    expect((await storeInbound(t.db, 'd', { ...message, channel: 'web' })).stored).toBe(true)
    expect(await t.db.inboundMessage.count()).toBe(2)
  })
})
