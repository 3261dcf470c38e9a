import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../app/db/open.ts'
import { startMinka, stopMinka } from '../support/minka-process.ts'
import { ROOT } from '../support/prisma-cli.ts'
import { freshPostgres } from '../support/test-db.ts'
import { deliver, expectAnsweredOnce, healthStatus } from './support/answered-once.ts'
import { TcpProxy } from './support/tcp-proxy.ts'

// The database away for a few seconds while women write. A platform redelivers what Minka did
// not acknowledge; here the client does the same (same messageId until 202). Counted, not sampled.
const SCRIPT = ['hola', '1', '1', '1', '3', 'menu', '2', '1']
const USERS = 20

const dir = mkdtempSync(path.join(os.tmpdir(), 'minka-outage-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const startOn = (url: string) =>
  startMinka({
    DATABASE_URL: url,
    LOG_LEVEL: 'error',
    ADMIN_PASSWORD: 'fault-test-password',
    WEB_CHANNEL_RATE_PER_MINUTE: '1000000',
    OUTBOX_POLL_MS: '100',
  })

/** USERS women write SCRIPT, each message redelivered until stored. */
function conversations(port: number, progress: { stored: number; retries: number }) {
  return Promise.all(
    Array.from({ length: USERS }, async (_, u) => {
      for (const [i, text] of SCRIPT.entries()) {
        const tries = await deliver(port, `u${u}`, text, `u${u}-${i}`)
        progress.stored++
        progress.retries += tries - 1
        await new Promise((r) => setTimeout(r, 30))
      }
    }),
  )
}

describe('PostgreSQL unavailable for a few seconds', () => {
  it('/healthz says 503 while it is away, then every message is answered once', async () => {
    const database = await freshPostgres()
    const proxy = await new TcpProxy(Number(new URL(database.url).port || 5432)).start()
    const url = new URL(database.url)
    url.port = String(proxy.port)
    const minka = await startOn(url.toString())
    const port = minka.port
    try {
      const progress = { stored: 0, retries: 0 }
      const burst = conversations(port, progress)
      while (progress.stored < (USERS * SCRIPT.length) / 4) await new Promise((r) => setTimeout(r, 10)) // prettier-ignore
      proxy.cut()
      const statuses: number[] = []
      const cutAt = Date.now()
      while (Date.now() - cutAt < 4_000) {
        statuses.push(await healthStatus(port))
        await new Promise((r) => setTimeout(r, 250))
      }
      proxy.restore()
      expect(statuses).toContain(503)
      await burst
      await expect.poll(() => healthStatus(port), { timeout: 20_000 }).toBe(200)
      const answered = await expectAnsweredOnce(database.db, { expected: USERS * SCRIPT.length })
      expect(minka.child.exitCode).toBeNull() // it never crashed
      console.log(
        `postgres outage 4 s: ${answered} messages answered once, ${progress.retries} redeliveries, /healthz ${[...new Set(statuses)].join('/')}`,
      )
    } finally {
      await stopMinka(minka.child)
      await proxy.close()
      await database.cleanup()
    }
  }, 180_000)
})

/** Another process holds the SQLite file's write lock for `ms` (BEGIN EXCLUSIVE). */
function lockSqlite(file: string, ms: number) {
  const code = `
    const Database = require('better-sqlite3')
    const db = new Database(process.argv[1])
    db.exec('BEGIN EXCLUSIVE')
    process.stdout.write('locked\\n')
    setTimeout(() => { db.exec('COMMIT'); db.close() }, Number(process.argv[2]))`
  const child = spawn(process.execPath, ['-e', code, file, String(ms)], { cwd: ROOT })
  const locked = new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve())
    child.once('exit', (c) => reject(new Error(`locker exited with ${c}`)))
  })
  const released = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  return { locked, released }
}

describe('SQLite file locked by another process', () => {
  for (const ms of [3_000, 13_000]) {
    it(`waits out a ${ms / 1000} s lock and answers every message once`, async () => {
      const file = path.join(dir, `locked-${ms}.db`)
      const minka = await startOn(`file:${file}`)
      const port = minka.port
      const { db } = openDatabase(`file:${file}`)
      try {
        const progress = { stored: 0, retries: 0 }
        const burst = conversations(port, progress)
        while (progress.stored < (USERS * SCRIPT.length) / 4) await new Promise((r) => setTimeout(r, 10)) // prettier-ignore
        const lock = lockSqlite(file, ms)
        await lock.locked
        await lock.released
        await burst
        expect(await healthStatus(port)).toBe(200)
        const answered = await expectAnsweredOnce(db, { expected: USERS * SCRIPT.length })
        expect(minka.child.exitCode).toBeNull()
        console.log(
          `sqlite lock ${ms / 1000} s: ${answered} messages answered once, ${progress.retries} redeliveries`,
        )
      } finally {
        await stopMinka(minka.child)
        await db.$disconnect()
      }
    }, 180_000)
  }
})
