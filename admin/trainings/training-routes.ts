import { randomUUID } from 'node:crypto'
import { Router, type Response } from 'express'
import { z } from 'zod'
import type { Training } from '../../generated/sqlite/index.js'
import { HttpError } from '../../app/http/http-error.ts'
import { renderPage, type AdminDeps, type CurrentStaff } from '../admin-context.ts'
import { canWork, currentStaff, regionScope } from '../auth/access.ts'
import { audit } from '../audit/audit.ts'
import { queryString } from '../cases/case-routes.ts'
import { sendCsv } from '../exports/csv.ts'
import {
  cancelTraining,
  remindersAffected,
  rescheduleReminders,
} from '../../bot/trainings/training-changes.ts'
import type { TrainingFacts } from '../../bot/trainings/training-reminders.ts'
import { timeZoneOf } from '../../bot/trainings/training-time.ts'
import {
  formOf,
  modalitySchema,
  trainingFormSchema,
  validateTraining,
  type FieldErrors,
  type TrainingForm,
  type TrainingInput,
} from './training-form.ts'
import {
  EXPORT_LIMIT,
  listRegistrations,
  listTrainings,
  phoneOf,
  registrationCounts,
  trainingFilterSchema,
  trainingFor,
  trainingOrder,
  trainingStatusSchema,
  trainingWhere,
  type TrainingFilter,
} from './training-queries.ts'
import { localDateTime } from './training-format.ts'

const pageQuery = z.object({ page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1) })

/** The attendance checklist: the ids shown on the page, and those ticked as present. */
const attendanceBody = z.object({
  shown: z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .pipe(z.array(z.string().min(1).max(60)).max(500)),
  present: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
    .pipe(z.array(z.string().min(1).max(60)).max(500)),
})

function facts(t: Training): TrainingFacts {
  return {
    id: t.id,
    title: t.title,
    startsAt: t.startsAt,
    endsAt: t.endsAt,
    country: t.country,
    modality: t.modality,
    place: t.place,
    link: t.link,
  }
}

/** What the audit log keeps of a training: its facts, never anyone's personal data. */
function auditView(t: TrainingInput | Training) {
  return {
    title: t.title,
    topic: t.topic,
    modality: t.modality,
    place: t.place,
    link: t.link,
    startsAt: t.startsAt,
    endsAt: t.endsAt,
    capacity: t.capacity,
    regionId: t.regionId,
    rubroId: t.rubroId,
    trainer: t.trainer,
  }
}

/**
 * Trainings (issue 9): list, create and edit in the region's time zone, cancel and move
 * (registered women are told through the outbox and their reminders are rewritten, see
 * bot/trainings/training-changes.ts), the registration list with attendance, CSV exports.
 */
export function trainingRoutes(deps: AdminDeps & { now: () => Date }): Router {
  const { db, now } = deps
  const router = Router()

  const regionsFor = (staff: CurrentStaff) => {
    const scope = regionScope(staff)
    return db.region.findMany({
      where: { active: true, ...(scope ? { id: { in: scope } } : {}) },
      orderBy: [{ country: 'asc' }, { name: 'asc' }],
      select: { id: true, name: true, country: true },
    })
  }
  const rubros = () =>
    db.rubro.findMany({
      where: { active: true },
      orderBy: { nameEs: 'asc' },
      select: { id: true, nameEs: true, nameEn: true },
    })

  const showForm = async (
    res: Response,
    form: TrainingForm,
    opts: { training?: Training; errors?: FieldErrors; registered?: number },
    status = 200,
  ) => {
    const staff = currentStaff(res.locals)
    const regions = await regionsFor(staff)
    renderPage(
      res,
      'trainings/form',
      {
        form,
        training: opts.training,
        errors: opts.errors ?? {},
        registered: opts.registered ?? 0,
        regions,
        rubros: await rubros(),
        modalities: modalitySchema.options,
        zones: Object.fromEntries(regions.map((r) => [r.id, timeZoneOf(r.country)])),
      },
      status,
    )
  }

  const validate = async (staff: CurrentStaff, form: TrainingForm, registered?: number) =>
    validateTraining(form, {
      regions: await regionsFor(staff),
      rubroIds: (await rubros()).map((r) => r.id),
      ...(registered !== undefined && { registered }),
    })

  router.get('/trainings', async (req, res) => {
    const staff = currentStaff(res.locals)
    const f = trainingFilterSchema.parse(req.query)
    const [page, regions, rubroList] = await Promise.all([
      listTrainings(db, staff, f, now()),
      regionsFor(staff),
      rubros(),
    ])
    renderPage(res, 'trainings/list', {
      f,
      rows: page.rows,
      more: page.more,
      regions,
      rubros: rubroList,
      statuses: trainingStatusSchema.options,
      local: localDateTime,
      query: (change: Partial<Record<keyof TrainingFilter, string | undefined>>) =>
        queryString({
          when: f.when,
          country: f.country,
          region: f.region,
          rubro: f.rubro,
          status: f.status,
          ...change,
        }),
    })
  })

  router.get('/trainings/export.csv', async (req, res) => {
    const staff = currentStaff(res.locals)
    const f = trainingFilterSchema.parse(req.query)
    const where = trainingWhere(staff, f, now())
    const rows = await db.training.findMany({
      where,
      orderBy: trainingOrder(f),
      take: EXPORT_LIMIT,
      include: { region: { select: { name: true } }, rubro: { select: { nameEs: true } } },
    })
    const counts = await registrationCounts(db, { training: where })
    const t = res.locals.t
    const h = (k: string) => t(`admin-trainings.csv.${k}`)
    await audit(db, {
      staff,
      action: 'training.export',
      entity: 'Training',
      after: { filters: { ...f, page: undefined }, rows: rows.length },
      ip: req.ip,
    })
    sendCsv(res, 'trainings.csv', {
      header: [
        h('id'),
        h('title'),
        h('topic'),
        h('modality'),
        h('country'),
        h('region'),
        h('rubro'),
        h('trainer'),
        h('start'),
        h('end'),
        h('timezone'),
        h('status'),
        h('capacity'),
        h('registered'),
        h('attended'),
      ],
      rows: rows.map((r) => {
        const c = counts.get(r.id) ?? { registered: 0, attended: 0 }
        return [
          r.id,
          r.title,
          r.topic,
          t(`admin-trainings.modality.${r.modality}`),
          r.country,
          r.region?.name,
          r.rubro?.nameEs,
          r.trainer,
          localDateTime(r.startsAt, r.country),
          localDateTime(r.endsAt, r.country),
          timeZoneOf(r.country),
          t(`admin-trainings.status.${r.status}`),
          r.capacity,
          c.registered,
          c.attended,
        ]
      }),
    })
  })

  router.get('/trainings/new', canWork, async (_req, res) => {
    await showForm(res, trainingFormSchema.parse({ modality: 'presencial' }), {})
  })

  router.post('/trainings', canWork, async (req, res) => {
    const staff = currentStaff(res.locals)
    const form = trainingFormSchema.parse(req.body)
    const checked = await validate(staff, form)
    if (!checked.ok) return showForm(res, form, { errors: checked.errors }, 400)
    const id = randomUUID()
    const at = now()
    await db.$transaction(async (tx) => {
      await tx.training.create({ data: { id, ...checked.value, status: 'scheduled' } })
      await audit(
        tx,
        {
          staff,
          action: 'training.create',
          entity: 'Training',
          entityId: id,
          after: auditView(checked.value),
          ip: req.ip,
        },
        at,
      )
    })
    res.redirect(303, `/admin/trainings/${id}`)
  })

  router.get('/trainings/:id', async (req, res) => {
    const staff = currentStaff(res.locals)
    const training = await trainingFor(db, staff, String(req.params.id))
    const { page } = pageQuery.parse(req.query)
    const [registrations, counts] = await Promise.all([
      listRegistrations(db, training.id, page),
      registrationCounts(db, { trainingId: training.id }),
    ])
    renderPage(res, 'trainings/detail', {
      training,
      registrations: registrations.rows,
      more: registrations.more,
      page,
      counts: counts.get(training.id) ?? { registered: 0, attended: 0 },
      canWork: staff.role !== 'viewer',
      isAdmin: staff.role === 'admin',
      phoneOf,
      local: localDateTime,
      zone: timeZoneOf(training.country),
      saved: req.query.saved === '1',
    })
  })

  router.get('/trainings/:id/edit', canWork, async (req, res) => {
    const training = await trainingFor(db, currentStaff(res.locals), String(req.params.id))
    if (training.status === 'cancelled')
      throw new HttpError(409, 'admin-trainings.errors.cancelled')
    await showForm(res, formOf(training), { training })
  })

  router.post('/trainings/:id', canWork, async (req, res) => {
    const staff = currentStaff(res.locals)
    const training = await trainingFor(db, staff, String(req.params.id))
    if (training.status === 'cancelled')
      throw new HttpError(409, 'admin-trainings.errors.cancelled')
    const form = trainingFormSchema.parse(req.body)
    const registered = await db.trainingRegistration.count({
      where: { trainingId: training.id, status: 'registered' },
    })
    const checked = await validate(staff, form, registered)
    if (!checked.ok) {
      return showForm(res, form, { training, errors: checked.errors, registered }, 400)
    }
    const at = now()
    // women are registered: moving it into the past would tell them of a date already gone
    const moved = checked.value.startsAt.getTime() !== training.startsAt.getTime()
    if (moved && registered > 0 && checked.value.startsAt <= at) {
      const errors = { start: 'admin-trainings.errors.start_in_past' }
      return showForm(res, form, { training, errors, registered }, 400)
    }
    const outcome = await db.$transaction(async (tx) => {
      const updated = await tx.training.update({ where: { id: training.id }, data: checked.value })
      const changed =
        updated.status === 'scheduled' && remindersAffected(facts(training), facts(updated))
          ? await rescheduleReminders(tx, deps.i18n, facts(training), facts(updated), at)
          : undefined
      await audit(
        tx,
        {
          staff,
          action:
            training.startsAt.getTime() !== updated.startsAt.getTime() ||
            training.endsAt.getTime() !== updated.endsAt.getTime()
              ? 'training.move'
              : 'training.update',
          entity: 'Training',
          entityId: training.id,
          before: auditView(training),
          after: { ...auditView(updated), ...changed },
          ip: req.ip,
        },
        at,
      )
      return changed
    })
    if (outcome?.notified) deps.wakeDispatcher()
    res.redirect(303, `/admin/trainings/${training.id}`)
  })

  router.post('/trainings/:id/cancel', canWork, async (req, res) => {
    const staff = currentStaff(res.locals)
    const training = await trainingFor(db, staff, String(req.params.id))
    const at = now()
    const outcome = await db.$transaction(async (tx) => {
      const result = await cancelTraining(tx, deps.i18n, facts(training), at)
      if (!result) return null
      await audit(
        tx,
        {
          staff,
          action: 'training.cancel',
          entity: 'Training',
          entityId: training.id,
          before: { status: training.status },
          after: { status: 'cancelled', ...result },
          ip: req.ip,
        },
        at,
      )
      return result
    })
    if (!outcome) throw new HttpError(409, 'admin-trainings.errors.not_scheduled')
    if (outcome.notified) deps.wakeDispatcher()
    res.redirect(303, `/admin/trainings/${training.id}`)
  })

  router.post('/trainings/:id/attendance', canWork, async (req, res) => {
    const staff = currentStaff(res.locals)
    const training = await trainingFor(db, staff, String(req.params.id))
    if (training.status === 'cancelled')
      throw new HttpError(409, 'admin-trainings.errors.cancelled')
    const body = attendanceBody.parse(req.body)
    const present = new Set(body.present)
    // only this training's registrations: an id from elsewhere in the form is ignored
    const rows = await db.trainingRegistration.findMany({
      where: { trainingId: training.id, id: { in: body.shown }, status: 'registered' },
      select: { id: true, attended: true },
    })
    const changes = rows
      .map((r) => ({ id: r.id, before: r.attended, after: present.has(r.id) }))
      .filter((c) => c.before !== c.after)
    const at = now()
    // saving an unchanged list changes nothing and logs nothing
    if (changes.length > 0) {
      await db.$transaction(async (tx) => {
        for (const attended of [true, false]) {
          const ids = changes.filter((c) => c.after === attended).map((c) => c.id)
          if (ids.length) {
            await tx.trainingRegistration.updateMany({
              where: { id: { in: ids } },
              data: { attended },
            })
          }
        }
        await audit(
          tx,
          {
            staff,
            action: 'training.attendance',
            entity: 'Training',
            entityId: training.id,
            before: Object.fromEntries(changes.map((c) => [c.id, c.before])),
            after: Object.fromEntries(changes.map((c) => [c.id, c.after])),
            ip: req.ip,
          },
          at,
        )
      })
    }
    const { page } = pageQuery.parse(req.query)
    res.redirect(
      303,
      `/admin/trainings/${training.id}${queryString({ page: page > 1 ? String(page) : undefined, saved: '1' })}#attendance`,
    )
  })

  router.get('/trainings/:id/registrations.csv', async (req, res) => {
    const staff = currentStaff(res.locals)
    const training = await trainingFor(db, staff, String(req.params.id))
    const isAdmin = staff.role === 'admin'
    const rows = await db.trainingRegistration.findMany({
      where: { trainingId: training.id },
      orderBy: [{ status: 'desc' }, { createdAt: 'asc' }, { id: 'asc' }],
      take: EXPORT_LIMIT,
      include: {
        contact: { select: { displayName: true, phone: true, channel: true, erasedAt: true } },
        group: { select: { name: true } },
      },
    })
    const t = res.locals.t
    const h = (k: string) => t(`admin-trainings.csv.${k}`)
    const attended = (v: boolean | null) =>
      t(`admin-trainings.attended.${v === true ? 'yes' : v === false ? 'no' : 'unknown'}`)
    // names and phones are personal data: only admins get them (issue 9)
    await audit(db, {
      staff,
      action: 'training.export_registrations',
      entity: 'Training',
      entityId: training.id,
      after: { rows: rows.length, personalData: isAdmin },
      ip: req.ip,
    })
    sendCsv(res, `training-${training.id.slice(0, 8)}-registrations.csv`, {
      header: [
        ...(isAdmin ? [h('name'), h('phone')] : []),
        h('group'),
        h('channel'),
        h('registration_status'),
        h('registered_at'),
        h('attended_one'),
      ],
      rows: rows.map((r) => [
        ...(isAdmin
          ? [
              r.contact.erasedAt ? t('admin-trainings.erased') : r.contact.displayName,
              phoneOf(r.contact),
            ]
          : []),
        r.group?.name,
        r.contact.channel,
        t(`admin-trainings.registration.${r.status === 'cancelled' ? 'cancelled' : 'registered'}`),
        localDateTime(r.createdAt, training.country),
        attended(r.attended),
      ]),
    })
  })

  return router
}
