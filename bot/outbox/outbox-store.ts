import { Prisma } from '../../generated/sqlite/index.js'
import type { Db } from '../../app/db/open.ts'
import type { HotPath } from '../../app/db/direct-sqlite.ts'

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

/**
 * Claims due rows for sending: marks them `sending` with a lease and returns them, atomically.
 * On PostgreSQL the inner SELECT takes `FOR UPDATE SKIP LOCKED`, so two dispatchers never claim
 * the same row. A row is held back while an earlier row of the same woman waits for a retry or
 * is being sent by someone else, so her messages arrive in the order they were written.
 */
export async function claimDueRows(
  db: Db,
  opts: {
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
  },
): Promise<ClaimedRow[]> {
  if (opts.channels.length === 0 || opts.limit <= 0) return []
  const lock = opts.provider === 'postgresql' ? Prisma.raw('FOR UPDATE SKIP LOCKED') : Prisma.empty
  const paced = opts.pacedBroadcastChannels ?? []
  const origin = opts.onlyBroadcasts
    ? Prisma.sql`AND o."origin" = 'broadcast'`
    : paced.length > 0
      ? Prisma.sql`AND NOT (o."origin" = 'broadcast' AND o."channel" IN (${Prisma.join(paced)}))`
      : Prisma.empty
  // Built with Prisma.sql (one runtime) rather than the client's tag: the PostgreSQL client
  // would not recognise fragments made by the SQLite client's runtime. The rows are picked in
  // a CTE: as a plain `IN (subquery)` PostgreSQL may re-run the LIMIT … SKIP LOCKED subquery
  // for every row and claim them all; a CTE runs once.
  const rows = await db.$queryRaw<ClaimedRow[]>(Prisma.sql`
    WITH "picked" AS (
      SELECT o."id" FROM "OutboundMessage" o
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
    WHERE "id" IN (SELECT "id" FROM "picked") AND "status" = 'queued'
    RETURNING "id", "contactId", "channel", "channelUserId", "payload", "attempts", "createdAt", "seq"`)
  return rows
    .map((r) => ({ ...r, attempts: Number(r.attempts), seq: Number(r.seq) }))
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.seq - b.seq)
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
