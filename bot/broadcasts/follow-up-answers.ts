import type { InboundMessage } from '../messages.ts'
import type { ContactRow, Queryable } from '../pipeline/conversation-store.ts'
import { matchOption, parseFollowUp } from './follow-up.ts'

/** How long after a broadcast reached her an option number still counts as her answer. */
export const FOLLOW_UP_WINDOW_MS = 3 * 24 * 3_600_000

/** What she is told after answering: a thank-you that points back to the menu, never a dead end. */
export const FOLLOW_UP_THANKS_KEY = 'broadcasts.follow_up_thanks'

export type FollowUpAnswer = {
  broadcastId: string
  recipientId: string
  /** The option's number, "1", "2"… */
  option: string
  /** Records the answer; runs in the same transaction as her thank-you reply. */
  statements: (q: Queryable) => ReturnType<Queryable['$executeRaw']>[]
}

type Candidate = { broadcastId: string; recipientId: string; followUp: string }

/**
 * Whether this message answers a broadcast's follow-up question. It does only when all hold:
 * - the last message Minka delivered to her is a broadcast that asked a follow-up question
 *   (if anything reached her after it — a reply, a reminder — her "1" may answer that instead);
 * - it reached her less than FOLLOW_UP_WINDOW_MS ago;
 * - she has not written since it reached her (so this is her first reaction to it), and her
 *   answer is not recorded yet;
 * - the text names one of its options ("1", "1.", "me interesa"; see matchOption).
 * Otherwise the message goes through the normal conversation, untouched.
 */
export async function findFollowUpAnswer(
  q: Queryable,
  contact: ContactRow | null,
  message: InboundMessage,
  now: Date,
): Promise<FollowUpAnswer | null> {
  const text = message.text?.trim()
  if (!contact || !text || text.length > 80 || message.media) return null
  const since = new Date(now.getTime() - FOLLOW_UP_WINDOW_MS)
  const rows = await q.$queryRaw<Candidate[]>`
    SELECT r."broadcastId" AS "broadcastId", r."id" AS "recipientId", b."followUp" AS "followUp"
    FROM "OutboundMessage" o
    JOIN "BroadcastRecipient" r ON r."outboundId" = o."id"
    JOIN "Broadcast" b ON b."id" = r."broadcastId"
    JOIN "Contact" c ON c."id" = o."contactId"
    WHERE o."id" = (
        SELECT l."id" FROM "OutboundMessage" l
        WHERE l."contactId" = ${contact.id} AND l."status" = 'sent'
        ORDER BY l."sentAt" DESC LIMIT 1)
      AND o."origin" = 'broadcast' AND o."sentAt" >= ${since}
      AND b."followUp" IS NOT NULL AND r."answer" IS NULL
      AND (c."lastInboundAt" IS NULL OR c."lastInboundAt" < o."sentAt")`
  const row = rows[0]
  if (!row) return null
  const followUp = parseFollowUp(row.followUp)
  const option = followUp && matchOption(followUp, text)
  if (!option) return null
  return {
    broadcastId: row.broadcastId,
    recipientId: row.recipientId,
    option,
    statements: (w) => [
      w.$executeRaw`UPDATE "BroadcastRecipient" SET "answer" = ${option}
        WHERE "id" = ${row.recipientId} AND "answer" IS NULL`,
    ],
  }
}
