import { randomInt, randomUUID } from 'node:crypto'
import { Router, type Response } from 'express'
import { z } from 'zod'
import { HttpError } from '../../app/http/http-error.ts'
import { newInviteCode } from '../../flows/invite-code.ts'
import { createGroupWithChecklist } from '../../bot/groups/create-group.ts'
import { renderPage, type AdminDeps } from '../admin-context.ts'
import { canWork, currentStaff, regionScope } from '../auth/access.ts'
import { audit } from '../audit/audit.ts'
import { queryString } from '../cases/case-routes.ts'
import { sendCsv } from '../exports/csv.ts'
import { groupsTable } from './group-export.ts'
import { groupPage } from './group-page.ts'
import { inHerLanguage, queueGroupNotice } from './group-notices.ts'
import {
  filterOptions,
  groupFilterSchema,
  groupFor,
  groupStatusSchema,
  listGroups,
  programmeOf,
} from './group-queries.ts'

const optional = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => v || null)

const createBody = z.object({
  name: z.string().trim().min(2).max(120),
  regionId: z.string().trim().min(1).max(40),
  municipality: optional(120),
  rubroId: optional(80),
  memberCount: z
    .string()
    .trim()
    .regex(/^\d{0,3}$/)
    .optional()
    .transform((v) => (v ? Number(v) : null))
    .refine((n) => n === null || (n >= 1 && n <= 500)),
})
type CreateForm = { name?: string; regionId?: string; municipality?: string; rubroId?: string }

const phaseBody = z.object({
  /** The phase the form was showing: a second click must not skip a phase. */
  from: z.string().max(80).default(''),
  note: z.string().trim().max(1000).default(''),
})
const reviewBody = z.object({
  decision: z.enum(['confirm', 'reject']),
  reason: z.string().trim().max(500).default(''),
})
export const referralStatusSchema = z.enum(['open', 'in_progress', 'done', 'cancelled'])
const referralBody = z.object({
  partnerId: z.string().trim().min(1).max(80),
  note: z.string().trim().max(1000).default(''),
})

// Served inline only as these types (with nosniff and a sandbox CSP, as case attachments);
// anything else downloads, so a file she sent can never run as a page of ours.
const INLINE = /^(image\/(jpeg|png|webp|gif)|application\/pdf)$/

/**
 * Groups (issue 9): the list with filters and CSV export, a group's page, creating a group met
 * in the field, moving it to its programme's next phase (her members are told through the
 * outbox), reviewing requirement evidence and referring the group to a partner institution.
 */
export function groupRoutes(deps: AdminDeps & { now: () => Date }): Router {
  const { db, now } = deps
  const router = Router()

  router.get('/groups', async (req, res) => {
    const staff = currentStaff(res.locals)
    const f = groupFilterSchema.parse(req.query)
    const [page, options] = await Promise.all([listGroups(db, staff, f), filterOptions(db, staff)])
    renderPage(res, 'groups/list', {
      f,
      ...page,
      ...options,
      statuses: groupStatusSchema.options,
      canWork: staff.role !== 'viewer',
      query: (change: Record<string, string | undefined>) =>
        queryString({ ...f, after: undefined, ...change }),
    })
  })

  router.get('/groups/export.csv', async (req, res) => {
    const staff = currentStaff(res.locals)
    const f = groupFilterSchema.parse(req.query)
    const { t, lng } = res.locals
    const table = await groupsTable(db, staff, f, (key) => t(key), lng)
    const at = now()
    // audited before it leaves: no export goes out unrecorded
    await audit(
      db,
      {
        staff,
        action: 'export.groups',
        entity: 'Group',
        after: {
          filters: { ...f, after: undefined },
          rows: table.rows.length,
          personalData: staff.role === 'admin',
        },
        ip: req.ip,
      },
      at,
    )
    sendCsv(res, `grupos-${at.toISOString().slice(0, 10)}.csv`, table)
  })

  const createForm = async (res: Response, form: CreateForm, error?: string) => {
    const staff = currentStaff(res.locals)
    const scope = regionScope(staff)
    const [regions, rubros] = await Promise.all([
      db.region.findMany({
        where: { active: true, ...(scope ? { id: { in: scope } } : {}) },
        orderBy: [{ country: 'asc' }, { name: 'asc' }],
      }),
      db.rubro.findMany({ where: { active: true }, orderBy: { nameEs: 'asc' } }),
    ])
    renderPage(res, 'groups/new', { form, regions, rubros, error }, error ? 400 : 200)
  }

  router.get('/groups/new', canWork, async (_req, res) => {
    await createForm(res, {})
  })

  router.post('/groups', canWork, async (req, res) => {
    const staff = currentStaff(res.locals)
    const parsed = createBody.safeParse(req.body)
    const form = req.body as CreateForm
    if (!parsed.success) return createForm(res, form, 'admin-groups.errors.invalid_group')
    const input = parsed.data
    const scope = regionScope(staff)
    const region = await db.region.findFirst({
      where: { id: input.regionId, active: true },
    })
    // an agent creates groups in her own regions only
    if (!region || (scope && !scope.includes(region.id))) {
      return createForm(res, form, 'admin-groups.errors.invalid_region')
    }
    const rubro = input.rubroId
      ? await db.rubro.findFirst({ where: { id: input.rubroId, active: true } })
      : null
    if (input.rubroId && !rubro) return createForm(res, form, 'admin-groups.errors.invalid_group')
    const programme = await programmeOf(db, { programmeId: null, country: region.country })
    const at = now()
    const id = await db.$transaction(async (tx) => {
      const group = await createGroupWithChecklist(
        tx,
        {
          name: input.name,
          country: region.country,
          regionId: region.id,
          municipality: input.municipality,
          rubroId: rubro?.id ?? null,
          memberCount: input.memberCount,
        },
        {
          firstPhase: programme?.phases[0],
          // the bot's alphabet and shape, drawn at random: no conversation to replay here
          drawInviteCode: () => newInviteCode((n) => randomInt(n)),
          now: at,
          staffId: staff.id,
        },
      )
      await audit(
        tx,
        {
          staff,
          action: 'group.create',
          entity: 'Group',
          entityId: group.id,
          after: {
            name: input.name,
            regionId: region.id,
            rubroId: rubro?.id ?? null,
            inviteCode: group.inviteCode,
          },
          ip: req.ip,
        },
        at,
      )
      return group.id
    })
    res.redirect(303, `/admin/groups/${id}`)
  })

  router.get('/groups/:id', async (req, res) => {
    const staff = currentStaff(res.locals)
    const g = await groupFor(db, staff, String(req.params.id))
    renderPage(res, 'groups/group', {
      g,
      ...(await groupPage(db, staff, g)),
      canWork: staff.role !== 'viewer',
      statuses: groupStatusSchema.options,
      referralStatuses: referralStatusSchema.options,
    })
  })

  router.post('/groups/:id/phase', canWork, async (req, res) => {
    const staff = currentStaff(res.locals)
    const g = await groupFor(db, staff, String(req.params.id))
    const { from, note } = phaseBody.parse(req.body)
    if (from !== (g.currentPhaseId ?? '')) throw new HttpError(409, 'admin-groups.errors.stale')
    const programme = await programmeOf(db, g)
    const currentOrder = g.currentPhase?.order ?? 0
    const next = programme?.phases.find((p) => p.order > currentOrder)
    if (!programme || !next) throw new HttpError(409, 'admin-groups.errors.last_phase')
    const at = now()
    let told = 0
    await db.$transaction(async (tx) => {
      // conditional on the phase read above: two staff moving it at once move it once
      const moved = await tx.group.updateMany({
        where: { id: g.id, currentPhaseId: g.currentPhaseId },
        data: { currentPhaseId: next.id, programmeId: programme.id },
      })
      if (moved.count !== 1) throw new HttpError(409, 'admin-groups.errors.stale')
      const data = { reachedAt: at, note: note || null, staffId: staff.id }
      await tx.groupPhase.upsert({
        where: { groupId_phaseId: { groupId: g.id, phaseId: next.id } },
        create: { id: randomUUID(), groupId: g.id, phaseId: next.id, ...data },
        update: data,
      })
      told = await queueGroupNotice(tx, deps.i18n, {
        groupId: g.id,
        key: 'phase_moved',
        vars: (locale) => ({
          group: g.name,
          order: next.order,
          total: programme.phases.length,
          phase: inHerLanguage(locale, next.nameEs, next.nameEn),
        }),
        now: at,
      })
      await audit(
        tx,
        {
          staff,
          action: 'group.phase',
          entity: 'Group',
          entityId: g.id,
          before: { phaseId: g.currentPhaseId },
          after: { phaseId: next.id, note: note || null, notified: told },
          ip: req.ip,
        },
        at,
      )
    })
    if (told > 0) deps.wakeDispatcher()
    res.redirect(303, `/admin/groups/${g.id}#phases`)
  })

  router.post('/groups/:id/status', canWork, async (req, res) => {
    const staff = currentStaff(res.locals)
    const g = await groupFor(db, staff, String(req.params.id))
    const status = groupStatusSchema.parse((req.body as { status?: unknown }).status)
    await db.$transaction(async (tx) => {
      await tx.group.update({ where: { id: g.id }, data: { status } })
      await audit(tx, {
        staff,
        action: 'group.status',
        entity: 'Group',
        entityId: g.id,
        before: { status: g.status },
        after: { status },
        ip: req.ip,
      })
    })
    res.redirect(303, `/admin/groups/${g.id}`)
  })

  router.get('/groups/:id/evidence/:attachmentId', async (req, res) => {
    const g = await groupFor(db, currentStaff(res.locals), String(req.params.id))
    const file = await db.attachment.findFirst({
      where: { id: String(req.params.attachmentId), groupRequirement: { groupId: g.id } },
    })
    if (!file) throw new HttpError(404, 'admin.errors.not_found')
    const bytes = await deps.attachments.read(file.storageKey).catch(() => {
      throw new HttpError(404, 'admin.errors.not_found')
    })
    const mime = file.mime?.split(';')[0]?.trim().toLowerCase() ?? ''
    const inline = INLINE.test(mime)
    res.set('Content-Type', inline ? mime : 'application/octet-stream')
    res.set(
      'Content-Disposition',
      inline ? 'inline' : `attachment; filename="evidence-${file.id.slice(0, 8)}"`,
    )
    res.set('Content-Security-Policy', "default-src 'none'; sandbox")
    res.send(bytes)
  })

  router.post('/groups/:id/requirements/:requirementId/review', canWork, async (req, res) => {
    const staff = currentStaff(res.locals)
    const g = await groupFor(db, staff, String(req.params.id))
    const { decision, reason } = reviewBody.parse(req.body)
    if (decision === 'reject' && reason.length < 3) {
      throw new HttpError(400, 'admin-groups.errors.reason_required')
    }
    const requirement = await db.requirement.findFirst({
      where: { id: String(req.params.requirementId), country: g.country },
    })
    if (!requirement) throw new HttpError(404, 'admin.errors.not_found')
    const row = await db.groupRequirement.findUnique({
      where: { groupId_requirementId: { groupId: g.id, requirementId: requirement.id } },
    })
    const before = row?.status ?? 'pending'
    const status = decision === 'confirm' ? 'done' : 'rejected'
    if (before === status) throw new HttpError(409, 'admin-groups.errors.already_reviewed')
    const at = now()
    let told = 0
    await db.$transaction(async (tx) => {
      const data = {
        status,
        reviewedById: staff.id,
        reviewedAt: at,
        rejectReason: decision === 'reject' ? reason : null,
      }
      // conditional on the status read above: she may have sent a new file meanwhile
      if (row) {
        const changed = await tx.groupRequirement.updateMany({
          where: { id: row.id, status: row.status },
          data,
        })
        if (changed.count !== 1) throw new HttpError(409, 'admin-groups.errors.stale')
      } else {
        await tx.groupRequirement.create({
          data: { id: randomUUID(), groupId: g.id, requirementId: requirement.id, ...data },
        })
      }
      told = await queueGroupNotice(tx, deps.i18n, {
        groupId: g.id,
        key: decision === 'confirm' ? 'requirement_confirmed' : 'requirement_rejected',
        vars: (locale) => ({
          group: g.name,
          title: inHerLanguage(locale, requirement.titleEs, requirement.titleEn),
          reason,
        }),
        now: at,
      })
      await audit(
        tx,
        {
          staff,
          action: `group.requirement_${decision}`,
          entity: 'Group',
          entityId: g.id,
          before: { requirementId: requirement.id, status: before },
          after: {
            requirementId: requirement.id,
            status,
            reason: data.rejectReason,
            notified: told,
          },
          ip: req.ip,
        },
        at,
      )
    })
    if (told > 0) deps.wakeDispatcher()
    res.redirect(303, `/admin/groups/${g.id}#req-${requirement.id}`)
  })

  router.post('/groups/:id/referrals', canWork, async (req, res) => {
    const staff = currentStaff(res.locals)
    const g = await groupFor(db, staff, String(req.params.id))
    const { partnerId, note } = referralBody.parse(req.body)
    const partner = await db.partner.findFirst({
      where: { id: partnerId, active: true, country: { in: [g.country, 'ambos'] } },
    })
    if (!partner) throw new HttpError(400, 'admin-groups.errors.invalid_partner')
    const id = randomUUID()
    const at = now()
    await db.$transaction(async (tx) => {
      await tx.referral.create({
        data: { id, groupId: g.id, partnerId: partner.id, status: 'open', note: note || null },
      })
      await audit(
        tx,
        {
          staff,
          action: 'referral.create',
          entity: 'Referral',
          entityId: id,
          after: { groupId: g.id, partnerId: partner.id, status: 'open' },
          ip: req.ip,
        },
        at,
      )
    })
    res.redirect(303, `/admin/groups/${g.id}#referrals`)
  })

  router.post('/groups/:id/referrals/:referralId/status', canWork, async (req, res) => {
    const staff = currentStaff(res.locals)
    const g = await groupFor(db, staff, String(req.params.id))
    const status = referralStatusSchema.parse((req.body as { status?: unknown }).status)
    const referral = await db.referral.findFirst({
      where: { id: String(req.params.referralId), groupId: g.id },
    })
    if (!referral) throw new HttpError(404, 'admin.errors.not_found')
    await db.$transaction(async (tx) => {
      await tx.referral.update({ where: { id: referral.id }, data: { status } })
      await audit(tx, {
        staff,
        action: 'referral.status',
        entity: 'Referral',
        entityId: referral.id,
        before: { status: referral.status },
        after: { status, groupId: g.id },
        ip: req.ip,
      })
    })
    res.redirect(303, `/admin/groups/${g.id}#referrals`)
  })

  return router
}
