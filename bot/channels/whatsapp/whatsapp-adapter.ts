import path from 'node:path'
import { isLidUser, isPnUser, type AnyMessageContent } from '@whiskeysockets/baileys'
import type { ChannelHealth } from '../../../app/http/health.ts'
import type { Logger } from '../../../app/logger.ts'
import type { AttachmentStore } from '../../attachments/attachment-store.ts'
import { renderPlainText, type OutboxPayload } from '../../messages.ts'
import type { ChannelAdapter, OutgoingMessage, SendResult } from '../channel-adapter.ts'
import { ChatPacer, type PacerClock } from './chat-pacer.ts'
import { classifySendError } from './classify-send-error.ts'
import { splitText, WHATSAPP_TEXT_LIMIT } from './split-text.ts'
import type { WhatsAppSocket } from './whatsapp-socket.ts'

/** What the adapter needs from the connection: the socket while it is open, and its health. */
export type WhatsAppLink = {
  openSocket(): WhatsAppSocket | undefined
  health(): ChannelHealth
}

export type WhatsAppAdapterOptions = {
  link: WhatsAppLink
  attachments: Pick<AttachmentStore, 'read'>
  logger: Logger
  /** Global pace for the dispatcher (WHATSAPP_SEND_PER_MINUTE). */
  sendsPerMinute: number
  /** Least time between two messages to one chat (WHATSAPP_CHAT_MIN_INTERVAL_MS). */
  chatMinIntervalMs: number
  /** Random extra wait before each send, up to this. */
  jitterMs?: number
  /** Longest "typing…" shown before a reply. */
  typingMaxMs?: number
  clock: PacerClock
}

const DISCONNECTED: SendResult = { ok: false, permanent: false, reason: 'disconnected' }

const MIME_BY_EXTENSION: Record<string, string> = {
  jpg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  ogg: 'audio/ogg; codecs=opus',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  pdf: 'application/pdf',
}

/**
 * Sends outbox rows on WhatsApp: options as a numbered list (buttons do not reach ordinary
 * accounts), long texts in parts, files from attachment storage; "typing…" before the first
 * message of a reply; paced per chat with jitter. While the socket is down `isReady()` is
 * false, so the dispatcher leaves the rows queued, in order.
 */
export class WhatsAppAdapter implements ChannelAdapter {
  readonly channel = 'whatsapp' as const
  readonly sendsPerSecond: number
  private readonly pacer: ChatPacer
  /** Parts of a split message already delivered, so a retry does not repeat them. */
  private readonly delivered = new Map<string, number>()

  constructor(private readonly opts: WhatsAppAdapterOptions) {
    this.sendsPerSecond = opts.sendsPerMinute / 60
    this.pacer = new ChatPacer(opts.chatMinIntervalMs, opts.jitterMs ?? 400, opts.clock)
  }

  isReady(): boolean {
    return this.opts.link.openSocket() !== undefined
  }

  health(): ChannelHealth {
    return this.opts.link.health()
  }

  async send(message: OutgoingMessage): Promise<SendResult> {
    const socket = this.opts.link.openSocket()
    if (!socket) return DISCONNECTED
    const jid = message.channelUserId
    if (!isPnUser(jid) && !isLidUser(jid)) {
      return { ok: false, permanent: true, unreachable: true, reason: 'invalid-jid' }
    }
    let parts: AnyMessageContent[]
    try {
      parts = await this.contentOf(message.payload)
    } catch {
      return { ok: false, permanent: true, reason: 'attachment-unreadable' }
    }
    let platformMessageId: string | undefined
    for (let i = this.delivered.get(message.outboxId) ?? 0; i < parts.length; i++) {
      const { quiet } = await this.pacer.waitTurn(jid)
      if (quiet) await this.showTyping(socket, jid, parts[i]!)
      // The socket may have closed while we waited: the row waits for the next one.
      if (this.opts.link.openSocket() !== socket) return DISCONNECTED
      try {
        const sent = await socket.sendMessage(jid, parts[i]!)
        platformMessageId = sent?.key.id ?? platformMessageId
      } catch (error) {
        const failure = classifySendError(error)
        if (failure.permanent) this.delivered.delete(message.outboxId)
        this.opts.logger.warn(
          { outboxId: message.outboxId, reason: failure.reason },
          'whatsapp: send failed',
        )
        return failure
      } finally {
        this.pacer.markSent(jid)
      }
      if (i + 1 < parts.length) this.delivered.set(message.outboxId, i + 1)
    }
    this.delivered.delete(message.outboxId)
    return { ok: true, ...(platformMessageId && { platformMessageId }) }
  }

  private async contentOf(payload: OutboxPayload): Promise<AnyMessageContent[]> {
    if (payload.kind !== 'media') {
      return splitText(renderPlainText(payload)).map((text) => ({ text }))
    }
    const bytes = await this.opts.attachments.read(payload.ref)
    const ext = path.extname(payload.ref).slice(1).toLowerCase()
    const mimetype = MIME_BY_EXTENSION[ext] ?? 'application/octet-stream'
    const caption = payload.caption ?? ''
    const fits = caption.length <= WHATSAPP_TEXT_LIMIT
    const withCaption = fits && caption !== '' ? { caption } : {}
    const file: AnyMessageContent = mimetype.startsWith('image/')
      ? { image: bytes, mimetype, ...withCaption }
      : mimetype.startsWith('audio/')
        ? { audio: bytes, mimetype }
        : { document: bytes, mimetype, fileName: path.basename(payload.ref), ...withCaption }
    const captionApart = mimetype.startsWith('audio/') || !fits ? caption : ''
    return [file, ...(captionApart ? splitText(captionApart).map((text) => ({ text })) : [])]
  }

  /** A short "typing…" tells her a reply is coming; failing to show it changes nothing. */
  private async showTyping(socket: WhatsAppSocket, jid: string, content: AnyMessageContent) {
    const max = this.opts.typingMaxMs ?? 1_500
    if (max <= 0) return
    const length = 'text' in content && typeof content.text === 'string' ? content.text.length : 40
    try {
      await socket.sendPresenceUpdate('composing', jid)
      await this.opts.clock.sleep(Math.min(max, 300 + length * 10))
      await socket.sendPresenceUpdate('paused', jid)
    } catch {
      // best effort
    }
  }
}
