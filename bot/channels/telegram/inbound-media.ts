import type { Api } from 'grammy'
import { GrammyError } from 'grammy'
import type { Message } from 'grammy/types'
import type { AttachmentStore } from '../../attachments/attachment-store.ts'
import type { InboundMessage } from '../../messages.ts'

type Media = NonNullable<InboundMessage['media']>

/** A file in her message: one we download and keep, or one we only acknowledge. */
export type MediaSource =
  | {
      kind: 'audio' | 'image' | 'document'
      fileId: string
      size: number | undefined
      mime: string | undefined
    }
  | { kind: 'sticker' | 'other'; ref: string }

/**
 * What kind of file (if any) a message carries. Voice notes, audio, photos and documents are
 * kept; stickers, videos, locations, contacts and the like are acknowledged without a download
 * (videos are large and no flow reads them; a contact card holds someone's phone number).
 */
export function mediaOf(message: Message): MediaSource | undefined {
  if (message.voice) return downloadable('audio', message.voice, message.voice.mime_type)
  if (message.audio) return downloadable('audio', message.audio, message.audio.mime_type)
  if (message.photo?.length) {
    // Telegram lists a photo's sizes smallest first; keep the largest.
    return downloadable('image', message.photo.at(-1)!, 'image/jpeg')
  }
  if (message.document) {
    return downloadable('document', message.document, message.document.mime_type)
  }
  if (message.sticker) return { kind: 'sticker', ref: message.sticker.file_id }
  const file = message.video ?? message.video_note ?? message.animation
  if (file) return { kind: 'other', ref: file.file_id }
  if (message.location || message.venue) return { kind: 'other', ref: 'location' }
  if (message.contact) return { kind: 'other', ref: 'contact' }
  if (message.poll || message.dice || message.game || message.story) {
    return { kind: 'other', ref: 'unsupported' }
  }
  return undefined
}

function downloadable(
  kind: 'audio' | 'image' | 'document',
  file: { file_id: string; file_size?: number },
  mime: string | undefined,
): MediaSource {
  return { kind, fileId: file.file_id, size: file.file_size, mime }
}

/**
 * Fetches a file through getFile and the file URL and keeps it in the attachment store.
 * Never downloads what Telegram already says is over the limit, and stops reading a download
 * as soon as it passes the limit. Failures become `rejected`, so she is told to try again.
 */
export async function keepMedia(
  source: MediaSource,
  deps: {
    api: Api
    fileUrl: (filePath: string) => string
    attachments: Pick<AttachmentStore, 'save' | 'maxBytes'>
    timeoutMs?: number
  },
): Promise<Media> {
  if ('ref' in source) return { kind: source.kind, ref: source.ref }
  const { kind, fileId, mime } = source
  const maxBytes = deps.attachments.maxBytes
  const rejected = (reason: 'too_large' | 'unavailable'): Media => ({
    kind,
    ref: fileId,
    ...(mime && { mime }),
    rejected: reason,
  })
  if (source.size !== undefined && source.size > maxBytes) return rejected('too_large')
  let filePath: string | undefined
  try {
    const file = await deps.api.getFile(fileId)
    if (file.file_size !== undefined && file.file_size > maxBytes) return rejected('too_large')
    filePath = file.file_path
  } catch (error) {
    // The cloud Bot API does not hand out files over 20 MB.
    if (error instanceof GrammyError && /too big/i.test(error.description)) {
      return rejected('too_large')
    }
    return rejected('unavailable')
  }
  if (!filePath) return rejected('unavailable')
  const bytes = await download(deps.fileUrl(filePath), maxBytes, deps.timeoutMs ?? 60_000)
  if (bytes === 'too_large' || bytes === 'unavailable') return rejected(bytes)
  const saved = await deps.attachments.save(bytes, mime)
  if (!saved.ok) return rejected(saved.reason === 'too_large' ? 'too_large' : 'unavailable')
  return { kind, ref: saved.ref, size: saved.size, ...(mime && { mime }) }
}

async function download(
  url: string,
  maxBytes: number,
  timeoutMs: number,
): Promise<Uint8Array | 'too_large' | 'unavailable'> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) })
    if (!res.ok || !res.body) return 'unavailable'
    const chunks: Uint8Array[] = []
    let total = 0
    for await (const chunk of res.body) {
      total += chunk.byteLength
      // Leaving the loop cancels the rest of the download.
      if (total > maxBytes) return 'too_large'
      chunks.push(chunk)
    }
    return Buffer.concat(chunks)
  } catch {
    return 'unavailable'
  }
}
