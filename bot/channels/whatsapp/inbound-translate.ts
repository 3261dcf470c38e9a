import {
  isJidBroadcast,
  isJidGroup,
  isJidNewsletter,
  isLidUser,
  isPnUser,
  jidDecode,
  jidNormalizedUser,
  normalizeMessageContent,
  proto,
  type MessageUpsertType,
  type WAMessage,
  type WAMessageContent,
} from '@whiskeysockets/baileys'
import type { SavedAttachment } from '../../attachments/attachment-store.ts'
import type { InboundMessage } from '../../messages.ts'

type Media = NonNullable<InboundMessage['media']>

export type InboundTranslateDeps = {
  /** The largest file kept (ATTACHMENT_MAX_MB). */
  maxBytes: number
  /** Downloads (and decrypts) a media message's file; Baileys' downloadMediaMessage. */
  download: (message: WAMessage) => Promise<AsyncIterable<Uint8Array>>
  save: (bytes: Uint8Array, mime: string | undefined) => Promise<SavedAttachment>
  /** The phone jid Baileys learned for a LID (its lid-mapping store), when the key lacks it. */
  phoneForLid?: (lid: string) => Promise<string | null | undefined>
  now: () => Date
}

/** Who wrote: the chat to answer and, when known, her phone. */
export type Sender = { channelUserId: string; phone?: string }

/**
 * Whether a `messages.upsert` entry is a woman writing to us now: only live notifications
 * (history sync and our own appends are not), never our own messages, groups, status updates,
 * broadcast lists or channels (DESIGN.md).
 */
export function isFromHer(type: MessageUpsertType, message: WAMessage): boolean {
  const jid = message.key.remoteJid
  if (type !== 'notify' || !jid || message.key.fromMe) return false
  return !isJidGroup(jid) && !isJidBroadcast(jid) && !isJidNewsletter(jid)
}

/**
 * Her contact id. WhatsApp v7 may address her by a LID (`…@lid`) instead of her phone jid;
 * the key then carries the phone jid in `remoteJidAlt` (or `participantAlt`, or `senderPn` on
 * older servers). Using the phone jid whenever it is known keeps one contact per woman, and
 * gives the phone the pipeline uses to suggest her country.
 */
export async function resolveSender(
  message: WAMessage,
  phoneForLid?: InboundTranslateDeps['phoneForLid'],
): Promise<Sender> {
  const key = message.key
  const remote = key.remoteJid ?? ''
  let phoneJid = isPnUser(remote) ? remote : undefined
  if (!phoneJid && isLidUser(remote)) {
    const legacy = (key as { senderPn?: string }).senderPn
    phoneJid = [key.remoteJidAlt, key.participantAlt, legacy].find((j) => isPnUser(j))
    if (!phoneJid && phoneForLid) {
      const mapped = await phoneForLid(jidNormalizedUser(remote)).catch(() => null)
      if (mapped && isPnUser(mapped)) phoneJid = mapped
    }
  }
  if (!phoneJid) return { channelUserId: jidNormalizedUser(remote) || remote }
  const digits = jidDecode(phoneJid)?.user ?? ''
  return {
    channelUserId: jidNormalizedUser(phoneJid),
    phone: /^\d{6,15}$/.test(digits) ? `+${digits}` : undefined,
  }
}

/**
 * Translates one WhatsApp message into the InboundMessage the pipeline takes, or null when
 * there is nothing to answer (a reaction, a deleted message, a protocol notice). Files are
 * downloaded into attachment storage here, size-limited; a file that cannot be kept becomes
 * `rejected` so she is told why (STYLE.md, point 5: the adapter only translates).
 */
export async function translateInbound(
  message: WAMessage,
  deps: InboundTranslateDeps,
): Promise<InboundMessage | null> {
  const content = unwrap(message.message)
  const id = message.key.id
  if (!content || !id) return null
  const text = textOf(content)
  const media = await mediaOf(message, content, id, deps)
  if (text === undefined && !media) return null
  const sender = await resolveSender(message, deps.phoneForLid)
  const seconds = toNumber(message.messageTimestamp)
  return {
    channel: 'whatsapp',
    channelUserId: sender.channelUserId,
    platformMessageId: id,
    ...(text !== undefined && { text }),
    ...(media && { media }),
    ...(sender.phone && { phone: sender.phone }),
    ...(message.pushName && { displayName: message.pushName.slice(0, 200) }),
    receivedAt: seconds ? new Date(seconds * 1000) : deps.now(),
  }
}

/** Ephemeral, view-once and edit containers hold the real message; an edit counts as new text. */
function unwrap(raw: WAMessageContent | null | undefined): WAMessageContent | undefined {
  const content = normalizeMessageContent(raw)
  const edit = content?.protocolMessage
  if (edit?.type === proto.Message.ProtocolMessage.Type.MESSAGE_EDIT && edit.editedMessage) {
    return normalizeMessageContent(edit.editedMessage)
  }
  return content
}

function textOf(c: WAMessageContent): string | undefined {
  const text =
    c.conversation ??
    c.extendedTextMessage?.text ??
    c.imageMessage?.caption ??
    c.videoMessage?.caption ??
    c.documentMessage?.caption ??
    // We never send buttons or lists, but a reply to one (forwarded, old client) reads as text.
    c.buttonsResponseMessage?.selectedDisplayText ??
    c.templateButtonReplyMessage?.selectedDisplayText ??
    c.listResponseMessage?.title
  return text === null || text === undefined || text === '' ? undefined : text
}

type Downloadable = {
  mimetype?: string | null
  fileLength?: number | { toString(): string } | null
}

async function mediaOf(
  message: WAMessage,
  c: WAMessageContent,
  id: string,
  deps: InboundTranslateDeps,
): Promise<Media | undefined> {
  const file: [Media['kind'], Downloadable | null | undefined][] = [
    ['audio', c.audioMessage], // voice notes are audioMessage with ptt
    ['image', c.imageMessage],
    ['document', c.documentMessage],
    ['other', c.videoMessage],
  ]
  const found = file.find(([, m]) => m)
  if (found) return download(message, found[0], found[1]!, id, deps)
  if (c.stickerMessage) return { kind: 'sticker', ref: id }
  if (c.locationMessage || c.liveLocationMessage || c.contactMessage || c.contactsArrayMessage) {
    return { kind: 'other', ref: id }
  }
  return undefined
}

async function download(
  message: WAMessage,
  kind: Media['kind'],
  file: Downloadable,
  id: string,
  deps: InboundTranslateDeps,
): Promise<Media> {
  const mime = file.mimetype ?? undefined
  const refused = (rejected: 'too_large' | 'unavailable'): Media => ({
    kind,
    ref: id,
    ...(mime && { mime }),
    rejected,
  })
  // Refuse before downloading when WhatsApp already says it is too large: her data is prepaid,
  // and so is ours.
  if ((toNumber(file.fileLength) ?? 0) > deps.maxBytes) return refused('too_large')
  const chunks: Uint8Array[] = []
  let size = 0
  try {
    for await (const chunk of await deps.download(message)) {
      size += chunk.byteLength
      // The declared length can be missing or wrong: stop reading as soon as it is too much.
      if (size > deps.maxBytes) return refused('too_large')
      chunks.push(chunk)
    }
  } catch {
    return refused('unavailable')
  }
  const saved = await deps.save(Buffer.concat(chunks), mime)
  if (!saved.ok) return refused(saved.reason === 'too_large' ? 'too_large' : 'unavailable')
  return { kind, ref: saved.ref, ...(mime && { mime }), size: saved.size }
}

function toNumber(value: number | { toString(): string } | null | undefined): number | undefined {
  if (value === null || value === undefined) return undefined
  const n = typeof value === 'number' ? value : Number(value.toString())
  return Number.isFinite(n) ? n : undefined
}
