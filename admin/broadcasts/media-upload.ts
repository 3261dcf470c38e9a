import type { Request, RequestHandler } from 'express'
import multer from 'multer'

/**
 * The largest file a broadcast may carry. Both channels take more (WhatsApp about 16 MB for
 * media, Telegram 10 MB for a photo), but the file goes to every recipient: keep it small.
 */
export const BROADCAST_MEDIA_MAX_BYTES = 5 * 1_048_576

/** The files a broadcast may carry, by their first bytes (the browser's MIME type is a claim). */
const SIGNATURES: { mime: string; bytes: number[] }[] = [
  { mime: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
  { mime: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47] },
  { mime: 'application/pdf', bytes: [0x25, 0x50, 0x44, 0x46] },
]

export type UploadedMedia =
  | { ok: true; bytes: Buffer; mime: string; name: string }
  | { ok: false; reason: 'too_large' | 'type' }

const uploads = new WeakMap<Request, UploadedMedia>()

/** The file posted with the compose form, if any (after broadcastMediaUpload ran). */
export function uploadedMedia(req: Request): UploadedMedia | undefined {
  return uploads.get(req)
}

/** The file's type from its content, when it is one a broadcast may carry. */
export function mediaType(bytes: Buffer): string | undefined {
  return SIGNATURES.find((s) => s.bytes.every((b, i) => bytes[i] === b))?.mime
}

/**
 * Parses the compose form when it comes as multipart (it carries a file). Mounted before the
 * CSRF check, which needs the form's `_csrf` field parsed, and only for signed-in staff who
 * may compose, so nobody else can make the server read a file. The file stays in memory
 * (at most BROADCAST_MEDIA_MAX_BYTES); the route checks and stores it.
 */
export function broadcastMediaUpload(): RequestHandler {
  const parse = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: BROADCAST_MEDIA_MAX_BYTES, files: 1, fields: 200, fieldSize: 64_000 },
  }).single('media')
  return (req, res, next) => {
    const staff = res.locals.staff
    if (
      req.method !== 'POST' ||
      req.path !== '/broadcasts' ||
      !req.is('multipart/form-data') ||
      !staff ||
      staff.role === 'viewer'
    ) {
      next()
      return
    }
    parse(req, res, (error: unknown) => {
      if (error instanceof multer.MulterError && error.code === 'LIMIT_FILE_SIZE') {
        uploads.set(req, { ok: false, reason: 'too_large' })
        next()
        return
      }
      if (error) {
        next(error)
        return
      }
      const file = req.file
      if (file && file.size > 0) {
        const mime = mediaType(file.buffer)
        uploads.set(
          req,
          mime
            ? { ok: true, bytes: file.buffer, mime, name: file.originalname }
            : { ok: false, reason: 'type' },
        )
      }
      next()
    })
  }
}
