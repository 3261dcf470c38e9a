import { randomUUID } from 'node:crypto'
import type { TFunction } from 'i18next'
import type { Prisma } from '../../generated/sqlite/index.js'
import type { OutboxPayload } from '../messages.ts'
import type { Tx } from '../pipeline/apply-effects.ts'
import { formatDate, formatTime } from './training-time.ts'

// One place for the reminder rows of a training: the bot writes them when she registers
// (flows/definitions/trainings.ts → apply-effects' `schedule`), the admin panel rewrites them
// when staff move or cancel a training. Both must agree on times, keys, origin and priority.

const HOUR = 3_600_000
/** Scheduled messages wait behind replies (0) and case replies (5), ahead of broadcasts (20). */
export const REMINDER_PRIORITY = 10
/** The texts of a registration's scheduled messages; the flow's `remind_*` and `survey` steps. */
export const REMINDER_KEYS = {
  day: 'trainings.reminder_day',
  hour: 'trainings.reminder_hour',
  survey: 'trainings.survey',
} as const

export type TrainingFacts = {
  id: string
  title: string
  startsAt: Date
  endsAt: Date
  country: string
  modality: string
  place: string | null
  link: string | null
}

export type Recipient = { id: string; channel: string; channelUserId: string }

/**
 * When her scheduled messages go: 24 h and 1 h before the start (null once that time has
 * passed: a training tomorrow morning gets no "tomorrow" reminder) and the invitation to rate
 * it 2 h after the end.
 */
export function reminderTimes(
  t: Pick<TrainingFacts, 'startsAt' | 'endsAt'>,
  now: Date,
): { day: Date | null; hour: Date | null; survey: Date } {
  const before = (ms: number) => {
    const at = new Date(t.startsAt.getTime() - ms)
    return at.getTime() > now.getTime() ? at : null
  }
  return {
    day: before(24 * HOUR),
    hour: before(HOUR),
    survey: new Date(t.endsAt.getTime() + 2 * HOUR),
  }
}

/**
 * What reminders and notices say about a training, in her language. Day and time are in
 * `country`'s time zone (the training's own unless given), named by `trainings.tz_<country>`.
 */
export function trainingVars(
  t: TrainingFacts,
  locale: string | null,
  country: string = t.country,
): {
  title: string
  date: string
  time: string
  where: string
  modality: 'presencial' | 'virtual'
  country: string
} {
  const modality = t.modality === 'virtual' ? 'virtual' : 'presencial'
  return {
    title: t.title,
    date: formatDate(t.startsAt, country, locale),
    time: formatTime(t.startsAt, country),
    where: (modality === 'virtual' ? t.link : t.place) ?? '—',
    modality,
    country,
  }
}

/** An outbox row for a message scheduled at `at` about `originId` (a training's id). */
export function scheduledRow(r: {
  to: Recipient
  at: Date
  payload: OutboxPayload
  originId: string | null
  now: Date
}): Prisma.OutboundMessageUncheckedCreateInput {
  return {
    id: randomUUID(),
    contactId: r.to.id,
    channel: r.to.channel,
    channelUserId: r.to.channelUserId,
    payload: JSON.stringify(r.payload),
    status: 'queued',
    priority: REMINDER_PRIORITY,
    nextAttemptAt: r.at,
    origin: 'reminder',
    originId: r.originId,
    createdAt: r.now,
  }
}

export type ScheduledMessage = { at: Date; payload: OutboxPayload }

/**
 * A registration's scheduled messages for a training, rendered now in one language (`t` is
 * fixed to it), exactly as the bot writes them when she registers. Reminders whose time has
 * passed are left out.
 */
export function trainingReminderMessages(
  training: TrainingFacts,
  locale: string | null,
  t: TFunction,
  now: Date,
): ScheduledMessage[] {
  const times = reminderTimes(training, now)
  const about = trainingVars(training, locale)
  const message = (at: Date | null, key: string, vars: Record<string, unknown>) =>
    at ? [{ at, payload: { kind: 'text' as const, text: String(t(key, vars)) } }] : []
  return [
    ...message(times.day, REMINDER_KEYS.day, about),
    ...message(times.hour, REMINDER_KEYS.hour, about),
    // rewritten after the training (a corrected title), a past invitation would go out at once
    ...message(times.survey > now ? times.survey : null, REMINDER_KEYS.survey, {
      title: training.title,
    }),
  ]
}

/** Those messages as outbox rows for one woman. */
export function trainingReminderRows(
  training: TrainingFacts,
  to: Recipient,
  messages: ScheduledMessage[],
  now: Date,
): Prisma.OutboundMessageUncheckedCreateInput[] {
  return messages.map((m) => scheduledRow({ to, ...m, originId: training.id, now }))
}

/**
 * Cancels the still-queued scheduled messages of a training (for some women, or all); rows
 * already being sent or sent are left as they are. Returns how many were cancelled.
 */
export async function cancelQueuedReminders(
  tx: Pick<Tx, 'outboundMessage'>,
  trainingId: string,
  reason: string,
  contactIds?: string[],
): Promise<number> {
  const r = await tx.outboundMessage.updateMany({
    where: {
      origin: 'reminder',
      originId: trainingId,
      status: 'queued',
      ...(contactIds && { contactId: { in: contactIds } }),
    },
    data: { status: 'cancelled', lastError: reason },
  })
  return r.count
}
