import { randomUUID } from 'node:crypto'
import { Prisma } from '../../generated/sqlite/index.js'
import type { Db } from '../../app/db/open.ts'

/** The database or an interactive transaction: both run raw queries. */
export type Queryable = Pick<Db, '$queryRaw' | '$executeRaw'>
import type { InboundMessage, OutboxPayload } from '../messages.ts'
import { storableText } from './storable-text.ts'

/** Stored text is capped; a longer message is truncated and she is told (bot/pipeline). */
export const MAX_STORED_TEXT = 4000

export type ContactRow = {
  id: string
  channel: string
  channelUserId: string
  phone: string | null
  locale: string | null
  country: string | null
  regionId: string | null
  consentAt: Date | null
  consentDeclinedAt: Date | null
  optedOutAt: Date | null
  erasedAt: Date | null
  lastInboundAt: Date | null
}

export type ConversationSnapshot = {
  /** The inbound row's status: anything but 'received' means someone already handled it. */
  inboundStatus: string | null
  /** Her most recent open or pending case: while one is open her free text goes to staff. */
  openCaseId: number | null
  contact: ContactRow | null
  session: { state: string; version: number } | null
}

export type OutboxInsert = {
  id: string
  payload: OutboxPayload
  origin: 'reply' | 'case' | 'broadcast' | 'reminder' | 'system'
  originId?: string | null
  priority?: number
  nextAttemptAt?: Date
}

/**
 * Stores an inbound message before anything else happens to it. The unique
 * (channel, platformMessageId) key turns a redelivery into a no-op: returns false then.
 */
export async function storeInbound(
  db: Db,
  id: string,
  message: InboundMessage,
): Promise<{ stored: boolean; truncated: boolean }> {
  const { statement, truncated } = storeInboundStatement(db, id, message)
  return { stored: (await statement) === 1, truncated }
}

/** The insert behind storeInbound, for callers that batch it with others (group commit). */
export function storeInboundStatement(db: Queryable, id: string, message: InboundMessage) {
  const statement = db.$executeRaw(Prisma.sql`
    INSERT INTO "InboundMessage" ("id", "channel", "platformMessageId", "channelUserId", "text",
      "textTruncated", "choice", "mediaKind", "mediaRef", "mediaMime", "receivedAt", "status")
    VALUES ${inboundRowValues(id, message)}
    ON CONFLICT ("channel", "platformMessageId") DO NOTHING`)
  return { statement, truncated: isTruncated(message) }
}

export function isTruncated(message: InboundMessage): boolean {
  return (message.text?.length ?? 0) > MAX_STORED_TEXT
}

/** One inbound row's VALUES tuple; text over MAX_STORED_TEXT is cut and flagged (a character cut in half becomes U+FFFD). */
export function inboundRowValues(id: string, message: InboundMessage) {
  const text = message.text ?? null
  const truncated = isTruncated(message)
  return Prisma.sql`(${id}, ${message.channel}, ${message.platformMessageId}, ${message.channelUserId},
    ${truncated && text ? storableText(text.slice(0, MAX_STORED_TEXT)) : text}, ${truncated}, ${message.choice ?? null},
    ${message.media?.kind ?? null}, ${message.media?.ref ?? null}, ${message.media?.mime ?? null},
    ${message.receivedAt}, 'received')`
}

/** Her contact row and session in one query: the only read on the hot path. */
export async function readConversation(
  db: Queryable,
  inboundId: string,
  channel: string,
  channelUserId: string,
): Promise<ConversationSnapshot> {
  type Row = Partial<ContactRow> & {
    inboundStatus: string | null
    openCaseId: number | bigint | null
    state: string | null
    version: number | null
  }
  const rows = await db.$queryRaw<Row[]>`
    SELECT i."status" AS "inboundStatus", c."id", c."channel", c."channelUserId", c."phone",
      c."locale", c."country", c."regionId", c."consentAt", c."consentDeclinedAt",
      c."optedOutAt", c."erasedAt", c."lastInboundAt", s."state", s."version",
      (SELECT k."id" FROM "Case" k WHERE k."contactId" = c."id" AND k."status" IN ('open', 'pending')
        ORDER BY k."lastActivityAt" DESC LIMIT 1) AS "openCaseId"
    FROM (SELECT 1 AS "one") AS q
    LEFT JOIN "InboundMessage" i ON i."id" = ${inboundId}
    LEFT JOIN "Contact" c ON c."channel" = ${channel} AND c."channelUserId" = ${channelUserId}
    LEFT JOIN "Session" s ON s."contactId" = c."id"`
  const { inboundStatus, openCaseId, state, version, ...contact } = rows[0]!
  return {
    inboundStatus,
    openCaseId: openCaseId === null ? null : Number(openCaseId),
    contact: contact.id ? (contact as ContactRow) : null,
    session: state === null ? null : { state, version: Number(version ?? 0) },
  }
}

export type ConversationWrite = {
  now: Date
  inboundId: string
  /** Null once her data is erased: the inbound row keeps only its dedup key. */
  contactId: string
  newContact: { channel: string; channelUserId: string; phone: string | null } | null
  /** Keep the message text? Not before she consents (privacy rule), not after erasure. */
  keepInboundText: boolean
  /** 'keep' leaves her session as it was (the message failed). */
  session:
    | 'keep'
    | null
    | {
        flowId: string
        stepId: string
        state: string
        specVersion: number
        expiresAt: Date
      }
    | null
  outbox: OutboxInsert[]
  channel: string
  channelUserId: string
  inboundStatus: 'handled' | 'failed'
  error?: string
  /** A file she sent, saved by the channel adapter: recorded as hers (cases link it later). */
  attachment?: { id: string; kind: string; mime: string | null; size: number; storageKey: string }
  /** The contact and attachment rows were already written (effects needed them first). */
  preludeDone?: boolean
  /** Statements for effects on her own rows, run after the prelude (see contact-effects.ts). */
  effectStatements?: (q: Queryable) => ReturnType<Queryable['$executeRaw']>[]
}

/** What must exist before effects run: her contact row and the file she sent. */
export function preludeStatements(
  db: Queryable,
  w: Pick<ConversationWrite, 'now' | 'contactId' | 'newContact' | 'attachment'>,
) {
  const statements = [contactStatement(db, w)]
  if (w.attachment) {
    const a = w.attachment
    statements.push(db.$executeRaw`
      INSERT INTO "Attachment" ("id", "contactId", "kind", "mime", "size", "storageKey", "createdAt")
      VALUES (${a.id}, ${w.contactId}, ${a.kind}, ${a.mime}, ${a.size}, ${a.storageKey}, ${w.now})`)
  }
  return statements
}

/** Creates her contact row on her first message, or notes when she last wrote. */
export function contactStatement(
  db: Queryable,
  w: Pick<ConversationWrite, 'now' | 'contactId' | 'newContact'>,
) {
  if (w.newContact) {
    return db.$executeRaw`
      INSERT INTO "Contact" ("id", "channel", "channelUserId", "phone", "firstInboundAt",
        "lastInboundAt", "createdAt", "updatedAt")
      VALUES (${w.contactId}, ${w.newContact.channel}, ${w.newContact.channelUserId},
        ${w.newContact.phone}, ${w.now}, ${w.now}, ${w.now}, ${w.now})
      ON CONFLICT ("channel", "channelUserId") DO NOTHING`
  }
  return db.$executeRaw`
    UPDATE "Contact" SET "lastInboundAt" = ${w.now}, "updatedAt" = ${w.now}
    WHERE "id" = ${w.contactId}`
}

/**
 * The statements that record one handled message: contact, session, replies (outbox) and the
 * inbound row's status, to run in one transaction (see also merged-writes.ts for many).
 */
export function conversationWriteStatements(db: Queryable, w: ConversationWrite) {
  const statements = w.preludeDone ? [] : preludeStatements(db, w)
  if (w.effectStatements) statements.push(...w.effectStatements(db))
  if (w.session === 'keep') {
    // a failed message leaves the conversation where it was
  } else if (w.session) {
    const s = w.session
    statements.push(db.$executeRaw`
      INSERT INTO "Session" ("contactId", "flowId", "stepId", "state", "specVersion", "version",
        "expiresAt", "updatedAt")
      VALUES (${w.contactId}, ${s.flowId}, ${s.stepId}, ${s.state}, ${s.specVersion}, 1,
        ${s.expiresAt}, ${w.now})
      ON CONFLICT ("contactId") DO UPDATE SET "flowId" = excluded."flowId",
        "stepId" = excluded."stepId", "state" = excluded."state",
        "specVersion" = excluded."specVersion", "version" = "Session"."version" + 1,
        "expiresAt" = excluded."expiresAt", "updatedAt" = excluded."updatedAt"`)
  } else {
    statements.push(db.$executeRaw`DELETE FROM "Session" WHERE "contactId" = ${w.contactId}`)
  }
  if (w.outbox.length > 0) statements.push(insertOutboxStatement(db, w, w.outbox))
  statements.push(db.$executeRaw`
    UPDATE "InboundMessage" SET "status" = ${w.inboundStatus}, "handledAt" = ${w.now},
      "contactId" = ${w.contactId}, "error" = ${w.error ?? null},
      "text" = CASE WHEN ${w.keepInboundText} THEN "text" ELSE NULL END
    WHERE "id" = ${w.inboundId}`)
  return statements
}

type OutboxOwner = Pick<
  ConversationWrite,
  'now' | 'contactId' | 'channel' | 'channelUserId' | 'inboundId'
>

/** The VALUES tuples of one message's replies, in the order she must get them. */
export function outboxRowValues(w: OutboxOwner, rows: OutboxInsert[]) {
  return rows.map(
    (r, seq) => Prisma.sql`(${r.id}, ${w.contactId}, ${w.channel}, ${w.channelUserId},
      ${JSON.stringify(r.payload)}, 'queued', ${r.priority ?? 0}, 0, ${r.nextAttemptAt ?? w.now},
      ${r.origin}, ${r.originId ?? null}, ${w.inboundId}, ${seq}, ${w.now})`,
  )
}

function insertOutboxStatement(db: Queryable, w: OutboxOwner, rows: OutboxInsert[]) {
  return insertOutboxValues(db, outboxRowValues(w, rows))
}

export function insertOutboxValues(db: Queryable, values: ReturnType<typeof outboxRowValues>) {
  // Prisma.sql, not the client's tag: nested fragments must come from one runtime (see
  // claimDueRows).
  return db.$executeRaw(Prisma.sql`
    INSERT INTO "OutboundMessage" ("id", "contactId", "channel", "channelUserId", "payload",
      "status", "priority", "attempts", "nextAttemptAt", "origin", "originId", "inboundId", "seq",
      "createdAt")
    VALUES ${Prisma.join(values)}`)
}

/** Inbound rows stored but never handled (a crash between store and handle): to resume. */
export async function findUnhandledInbound(db: Db, olderThan: Date, limit = 500) {
  return db.$queryRaw<{ id: string; channel: string; channelUserId: string | null }[]>`
    SELECT "id", "channel", "channelUserId" FROM "InboundMessage"
    WHERE "status" = 'received' AND "receivedAt" <= ${olderThan}
    ORDER BY "receivedAt" LIMIT ${limit}`
}

export function newId(): string {
  return randomUUID()
}

/** One stored inbound row, to handle it again after a crash. */
export async function readInbound(db: Queryable, id: string) {
  const rows = await db.$queryRaw<
    {
      id: string
      channel: string
      platformMessageId: string
      channelUserId: string | null
      text: string | null
      textTruncated: boolean | number
      choice: string | null
      mediaKind: string | null
      mediaRef: string | null
      mediaMime: string | null
      receivedAt: Date
    }[]
  >`SELECT "id", "channel", "platformMessageId", "channelUserId", "text", "textTruncated", "choice",
      "mediaKind", "mediaRef", "mediaMime", "receivedAt"
    FROM "InboundMessage" WHERE "id" = ${id} AND "status" = 'received'`
  return rows[0]
}
