import { randomUUID } from 'node:crypto'
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'

export type SavedAttachment =
  | { ok: true; ref: string; size: number }
  | { ok: false; reason: 'too_large' | 'write_failed'; detail?: string }

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'audio/ogg': 'ogg',
  'audio/mpeg': 'mp3',
  'audio/mp4': 'm4a',
  'application/pdf': 'pdf',
}

/**
 * Where photos, voice notes and documents women send are kept: files under one folder, named
 * by a random key (never by what she called them). Channel adapters save here and pass the key
 * on as the message's media ref; staff pages read by key.
 */
export class AttachmentStore {
  constructor(
    readonly dir: string,
    readonly maxBytes: number,
    /** The file write; tests inject one that fails as a full disk would (ENOSPC). */
    private readonly write: (file: string, bytes: Uint8Array) => Promise<void> = writeFile,
  ) {}

  /** Saves a file atomically (write, then rename). Over `maxBytes` nothing is written. */
  async save(
    bytes: Uint8Array,
    mime: string | undefined,
    now = new Date(),
  ): Promise<SavedAttachment> {
    if (bytes.byteLength > this.maxBytes) return { ok: false, reason: 'too_large' }
    const month = now.toISOString().slice(0, 7)
    const ext = (mime && EXTENSIONS[mime.split(';')[0]!.trim()]) ?? 'bin'
    const ref = `${month}/${randomUUID()}.${ext}`
    const file = this.pathOf(ref)
    try {
      await mkdir(path.dirname(file), { recursive: true })
      await this.write(`${file}.part`, bytes)
      await rename(`${file}.part`, file)
      return { ok: true, ref, size: bytes.byteLength }
    } catch (error) {
      // a full disk leaves a partial file behind: give its space back
      await rm(`${file}.part`, { force: true }).catch(() => undefined)
      return { ok: false, reason: 'write_failed', detail: (error as Error).message }
    }
  }

  read(ref: string): Promise<Buffer> {
    return readFile(this.pathOf(ref))
  }

  /** The file for a key; keys are ours, but never let one escape the folder. */
  pathOf(ref: string): string {
    const file = path.resolve(this.dir, ref)
    if (!file.startsWith(path.resolve(this.dir) + path.sep))
      throw new Error('invalid attachment ref')
    return file
  }
}
