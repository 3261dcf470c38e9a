import { randomUUID } from 'node:crypto'
import type { Effect } from '../../flows/engine.ts'
import type { Queryable } from './conversation-store.ts'

/** Effects that only change her own rows: plain statements, no reads, no results. */
export type ContactEffect = Extract<
  Effect,
  {
    kind:
      'setContactField' | 'giveConsent' | 'declineConsent' | 'optOut' | 'optIn' | 'recordUnanswered'
  }
>

const CONTACT_EFFECTS = new Set<Effect['kind']>([
  'setContactField',
  'giveConsent',
  'declineConsent',
  'optOut',
  'optIn',
  'recordUnanswered',
])

export function isContactEffect(effect: Effect): effect is ContactEffect {
  return CONTACT_EFFECTS.has(effect.kind)
}

/**
 * The statements for an effect on her own rows. They need nothing read first, so messages whose
 * effects are all of this kind (consent, language, country, BAJA) stay on the pipeline's batch
 * path instead of an interactive transaction, which costs three times as much (DESIGN.md).
 */
export function contactEffectStatements(
  q: Queryable,
  effect: ContactEffect,
  contactId: string,
  now: Date,
) {
  switch (effect.kind) {
    case 'setContactField':
      // three literal statements rather than a dynamic column name: no identifier from data
      if (effect.field === 'locale') {
        return [
          q.$executeRaw`UPDATE "Contact" SET "locale" = ${effect.value}, "updatedAt" = ${now} WHERE "id" = ${contactId}`,
        ]
      }
      if (effect.field === 'country') {
        return [
          q.$executeRaw`UPDATE "Contact" SET "country" = ${effect.value}, "updatedAt" = ${now} WHERE "id" = ${contactId}`,
        ]
      }
      return [
        q.$executeRaw`UPDATE "Contact" SET "regionId" = ${effect.value}, "updatedAt" = ${now} WHERE "id" = ${contactId}`,
      ]
    case 'giveConsent':
      return [
        q.$executeRaw`UPDATE "Contact" SET "consentAt" = ${now}, "consentDeclinedAt" = NULL, "updatedAt" = ${now} WHERE "id" = ${contactId}`,
      ]
    case 'declineConsent':
      return [
        q.$executeRaw`UPDATE "Contact" SET "consentDeclinedAt" = ${now}, "consentAt" = NULL, "updatedAt" = ${now} WHERE "id" = ${contactId}`,
      ]
    case 'optOut':
      return [
        q.$executeRaw`UPDATE "Contact" SET "optedOutAt" = ${now}, "updatedAt" = ${now} WHERE "id" = ${contactId}`,
        // BAJA stops every announcement and reminder still waiting for her, at once.
        q.$executeRaw`UPDATE "OutboundMessage" SET "status" = 'cancelled', "lastError" = 'opted out'
          WHERE "contactId" = ${contactId} AND "status" = 'queued' AND "origin" IN ('broadcast', 'reminder')`,
        q.$executeRaw`UPDATE "BroadcastRecipient" SET "status" = 'opted_out'
          WHERE "contactId" = ${contactId} AND "status" = 'queued'`,
      ]
    case 'optIn':
      return [
        q.$executeRaw`UPDATE "Contact" SET "optedOutAt" = NULL, "updatedAt" = ${now} WHERE "id" = ${contactId}`,
      ]
    case 'recordUnanswered':
      return [
        q.$executeRaw`INSERT INTO "UnansweredQuestion" ("id", "contactId", "text", "country", "locale", "createdAt")
          SELECT ${randomUUID()}, "id", ${effect.text.slice(0, 1000)}, "country", "locale", ${now}
          FROM "Contact" WHERE "id" = ${contactId}`,
      ]
  }
}
