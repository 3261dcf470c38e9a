import { randomUUID } from 'node:crypto'
import { Router, type RequestHandler, type Response } from 'express'
import { z } from 'zod'
import type { Broadcast } from '../../generated/sqlite/index.js'
import { HttpError } from '../../app/http/http-error.ts'
import { renderPage, type AdminDeps, type CurrentStaff } from '../admin-context.ts'
import { adminOnly, canWork, currentStaff, regionScope } from '../auth/access.ts'
import { audit } from '../audit/audit.ts'
import {
  audienceSchema,
  groupRoleSchema,
  parseAudience,
  type Audience,
} from '../../bot/broadcasts/audience.ts'
import {
  cancel,
  countAudience,
  pause,
  progress,
  resume,
  textsSchema,
  type BroadcastTexts,
} from '../../bot/broadcasts/broadcasts.ts'
import { timezoneSchema, utcToZoned, zonedToUtc } from '../../bot/broadcasts/schedule.ts'
import { channelSchema } from '../../bot/messages.ts'

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
  regionIds: list,
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
  action: z.enum(['count', 'save']).default('save'),
})
type ComposeForm = z.infer<typeof composeBody>

/** The form's audience filters as a segment (undefined when a filter value is not valid). */
function audienceOf(form: ComposeForm): Audience | undefined {
  const parsed = audienceSchema.safeParse({
    country: form.country || undefined,
    regionIds: form.regionIds,
    rubroIds: form.rubroIds,
    phaseIds: form.phaseIds,
    channel: form.channel || undefined,
    trainingId: form.trainingId || undefined,
    groupRole: form.groupRole || undefined,
    onlyWhoWrote: form.onlyWhoWrote === '1',
  })
  return parsed.success ? parsed.data : undefined
}

/** Agents and viewers work only on their regions: a broadcast must name only those. */
function inScope(staff: CurrentStaff, audience: Audience): boolean {
  const scope = regionScope(staff)
  if (!scope) return true
  return audience.regionIds.length > 0 && audience.regionIds.every((r) => scope.includes(r))
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
    extra: { error?: string; count?: number } = {},
    status = 200,
  ) => {
    const staff = currentStaff(res.locals)
    renderPage(res, 'broadcasts/compose', { form, ...(await options(staff)), ...extra }, status)
  }

  /** The broadcast named in the URL, if this staff member may see it (else 404). */
  const load = async (res: Response, id: string): Promise<Broadcast> => {
    const b = await db.broadcast.findUnique({ where: { id } })
    if (!b || !inScope(currentStaff(res.locals), parseAudience(b.audience))) {
      throw new HttpError(404, 'admin.errors.not_found')
    }
    return b
  }

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

  router.post('/broadcasts', canWork, async (req, res) => {
    const staff = currentStaff(res.locals)
    const form = composeBody.parse(req.body)
    const audience = audienceOf(form)
    if (!audience) return compose(res, form, { error: 'admin.broadcasts.invalid_audience' }, 400)
    if (!inScope(staff, audience)) {
      return compose(res, form, { error: 'admin.broadcasts.region_required' }, 400)
    }
    const count = await countAudience(db, audience)
    if (form.action === 'count') return compose(res, form, { count })

    const texts = textsSchema.safeParse({
      es: form.text_es,
      ...(form.text_en ? { en: form.text_en } : {}),
    })
    if (!form.title || !texts.success) {
      return compose(res, form, { error: 'admin.broadcasts.invalid_text', count }, 400)
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
        return compose(res, form, { error: 'admin.broadcasts.invalid_time', count }, 400)
      }
      if (at < now) return compose(res, form, { error: 'admin.broadcasts.in_past', count }, 400)
      scheduledAt = at
    }
    const id = randomUUID()
    const isAdmin = staff.role === 'admin'
    const data = {
      id,
      title: form.title,
      texts: JSON.stringify(texts.data satisfies BroadcastTexts),
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
          after: { title: data.title, status: data.status, scheduledAt, audience, count },
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
    renderPage(res, 'broadcasts/detail', {
      leftMs,
      b,
      texts: JSON.parse(b.texts) as Record<string, string>,
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

  return router
}
