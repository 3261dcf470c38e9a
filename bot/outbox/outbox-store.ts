import { Prisma } from '../../generated/sqlite/index.js'
import type { Db } from '../../app/db/open.ts'
import type { HotPath } from '../../app/db/direct-sqlite.ts'

/**
 * Outbox priority of broadcast rows: after replies (0), case replies (5) and reminders (10).
 * No other row may have it or a higher one: a claim that leaves paced broadcasts out stops
 * reading the queue where this priority starts.
 */
export const BROADCAST_PRIORITY = 20

export type ClaimedRow = {
  id: string
  contactId: string
  channel: string
  channelUserId: string
  payload: string
  attempts: number
  createdAt: Date
  seq: number
}

export type ClaimOptions = {
  provider: 'sqlite' | 'postgresql'
  channels: string[]
  now: Date
  leaseUntil: Date
  limit: number
  /**
   * Broadcast rows of these channels are paced apart (see OutboxDispatcher): left out here,
   * claimed with `onlyBroadcasts` as their rate allows.
   */
  pacedBroadcastChannels?: string[]
  /** Claim only broadcast rows. */
  onlyBroadcasts?: boolean
}

/**
 * Claims due rows for sending: marks them `sending` with a lease and returns them, atomically.
 * On PostgreSQL the inner SELECT takes `FOR UPDATE SKIP LOCKED`, so two dispatchers never claim
 * the same row. A row is held back while an earlier row of the same woman waits for a retry or
 * is being sent by someone else, so her messages arrive in the order they were written.
 */
export async function claimDueRows(db: Db, opts: ClaimOptions): Promise<ClaimedRow[]> {
  if (opts.channels.length === 0 || opts.limit <= 0) return []
  const rows = await db.$queryRaw<ClaimedRow[]>(claimStatement(opts))
  return rows
    .map((r) => ({ ...r, attempts: Number(r.attempts), seq: Number(r.seq) }))
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.seq - b.seq)
}

/** The claim's one statement (exported so a test can read SQLite's plan for it). */
export function claimStatement(opts: ClaimOptions): Prisma.Sql {
  const lock = opts.provider === 'postgresql' ? Prisma.raw('FOR UPDATE SKIP LOCKED') : Prisma.empty
  // SQLite's planner, without ANALYZE statistics, prefers the (channel, status, …) index and
  // then sorts every queued row on each claim: with a broadcast to 100,000 queued a claim took
  // 79 ms of blocked event loop, against 1.2 ms reading the ordered index (npm run bench).
  const inOrder =
    opts.provider === 'sqlite'
      ? Prisma.raw('INDEXED BY "OutboundMessage_claim_order_idx"')
      : Prisma.empty
  const paced = opts.pacedBroadcastChannels ?? []
  // PostgreSQL checks again a row another claim may have taken. SQLite needs not (one writer,
  // one statement) and must not: given the status, its planner reads every queued row.
  const stillQueued =
    opts.provider === 'postgresql' ? Prisma.sql`AND "status" = 'queued'` : Prisma.empty
  const allPaced = opts.channels.every((c) => paced.includes(c))
  const origin = opts.onlyBroadcasts
    ? Prisma.sql`AND o."origin" = 'broadcast'`
    : allPaced
      ? // the same as below, as a range of the ordered index: during a broadcast to 100,000
        // the queued broadcast rows are not read one by one on every claim
        Prisma.sql`AND o."priority" < ${BROADCAST_PRIORITY} AND o."origin" <> 'broadcast'`
      : paced.length > 0
        ? Prisma.sql`AND NOT (o."origin" = 'broadcast' AND o."channel" IN (${Prisma.join(paced)}))`
        : Prisma.empty
  // Built with Prisma.sql (one runtime) rather than the client's tag: the PostgreSQL client
  // would not recognise fragments made by the SQLite client's runtime. The rows are picked in
  // a CTE: as a plain `IN (subquery)` PostgreSQL may re-run the LIMIT … SKIP LOCKED subquery
  // for every row and claim them all; a CTE runs once.
  return Prisma.sql`
    WITH "picked" AS (
      SELECT o."id" FROM "OutboundMessage" o ${inOrder}
      WHERE o."status" = 'queued' AND o."nextAttemptAt" <= ${opts.now}
        AND o."channel" IN (${Prisma.join(opts.channels)}) ${origin}
        AND NOT EXISTS (
          SELECT 1 FROM "OutboundMessage" p
          WHERE p."contactId" = o."contactId" AND p."id" <> o."id"
            AND (p."createdAt" < o."createdAt" OR (p."createdAt" = o."createdAt" AND p."seq" < o."seq"))
            AND (p."status" = 'sending' OR (p."status" = 'queued' AND p."attempts" > 0)))
      ORDER BY o."priority", o."nextAttemptAt", o."createdAt", o."seq"
      LIMIT ${opts.limit} ${lock})
    UPDATE "OutboundMessage" SET "status" = 'sending', "leaseUntil" = ${opts.leaseUntil}
    WHERE "id" IN (SELECT "id" FROM "picked") ${stillQueued}
    RETURNING "id", "contactId", "channel", "channelUserId", "payload", "attempts", "createdAt", "seq"`
}

export function markSent(
  db: HotPath,
  id: string,
  now: Date,
  platformMessageId: string | undefined,
) {
  return db.$executeRaw`
    UPDATE "OutboundMessage" SET "status" = 'sent', "sentAt" = ${now}, "leaseUntil" = NULL,
      "platformMessageId" = ${platformMessageId ?? null}
    WHERE "id" = ${id} AND "status" = 'sending'`
}

export function markRetry(db: HotPath, id: string, attempts: number, at: Date, reason: string) {
  return db.$executeRaw`
    UPDATE "OutboundMessage" SET "status" = 'queued', "attempts" = ${attempts},
      "nextAttemptAt" = ${at}, "leaseUntil" = NULL, "lastError" = ${reason}
    WHERE "id" = ${id} AND "status" = 'sending'`
}

export function markFailed(db: HotPath, id: string, attempts: number, reason: string) {
  return db.$executeRaw`
    UPDATE "OutboundMessage" SET "status" = 'failed', "attempts" = ${attempts},
      "leaseUntil" = NULL, "lastError" = ${reason}
    WHERE "id" = ${id} AND "status" = 'sending'`
}

/** Gives a claimed row back untouched (its channel went down, or an earlier row failed). */
export function releaseRow(db: HotPath, id: string) {
  return db.$executeRaw`
    UPDATE "OutboundMessage" SET "status" = 'queued', "leaseUntil" = NULL
    WHERE "id" = ${id} AND "status" = 'sending'`
}

/**
 * Re-queues rows whose lease ran out: the process that claimed them died. If it died after the
 * platform accepted a message but before the row was marked sent, that one row goes out twice;
 * no other row can (docs/architecture.md, "Outbox").
 */
export function requeueExpiredLeases(db: HotPath, now: Date) {
  return db.$executeRaw`
    UPDATE "OutboundMessage" SET "status" = 'queued', "leaseUntil" = NULL
    WHERE "status" = 'sending' AND "leaseUntil" < ${now}`
}

/** She blocked the bot or her number is gone: stop sending her anything on this channel. */
export function markContactUnreachable(db: HotPath, contactId: string, now: Date, reason: string) {
  return db.$transaction([
    db.$executeRaw`
      UPDATE "Contact" SET "unreachableAt" = ${now}, "unreachableReason" = ${reason}, "updatedAt" = ${now}
      WHERE "id" = ${contactId}`,
    db.$executeRaw`
      UPDATE "OutboundMessage" SET "status" = 'cancelled', "lastError" = ${reason}, "leaseUntil" = NULL
      WHERE "contactId" = ${contactId} AND "status" IN ('queued', 'sending')`,
  ])
}
