import type { Db } from '../../app/db/open.ts'
import { HttpError } from '../../app/http/http-error.ts'
import { outboxPayloadSchema, renderPlainText } from '../../bot/messages.ts'
import type { CurrentStaff } from '../admin-context.ts'
import { caseScope } from '../auth/access.ts'

const HISTORY = 200

/** The case if this staff member may see it; otherwise 404, so nothing leaks (issue 8). */
export async function caseFor(db: Db, staff: CurrentStaff, rawId: string) {
  const id = /^\d{1,9}$/.test(rawId) ? Number(rawId) : NaN
  if (!Number.isFinite(id)) throw new HttpError(404, 'admin.errors.not_found')
  const found = await db.case.findFirst({
    where: { AND: [{ id }, caseScope(staff)] },
    include: {
      contact: true,
      region: true,
      assignee: { select: { id: true, name: true } },
      group: { include: { currentPhase: true } },
    },
  })
  if (!found) throw new HttpError(404, 'admin.errors.not_found')
  return found
}
export type CaseRecord = Awaited<ReturnType<typeof caseFor>>

export type AttachmentView = { id: string; kind: string; mime: string | null; size: number }

export type TimelineEntry = {
  at: Date
  who: 'her' | 'bot' | 'staff' | 'note'
  text: string
  staffName?: string | undefined
  status?: string | undefined
  attachment?: AttachmentView | undefined
  mediaKind?: string | undefined
}

/**
 * Her whole conversation: what she sent, what the bot and staff answered (with delivery
 * status), and the team's internal notes, in time order. The latest HISTORY of each kind.
 */
export async function caseTimeline(
  db: Db,
  c: CaseRecord,
): Promise<{ timeline: TimelineEntry[]; attachments: AttachmentView[] }> {
  const contactId = c.contact && !c.contact.erasedAt ? c.contactId : null
  const [inbound, outbound, notes, files] = await Promise.all([
    contactId
      ? db.inboundMessage.findMany({
          where: { contactId },
          orderBy: { receivedAt: 'desc' },
          take: HISTORY,
        })
      : [],
    contactId
      ? db.outboundMessage.findMany({
          where: { contactId, status: { not: 'cancelled' } },
          orderBy: [{ createdAt: 'desc' }, { seq: 'desc' }],
          take: HISTORY,
        })
      : [],
    db.caseMessage.findMany({
      where: { caseId: c.id },
      orderBy: { createdAt: 'desc' },
      take: HISTORY,
      include: { staff: { select: { name: true } } },
    }),
    db.attachment.findMany({
      where: { OR: [{ caseId: c.id }, ...(contactId ? [{ contactId }] : [])] },
      orderBy: { createdAt: 'desc' },
      take: 100,
    }),
  ])
  const attachments = files.map((f) => ({ id: f.id, kind: f.kind, mime: f.mime, size: f.size }))
  const byKey = new Map(files.map((f, i) => [f.storageKey, attachments[i]!]))
  const replyBy = new Map(
    notes.filter((n) => n.outboundId).map((n) => [n.outboundId!, n.staff?.name]),
  )
  // Fetched newest first; put them oldest first so the stable sort below keeps the replies
  // to one message (same time) in the order she got them (seq).
  inbound.reverse()
  outbound.reverse()
  const timeline: TimelineEntry[] = [
    ...inbound.map((m) => ({
      at: m.receivedAt,
      who: 'her' as const,
      text: m.text ?? m.choice ?? '',
      attachment: m.mediaRef ? byKey.get(m.mediaRef) : undefined,
      mediaKind: m.mediaKind ?? undefined,
    })),
    ...outbound.map((m) => {
      const payload = outboxPayloadSchema.safeParse(JSON.parse(m.payload))
      const staffReply = m.origin === 'case'
      return {
        at: m.createdAt,
        who: staffReply ? ('staff' as const) : ('bot' as const),
        text: payload.success ? renderPlainText(payload.data) : '',
        status: m.status,
        staffName: staffReply ? replyBy.get(m.id) : undefined,
      }
    }),
    ...notes
      // Her words and replies are shown from the message tables; these rows only when she was
      // erased (no contact) or for notes, which exist nowhere else.
      .filter((n) => n.kind === 'note' || (!contactId && n.kind !== 'reply'))
      .map((n) => ({
        at: n.createdAt,
        who: n.kind === 'note' ? ('note' as const) : ('her' as const),
        text: n.text ?? '',
        staffName: n.staff?.name,
        attachment: n.mediaRef ? byKey.get(n.mediaRef) : undefined,
      })),
  ]
  timeline.sort((a, b) => a.at.getTime() - b.at.getTime())
  return { timeline, attachments }
}

/** Changes when anything on the case page would: new messages, delivery status, edits. */
export async function caseSignature(db: Db, c: CaseRecord): Promise<string> {
  const contactId = c.contactId ?? '-'
  const [lastIn, outs, notes] = await Promise.all([
    db.inboundMessage.findFirst({
      where: { contactId },
      orderBy: { receivedAt: 'desc' },
      select: { id: true },
    }),
    db.outboundMessage.findMany({
      where: { contactId },
      orderBy: { createdAt: 'desc' },
      take: 20,
      select: { id: true, status: true },
    }),
    db.caseMessage.count({ where: { caseId: c.id } }),
  ])
  return [
    c.updatedAt.getTime(),
    lastIn?.id ?? '',
    outs.map((o) => `${o.id}${o.status}`).join(','),
    notes,
  ].join('|')
}

/** Fills a canned reply's variables ({{name}}, {{case}}); unknown ones are left as typed. */
export function fillTemplate(body: string, vars: Record<string, string>): string {
  return body.replace(/\{\{\s*(\w+)\s*\}\}/g, (all, name: string) => vars[name] ?? all)
}
