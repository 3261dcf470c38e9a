import { unlink } from 'node:fs/promises'
import type { Db } from '../../app/db/open.ts'

/** What an outbox row's payload becomes once its words are gone (still a valid payload). */
export const REDACTED_PAYLOAD = JSON.stringify({ kind: 'text', text: '' })

/** Cases whose conversation staff may still be reading: their words are kept until closed. */
const LIVE_CASE = ['open', 'pending']

const BATCH = 500

export type RetentionResult = {
  inboundBodies: number
  outboundBodies: number
  caseMessageBodies: number
  unansweredQuestions: number
  attachments: number
  files: number
  /** Files that could not be deleted (kept with their rows, tried again next run). */
  fileErrors: number
}

export type RetentionOptions = {
  db: Db
  /** Everything older than this many days loses its words and files. */
  days: number
  now: Date
  /** The file for an attachment key (AttachmentStore.pathOf); without it files are kept. */
  attachmentPath?: (ref: string) => string
}

/**
 * Deletes what women and staff wrote and sent, once older than the retention period: message
 * texts, outbox payloads, case message texts, unanswered questions' texts, attachment files
 * and their rows. Everything the programme counts stays: contacts, cases with their status and
 * dates, which messages there were and when, their kind and delivery state. A woman with an
 * open or pending case keeps her conversation until the case is resolved. Idempotent; runs
 * in small batches so the pipeline never waits long on it.
 */
export async function applyRetention(opts: RetentionOptions): Promise<RetentionResult> {
  const { db } = opts
  const cutoff = new Date(opts.now.getTime() - opts.days * 86_400_000)
  const result: RetentionResult = {
    inboundBodies: 0,
    outboundBodies: 0,
    caseMessageBodies: 0,
    unansweredQuestions: 0,
    attachments: 0,
    files: 0,
    fileErrors: 0,
  }
  const keptRefs = await broadcastRefs(db)
  const removeFiles = async (refs: (string | null)[]): Promise<boolean> => {
    let ok = true
    for (const ref of refs) {
      if (!ref || !opts.attachmentPath || keptRefs.has(ref)) continue
      try {
        await unlink(opts.attachmentPath(ref))
        result.files++
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue
        result.fileErrors++
        ok = false
      }
    }
    return ok
  }
  const liveContact = { cases: { some: { status: { in: LIVE_CASE } } } }

  // Her messages: text and media; unhandled ones are left for the pipeline.
  for (;;) {
    const rows = await db.inboundMessage.findMany({
      where: {
        receivedAt: { lt: cutoff },
        status: { not: 'received' },
        OR: [{ text: { not: null } }, { mediaRef: { not: null } }],
        NOT: { contact: liveContact },
      },
      select: { id: true, mediaRef: true },
      take: BATCH,
    })
    if (rows.length === 0) break
    if (!(await removeFiles(rows.map((r) => r.mediaRef)))) break
    const { count } = await db.inboundMessage.updateMany({
      where: { id: { in: rows.map((r) => r.id) } },
      data: { text: null, mediaRef: null },
    })
    result.inboundBodies += count
  }

  // The outbox: only rows that reached a final state (the dispatcher still needs the others).
  for (;;) {
    const rows = await db.outboundMessage.findMany({
      where: {
        createdAt: { lt: cutoff },
        status: { in: ['sent', 'failed', 'cancelled'] },
        payload: { not: REDACTED_PAYLOAD },
        NOT: { contact: liveContact },
      },
      select: { id: true },
      take: BATCH,
    })
    if (rows.length === 0) break
    const { count } = await db.outboundMessage.updateMany({
      where: { id: { in: rows.map((r) => r.id) } },
      data: { payload: REDACTED_PAYLOAD },
    })
    result.outboundBodies += count
  }

  // Case conversations (her messages, staff replies and notes): kind, author and date stay.
  for (;;) {
    const rows = await db.caseMessage.findMany({
      where: {
        createdAt: { lt: cutoff },
        OR: [{ text: { not: null } }, { mediaRef: { not: null } }],
        case: { status: { notIn: LIVE_CASE } },
      },
      select: { id: true, mediaRef: true },
      take: BATCH,
    })
    if (rows.length === 0) break
    if (!(await removeFiles(rows.map((r) => r.mediaRef)))) break
    const { count } = await db.caseMessage.updateMany({
      where: { id: { in: rows.map((r) => r.id) } },
      data: { text: null, mediaRef: null },
    })
    result.caseMessageBodies += count
  }

  // Questions the bot could not answer: the row (a count per FAQ gap) stays, her words go.
  const { count: questions } = await db.unansweredQuestion.updateMany({
    where: { createdAt: { lt: cutoff }, text: { not: '' } },
    data: { text: '' },
  })
  result.unansweredQuestions = questions

  // Attachment rows and their files (of live cases, kept).
  for (;;) {
    const rows = await db.attachment.findMany({
      where: {
        createdAt: { lt: cutoff },
        NOT: { case: { status: { in: LIVE_CASE } } },
      },
      select: { id: true, storageKey: true },
      take: BATCH,
    })
    if (rows.length === 0) break
    if (!(await removeFiles(rows.map((r) => r.storageKey)))) break
    const { count } = await db.attachment.deleteMany({
      where: { id: { in: rows.map((r) => r.id) } },
    })
    result.attachments += count
  }
  return result
}

/** Files a broadcast sends are the programme's, not hers: never removed by retention. */
async function broadcastRefs(db: Db): Promise<Set<string>> {
  const rows = await db.broadcast.findMany({
    where: { mediaRef: { not: null } },
    select: { mediaRef: true },
  })
  return new Set(rows.flatMap((r) => (r.mediaRef ? [r.mediaRef] : [])))
}
