import { randomUUID } from 'node:crypto'
import { Router } from 'express'
import { z } from 'zod'
import { HttpError } from '../../app/http/http-error.ts'
import { renderPage, type AdminDeps } from '../admin-context.ts'
import { canWork, currentStaff, regionScope } from '../auth/access.ts'
import { audit } from '../audit/audit.ts'
import {
  caseStatusSchema,
  caseTopics,
  casePrioritySchema,
  countByStatus,
  inboxFilterSchema,
  inboxSignature,
  listInbox,
  slaState,
} from './case-queries.ts'
import { caseFor, caseSignature, caseTimeline, fillTemplate } from './case-view.ts'
import { queueCaseFollowUp } from '../../bot/broadcasts/case-follow-up.ts'

const textBody = z.object({ text: z.string().trim().min(1).max(4000) })

// Only these are served inline; anything else downloads, so a file she sent can never run as
// a page of ours (with helmet's nosniff).
const INLINE = /^(image\/(jpeg|png|webp|gif)|audio\/(ogg|mpeg|mp4|aac|amr|webm)|video\/mp4)$/

export function caseRoutes(deps: AdminDeps & { now: () => Date }): Router {
  const { db, now } = deps
  const router = Router()

  router.get('/cases', async (req, res) => {
    const staff = currentStaff(res.locals)
    const f = inboxFilterSchema.parse(req.query)
    const at = now()
    const [page, counts, regions, assignees] = await Promise.all([
      listInbox(db, staff, f, at),
      countByStatus(db, staff, f, at),
      db.region.findMany({
        where: { id: { in: regionScope(staff) }, active: true },
        orderBy: [{ country: 'asc' }, { name: 'asc' }],
        select: { id: true, name: true, country: true },
      }),
      workers(deps),
    ])
    renderPage(res, 'cases/inbox', {
      f,
      rows: page.rows.map((r) => ({ ...r, sla: slaState(r, at), waitingMs: waiting(r, at) })),
      next: page.next,
      counts,
      regions,
      assignees,
      topics: caseTopics,
      query: (change: Record<string, string | undefined>) =>
        queryString({ ...f, after: undefined, ...change }),
      pollUrl: `/admin/cases/poll.json${queryString({ ...f, after: undefined })}`,
    })
  })

  router.get('/cases/poll.json', async (req, res) => {
    const staff = currentStaff(res.locals)
    const f = inboxFilterSchema.parse(req.query)
    res.json({ signature: await inboxSignature(db, staff, f, now()) })
  })

  router.get('/cases/:id', async (req, res) => {
    const staff = currentStaff(res.locals)
    const c = await caseFor(db, staff, String(req.params.id))
    const at = now()
    const [{ timeline, attachments }, canned, assignees, checklist] = await Promise.all([
      caseTimeline(db, c),
      db.cannedReply.findMany({ orderBy: { title: 'asc' }, take: 100 }),
      workers(deps),
      c.groupId
        ? db.groupRequirement.groupBy({
            by: ['status'],
            where: { groupId: c.groupId },
            _count: { _all: true },
          })
        : [],
    ])
    const name = c.contact?.displayName ?? ''
    renderPage(res, 'cases/case', {
      c,
      timeline,
      attachments,
      sla: slaState(c, at),
      waitingMs: waiting(c, at),
      canned: canned.map((r) => ({
        id: r.id,
        title: r.title,
        text: fillTemplate(r.body, { name, case: String(c.id) }),
      })),
      assignees,
      checklist: Object.fromEntries(checklist.map((g) => [g.status, g._count._all])),
      canWork: staff.role !== 'viewer',
      canReply: staff.role !== 'viewer' && Boolean(c.contact) && !c.contact?.erasedAt,
      statuses: caseStatusSchema.options,
      priorities: casePrioritySchema.options,
      pollUrl: `/admin/cases/${c.id}/poll.json`,
    })
  })

  router.get('/cases/:id/poll.json', async (req, res) => {
    const c = await caseFor(db, currentStaff(res.locals), String(req.params.id))
    res.json({ signature: await caseSignature(db, c) })
  })

  router.get('/cases/:id/attachments/:attachmentId', async (req, res) => {
    const c = await caseFor(db, currentStaff(res.locals), String(req.params.id))
    const file = await db.attachment.findFirst({
      where: {
        id: String(req.params.attachmentId),
        OR: [{ caseId: c.id }, ...(c.contactId ? [{ contactId: c.contactId }] : [])],
      },
    })
    if (!file) throw new HttpError(404, 'admin.errors.not_found')
    const bytes = await deps.attachments.read(file.storageKey).catch(() => {
      throw new HttpError(404, 'admin.errors.not_found')
    })
    const mime = file.mime?.split(';')[0]?.trim() ?? ''
    const inline = INLINE.test(mime)
    res.set(
      'Content-Type',
      inline || mime === 'application/pdf' ? mime : 'application/octet-stream',
    )
    res.set(
      'Content-Disposition',
      inline ? 'inline' : `attachment; filename="case-${c.id}-${file.id.slice(0, 8)}"`,
    )
    res.set('Content-Security-Policy', "default-src 'none'; sandbox")
    res.send(bytes)
  })

  router.post('/cases/:id/reply', canWork, async (req, res) => {
    const staff = currentStaff(res.locals)
    const c = await caseFor(db, staff, String(req.params.id))
    const contact = c.contact
    if (!contact || contact.erasedAt) throw new HttpError(409, 'admin.case.no_contact')
    const text = fillTemplate(textBody.parse(req.body).text, {
      name: contact.displayName ?? '',
      case: String(c.id),
    })
    const at = now()
    const outboundId = randomUUID()
    // A staff reply moves the case to "pending" (waiting for her); her next message reopens it.
    const status = c.status === 'open' ? 'pending' : c.status
    await db.$transaction([
      db.outboundMessage.create({
        data: {
          id: outboundId,
          contactId: contact.id,
          channel: contact.channel,
          channelUserId: contact.channelUserId,
          payload: JSON.stringify({ kind: 'text', text }),
          status: 'queued',
          priority: 5,
          nextAttemptAt: at,
          origin: 'case',
          originId: String(c.id),
          createdAt: at,
        },
      }),
      db.caseMessage.create({
        data: {
          id: randomUUID(),
          caseId: c.id,
          kind: 'reply',
          staffId: staff.id,
          text,
          outboundId,
          createdAt: at,
        },
      }),
      db.case.update({
        where: { id: c.id },
        data: { firstResponseAt: c.firstResponseAt ?? at, lastActivityAt: at, status },
      }),
    ])
    deps.wakeDispatcher()
    await audit(
      db,
      {
        staff,
        action: 'case.reply',
        entity: 'Case',
        entityId: c.id,
        before: { status: c.status },
        // The text stays in the case; the audit log keeps no copy of personal data.
        after: { status, outboundId, length: text.length },
        ip: req.ip,
      },
      at,
    )
    res.redirect(303, `/admin/cases/${c.id}#reply`)
  })

  router.post('/cases/:id/note', canWork, async (req, res) => {
    const staff = currentStaff(res.locals)
    const c = await caseFor(db, staff, String(req.params.id))
    const { text } = textBody.parse(req.body)
    const at = now()
    const id = randomUUID()
    await db.caseMessage.create({
      data: { id, caseId: c.id, kind: 'note', staffId: staff.id, text, createdAt: at },
    })
    await audit(
      db,
      {
        staff,
        action: 'case.note',
        entity: 'Case',
        entityId: c.id,
        after: { noteId: id },
        ip: req.ip,
      },
      at,
    )
    res.redirect(303, `/admin/cases/${c.id}`)
  })

  router.post('/cases/:id/assign', canWork, async (req, res) => {
    const staff = currentStaff(res.locals)
    const c = await caseFor(db, staff, String(req.params.id))
    const raw = z.object({ assigneeId: z.string().max(60) }).parse(req.body).assigneeId
    const assigneeId = raw === 'me' ? staff.id : raw || null
    if (assigneeId) {
      const allowed = (await workers(deps)).some((w) => w.id === assigneeId)
      if (!allowed) throw new HttpError(400, 'admin.case.bad_assignee')
    }
    await db.case.update({ where: { id: c.id }, data: { assigneeId } })
    await audit(db, {
      staff,
      action: assigneeId ? 'case.assign' : 'case.unassign',
      entity: 'Case',
      entityId: c.id,
      before: { assigneeId: c.assigneeId },
      after: { assigneeId },
      ip: req.ip,
    })
    res.redirect(303, `/admin/cases/${c.id}`)
  })

  router.post('/cases/:id/priority', canWork, async (req, res) => {
    const staff = currentStaff(res.locals)
    const c = await caseFor(db, staff, String(req.params.id))
    const priority = casePrioritySchema.parse((req.body as { priority?: unknown }).priority)
    await db.case.update({ where: { id: c.id }, data: { priority } })
    await audit(db, {
      staff,
      action: 'case.priority',
      entity: 'Case',
      entityId: c.id,
      before: { priority: c.priority },
      after: { priority },
      ip: req.ip,
    })
    res.redirect(303, `/admin/cases/${c.id}`)
  })

  router.post('/cases/:id/status', canWork, async (req, res) => {
    const staff = currentStaff(res.locals)
    const c = await caseFor(db, staff, String(req.params.id))
    const status = caseStatusSchema.parse((req.body as { status?: unknown }).status)
    const at = now()
    await db.$transaction(async (tx) => {
      await tx.case.update({
        where: { id: c.id },
        data: {
          status,
          lastActivityAt: at,
          resolvedAt: status === 'resolved' ? at : status === 'closed' ? c.resolvedAt : null,
          closedAt: status === 'closed' ? at : null,
        },
      })
      // issue 10: in a few days, ask her whether it was resolved (cancelled if she writes first)
      if (status === 'resolved' && c.status !== 'resolved' && c.contact) {
        await queueCaseFollowUp(tx, deps.i18n, c, c.contact, at)
      }
    })
    await audit(
      db,
      {
        staff,
        action: 'case.status',
        entity: 'Case',
        entityId: c.id,
        before: { status: c.status },
        after: { status },
        ip: req.ip,
      },
      at,
    )
    res.redirect(303, `/admin/cases/${c.id}`)
  })

  return router
}

/** Staff a case can be assigned to: active admins and agents. */
async function workers(deps: AdminDeps) {
  return deps.db.staff.findMany({
    where: { disabledAt: null, role: { in: ['admin', 'agent'] } },
    orderBy: { name: 'asc' },
    select: { id: true, name: true },
    take: 500,
  })
}

function waiting(c: { lastInboundAt: Date | null; status: string }, at: Date): number | undefined {
  if (!c.lastInboundAt || c.status === 'resolved' || c.status === 'closed') return undefined
  return at.getTime() - c.lastInboundAt.getTime()
}

export function queryString(params: Record<string, string | undefined>): string {
  const entries = Object.entries(params).filter(
    (e): e is [string, string] => e[1] !== undefined && e[1] !== '',
  )
  return entries.length ? `?${new URLSearchParams(entries).toString()}` : ''
}
