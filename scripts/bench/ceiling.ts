import { randomUUID } from 'node:crypto'
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
