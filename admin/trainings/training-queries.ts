import { z } from 'zod'
import type { Prisma } from '../../generated/sqlite/index.js'
import type { Db } from '../../app/db/open.ts'
import { HttpError } from '../../app/http/http-error.ts'
import type { CurrentStaff } from '../admin-context.ts'

export const PAGE_SIZE = 25
export const REGISTRATIONS_PAGE_SIZE = 100
/** The most rows one export writes: a whole programme's trainings fit many times over. */
export const EXPORT_LIMIT = 20_000

export const trainingStatusSchema = z.enum(['scheduled', 'cancelled', 'done'])

const optional = (schema: z.ZodType<string>) => schema.optional().catch(undefined)

/** The list's query string. Bad values fall back to "no filter" rather than an error page. */
export const trainingFilterSchema = z.object({
  when: z.enum(['upcoming', 'past', 'all']).catch('upcoming').default('upcoming'),
  country: optional(z.enum(['BO', 'PA'])),
  region: optional(z.string().trim().min(1).max(40)),
  rubro: optional(z.string().trim().min(1).max(40)),
  status: optional(trainingStatusSchema),
  page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1),
})
export type TrainingFilter = z.infer<typeof trainingFilterSchema>

/**
 * The trainings a staff member may see: admins all; agents and viewers those of their
 * regions. A training with no region (country-wide, e.g. from the demo seed) is admins' only,
 * as a case with no region is.
 */
export function trainingScope(staff: CurrentStaff): Prisma.TrainingWhereInput {
  return staff.role === 'admin' ? {} : { regionId: { in: staff.regionIds } }
}

export function trainingWhere(
  staff: CurrentStaff,
  f: TrainingFilter,
  now: Date,
): Prisma.TrainingWhereInput {
  const and: Prisma.TrainingWhereInput[] = [trainingScope(staff)]
  // a training is "past" once it has ended: one going on now is still upcoming
  if (f.when === 'upcoming') and.push({ endsAt: { gte: now } })
  if (f.when === 'past') and.push({ endsAt: { lt: now } })
  if (f.country) and.push({ country: f.country })
  if (f.region) and.push({ regionId: f.region })
  if (f.rubro) and.push({ rubroId: f.rubro })
  if (f.status) and.push({ status: f.status })
  return { AND: and }
}

/** Upcoming ones soonest first; past ones (and all) latest first. */
export function trainingOrder(f: TrainingFilter): Prisma.TrainingOrderByWithRelationInput[] {
  const dir = f.when === 'upcoming' ? 'asc' : 'desc'
  return [{ startsAt: dir }, { id: dir }]
}

export type Counts = { registered: number; attended: number }

/** Registered women (and how many attended) per training, for the given trainings. */
export async function registrationCounts(
  db: Db,
  where: Prisma.TrainingRegistrationWhereInput,
): Promise<Map<string, Counts>> {
  const groups = await db.trainingRegistration.groupBy({
    by: ['trainingId', 'attended'],
    where: { ...where, status: 'registered' },
    _count: { _all: true },
  })
  const counts = new Map<string, Counts>()
  for (const g of groups) {
    const c = counts.get(g.trainingId) ?? { registered: 0, attended: 0 }
    c.registered += g._count._all
    if (g.attended === true) c.attended += g._count._all
    counts.set(g.trainingId, c)
  }
  return counts
}

/** One page of the list (offset paging: a region's trainings are hundreds, not millions). */
export async function listTrainings(db: Db, staff: CurrentStaff, f: TrainingFilter, now: Date) {
  const where = trainingWhere(staff, f, now)
  const rows = await db.training.findMany({
    where,
    orderBy: trainingOrder(f),
    skip: (f.page - 1) * PAGE_SIZE,
    take: PAGE_SIZE + 1,
    include: {
      region: { select: { name: true } },
      rubro: { select: { nameEs: true, nameEn: true } },
    },
  })
  const more = rows.length > PAGE_SIZE
  if (more) rows.pop()
  const counts = await registrationCounts(db, { trainingId: { in: rows.map((r) => r.id) } })
  return {
    rows: rows.map((r) => ({ ...r, counts: counts.get(r.id) ?? { registered: 0, attended: 0 } })),
    more,
  }
}

/** The training named in a URL, if this staff member may see it; another region's is a 404. */
export async function trainingFor(db: Db, staff: CurrentStaff, id: string) {
  const t = await db.training.findFirst({
    where: { AND: [{ id }, trainingScope(staff)] },
    include: { region: true, rubro: true },
  })
  if (!t) throw new HttpError(404, 'admin.errors.not_found')
  return t
}

/** Its registrations (registered first, then cancelled), one page. */
export async function listRegistrations(db: Db, trainingId: string, page: number) {
  const rows = await db.trainingRegistration.findMany({
    where: { trainingId },
    orderBy: [{ status: 'desc' }, { createdAt: 'asc' }, { id: 'asc' }],
    skip: (page - 1) * REGISTRATIONS_PAGE_SIZE,
    take: REGISTRATIONS_PAGE_SIZE + 1,
    include: {
      contact: {
        select: {
          displayName: true,
          phone: true,
          channel: true,
          erasedAt: true,
        },
      },
      group: { select: { name: true } },
    },
  })
  const more = rows.length > REGISTRATIONS_PAGE_SIZE
  if (more) rows.pop()
  return { rows, more }
}

/** Her phone as the channel told it (WhatsApp); never an erased woman's. */
export function phoneOf(c: { phone: string | null; erasedAt: Date | null }): string {
  return c.erasedAt ? '' : (c.phone ?? '')
}
