import { GrammyError, HttpError } from 'grammy'
import type { SendResult } from '../channel-adapter.ts'

export type SendFailure = Extract<SendResult, { ok: false }>

/**
 * Classifies a failed Bot API call for the dispatcher (the auto-retry plugin has already
 * retried short 429s and 5xx within the call):
 * - 429 → transient, with Telegram's retry_after;
 * - 403 (she blocked the bot, deleted her account, the bot cannot start a chat with her) and
 *   400 "chat not found" → she cannot be reached: stop sending to her;
 * - other 4xx → permanent: the same request would fail again (the row is marked failed);
 * - 5xx, network errors, 401 (a revoked token: the rows wait for a new one) → transient.
 */
export function sendFailure(error: unknown): SendFailure {
  if (error instanceof GrammyError) {
    const reason = `${error.error_code}: ${error.description}`
    const code = error.error_code
    if (code === 429) {
      const after = error.parameters.retry_after
      return {
        ok: false,
        permanent: false,
        reason,
        ...(typeof after === 'number' && { retryAfterMs: after * 1000 }),
      }
    }
    if (code === 403 || (code === 400 && /chat not found/i.test(error.description))) {
      return { ok: false, permanent: true, unreachable: true, reason }
    }
    if (code >= 400 && code < 500 && code !== 401) return { ok: false, permanent: true, reason }
    return { ok: false, permanent: false, reason }
  }
  if (error instanceof HttpError) return { ok: false, permanent: false, reason: error.message }
  return { ok: false, permanent: false, reason: (error as Error)?.message ?? String(error) }
}
