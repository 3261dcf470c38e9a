import { z } from 'zod'
import type { Prisma } from '../../generated/sqlite/index.js'
import type { Db } from '../../app/db/open.ts'
import { HttpError } from '../../app/http/http-error.ts'
import type { CurrentStaff } from '../admin-context.ts'
import { regionScope } from '../auth/access.ts'

export const GROUPS_PAGE_SIZE = 25
export const groupStatusSchema = z.enum(['active', 'constituted', 'inactive'])
export const countrySchema = z.enum(['BO', 'PA'])

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => (v ? v : undefined))
    .catch(undefined)

/** The list's (and the CSV export's) query string. Bad values mean "no filter", not an error. */
export const groupFilterSchema = z.object({
  q: optionalText(200),
  country: countrySchema.optional().catch(undefined),
  region: optionalText(40),
  municipality: optionalText(120),
  rubro: optionalText(80),
  phase: optionalText(80),
  status: groupStatusSchema.optional().catch(undefined),
  /** Only groups with evidence waiting for a review. */
  review: z.literal('1').optional().catch(undefined),
  /** Keyset cursor: `<createdAt ms>_<id>` of the last row of the previous page. */
  after: z
    .string()
    .regex(/^\d{1,15}_[\w-]{1,80}$/)
    .optional()
    .catch(undefined),
})
export type GroupFilter = z.infer<typeof groupFilterSchema>

/**
 * The groups a staff member may see: admins all; agents and viewers those of their regions.
 * A group with no region yet is visible to admins only, like a case without one.
 */
export function groupScope(staff: CurrentStaff): Prisma.GroupWhereInput {
  return staff.role === 'admin' ? {} : { regionId: { in: staff.regionIds } }
}

/** Scope and filters, without the cursor: the count and the export share it. */
export function groupWhere(staff: CurrentStaff, f: GroupFilter): Prisma.GroupWhereInput {
  const and: Prisma.GroupWhereInput[] = [groupScope(staff)]
  if (f.q) and.push({ name: { contains: f.q } })
  if (f.country) and.push({ country: f.country })
  if (f.region) and.push({ regionId: f.region })
  if (f.municipality) and.push({ municipality: { contains: f.municipality } })
  if (f.rubro) and.push({ rubroId: f.rubro })
  if (f.phase) and.push({ currentPhaseId: f.phase })
  if (f.status) and.push({ status: f.status })
  if (f.review) and.push({ requirements: { some: { status: 'submitted' } } })
  return { AND: and }
}

const listSelect = {
  id: true,
  name: true,
  country: true,
  municipality: true,
  status: true,
  memberCount: true,
  createdAt: true,
  region: { select: { name: true } },
  rubro: { select: { nameEs: true, nameEn: true } },
  currentPhase: { select: { order: true, nameEs: true, nameEn: true, programmeId: true } },
  _count: { select: { members: true } },
} satisfies Prisma.GroupSelect

export type GroupRow = Prisma.GroupGetPayload<{ select: typeof listSelect }>

/** One page of groups, newest first, by keyset (page 400 costs what page 1 costs). */
export async function listGroups(
  db: Db,
  staff: CurrentStaff,
  f: GroupFilter,
): Promise<{ rows: GroupRow[]; next?: string; total: number }> {
  const where = groupWhere(staff, f)
  const and: Prisma.GroupWhereInput[] = [where]
  if (f.after) {
    const cut = f.after.indexOf('_')
    const at = new Date(Number(f.after.slice(0, cut)))
    const id = f.after.slice(cut + 1)
    and.push({ OR: [{ createdAt: { lt: at } }, { createdAt: at, id: { lt: id } }] })
  }
  const [rows, total] = await Promise.all([
    db.group.findMany({
      where: { AND: and },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: GROUPS_PAGE_SIZE + 1,
      select: listSelect,
    }),
    db.group.count({ where }),
  ])
  if (rows.length <= GROUPS_PAGE_SIZE) return { rows, total }
  rows.pop()
  const last = rows[rows.length - 1]!
  return { rows, total, next: `${last.createdAt.getTime()}_${last.id}` }
}

/** The group if this staff member may see it; otherwise 404, so nothing leaks. */
export async function groupFor(db: Db, staff: CurrentStaff, rawId: string) {
  if (!/^[\w-]{1,80}$/.test(rawId)) throw new HttpError(404, 'admin.errors.not_found')
  const found = await db.group.findFirst({
    where: { AND: [{ id: rawId }, groupScope(staff)] },
    include: { region: true, rubro: true, programme: true, currentPhase: true },
  })
  if (!found) throw new HttpError(404, 'admin.errors.not_found')
  return found
}
export type GroupRecord = Awaited<ReturnType<typeof groupFor>>

/** The programme a group follows: its own, else its country's (its phases start at order 1). */
export async function programmeOf(
  db: Pick<Db, 'programme'>,
  g: { programmeId: string | null; country: string },
) {
  return db.programme.findFirst({
    where: g.programmeId ? { id: g.programmeId } : { country: g.country },
    orderBy: { id: 'asc' },
    include: { phases: { orderBy: { order: 'asc' } } },
  })
}

/** The filter menus: regions in scope, active rubros, every programme's phases. */
export async function filterOptions(db: Db, staff: CurrentStaff) {
  const scope = regionScope(staff)
  const [regions, rubros, phases] = await Promise.all([
    db.region.findMany({
      where: scope ? { id: { in: scope } } : {},
      orderBy: [{ country: 'asc' }, { name: 'asc' }],
      select: { id: true, name: true, country: true, active: true },
    }),
    db.rubro.findMany({ orderBy: { nameEs: 'asc' } }),
    db.phase.findMany({
      orderBy: [{ programmeId: 'asc' }, { order: 'asc' }],
      select: { id: true, programmeId: true, order: true, nameEs: true, nameEn: true },
    }),
  ])
  return { regions, rubros, phases }
}
