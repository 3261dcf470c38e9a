import type { SendResult } from '../channel-adapter.ts'

/** WhatsApp says how long to wait only by closing the door; a minute is what it usually takes. */
export const RATE_LIMIT_WAIT_MS = 60_000

type Failure = Extract<SendResult, { ok: false }>

/** The shape of Baileys' errors (Boom), read without depending on @hapi/boom ourselves. */
type BoomLike = Error & { isBoom?: boolean; output?: { statusCode?: number }; data?: unknown }

/**
 * Classifies an error thrown by `sendMessage` for the dispatcher. Server refusals arrive as
 * Boom errors whose message is the server's error text ("rate-overlimit", "not-authorized")
 * and whose `data` is its code; transport trouble arrives as 408/428/5xx.
 */
export function classifySendError(error: unknown): Failure {
  const e = error as BoomLike
  const text = String(e?.message ?? error).toLowerCase()
  const code = typeof e?.data === 'number' ? e.data : undefined
  const status = e?.output?.statusCode
  if (text.includes('rate-overlimit') || code === 429) {
    return {
      ok: false,
      permanent: false,
      reason: 'rate-overlimit',
      retryAfterMs: RATE_LIMIT_WAIT_MS,
    }
  }
  if (text.includes('not-authorized') || code === 401 || code === 403) {
    return { ok: false, permanent: true, reason: 'not-authorized' }
  }
  if (text.includes('item-not-found') || text.includes('not a whatsapp') || code === 404) {
    return { ok: false, permanent: true, unreachable: true, reason: 'unknown-jid' }
  }
  if (text.includes('timed out') || status === 408) {
    return { ok: false, permanent: false, reason: 'timeout' }
  }
  if (status === 428 || text.includes('connection closed')) {
    return { ok: false, permanent: false, reason: 'disconnected' }
  }
  // Anything else is retried: the dispatcher gives up after OUTBOX_MAX_ATTEMPTS.
  return { ok: false, permanent: false, reason: firstLine(text) }
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.slice(0, 200) || 'error'
}
