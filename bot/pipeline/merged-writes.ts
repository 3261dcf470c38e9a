import { Prisma } from '../../generated/sqlite/index.js'
import {
  conversationWriteStatements,
  insertOutboxValues,
  outboxRowValues,
  type ConversationWrite,
  type Queryable,
} from './conversation-store.ts'

/**
 * The statements for several handled messages at once, a handful per group instead of five per
 * message: through Prisma each statement costs ~0.1 ms of CPU, more than SQLite takes to run it.
 * Each woman appears at most once in a group (her messages are handled one after the other,
 * each after the previous one committed), so no two rows of one statement touch the same row.
 * Failed messages and messages whose rows were already written go through the one-message path.
 */
export function mergedConversationStatements(db: Queryable, writes: ConversationWrite[]) {
  const merge = writes.filter((w) => w.inboundStatus === 'handled' && !w.preludeDone)
  const single = writes.filter((w) => !merge.includes(w))
  const statements = single.flatMap((w) => conversationWriteStatements(db, w))
  if (merge.length === 0) return statements
  // one time for the group's "last wrote" and "handled": the latest, so her next message's
  // time (at least her last + 1 ms) still comes after every reply of this one
  const now = new Date(Math.max(...merge.map((w) => w.now.getTime())))

  const created = merge.filter((w) => w.newContact)
  if (created.length > 0) {
    statements.push(
      db.$executeRaw(Prisma.sql`
      INSERT INTO "Contact" ("id", "channel", "channelUserId", "phone", "firstInboundAt",
        "lastInboundAt", "createdAt", "updatedAt")
      VALUES ${Prisma.join(
        created.map(
          (
            w,
          ) => Prisma.sql`(${w.contactId}, ${w.newContact!.channel}, ${w.newContact!.channelUserId},
            ${w.newContact!.phone}, ${w.now}, ${now}, ${w.now}, ${now})`,
        ),
      )}
      ON CONFLICT ("channel", "channelUserId") DO NOTHING`),
    )
  }
  const known = merge.filter((w) => !w.newContact).map((w) => w.contactId)
  if (known.length > 0) {
    statements.push(
      db.$executeRaw(Prisma.sql`
      UPDATE "Contact" SET "lastInboundAt" = ${now}, "updatedAt" = ${now}
      WHERE "id" IN (${Prisma.join(known)})`),
    )
  }
  for (const w of merge) {
    if (!w.attachment) continue
    const a = w.attachment
    statements.push(db.$executeRaw`
      INSERT INTO "Attachment" ("id", "contactId", "kind", "mime", "size", "storageKey", "createdAt")
      VALUES (${a.id}, ${w.contactId}, ${a.kind}, ${a.mime}, ${a.size}, ${a.storageKey}, ${w.now})`)
  }
  for (const w of merge) if (w.effectStatements) statements.push(...w.effectStatements(db))

  const sessions = merge.filter((w) => w.session !== null && w.session !== 'keep')
  if (sessions.length > 0) {
    statements.push(
      db.$executeRaw(Prisma.sql`
      INSERT INTO "Session" ("contactId", "flowId", "stepId", "state", "specVersion", "version",
        "expiresAt", "updatedAt")
      VALUES ${Prisma.join(
        sessions.map((w) => {
          const s = w.session as Exclude<ConversationWrite['session'], 'keep' | null>
          return Prisma.sql`(${w.contactId}, ${s.flowId}, ${s.stepId}, ${s.state}, ${s.specVersion},
            1, ${s.expiresAt}, ${w.now})`
        }),
      )}
      ON CONFLICT ("contactId") DO UPDATE SET "flowId" = excluded."flowId",
        "stepId" = excluded."stepId", "state" = excluded."state",
        "specVersion" = excluded."specVersion", "version" = "Session"."version" + 1,
        "expiresAt" = excluded."expiresAt", "updatedAt" = excluded."updatedAt"`),
    )
  }
  const ended = merge.filter((w) => w.session === null).map((w) => w.contactId)
  if (ended.length > 0) {
    statements.push(
      db.$executeRaw(Prisma.sql`
      DELETE FROM "Session" WHERE "contactId" IN (${Prisma.join(ended)})`),
    )
  }
  const replies = merge.flatMap((w) => outboxRowValues(w, w.outbox))
  if (replies.length > 0) statements.push(insertOutboxValues(db, replies))

  for (const keep of [true, false]) {
    const rows = merge.filter((w) => w.keepInboundText === keep)
    if (rows.length === 0) continue
    const contactOf = Prisma.join(
      rows.map((w) => Prisma.sql`WHEN ${w.inboundId} THEN ${w.contactId}`),
      ' ',
    )
    statements.push(
      db.$executeRaw(Prisma.sql`
      UPDATE "InboundMessage" SET "status" = 'handled', "handledAt" = ${now},
        "contactId" = CASE "id" ${contactOf} END
        ${keep ? Prisma.empty : Prisma.sql`, "text" = NULL`}
      WHERE "id" IN (${Prisma.join(rows.map((w) => w.inboundId))})`),
    )
  }
  return statements
}
