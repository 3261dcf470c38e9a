import { randomUUID } from 'node:crypto'
import type { i18n } from 'i18next'
import type { Prisma } from '../../generated/sqlite/index.js'
import { translatorFor } from '../../app/i18n.ts'
import type { Tx } from '../pipeline/apply-effects.ts'
import {
  cancelQueuedReminders,
  trainingReminderMessages,
  trainingReminderRows,
  trainingVars,
  type ScheduledMessage,
  type TrainingFacts,
} from './training-reminders.ts'

// What happens to the women registered to a training when staff cancel or move it (issue 9):
// a notice in her language and her reminders cancelled or rewritten, in the caller's
// transaction together with the change itself, so a crash never leaves one without the other.

/** Notices are as urgent as a staff reply to a case, ahead of reminders and broadcasts. */
export const NOTICE_PRIORITY = 5

/** Registrations of women we may still write to (the same rules as broadcasts' audience). */
const reachable = {
  status: 'registered',
  contact: { consentAt: { not: null }, optedOutAt: null, erasedAt: null, unreachableAt: null },
} satisfies Prisma.TrainingRegistrationWhereInput

async function reachableRegistrants(tx: Tx, trainingId: string) {
  const rows = await tx.trainingRegistration.findMany({
    where: { trainingId, ...reachable },
    select: {
      contact: {
        select: { id: true, channel: true, channelUserId: true, locale: true, country: true },
      },
    },
    orderBy: { createdAt: 'asc' },
  })
  return rows.map((r) => r.contact)
}

type Registrant = Awaited<ReturnType<typeof reachableRegistrants>>[number]

function noticeRow(
  to: Registrant,
  text: string,
  trainingId: string,
  now: Date,
): Prisma.OutboundMessageUncheckedCreateInput {
  return {
    id: randomUUID(),
    contactId: to.id,
    channel: to.channel,
    channelUserId: to.channelUserId,
    payload: JSON.stringify({ kind: 'text', text }),
    status: 'queued',
    priority: NOTICE_PRIORITY,
    nextAttemptAt: now,
    // not 'reminder': cancelling the training's reminders must never cancel the notice itself
    origin: 'system',
    originId: trainingId,
    createdAt: now,
  }
}

/** Day and time as she reads them: her language, her country's time zone. */
function varsFor(training: TrainingFacts, to: Registrant) {
  return trainingVars(training, to.locale, to.country ?? training.country)
}

export type ChangeOutcome = {
  notified: number
  remindersCancelled: number
  remindersQueued: number
}

/**
 * Cancels a scheduled training: each reachable registered woman is told, and every queued
 * reminder of the training is cancelled. Returns null when the training was not scheduled
 * (already cancelled or done): nothing is changed then.
 */
export async function cancelTraining(
  tx: Tx,
  i18next: i18n,
  training: TrainingFacts,
  now: Date,
): Promise<ChangeOutcome | null> {
  const updated = await tx.training.updateMany({
    where: { id: training.id, status: 'scheduled' },
    data: { status: 'cancelled' },
  })
  if (updated.count !== 1) return null
  const remindersCancelled = await cancelQueuedReminders(tx, training.id, 'training cancelled')
  const registrants = await reachableRegistrants(tx, training.id)
  // rendered once per language and country, not once per woman (a training may have hundreds)
  const texts = new Map<string, string>()
  const notices = registrants.map((to) => {
    const key = `${to.locale ?? ''}|${to.country ?? ''}`
    const t = translatorFor(i18next, to.locale)
    const text = texts.get(key) ?? String(t('training-notices.cancelled', varsFor(training, to)))
    texts.set(key, text)
    return noticeRow(to, text, training.id, now)
  })
  if (notices.length) await tx.outboundMessage.createMany({ data: notices })
  return { notified: notices.length, remindersCancelled, remindersQueued: 0 }
}

/**
 * After an edit of a scheduled training (already written): her queued reminders are rewritten
 * from the new facts (reminders are rendered when queued, so a new place or title must reach
 * them too), and when the start or end moved she is told the old and the new date. Reminders
 * whose time has already passed are not queued.
 */
export async function rescheduleReminders(
  tx: Tx,
  i18next: i18n,
  before: TrainingFacts,
  after: TrainingFacts,
  now: Date,
): Promise<ChangeOutcome> {
  const moved =
    before.startsAt.getTime() !== after.startsAt.getTime() ||
    before.endsAt.getTime() !== after.endsAt.getTime()
  const remindersCancelled = await cancelQueuedReminders(tx, after.id, 'training changed')
  const registrants = await reachableRegistrants(tx, after.id)
  const texts = new Map<string, { notice: string; reminders: ScheduledMessage[] }>()
  const textsFor = (to: Registrant) => {
    const key = `${to.locale ?? ''}|${to.country ?? ''}`
    const known = texts.get(key)
    if (known) return known
    const t = translatorFor(i18next, to.locale)
    const old = varsFor(before, to)
    const notice = moved
      ? String(
          t('training-notices.moved', {
            ...varsFor(after, to),
            oldDate: old.date,
            oldTime: old.time,
          }),
        )
      : ''
    const made = { notice, reminders: trainingReminderMessages(after, to.locale, t, now) }
    texts.set(key, made)
    return made
  }
  const rows: Prisma.OutboundMessageUncheckedCreateInput[] = []
  let notified = 0
  let remindersQueued = 0
  for (const to of registrants) {
    const { notice, reminders } = textsFor(to)
    if (moved) {
      rows.push(noticeRow(to, notice, after.id, now))
      notified++
    }
    const queued = trainingReminderRows(after, to, reminders, now)
    remindersQueued += queued.length
    rows.push(...queued)
  }
  if (rows.length) await tx.outboundMessage.createMany({ data: rows })
  return { notified, remindersCancelled, remindersQueued }
}

/** Whether an edit changes what her reminders say or when they go. */
export function remindersAffected(before: TrainingFacts, after: TrainingFacts): boolean {
  return (
    before.startsAt.getTime() !== after.startsAt.getTime() ||
    before.endsAt.getTime() !== after.endsAt.getTime() ||
    before.title !== after.title ||
    before.modality !== after.modality ||
    before.place !== after.place ||
    before.link !== after.link ||
    before.country !== after.country
  )
}
