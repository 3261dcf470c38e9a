import type { Db } from '../../app/db/open.ts'
import type { CurrentStaff } from '../admin-context.ts'
import type { CsvTable } from '../exports/csv.ts'
import { groupWhere, type GroupFilter } from './group-queries.ts'

// Per query: each batch's ids go into `IN (…)` lists, and SQLite binds at most 999 values
// (Prisma splits findMany's lists but not groupBy's: P2029 past that).
const BATCH = 500

const COLUMNS = [
  'id',
  'name',
  'country',
  'region',
  'municipality',
  'rubro',
  'programme',
  'phase_order',
  'phase',
  'phase_reached_at',
  'status',
  'member_count',
  'members_registered',
  'requirements_done',
  'requirements_submitted',
  'requirements_rejected',
  'referrals',
  'created_at',
] as const

/**
 * The groups the list shows (same filters, same region scope), every page of them, as a table.
 * Members' names, roles and phones are personal data: only admins get that column.
 */
export async function groupsTable(
  db: Db,
  staff: CurrentStaff,
  f: GroupFilter,
  t: (key: string) => string,
  lng: string,
): Promise<CsvTable> {
  const personal = staff.role === 'admin'
  const header = [...COLUMNS, ...(personal ? (['members'] as const) : [])].map((c) =>
    t(`admin-groups.csv.${c}`),
  )
  const rows: CsvTable['rows'] = []
  const where = groupWhere(staff, f)
  const en = lng === 'en'
  const named = (row: { nameEs: string; nameEn: string } | undefined) =>
    row ? (en ? row.nameEn : row.nameEs) : null
  // the small lists, once: a join per row would cost more than the rows themselves
  const [regions, rubros, programmes, phases] = await Promise.all([
    db.region.findMany({ select: { id: true, name: true } }),
    db.rubro.findMany(),
    db.programme.findMany(),
    db.phase.findMany(),
  ])
  const regionName = new Map(regions.map((r) => [r.id, r.name]))
  const rubroById = new Map(rubros.map((r) => [r.id, r]))
  const programmeById = new Map(programmes.map((p) => [p.id, p]))
  const phaseById = new Map(phases.map((p) => [p.id, p]))
  let after: { createdAt: Date; id: string } | undefined
  for (;;) {
    const groups = await db.group.findMany({
      where: after
        ? {
            AND: [
              where,
              {
                OR: [
                  { createdAt: { lt: after.createdAt } },
                  { createdAt: after.createdAt, id: { lt: after.id } },
                ],
              },
            ],
          }
        : where,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: BATCH,
      include: { _count: { select: { members: true, referrals: true } } },
    })
    if (groups.length === 0) break
    const ids = groups.map((g) => g.id)
    const [checklist, reached, members] = await Promise.all([
      db.groupRequirement.groupBy({
        by: ['groupId', 'status'],
        where: { groupId: { in: ids } },
        _count: { _all: true },
      }),
      db.groupPhase.findMany({
        where: { groupId: { in: ids } },
        select: { groupId: true, phaseId: true, reachedAt: true },
      }),
      personal
        ? db.groupMember.findMany({
            where: { groupId: { in: ids } },
            orderBy: { joinedAt: 'asc' },
            select: {
              groupId: true,
              role: true,
              contact: { select: { displayName: true, phone: true } },
            },
          })
        : [],
    ])
    const counts = new Map(checklist.map((c) => [`${c.groupId} ${c.status}`, c._count._all]))
    const count = (groupId: string, status: string) => counts.get(`${groupId} ${status}`) ?? 0
    const reachedAt = new Map(reached.map((r) => [`${r.groupId} ${r.phaseId}`, r.reachedAt]))
    // "Ana (presidenta, +591…); Basilia (miembro)"
    const memberLists = new Map<string, string[]>()
    for (const m of members) {
      const about = [m.role, m.contact.phone].filter(Boolean).join(', ')
      const list = memberLists.get(m.groupId) ?? []
      list.push(`${m.contact.displayName ?? ''} (${about})`.trim())
      memberLists.set(m.groupId, list)
    }
    const memberList = (groupId: string) => (memberLists.get(groupId) ?? []).join('; ')
    for (const g of groups) {
      const phase = g.currentPhaseId ? phaseById.get(g.currentPhaseId) : undefined
      rows.push([
        g.id,
        g.name,
        g.country,
        g.regionId ? regionName.get(g.regionId) : null,
        g.municipality,
        named(g.rubroId ? rubroById.get(g.rubroId) : undefined),
        named(g.programmeId ? programmeById.get(g.programmeId) : undefined),
        phase?.order,
        named(phase),
        phase ? reachedAt.get(`${g.id} ${phase.id}`) : null,
        t(`admin-groups.status.${g.status}`),
        g.memberCount,
        g._count.members,
        count(g.id, 'done'),
        count(g.id, 'submitted'),
        count(g.id, 'rejected'),
        g._count.referrals,
        g.createdAt,
        ...(personal ? [memberList(g.id)] : []),
      ])
    }
    if (groups.length < BATCH) break
    const last = groups[groups.length - 1]!
    after = { createdAt: last.createdAt, id: last.id }
  }
  return { header, rows }
}
