import path from 'node:path'
import { InputFile, type Api } from 'grammy'
import type { InlineKeyboardButton } from 'grammy/types'
import type { ChannelHealth } from '../../../app/http/health.ts'
import type { Logger } from '../../../app/logger.ts'
import type { ChannelAdapter, OutgoingMessage, SendResult } from '../channel-adapter.ts'
import { buttonData } from './callback-data.ts'
import type { RecentChoices } from './recent-choices.ts'
import { sendFailure } from './send-result.ts'
import { splitText } from './split-text.ts'
import type { AttachmentStore } from '../../attachments/attachment-store.ts'

/** Telegram refuses a photo or document caption longer than this. */
export const TELEGRAM_CAPTION_LIMIT = 1024

/** How a file's caption goes out: on the file when it fits, else as text messages after it. */
export function telegramMediaPlan(caption: string): { caption: string; textApart: string[] } {
  if (caption.length <= TELEGRAM_CAPTION_LIMIT) return { caption, textApart: [] }
  return { caption: '', textApart: splitText(caption) }
}

type State = 'starting' | 'up' | 'down'

/** The channel's state for /healthz, with when it last changed and the last error seen. */
export class TelegramHealth {
  private state: State = 'starting'
  private since = new Date().toISOString()
  private detail: string | undefined
  private lastError: string | undefined

  get current(): State {
    return this.state
  }

  set(state: State, detail?: string): void {
    if (state !== this.state) this.since = new Date().toISOString()
    this.state = state
    this.detail = detail
    if (state === 'down' && detail) this.lastError = detail
  }

  recordError(reason: string): void {
    this.lastError = reason
  }

  report(): ChannelHealth {
    return {
      state: this.state,
      since: this.since,
      ...(this.detail !== undefined && { detail: this.detail }),
      ...(this.lastError !== undefined && { lastError: this.lastError }),
    }
  }
}

export const TOKEN_REJECTED = 'token rejected by Telegram'

/**
 * Outbound Telegram: abstract payloads → Bot API calls, failures → SendResult. Translation
 * only; the dispatcher decides about retries, order and pacing (STYLE.md, point 5).
 */
export class TelegramAdapter implements ChannelAdapter {
  readonly channel = 'telegram' as const
  /** Telegram allows about 30 messages a second per bot overall; keep a margin. */
  readonly sendsPerSecond = 25
  /**
   * Pieces of a split text already delivered, by outbox row: when piece 2 of 3 fails and the
   * row is retried, piece 1 is not sent again. In memory: a restart may repeat a piece.
   */
  private readonly progress = new Map<string, number>()

  constructor(
    private readonly api: Api,
    private readonly choices: RecentChoices,
    private readonly state: TelegramHealth,
    private readonly logger: Logger,
    /** Where files sent to her (a broadcast's image or document) are read from. */
    private readonly attachments?: Pick<AttachmentStore, 'read'>,
  ) {}

  isReady(): boolean {
    return this.state.current === 'up'
  }

  health(): ChannelHealth {
    return this.state.report()
  }

  async send(message: OutgoingMessage): Promise<SendResult> {
    const { payload, channelUserId: chatId, outboxId } = message
    try {
      switch (payload.kind) {
        case 'text':
          return await this.sendPieces(outboxId, chatId, payload.text)
        case 'choice': {
          const { tag, data } = buttonData(
            payload.prompt,
            payload.options.map((o) => o.id),
          )
          const keyboard: InlineKeyboardButton[][] = payload.options.map((o, i) => [
            { text: o.label, callback_data: data[i]! },
          ])
          const result = await this.sendPieces(outboxId, chatId, payload.text, keyboard)
          if (result.ok && result.platformMessageId) {
            const messageId = Number(result.platformMessageId)
            const previous = this.choices.remember(chatId, {
              tag,
              messageId,
              optionIds: payload.options.map((o) => o.id),
              answered: false,
            })
            // She typed her answer instead of pressing: take the old buttons away.
            if (previous && !previous.answered) void this.removeKeyboard(chatId, previous.messageId)
          }
          return result
        }
        case 'media':
          return await this.sendMedia(outboxId, chatId, payload.ref, payload.caption ?? '')
      }
    } catch (error) {
      const failure = sendFailure(error)
      this.state.recordError(failure.reason)
      if (failure.permanent) this.progress.delete(outboxId)
      if (failure.reason.startsWith('401')) this.state.set('down', TOKEN_REJECTED)
      return failure
    }
  }

  /** Takes the buttons off a message (after a press, or once a newer question was sent). */
  async removeKeyboard(chatId: string, messageId: number): Promise<void> {
    try {
      await this.api.editMessageReplyMarkup(chatId, messageId, {
        reply_markup: { inline_keyboard: [] },
      })
    } catch (error) {
      // Already gone, too old to edit, or she deleted the chat: nothing to undo.
      this.logger.debug({ err: error, chatId, messageId }, 'telegram: could not remove keyboard')
    }
  }

  /**
   * Sends a text in pieces of at most 4096 characters, the keyboard on the last piece.
   * No parse_mode: plain text is shown exactly as written, so nothing she or staff typed
   * (`<`, `*`, `_`…) can break formatting or be refused by Telegram as malformed markup.
   */
  private async sendPieces(
    outboxId: string,
    chatId: string,
    text: string,
    keyboard?: InlineKeyboardButton[][],
  ): Promise<SendResult> {
    if (!text.trim() && !keyboard) return { ok: true }
    const pieces = splitText(text)
    let lastId: number | undefined
    for (let i = this.progress.get(outboxId) ?? 0; i < pieces.length; i++) {
      const last = i === pieces.length - 1
      const sent = await this.api.sendMessage(chatId, pieces[i]!, {
        link_preview_options: { is_disabled: true },
        ...(last && keyboard && { reply_markup: { inline_keyboard: keyboard } }),
      })
      lastId = sent.message_id
      if (!last) this.rememberProgress(outboxId, i + 1)
    }
    this.progress.delete(outboxId)
    return { ok: true, platformMessageId: lastId === undefined ? undefined : String(lastId) }
  }

  /**
   * A file from attachment storage: JPEG and PNG as a photo, anything else as a document; the
   * caption on it when it fits, else in text messages after it. A retry does not resend the
   * file once Telegram has it.
   */
  private async sendMedia(
    outboxId: string,
    chatId: string,
    ref: string,
    caption: string,
  ): Promise<SendResult> {
    const plan = telegramMediaPlan(caption)
    let fileId: number | undefined
    if (!this.progress.has(`${outboxId}:file`)) {
      let bytes: Buffer
      try {
        if (!this.attachments) throw new Error('no attachment storage')
        bytes = await this.attachments.read(ref)
      } catch {
        return { ok: false, permanent: true, reason: 'attachment-unreadable' }
      }
      const file = new InputFile(bytes, path.basename(ref))
      const options = plan.caption ? { caption: plan.caption } : {}
      const sent = /\.(jpe?g|png)$/i.test(ref)
        ? await this.api.sendPhoto(chatId, file, options)
        : await this.api.sendDocument(chatId, file, options)
      fileId = sent.message_id
      if (plan.textApart.length > 0) this.rememberProgress(`${outboxId}:file`, 1)
    }
    if (plan.textApart.length === 0) return { ok: true, platformMessageId: String(fileId) }
    const text = await this.sendPieces(`${outboxId}:text`, chatId, caption)
    if (text.ok) this.progress.delete(`${outboxId}:file`)
    return text
  }

  private rememberProgress(outboxId: string, piecesSent: number) {
    this.progress.set(outboxId, piecesSent)
    if (this.progress.size > 1_000) this.progress.delete(this.progress.keys().next().value!)
  }
}
