import { randomUUID } from 'node:crypto'
import type { i18n } from 'i18next'
import type { Db } from '../../app/db/open.ts'
import { translatorFor } from '../../app/i18n.ts'

/** How long after staff mark her case resolved she is asked whether it was. */
export const CASE_FOLLOW_UP_DELAY_MS = 3 * 24 * 3_600_000

/** Outbox priority of reminders: after replies (0) and case replies (5), before broadcasts. */
const REMINDER_PRIORITY = 10

type Writer = Pick<Db, 'outboundMessage'>

/**
 * Queues "¿se resolvió su consulta?" for a case just marked resolved: an outbox row due in
 * CASE_FOLLOW_UP_DELAY_MS (origin 'reminder', originId `case:<id>`). BAJA cancels it like any
 * reminder; cancelStaleCaseFollowUps cancels it once its reason is gone.
 */
export async function queueCaseFollowUp(
  db: Writer,
  i18nInstance: i18n,
  c: { id: number },
  contact: {
    id: string
    channel: string
    channelUserId: string
    locale: string | null
    optedOutAt: Date | null
    erasedAt: Date | null
    unreachableAt: Date | null
  },
  at: Date,
): Promise<boolean> {
  if (contact.optedOutAt || contact.erasedAt || contact.unreachableAt) return false
  const t = translatorFor(i18nInstance, contact.locale)
  await db.outboundMessage.create({
    data: {
      id: randomUUID(),
      contactId: contact.id,
      channel: contact.channel,
      channelUserId: contact.channelUserId,
      payload: JSON.stringify({
        kind: 'text',
        text: t('broadcasts.case_follow_up', { caseNumber: c.id }),
      }),
      status: 'queued',
      priority: REMINDER_PRIORITY,
      nextAttemptAt: new Date(at.getTime() + CASE_FOLLOW_UP_DELAY_MS),
      origin: 'reminder',
      originId: `case:${c.id}`,
      createdAt: at,
    },
  })
  return true
}

/**
 * Cancels waiting case follow-ups whose reason has gone: the case is no longer resolved or
 * closed (it was reopened), or she wrote to Minka after it was queued (she is talking to us
 * already; asking would be noise). Run by the broadcast scheduler on every tick.
 */
export function cancelStaleCaseFollowUps(db: Pick<Db, '$executeRaw'>) {
  return db.$executeRaw`
    UPDATE "OutboundMessage" SET "status" = 'cancelled', "lastError" = 'follow-up no longer needed'
    WHERE "origin" = 'reminder' AND "originId" LIKE 'case:%' AND "status" = 'queued'
      AND (
        EXISTS (SELECT 1 FROM "Contact" c WHERE c."id" = "OutboundMessage"."contactId"
          AND c."lastInboundAt" > "OutboundMessage"."createdAt")
        OR NOT EXISTS (SELECT 1 FROM "Case" k
          WHERE 'case:' || CAST(k."id" AS TEXT) = "OutboundMessage"."originId"
            AND k."status" IN ('resolved', 'closed')))`
}
