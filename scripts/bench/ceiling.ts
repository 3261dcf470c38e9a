import { randomUUID } from 'node:crypto'
import { createRequire } from 'node:module'
import Database from 'better-sqlite3'

/**
 * The storage ceiling: the same writes the pipeline makes per message (store the inbound row,
 * read contact and session, upsert the session, insert a reply, mark the inbound handled),
 * straight on better-sqlite3, one transaction per message, no Prisma, no engine.
 */
export function sqliteCeiling(file: string, messages = 20_000, users = 500): { msgsPerS: number } {
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  const now = new Date().toISOString()
  const contacts = Array.from({ length: users }, (_, i) => {
    const id = randomUUID()
    db.prepare(
      `INSERT INTO "Contact" ("id","channel","channelUserId","createdAt","updatedAt") VALUES (?, 'web', ?, ?, ?)`,
    ).run(id, `ceiling-${i}`, now, now)
    return id
  })
  const insertInbound = db.prepare(
    `INSERT INTO "InboundMessage" ("id","channel","platformMessageId","channelUserId","text","receivedAt","status")
     VALUES (?, 'web', ?, ?, '1', ?, 'received') ON CONFLICT DO NOTHING`,
  )
  const read = db.prepare(
    `SELECT c."id", s."state" FROM "Contact" c LEFT JOIN "Session" s ON s."contactId" = c."id"
     WHERE c."channel" = 'web' AND c."channelUserId" = ?`,
  )
  const upsertSession = db.prepare(
    `INSERT INTO "Session" ("contactId","flowId","stepId","state","specVersion","version","expiresAt","updatedAt")
     VALUES (?, 'menu', 'main', ?, 1, 1, ?, ?)
     ON CONFLICT ("contactId") DO UPDATE SET "state" = excluded."state", "version" = "Session"."version" + 1`,
  )
  const insertOutbox = db.prepare(
    `INSERT INTO "OutboundMessage" ("id","contactId","channel","channelUserId","payload","status","nextAttemptAt","origin","createdAt")
     VALUES (?, ?, 'web', ?, '{"kind":"text","text":"ok"}', 'queued', ?, 'reply', ?)`,
  )
  const markHandled = db.prepare(
    `UPDATE "InboundMessage" SET "status" = 'handled', "handledAt" = ? WHERE "id" = ?`,
  )
  const state = JSON.stringify({
    v: 1,
    stack: [{ flowId: 'menu', stepId: 'main', specVersion: 1, vars: {} }],
  })
  const handle = db.transaction((i: number) => {
    const user = `ceiling-${i % users}`
    const id = randomUUID()
    insertInbound.run(id, `c-${i}`, user, now)
    read.get(user)
    const contactId = contacts[i % users]!
    upsertSession.run(contactId, state, now, now)
    insertOutbox.run(randomUUID(), contactId, user, now, now)
    markHandled.run(now, id)
  })
  const started = performance.now()
  for (let i = 0; i < messages; i++) handle(i)
  const seconds = (performance.now() - started) / 1000
  db.close()
  return { msgsPerS: Math.round(messages / seconds) }
}

/**
 * The better-sqlite3 that Prisma's adapter bundles (its own copy, with its own SQLite). A file
 * Minka has open in this process must only be opened through it: two SQLite libraries in one
 * process do not see each other's locks, and closing the second one's connection checkpoints
 * and deletes the WAL under the first (rows written since vanish for other readers).
 */
export function adapterSqlite(): typeof Database {
  const adapterRequire = createRequire(
    createRequire(import.meta.url).resolve('@prisma/adapter-better-sqlite3'),
  )
  return adapterRequire('better-sqlite3') as typeof Database
}

/** SQLite's online backup: a consistent copy while Minka has the file open. */
export async function backupTo(from: string, to: string) {
  const db = new (adapterSqlite())(from)
  await db.backup(to)
  db.close()
}

/** One statement as Minka ran it on its SQLite connection. */
type Recorded = { sql: string; args: unknown[]; reader: boolean }

type StatementLike = {
  source: string
  reader: boolean
  bind(...args: unknown[]): StatementLike
  run(...args: unknown[]): unknown
  all(...args: unknown[]): unknown
  get(...args: unknown[]): unknown
}

/**
 * Records every statement run on the better-sqlite3 connections Prisma's adapter opens (it has
 * its own copy of better-sqlite3, so that copy is the one wrapped), with its arguments, in
 * order, until the returned function is called. Recording slows Minka down, so the run it
 * watches is not the one whose rate is reported.
 */
export function recordStatements(): () => Recorded[] {
  const Adapters = adapterSqlite()
  const probe = new Adapters(':memory:')
  const proto = Object.getPrototypeOf(probe.prepare('SELECT 1')) as Record<string, unknown>
  probe.close()
  const bound = new WeakMap<object, unknown[]>()
  const recorded: Recorded[] = []
  const originals = new Map<string, (...args: unknown[]) => unknown>()
  for (const name of ['bind', 'run', 'all', 'get']) {
    const original = proto[name] as (...args: unknown[]) => unknown
    originals.set(name, original)
    proto[name] = function (this: StatementLike, ...args: unknown[]) {
      const result = original.apply(this, args) // only statements that succeeded are replayed
      if (name === 'bind') bound.set(this, args.flat())
      else
        recorded.push({
          sql: this.source,
          args: args.length > 0 ? args.flat() : (bound.get(this) ?? []),
          reader: this.reader,
        })
      return result
    }
  }
  return () => {
    for (const [name, original] of originals) proto[name] = original
    return recorded
  }
}

/**
 * The ceiling for exactly Minka's work: the statements it ran (transactions included, as it
 * grouped them) replayed on raw better-sqlite3 with statements kept prepared, on a copy of the
 * database as it was before they ran. No engine, no flow, no Prisma: what SQLite itself takes.
 */
export function replayCeiling(
  file: string,
  statements: Recorded[],
  messages: number,
): { msgsPerS: number; statementsPerMsg: number } {
  const db = new (adapterSqlite())(file) // Minka's own SQLite version
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  const prepared = new Map<string, Database.Statement<unknown[]>>()
  const started = performance.now()
  for (const s of statements) {
    let statement = prepared.get(s.sql)
    if (!statement) prepared.set(s.sql, (statement = db.prepare(s.sql)))
    if (s.reader) statement.all(...s.args)
    else statement.run(...s.args)
  }
  const seconds = (performance.now() - started) / 1000
  db.close()
  return {
    msgsPerS: Math.round(messages / seconds),
    statementsPerMsg: Number((statements.length / messages).toFixed(1)),
  }
}
