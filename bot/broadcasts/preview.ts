import { telegramMediaPlan } from '../channels/telegram/telegram-adapter.ts'
import { splitText as splitTelegram } from '../channels/telegram/split-text.ts'
import { WHATSAPP_TEXT_LIMIT, splitText as splitWhatsApp } from '../channels/whatsapp/split-text.ts'
import { renderPlainText, type OutboxPayload } from '../messages.ts'

/** What one channel delivers for a payload: the file (with its caption), then text messages. */
export type ChannelPreview = {
  file?: { ref: string; caption: string }
  messages: string[]
}

/**
 * A broadcast as WhatsApp and Telegram will deliver it, from the same payload and the same
 * splitting rules the channel adapters use, so staff see the real parts and their order.
 */
export function previewOn(
  channel: 'whatsapp' | 'telegram',
  payload: OutboxPayload,
): ChannelPreview {
  const split = channel === 'whatsapp' ? splitWhatsApp : splitTelegram
  if (payload.kind !== 'media') return { messages: split(renderPlainText(payload)) }
  const caption = payload.caption ?? ''
  if (channel === 'telegram') {
    const plan = telegramMediaPlan(caption)
    return { file: { ref: payload.ref, caption: plan.caption }, messages: plan.textApart }
  }
  // as WhatsAppAdapter: the caption goes on the file when it fits, else after it as text
  const fits = caption.length <= WHATSAPP_TEXT_LIMIT
  return {
    file: { ref: payload.ref, caption: fits ? caption : '' },
    messages: fits || !caption ? [] : splitWhatsApp(caption),
  }
}
