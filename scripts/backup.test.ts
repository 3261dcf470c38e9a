import { randomUUID } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freshSqlite, type TestDatabase } from '../test/support/test-db.ts'
import { backupName, backupSqlite } from './backup.ts'
import { restoreSqlite } from './restore.ts'

let database: TestDatabase
let dir: string
beforeAll(async () => {
  database = await freshSqlite()
  dir = mkdtempSync(path.join(os.tmpdir(), 'minka-backup-'))
})
afterAll(async () => {
  await database.cleanup()
  rmSync(dir, { recursive: true, force: true })
})

const TABLES = ['Contact', 'InboundMessage', 'OutboundMessage', '_prisma_migrations']

function counts(file: string): Record<string, number> {
  const db = new Database(file, { readonly: true })
  try {
    return Object.fromEntries(
      TABLES.map((t) => [
        t,
        (db.prepare(`SELECT count(*) AS n FROM "${t}"`).get() as { n: number }).n,
      ]),
    )
  } finally {
    db.close()
  }
}

async function writeContact(i: number) {
  const id = randomUUID()
  await database.db.contact.create({ data: { id, channel: 'web', channelUserId: `w${i}-${id}` } })
  await database.db.inboundMessage.create({
    data: {
      id: randomUUID(),
      channel: 'web',
      platformMessageId: id,
      contactId: id,
      text: 'hola',
      receivedAt: new Date(),
    },
  })
}

const fileOf = () => database.url.slice('file:'.length)

describe('backup and restore (SQLite)', () => {
  it('names backups by UTC time', () => {
    expect(backupName(new Date('2026-11-25T13:05:01.123Z'))).toBe('minka-20261125-130501')
  })

  it('backs up while Minka writes, and restores into a fresh file with the same rows', async () => {
    for (let i = 0; i < 50; i++) await writeContact(i)
    let writing = true
    let written = 0
    const writer = (async () => {
      while (writing) {
        await writeContact(1000 + written++)
        await new Promise((r) => setImmediate(r)) // Minka's writes come from the event loop too
      }
    })()
    const before = counts(fileOf()).Contact!
    const backup = await backupSqlite(fileOf(), path.join(dir, 'backups'))
    writing = false
    await writer
    expect(written).toBeGreaterThan(0) // the backup ran while rows were being written

    const saved = counts(backup)
    expect(saved.Contact).toBeGreaterThanOrEqual(before)
    expect(saved.Contact).toBe(saved.InboundMessage) // a consistent snapshot: pairs stay whole
    expect(saved._prisma_migrations).toBeGreaterThan(0)

    const fresh = path.join(dir, 'restored', 'minka.db')
    mkdirSync(path.dirname(fresh), { recursive: true })
    const result = await restoreSqlite({ from: backup, to: fresh })
    expect(result.previous).toBeUndefined()
    expect(counts(fresh)).toEqual(saved)
  })

  it('keeps the replaced database beside it and drops its stale WAL', async () => {
    const backup = await backupSqlite(fileOf(), path.join(dir, 'backups'), new Date(0))
    const target = path.join(dir, 'target.db')
    await restoreSqlite({ from: backup, to: target })
    const live = new Database(target)
    live.pragma('journal_mode = WAL')
    live.prepare(`DELETE FROM "InboundMessage"`).run()
    live.prepare(`DELETE FROM "Contact"`).run()
    // the process was killed: its WAL is left behind, holding the deletes
    const result = await restoreSqlite({ from: backup, to: target, now: new Date(1000) })
    live.close()
    expect(existsSync(`${target}-wal`)).toBe(false)
    expect(counts(target)).toEqual(counts(backup))
    expect(counts(result.previous!).Contact).toBe(0)
  })

  it('refuses while Minka answers on its port, unless forced; refuses what is not a backup', async () => {
    const backup = await backupSqlite(fileOf(), path.join(dir, 'backups'), new Date(2000))
    const server: Server = createServer((_req, res) => res.end('{"status":"ok"}'))
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const healthUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/healthz`
    const target = path.join(dir, 'running.db')
    try {
      await expect(restoreSqlite({ from: backup, to: target, healthUrl })).rejects.toThrow(
        /Minka is running/,
      )
      expect(existsSync(target)).toBe(false)
      await restoreSqlite({ from: backup, to: target, healthUrl, force: true })
      expect(counts(target)).toEqual(counts(backup))
    } finally {
      server.close()
    }
    await expect(restoreSqlite({ from: __filename, to: target })).rejects.toThrow(
      /not a SQLite database/,
    )
  })
})
