import { randomUUID } from 'node:crypto'
import type { i18n } from 'i18next'
import { translatorFor } from '../../app/i18n.ts'
import { audienceSchema, audienceWhere } from '../../bot/broadcasts/audience.ts'
import type { OutboxPayload } from '../../bot/messages.ts'
import type { Tx } from '../../bot/pipeline/apply-effects.ts'

/** Staff-originated, like a case reply: ahead of reminders and broadcasts. */
const NOTICE_PRIORITY = 5

/** Names from the database (phases, requirements) in her language: English, else Spanish. */
export function inHerLanguage(locale: string | null, es: string, en: string): string {
  return locale === 'en' && en.trim() !== '' ? en : es
}

/**
 * Tells the members of a group about a change staff made (a new phase, a reviewed
 * requirement): one outbox row per member, in her language (Contact.locale, else Spanish).
 * Call it inside the transaction that makes the change, then wake the dispatcher. Members who
 * said BAJA, were erased, cannot be reached or never consented are left out, by the same rule
 * as broadcasts (on WhatsApp, also women who never wrote). Returns the rows written.
 */
export async function queueGroupNotice(
  tx: Pick<Tx, 'groupMember' | 'outboundMessage'>,
  i18nInstance: i18n,
  notice: {
    groupId: string
    /** A key of locales/<lng>/group-notices.json, e.g. `phase_moved`. */
    key: string
    /** The message's variables for a member with this locale. */
    vars: (locale: string | null) => Record<string, unknown>
    now: Date
  },
): Promise<number> {
  const members = await tx.groupMember.findMany({
    where: {
      groupId: notice.groupId,
      contact: audienceWhere(audienceSchema.parse({})),
    },
    select: { contact: { select: { id: true, channel: true, channelUserId: true, locale: true } } },
    orderBy: { joinedAt: 'asc' },
  })
  if (members.length === 0) return 0
  await tx.outboundMessage.createMany({
    data: members.map(({ contact }) => {
      const t = translatorFor(i18nInstance, contact.locale)
      const payload: OutboxPayload = {
        kind: 'text',
        text: t(`group-notices.${notice.key}`, notice.vars(contact.locale)),
      }
      return {
        id: randomUUID(),
        contactId: contact.id,
        channel: contact.channel,
        channelUserId: contact.channelUserId,
        payload: JSON.stringify(payload),
        status: 'queued',
        priority: NOTICE_PRIORITY,
        nextAttemptAt: notice.now,
        origin: 'group',
        originId: notice.groupId,
        createdAt: notice.now,
      }
    }),
  })
  return members.length
}
