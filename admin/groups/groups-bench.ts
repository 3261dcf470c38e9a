import { randomUUID } from 'node:crypto'
import type { Db } from '../../app/db/open.ts'
import type { CurrentStaff } from '../admin-context.ts'
import { groupsTable } from './group-export.ts'
import { groupFilterSchema, listGroups } from './group-queries.ts'

const BATCH = 2000

/**
 * For `npm run bench` (issue 9): seeds `count` groups over the seeded regions, each with two
 * members and its country's checklist, then times the groups list (first page + total) as an
 * admin and as a one-region agent, and the whole CSV export as an admin. Milliseconds. Use a
 * throwaway database: the rows are not removed.
 */
export async function benchGroups(
  db: Db,
  opts: { count?: number; runs?: number } = {},
): Promise<
  Record<
    'groups.list_p95_ms' | 'groups.agent_list_p95_ms' | 'groups.export_ms' | 'groups.count',
    number
  >
> {
  const count = opts.count ?? 10_000
  const runs = opts.runs ?? 30
  const regions = await db.region.findMany({ select: { id: true, country: true } })
  const checklists = new Map<string, string[]>()
  for (const country of ['BO', 'PA']) {
    const rows = await db.requirement.findMany({ where: { country }, select: { id: true } })
    checklists.set(
      country,
      rows.map((r) => r.id),
    )
  }
  const start = Date.now()
  for (let i = 0; i < count; i += BATCH) {
    const groups = Array.from({ length: Math.min(BATCH, count - i) }, (_, j) => {
      const n = i + j
      const region = regions[n % regions.length]!
      const programmeId = region.country === 'BO' ? 'BO-ATC' : 'PA-ECV'
      return {
        id: randomUUID(),
        name: `Grupo ${n}`,
        country: region.country,
        regionId: region.id,
        municipality: `Municipio ${n % 50}`,
        programmeId,
        currentPhaseId: `${programmeId}-${(n % 3) + 1}`,
        inviteCode: `B${String(n).padStart(7, '0')}`,
        createdAt: new Date(start - n * 60_000),
      }
    })
    await db.group.createMany({ data: groups })
    const contacts = groups.flatMap((g) =>
      [1, 2].map((k) => ({
        id: randomUUID(),
        channel: 'web',
        channelUserId: `bench-${g.inviteCode}-${k}`,
        displayName: `Socia ${k}`,
        phone: `+5917${String(k).padStart(7, '0')}`,
        country: g.country,
        regionId: g.regionId,
        groupId: g.id,
      })),
    )
    await db.contact.createMany({ data: contacts.map(({ groupId: _g, ...c }) => c) })
    await db.groupMember.createMany({
      data: contacts.map((c, k) => ({
        id: randomUUID(),
        groupId: c.groupId,
        contactId: c.id,
        role: k % 2 ? 'miembro' : 'presidenta',
      })),
    })
    await db.groupPhase.createMany({
      data: groups.map((g) => ({
        id: randomUUID(),
        groupId: g.id,
        phaseId: g.currentPhaseId,
        reachedAt: g.createdAt,
      })),
    })
    await db.groupRequirement.createMany({
      data: groups.flatMap((g) =>
        (checklists.get(g.country) ?? []).map((requirementId, k) => ({
          id: randomUUID(),
          groupId: g.id,
          requirementId,
          status: k % 4 === 0 ? 'done' : 'pending',
        })),
      ),
    })
  }
  const staff = (role: 'admin' | 'agent', regionIds: string[]): CurrentStaff => ({
    id: 'bench',
    email: 'bench@minka.local',
    name: 'bench',
    role,
    locale: 'es',
    regionIds,
    mustChangePassword: false,
  })
  const p95 = async (who: CurrentStaff) => {
    const f = groupFilterSchema.parse({})
    const samples: number[] = []
    for (let r = 0; r < runs; r++) {
      const t = performance.now()
      await listGroups(db, who, f)
      samples.push(performance.now() - t)
    }
    samples.sort((a, b) => a - b)
    return Math.round(samples[Math.floor(samples.length * 0.95)]! * 10) / 10
  }
  const admin = staff('admin', [])
  const t = performance.now()
  await groupsTable(db, admin, groupFilterSchema.parse({}), (k) => k, 'es')
  const exportMs = Math.round(performance.now() - t)
  return {
    'groups.list_p95_ms': await p95(admin),
    'groups.agent_list_p95_ms': await p95(staff('agent', [regions[0]!.id])),
    'groups.export_ms': exportMs,
    'groups.count': await db.group.count(),
  }
}
