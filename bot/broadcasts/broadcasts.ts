import { Prisma } from '../../generated/sqlite/index.js'
import type { i18n } from 'i18next'
import { z } from 'zod'
import type { Db } from '../../app/db/open.ts'
import { DEFAULT_LOCALE, translatorFor } from '../../app/i18n.ts'
import type { OutboxPayload } from '../messages.ts'
import { BROADCAST_PRIORITY } from '../outbox/outbox-store.ts'
import { audienceSql, parseAudience, type Audience } from './audience.ts'
import { parseFollowUp, renderFollowUp, type FollowUp } from './follow-up.ts'

export const broadcastStatusSchema = z.enum([
  'draft',
  'pending_approval',
  'scheduled',
  'sending',
  'paused',
  'done',
  'cancelled',
])
export type BroadcastStatus = z.infer<typeof broadcastStatusSchema>

/** The text per language: Spanish is required, other languages optional. */
export const textsSchema = z
  .object({ es: z.string().trim().min(1).max(4000) })
  .catchall(z.string().trim().max(4000))
export type BroadcastTexts = z.infer<typeof textsSchema>

/**
 * Broadcast.enqueuedUpTo once every recipient has been materialised. While materialising it
 * holds the last contact id written (the keyset cursor); this marker says "nothing left", so a
 * contact who joins the segment later is not added to a broadcast already under way.
 */
export const MATERIALISED = '~complete'

/**
 * Rows of a paused broadcast stay `queued` but wait until this date. A separate status was not
 * used on purpose: BAJA and "unreachable" cancel a woman's `queued` rows (contact-effects.ts,
 * outbox-store.ts), and a held row must be cancelled by them just the same.
 */
export const HELD_UNTIL = new Date('9999-12-31T00:00:00Z')

/** Which text a woman gets: her language's if written, else Spanish. */
export function chooseLanguage(texts: BroadcastTexts, locale: string | null | undefined): string {
  return locale && texts[locale]?.trim() ? locale : DEFAULT_LOCALE
}

/** What a broadcast says: its texts, the optional follow-up question and file. */
export type BroadcastContent = {
  texts: BroadcastTexts
  followUp?: FollowUp | null
  mediaRef?: string | null
}

/** A stored broadcast's content, parsed. */
export function contentOf(b: {
  texts: string
  followUp: string | null
  mediaRef: string | null
}): BroadcastContent {
  return {
    texts: textsSchema.parse(JSON.parse(b.texts)),
    followUp: parseFollowUp(b.followUp),
    mediaRef: b.mediaRef,
  }
}

/**
 * The message as she receives it: the text, the follow-up question if any, then how to stop
 * announcements (BAJA). With a file, the same text is its caption.
 */
export function renderBroadcast(
  i18nInstance: i18n,
  content: BroadcastContent,
  locale: string | null | undefined,
): OutboxPayload {
  const lng = chooseLanguage(content.texts, locale)
  const stop = translatorFor(i18nInstance, lng)('broadcasts.stop_line')
  const parts = [content.texts[lng]!.trim()]
  if (content.followUp) parts.push(renderFollowUp(content.followUp, lng))
  const text = [...parts, stop].join('\n\n')
  return content.mediaRef
    ? { kind: 'media', ref: content.mediaRef, caption: text }
    : { kind: 'text', text }
}

export async function countAudience(db: Db, audience: Audience): Promise<number> {
  const rows = await db.$queryRaw<{ n: number | bigint }[]>(Prisma.sql`
    SELECT COUNT(*) AS "n" FROM "Contact" c WHERE ${audienceSql(audience)}`)
  return Number(rows[0]?.n ?? 0)
}

/** Rolls a batch back when the broadcast was paused or cancelled while it was being written. */
class StoppedMidBatch extends Error {}

export type MaterialiseResult = { created: number; complete: boolean }

/**
 * Writes the recipients of a `sending` broadcast as BroadcastRecipient and outbox rows, in
 * keyset batches by contact id, by INSERT … SELECT: no contact is loaded into memory. Each batch
 * and the cursor (enqueuedUpTo) are written in one transaction, so after a crash a new call
 * resumes after the last batch written. A woman who already has a row for this broadcast is
 * skipped (and the unique (broadcastId, contactId) index backs that), so nobody gets it twice.
 * Stops early if the broadcast is paused or cancelled between batches.
 */
export async function materialise(
  db: Db,
  i18nInstance: i18n,
  broadcastId: string,
  opts: { batchSize?: number; now?: () => Date; maxBatches?: number } = {},
): Promise<MaterialiseResult> {
  const batchSize = Math.max(1, Math.floor(opts.batchSize ?? 2000))
  const now = opts.now ?? (() => new Date())
  const first = await db.broadcast.findUnique({ where: { id: broadcastId } })
  if (!first || first.status !== 'sending') return { created: 0, complete: false }
  if (first.enqueuedUpTo === MATERIALISED) return { created: 0, complete: true }
  const segment = audienceSql(parseAudience(first.audience))
  const payload = payloadByLanguage(i18nInstance, contentOf(first))
  // Row ids are derived from (broadcast, contact): the same woman can never get a second row.
  const outboundId = Prisma.sql`CAST(${`${broadcastId}:`} AS TEXT) || c."id"`
  const recipientId = Prisma.sql`CAST(${`r:${broadcastId}:`} AS TEXT) || c."id"`
  let created = 0
  let batches = 0
  for (;;) {
    if (opts.maxBatches !== undefined && batches >= opts.maxBatches) {
      return { created, complete: false }
    }
    batches++
    const outcome = await db
      .$transaction(
        async (tx) => {
          const b = await tx.broadcast.findUnique({
            where: { id: broadcastId },
            select: { status: true, enqueuedUpTo: true },
          })
          if (!b || b.status !== 'sending') return 'stopped' as const
          if (b.enqueuedUpTo === MATERIALISED) return 'complete' as const
          const after = b.enqueuedUpTo ?? ''
          // the batch's last contact: the rows are written by INSERT … SELECT up to it, so no
          // list of contacts ever passes through this process
          const bound = await tx.$queryRaw<{ id: string }[]>(Prisma.sql`
            SELECT c."id" FROM "Contact" c WHERE ${segment} AND c."id" > ${after}
            ORDER BY c."id" LIMIT 1 OFFSET ${Prisma.raw(String(batchSize - 1))}`)
          const upTo = bound[0]?.id
          const fresh = Prisma.sql`${segment} AND c."id" > ${after}
            ${upTo === undefined ? Prisma.empty : Prisma.sql`AND c."id" <= ${upTo}`}
            AND NOT EXISTS (SELECT 1 FROM "BroadcastRecipient" r
              WHERE r."broadcastId" = ${broadcastId} AND r."contactId" = c."id")`
          const at = now()
          const rows = await tx.$executeRaw(Prisma.sql`
            INSERT INTO "OutboundMessage" ("id", "contactId", "channel", "channelUserId", "payload",
              "status", "priority", "attempts", "nextAttemptAt", "origin", "originId", "seq", "createdAt")
            SELECT ${outboundId}, c."id", c."channel", c."channelUserId", ${payload}, 'queued',
              ${Prisma.raw(String(BROADCAST_PRIORITY))}, 0, ${at}, 'broadcast',
              CAST(${broadcastId} AS TEXT), 0, ${at}
            FROM "Contact" c WHERE ${fresh}`)
          await tx.$executeRaw(Prisma.sql`
            INSERT INTO "BroadcastRecipient" ("id", "broadcastId", "contactId", "outboundId", "status", "createdAt")
            SELECT ${recipientId}, CAST(${broadcastId} AS TEXT), c."id", ${outboundId}, 'queued', ${at}
            FROM "Contact" c WHERE ${fresh}`)
          const done = upTo === undefined
          // Conditional on `sending`: if a pause or cancel committed since the read above, this
          // matches nothing and the batch is rolled back (on PostgreSQL the row lock orders them).
          const moved = await tx.broadcast.updateMany({
            where: { id: broadcastId, status: 'sending' },
            data: { enqueuedUpTo: done ? MATERIALISED : upTo },
          })
          if (moved.count !== 1) throw new StoppedMidBatch()
          created += rows
          return done ? ('complete' as const) : ('more' as const)
        },
        { timeout: 60_000, maxWait: 10_000 },
      )
      .catch((error: unknown) => {
        if (error instanceof StoppedMidBatch) return 'stopped' as const
        throw error
      })
    if (outcome === 'complete') return { created, complete: true }
    if (outcome === 'stopped') return { created, complete: false }
  }
}

/**
 * The payload column of a broadcast's rows: rendered once per written language, picked by
 * her locale in SQL (Spanish for every other locale, as chooseLanguage does).
 */
function payloadByLanguage(i18nInstance: i18n, content: BroadcastContent): Prisma.Sql {
  const render = (lng: string) =>
    Prisma.sql`CAST(${JSON.stringify(renderBroadcast(i18nInstance, content, lng))} AS TEXT)`
  const others = Object.keys(content.texts).filter(
    (lng) => lng !== DEFAULT_LOCALE && chooseLanguage(content.texts, lng) === lng,
  )
  if (others.length === 0) return render(DEFAULT_LOCALE)
  const cases = others.map((lng) => Prisma.sql`WHEN c."locale" = ${lng} THEN ${render(lng)}`)
  return Prisma.sql`CASE ${Prisma.join(cases, ' ')} ELSE ${render(DEFAULT_LOCALE)} END`
}

/** Puts an approved or sending-ready broadcast on the schedule (or sends it now: at = now). */
export async function schedule(db: Db, broadcastId: string, at: Date): Promise<boolean> {
  const r = await db.broadcast.updateMany({
    where: { id: broadcastId, status: { in: ['draft', 'pending_approval'] } },
    data: { status: 'scheduled', scheduledAt: at },
  })
  return r.count === 1
}

/** Holds a sending broadcast: its unsent rows wait (see HELD_UNTIL), materialising stops. */
export async function pause(db: Db, broadcastId: string): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const r = await tx.broadcast.updateMany({
      where: { id: broadcastId, status: 'sending' },
      data: { status: 'paused' },
    })
    if (r.count !== 1) return false
    // Rows already waiting for a retry (attempts > 0) keep their time: holding one would also
    // hold her later replies, which the outbox keeps in order behind it.
    await tx.outboundMessage.updateMany({
      where: { origin: 'broadcast', originId: broadcastId, status: 'queued', attempts: 0 },
      data: { nextAttemptAt: HELD_UNTIL },
    })
    return true
  })
}

/** Lets a paused broadcast go on: its held rows are due now, materialising continues. */
export async function resume(db: Db, broadcastId: string, now: Date): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const r = await tx.broadcast.updateMany({
      where: { id: broadcastId, status: 'paused' },
      data: { status: 'sending' },
    })
    if (r.count !== 1) return false
    await tx.outboundMessage.updateMany({
      where: {
        origin: 'broadcast',
        originId: broadcastId,
        status: 'queued',
        nextAttemptAt: HELD_UNTIL,
      },
      data: { nextAttemptAt: now },
    })
    return true
  })
}

/** Stops a broadcast at once: every unsent row is cancelled (a row being sent right now ends). */
export async function cancel(db: Db, broadcastId: string, now: Date): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const r = await tx.broadcast.updateMany({
      where: {
        id: broadcastId,
        status: { in: ['draft', 'pending_approval', 'scheduled', 'sending', 'paused'] },
      },
      data: { status: 'cancelled', finishedAt: now },
    })
    if (r.count !== 1) return false
    await tx.outboundMessage.updateMany({
      where: { origin: 'broadcast', originId: broadcastId, status: 'queued' },
      data: { status: 'cancelled', lastError: 'broadcast cancelled' },
    })
    await tx.broadcastRecipient.updateMany({
      where: { broadcastId, status: 'queued' },
      data: { status: 'cancelled' },
    })
    return true
  })
}

export type Progress = {
  total: number
  queued: number
  sent: number
  failed: number
  optedOut: number
  cancelled: number
}

/** Where a broadcast stands, counted from its outbox rows (and BAJA from its recipients). */
export async function progress(db: Db, broadcastId: string): Promise<Progress> {
  const rows = await db.$queryRaw<{ o: string | null; r: string; n: number | bigint }[]>`
    SELECT o."status" AS o, r."status" AS r, COUNT(*) AS n
    FROM "BroadcastRecipient" r LEFT JOIN "OutboundMessage" o ON o."id" = r."outboundId"
    WHERE r."broadcastId" = ${broadcastId}
    GROUP BY o."status", r."status"`
  const p: Progress = { total: 0, queued: 0, sent: 0, failed: 0, optedOut: 0, cancelled: 0 }
  for (const row of rows) {
    const n = Number(row.n)
    p.total += n
    // a message that reached her counts as sent even if she said BAJA afterwards (that opt-out
    // shows in the results as caused by it); BAJA before it went out stopped it
    const status =
      row.o === 'sent' ? 'sent' : row.r === 'opted_out' ? 'opted_out' : (row.o ?? row.r)
    if (status === 'opted_out') p.optedOut += n
    else if (status === 'queued' || status === 'sending') p.queued += n
    else if (status === 'sent') p.sent += n
    else if (status === 'failed') p.failed += n
    else p.cancelled += n
  }
  return p
}

/**
 * Marks a sending broadcast done once every recipient is materialised and no row waits, and
 * copies each row's outcome onto its recipient (sent, failed, cancelled).
 */
export async function finishIfDone(db: Db, broadcastId: string, now: Date): Promise<boolean> {
  const b = await db.broadcast.findUnique({ where: { id: broadcastId } })
  if (!b || b.status !== 'sending' || b.enqueuedUpTo !== MATERIALISED) return false
  const waiting = await db.outboundMessage.count({
    where: { origin: 'broadcast', originId: broadcastId, status: { in: ['queued', 'sending'] } },
  })
  if (waiting > 0) return false
  await db.$transaction([
    db.$executeRaw`
      UPDATE "BroadcastRecipient" SET "status" = (
        SELECT o."status" FROM "OutboundMessage" o WHERE o."id" = "BroadcastRecipient"."outboundId")
      WHERE "broadcastId" = ${broadcastId} AND "status" = 'queued' AND "outboundId" IS NOT NULL`,
    db.broadcast.updateMany({
      where: { id: broadcastId, status: 'sending' },
      data: { status: 'done', finishedAt: now },
    }),
  ])
  return true
}
