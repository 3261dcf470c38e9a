import type { ChannelHealth } from '../../app/http/health.ts'
import type { Channel, OutboxPayload } from '../messages.ts'

export type OutgoingMessage = {
  outboxId: string
  contactId: string
  channelUserId: string
  payload: OutboxPayload
}

/** What a send came to. Adapters classify platform errors; the dispatcher decides what to do. */
export type SendResult =
  | { ok: true; platformMessageId?: string }
  | {
      ok: false
      /** Retrying cannot help (bad request, blocked by her): mark the row failed. */
      permanent: boolean
      reason: string
      /** She cannot be reached on this channel any more (blocked the bot, number gone). */
      unreachable?: boolean
      /** The platform asked us to wait this long (Telegram's retry_after). */
      retryAfterMs?: number
    }

/**
 * The outbound half of a channel adapter: turn an abstract, rendered payload into platform
 * calls. Adapters translate only; no flow logic and no database access (STYLE.md, point 5).
 */
export interface ChannelAdapter {
  readonly channel: Channel
  /** Sends per second this account may make; the dispatcher paces below it. */
  readonly sendsPerSecond: number
  /** False while the platform connection is down: its rows wait, neither lost nor failed. */
  isReady(): boolean
  send(message: OutgoingMessage): Promise<SendResult>
  health(): ChannelHealth
}
