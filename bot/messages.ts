import { z } from 'zod'

export const channelSchema = z.enum(['whatsapp', 'telegram', 'web'])
export type Channel = z.infer<typeof channelSchema>

export const mediaKindSchema = z.enum(['audio', 'image', 'document', 'sticker', 'other'])

/** What every channel adapter produces: one platform event, translated (DESIGN.md). */
export const inboundMessageSchema = z.object({
  channel: channelSchema,
  channelUserId: z.string().min(1).max(200),
  platformMessageId: z.string().min(1).max(200),
  text: z.string().optional(),
  choice: z.string().max(200).optional(),
  media: z
    .object({
      kind: mediaKindSchema,
      /** The AttachmentStore key of the saved file, or the platform's id when not saved. */
      ref: z.string().min(1),
      mime: z.string().optional(),
      size: z.number().int().nonnegative().optional(),
      /** The adapter could not keep the file: she is told why and asked to try again. */
      rejected: z.enum(['too_large', 'unavailable']).optional(),
    })
    .optional(),
  /** The sender's phone in E.164 when the channel tells it (WhatsApp), to suggest a country. */
  phone: z.string().optional(),
  displayName: z.string().max(200).optional(),
  receivedAt: z.date(),
})
export type InboundMessage = z.infer<typeof inboundMessageSchema>

/**
 * An outbox row's payload: the output rendered in her language, ready for any adapter.
 * Options keep their id so a button press (Telegram) maps back to the option; `prompt` names
 * the question they answer, so a button from an old question can be recognised as stale.
 */
export const outboxPayloadSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('text'), text: z.string() }),
  z.object({
    kind: z.literal('choice'),
    text: z.string(),
    prompt: z.string(),
    options: z.array(z.object({ id: z.string(), label: z.string() })),
  }),
  z.object({ kind: z.literal('media'), ref: z.string(), caption: z.string().optional() }),
])
export type OutboxPayload = z.infer<typeof outboxPayloadSchema>

/**
 * The payload as plain text, the way WhatsApp and the terminal show it: options as a numbered
 * list, because interactive buttons do not reach ordinary WhatsApp accounts (DESIGN.md).
 */
export function renderPlainText(payload: OutboxPayload): string {
  switch (payload.kind) {
    case 'text':
      return payload.text
    case 'choice':
      return [payload.text, ...payload.options.map((o, i) => `${i + 1}. ${o.label}`)].join('\n')
    case 'media':
      return payload.caption ?? ''
  }
}
