import { Prisma } from '../../generated/sqlite/index.js'
import type { Db } from '../../app/db/open.ts'
import { progress, type Progress } from './broadcasts.ts'

export type BroadcastResults = {
  progress: Progress
  /** Failed rows grouped by the platform's reason (OutboundMessage.lastError), most first. */
  failures: { reason: string; count: number }[]
  /** Answers to the follow-up question by option number ("1", "2"…). */
  answers: Record<string, number>
  /** Women who received it and then opted out, before any later broadcast reached them. */
  optOutsCaused: number
}

type Raw = Record<string, unknown>
const num = (v: unknown) => Number(v ?? 0)

/**
 * An opt-out is put down to the last broadcast she received before it: sent to her, then BAJA,
 * with no other broadcast reaching her in between. So two broadcasts never share one opt-out.
 */
const CAUSED_OPT_OUT = Prisma.raw(`
  o."sentAt" IS NOT NULL AND c."optedOutAt" IS NOT NULL AND c."optedOutAt" >= o."sentAt"
  AND NOT EXISTS (
    SELECT 1 FROM "OutboundMessage" l
    WHERE l."contactId" = r."contactId" AND l."origin" = 'broadcast' AND l."id" <> o."id"
      AND l."sentAt" > o."sentAt" AND l."sentAt" <= c."optedOutAt")`)

/** What a broadcast came to: delivered, failed and why, answers, opt-outs it caused. */
export async function broadcastResults(db: Db, broadcastId: string): Promise<BroadcastResults> {
  const [p, failures, answers, caused] = await Promise.all([
    progress(db, broadcastId),
    db.$queryRaw<Raw[]>`
      SELECT o."lastError" AS "reason", COUNT(*) AS "n"
      FROM "BroadcastRecipient" r JOIN "OutboundMessage" o ON o."id" = r."outboundId"
      WHERE r."broadcastId" = ${broadcastId} AND o."status" = 'failed'
      GROUP BY o."lastError" ORDER BY COUNT(*) DESC`,
    db.broadcastRecipient.groupBy({
      by: ['answer'],
      where: { broadcastId, answer: { not: null } },
      _count: { _all: true },
    }),
    // Prisma.sql (one runtime) so the raw fragment works on both clients (see outbox-store.ts)
    db.$queryRaw<Raw[]>(Prisma.sql`
      SELECT COUNT(*) AS "n"
      FROM "BroadcastRecipient" r
      JOIN "OutboundMessage" o ON o."id" = r."outboundId"
      JOIN "Contact" c ON c."id" = r."contactId"
      WHERE r."broadcastId" = ${broadcastId} AND ${CAUSED_OPT_OUT}`),
  ])
  return {
    progress: p,
    failures: failures.map((f) => ({ reason: String(f.reason ?? ''), count: num(f.n) })),
    answers: Object.fromEntries(answers.map((a) => [a.answer!, a._count._all])),
    optOutsCaused: num(caused[0]?.n),
  }
}

export type RecipientResult = {
  id: string
  contactId: string
  channel: string
  locale: string | null
  status: string
  sentAt: Date | null
  error: string | null
  answer: string | null
  optedOutAfter: boolean
}

/**
 * One page of a broadcast's recipients with their outcome, in id order after `afterId`
 * (keyset paging: a CSV of 100,000 rows is written page by page, never all in memory at once).
 */
export async function recipientResults(
  db: Db,
  broadcastId: string,
  afterId: string,
  take: number,
): Promise<RecipientResult[]> {
  const rows = await db.$queryRaw<Raw[]>(Prisma.sql`
    SELECT r."id" AS "id", r."contactId" AS "contactId", c."channel" AS "channel",
       c."locale" AS "locale", r."status" AS "rStatus", o."status" AS "oStatus",
       o."sentAt" AS "sentAt", o."lastError" AS "error", r."answer" AS "answer",
       CASE WHEN ${CAUSED_OPT_OUT} THEN 1 ELSE 0 END AS "caused"
     FROM "BroadcastRecipient" r
     JOIN "Contact" c ON c."id" = r."contactId"
     LEFT JOIN "OutboundMessage" o ON o."id" = r."outboundId"
     WHERE r."broadcastId" = ${broadcastId} AND r."id" > ${afterId}
     ORDER BY r."id" LIMIT ${Math.max(1, Math.floor(take))}`)
  return rows.map((r) => ({
    id: String(r.id),
    contactId: String(r.contactId),
    channel: String(r.channel),
    locale: (r.locale as string | null) ?? null,
    status:
      r.oStatus !== 'sent' && r.rStatus === 'opted_out'
        ? 'opted_out'
        : String(r.oStatus ?? r.rStatus),
    sentAt: r.sentAt === null || r.sentAt === undefined ? null : new Date(r.sentAt as string),
    error: r.oStatus === 'failed' || r.oStatus === 'cancelled' ? (r.error as string) : null,
    answer: (r.answer as string | null) ?? null,
    optedOutAfter: num(r.caused) === 1,
  }))
}
