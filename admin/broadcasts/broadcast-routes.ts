import { randomUUID } from 'node:crypto'
import { Router, type Request, type RequestHandler, type Response } from 'express'
import { z } from 'zod'
import type { Broadcast } from '../../generated/sqlite/index.js'
import { HttpError } from '../../app/http/http-error.ts'
import { renderPage, type AdminDeps, type CurrentStaff } from '../admin-context.ts'
import { adminOnly, canWork, currentStaff, regionScope } from '../auth/access.ts'
import { audit } from '../audit/audit.ts'
import { inScope, loadBroadcast } from './broadcast-access.ts'
import {
  audienceSchema,
  groupRoleSchema,
  parseAudience,
  type Audience,
} from '../../bot/broadcasts/audience.ts'
import {
  cancel,
  contentOf,
  countAudience,
  renderBroadcast,
  type BroadcastContent,
  pause,
  progress,
  resume,
  textsSchema,
  type BroadcastTexts,
} from '../../bot/broadcasts/broadcasts.ts'
import { timezoneSchema, utcToZoned, zonedToUtc } from '../../bot/broadcasts/schedule.ts'
import { followUpSchema, type FollowUp } from '../../bot/broadcasts/follow-up.ts'
import { previewOn } from '../../bot/broadcasts/preview.ts'
import { channelSchema } from '../../bot/messages.ts'
import type { AttachmentStore } from '../../bot/attachments/attachment-store.ts'
import { BROADCAST_MEDIA_MAX_BYTES, uploadedMedia } from './media-upload.ts'
import { resultRoutes } from './result-routes.ts'
import { testSendRoutes } from './test-send-routes.ts'

const list = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : (Array.isArray(v) ? v : [v]).filter(Boolean)))
const text = (max: number) =>
  z
    .string()
    .max(max)
    .optional()
    .transform((v) => v?.trim() ?? '')

/** The compose form as posted: lenient here, validated by the broadcast schemas after. */
const composeBody = z.object({
  title: text(200),
  text_es: text(4000),
  text_en: text(4000),
  country: text(2),
  followup_q_es: text(500),
  followup_q_en: text(500),
  followup_opts_es: text(2000),
  followup_opts_en: text(2000),
  mediaRef: text(200),
  regionIds: list,
  municipalities: list,
  rubroIds: list,
  phaseIds: list,
  channel: text(20),
  trainingId: text(80),
  groupRole: text(20),
  onlyWhoWrote: text(1),
  when: z.enum(['now', 'schedule']).default('now'),
  date: text(10),
  time: text(5),
  timezone: timezoneSchema.default('America/La_Paz'),
  action: z.enum(['count', 'preview', 'save']).default('save'),
})
type ComposeForm = z.infer<typeof composeBody>

/** The form's audience filters as a segment (undefined when a filter value is not valid). */
function audienceOf(form: ComposeForm): Audience | undefined {
  const parsed = audienceSchema.safeParse({
    country: form.country || undefined,
    regionIds: form.regionIds,
    municipalities: form.municipalities,
    rubroIds: form.rubroIds,
    phaseIds: form.phaseIds,
    channel: form.channel || undefined,
    trainingId: form.trainingId || undefined,
    groupRole: form.groupRole || undefined,
    onlyWhoWrote: form.onlyWhoWrote === '1',
  })
  return parsed.success ? parsed.data : undefined
}

const lines = (text: string) =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)

/**
 * The form's follow-up question: null when none is asked, undefined when it is not valid
 * (a question without options, or English options that do not pair with the Spanish ones).
 */
function followUpOf(form: ComposeForm): FollowUp | null | undefined {
  const es = lines(form.followup_opts_es)
  const en = lines(form.followup_opts_en)
  if (!form.followup_q_es && es.length === 0 && !form.followup_q_en && en.length === 0) return null
  if (en.length > 0 && en.length !== es.length) return undefined
  const parsed = followUpSchema.safeParse({
    question: { es: form.followup_q_es, ...(form.followup_q_en && { en: form.followup_q_en }) },
    options: es.map((label, i) => ({ es: label, ...(en[i] && { en: en[i] }) })),
  })
  return parsed.success ? parsed.data : undefined
}

/** The AttachmentStore behind the panel's attachment reader, when it can also save. */
function savingStore(attachments: AdminDeps['attachments']) {
  const store = attachments as Partial<Pick<AttachmentStore, 'save'>>
  return typeof store.save === 'function' ? (store as Pick<AttachmentStore, 'save'>) : undefined
}

/**
 * The message as WhatsApp and Telegram will show it, in every language it is written in
 * (the same payload the outbox rows get; see bot/broadcasts/preview.ts).
 */
function previewsOf(deps: Pick<AdminDeps, 'i18n'>, content: BroadcastContent) {
  return Object.keys(content.texts)
    .filter((lng) => content.texts[lng]?.trim())
    .map((lng) => {
      const payload = renderBroadcast(deps.i18n, content, lng)
      return {
        lng,
        whatsapp: previewOn('whatsapp', payload),
        telegram: previewOn('telegram', payload),
      }
    })
}

/**
 * Broadcasts (issue 10): compose with an exact recipient count, send now or schedule, admin
 * approval for agents' broadcasts, progress with pause, resume and cancel. Sending is done by
 * the runtime's BroadcastScheduler and the outbox dispatcher; these routes only change status.
 */
export function broadcastRoutes(deps: AdminDeps & { now: () => Date }): Router {
  const { db } = deps
  const router = Router()

  const options = async (staff: CurrentStaff) => {
    const scope = regionScope(staff)
    return {
      regions: await db.region.findMany({
        where: { active: true, ...(scope ? { id: { in: scope } } : {}) },
        orderBy: [{ country: 'asc' }, { name: 'asc' }],
      }),
      municipalities: (
        await db.group.findMany({
          where: { municipality: { not: null }, ...(scope ? { regionId: { in: scope } } : {}) },
          distinct: ['municipality'],
          select: { municipality: true },
          orderBy: { municipality: 'asc' },
          take: 500,
        })
      ).map((g) => g.municipality!),
      rubros: await db.rubro.findMany({ where: { active: true }, orderBy: { nameEs: 'asc' } }),
      phases: await db.phase.findMany({ orderBy: [{ programmeId: 'asc' }, { order: 'asc' }] }),
      trainings: await db.training.findMany({
        where: { status: 'scheduled', startsAt: { gte: deps.now() } },
        orderBy: { startsAt: 'asc' },
        take: 200,
      }),
      roles: groupRoleSchema.options,
      channels: channelSchema.options,
      timezones: timezoneSchema.options,
    }
  }

  const blankForm = (): ComposeForm => composeBody.parse({ onlyWhoWrote: '1' })

  const compose = async (
    res: Response,
    form: ComposeForm,
    extra: {
      error?: string
      count?: number
      previews?: ReturnType<typeof previewsOf>
      mediaName?: string
    } = {},
    status = 200,
  ) => {
    const staff = currentStaff(res.locals)
    const maxMb = BROADCAST_MEDIA_MAX_BYTES / 1_048_576
    renderPage(
      res,
      'broadcasts/compose',
      { form, maxMb, ...(await options(staff)), ...extra },
      status,
    )
  }

  const load = (res: Response, id: string) => loadBroadcast(db, res, id)

  router.get('/broadcasts', async (_req, res) => {
    const staff = currentStaff(res.locals)
    const rows = await db.broadcast.findMany({ orderBy: { createdAt: 'desc' }, take: 200 })
    const visible = rows.filter((b) => inScope(staff, parseAudience(b.audience))).slice(0, 100)
    const broadcasts = await Promise.all(
      visible.map(async (b) => ({ ...b, progress: await progress(db, b.id) })),
    )
    renderPage(res, 'broadcasts/list', { broadcasts })
  })

  router.get('/broadcasts/new', canWork, async (_req, res) => {
    await compose(res, blankForm())
  })

  /**
   * The file of the compose form: a new upload is checked and stored (and audited, which is
   * also how a later post of the form proves the file is one this staff member uploaded: a
   * hidden field must never let someone attach another person's file).
   */
  const mediaOf = async (
    req: Request,
    staff: CurrentStaff,
    form: ComposeForm,
  ): Promise<{ ref: string | null; name?: string } | { error: string }> => {
    const upload = uploadedMedia(req)
    if (upload && !upload.ok) return { error: `broadcasts.admin.media_${upload.reason}` }
    if (upload?.ok) {
      const store = savingStore(deps.attachments)
      const saved = store ? await store.save(upload.bytes, upload.mime, deps.now()) : undefined
      if (!saved?.ok) return { error: 'broadcasts.admin.media_failed' }
      await audit(
        db,
        {
          staff,
          action: 'broadcast.media_upload',
          entity: 'Attachment',
          entityId: saved.ref,
          after: { mime: upload.mime, size: saved.size, name: upload.name.slice(0, 200) },
          ip: req.ip,
        },
        deps.now(),
      )
      return { ref: saved.ref, name: upload.name }
    }
    if (!form.mediaRef) return { ref: null }
    const name = await uploadedName(form.mediaRef, staff.id)
    if (name === undefined) return { error: 'broadcasts.admin.media_failed' }
    return { ref: form.mediaRef, name }
  }

  /** The file's name as uploaded (from the upload's audit entry); undefined if never uploaded. */
  const uploadedName = async (ref: string, staffId?: string) => {
    const uploaded = await db.auditLog.findFirst({
      where: { action: 'broadcast.media_upload', entityId: ref, ...(staffId && { staffId }) },
      select: { after: true },
    })
    if (!uploaded) return undefined
    return (JSON.parse(uploaded.after ?? '{}') as { name?: string }).name ?? ref
  }

  router.post('/broadcasts', canWork, async (req, res) => {
    const staff = currentStaff(res.locals)
    const form = composeBody.parse(req.body)
    const audience = audienceOf(form)
    if (!audience) return compose(res, form, { error: 'admin.broadcasts.invalid_audience' }, 400)
    if (!inScope(staff, audience)) {
      return compose(res, form, { error: 'admin.broadcasts.region_required' }, 400)
    }
    const media = await mediaOf(req, staff, form)
    if ('error' in media)
      return compose(res, { ...form, mediaRef: '' }, { error: media.error }, 400)
    form.mediaRef = media.ref ?? ''
    const shown = { mediaName: media.name }
    const count = await countAudience(db, audience)
    if (form.action === 'count') return compose(res, form, { count, ...shown })

    const texts = textsSchema.safeParse({
      es: form.text_es,
      ...(form.text_en ? { en: form.text_en } : {}),
    })
    if (!texts.success || (form.action === 'save' && !form.title)) {
      return compose(res, form, { error: 'admin.broadcasts.invalid_text', count, ...shown }, 400)
    }
    const followUp = followUpOf(form)
    if (followUp === undefined) {
      const error = 'broadcasts.admin.invalid_follow_up'
      return compose(res, form, { error, count, ...shown }, 400)
    }
    const content: BroadcastContent = { texts: texts.data, followUp, mediaRef: media.ref }
    if (form.action === 'preview') {
      return compose(res, form, { count, previews: previewsOf(deps, content), ...shown })
    }
    const now = deps.now()
    let scheduledAt = now
    if (form.when === 'schedule') {
      const at = (() => {
        try {
          return zonedToUtc(form.date, form.time, form.timezone)
        } catch {
          return undefined
        }
      })()
      if (!at || Number.isNaN(at.getTime())) {
        return compose(res, form, { error: 'admin.broadcasts.invalid_time', count, ...shown }, 400)
      }
      if (at < now) {
        return compose(res, form, { error: 'admin.broadcasts.in_past', count, ...shown }, 400)
      }
      scheduledAt = at
    }
    const id = randomUUID()
    const isAdmin = staff.role === 'admin'
    const data = {
      id,
      title: form.title,
      texts: JSON.stringify(texts.data satisfies BroadcastTexts),
      followUp: followUp ? JSON.stringify(followUp) : null,
      mediaRef: media.ref,
      audience: JSON.stringify(audience),
      // an agent's broadcast waits for an admin; an admin's goes on the schedule at once
      status: isAdmin ? 'scheduled' : 'pending_approval',
      scheduledAt,
      timezone: form.timezone,
      createdById: staff.id,
      approvedById: isAdmin ? staff.id : null,
    }
    await db.$transaction(async (tx) => {
      await tx.broadcast.create({ data })
      await audit(
        tx,
        {
          staff,
          action: 'broadcast.create',
          entity: 'Broadcast',
          entityId: id,
          after: {
            title: data.title,
            status: data.status,
            scheduledAt,
            audience,
            count,
            followUp,
            mediaRef: media.ref,
          },
          ip: req.ip,
        },
        now,
      )
    })
    res.redirect(303, `/admin/broadcasts/${id}`)
  })

  router.get('/broadcasts/:id', async (req, res) => {
    const b = await load(res, String(req.params.id))
    const [p, createdBy, approvedBy] = await Promise.all([
      progress(db, b.id),
      db.staff.findUnique({ where: { id: b.createdById }, select: { name: true } }),
      b.approvedById
        ? db.staff.findUnique({ where: { id: b.approvedById }, select: { name: true } })
        : null,
    ])
    // time left at the rate achieved so far (none before the first send)
    const first = await db.outboundMessage.findFirst({
      where: { origin: 'broadcast', originId: b.id, sentAt: { not: null } },
      orderBy: { sentAt: 'asc' },
      select: { sentAt: true },
    })
    const elapsed = first?.sentAt ? deps.now().getTime() - first.sentAt.getTime() : 0
    const leftMs =
      b.status === 'sending' && p.sent > 0 && p.queued > 0 && elapsed > 0
        ? (p.queued * elapsed) / p.sent
        : undefined
    const content = contentOf(b)
    const test = channelSchema.safeParse(req.query.test)
    renderPage(res, 'broadcasts/detail', {
      leftMs,
      b,
      content,
      previews: previewsOf(deps, content),
      mediaName: b.mediaRef ? await uploadedName(b.mediaRef) : undefined,
      testQueued: test.success ? test.data : undefined,
      testError: req.query.test === 'unknown' ? 'broadcasts.admin.test_send_unknown' : undefined,
      texts: content.texts,
      audience: parseAudience(b.audience),
      progress: p,
      createdBy: createdBy?.name ?? '',
      approvedBy: approvedBy?.name ?? '',
      local: b.scheduledAt ? utcToZoned(b.scheduledAt, b.timezone) : undefined,
    })
  })

  const change = (
    action: string,
    apply: (b: Broadcast, staff: CurrentStaff, now: Date) => Promise<boolean>,
  ): RequestHandler => {
    return async (req, res) => {
      const staff = currentStaff(res.locals)
      const b = await load(res, String(req.params.id))
      const now = deps.now()
      if (!(await apply(b, staff, now))) throw new HttpError(409, 'admin.broadcasts.conflict')
      const after = await db.broadcast.findUniqueOrThrow({ where: { id: b.id } })
      await audit(
        db,
        {
          staff,
          action: `broadcast.${action}`,
          entity: 'Broadcast',
          entityId: b.id,
          before: { status: b.status },
          after: { status: after.status },
          ip: req.ip,
        },
        now,
      )
      res.redirect(303, `/admin/broadcasts/${b.id}`)
    }
  }

  router.post(
    '/broadcasts/:id/approve',
    adminOnly,
    change('approve', async (b, staff, now) => {
      const r = await db.broadcast.updateMany({
        where: { id: b.id, status: 'pending_approval' },
        data: {
          status: 'scheduled',
          approvedById: staff.id,
          // approved after its time: it goes out now
          scheduledAt: b.scheduledAt && b.scheduledAt > now ? b.scheduledAt : now,
        },
      })
      return r.count === 1
    }),
  )
  router.post(
    '/broadcasts/:id/pause',
    canWork,
    change('pause', (b) => pause(db, b.id)),
  )
  router.post(
    '/broadcasts/:id/resume',
    canWork,
    change('resume', async (b, _staff, now) => {
      const ok = await resume(db, b.id, now)
      if (ok) deps.wakeDispatcher()
      return ok
    }),
  )
  router.post(
    '/broadcasts/:id/cancel',
    canWork,
    change('cancel', (b, _staff, now) => cancel(db, b.id, now)),
  )

  router.use(resultRoutes(deps))
  router.use(testSendRoutes(deps))
  return router
}
