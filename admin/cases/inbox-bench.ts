import { randomUUID } from 'node:crypto'
import type { Db } from '../../app/db/open.ts'
import type { CurrentStaff } from '../admin-context.ts'
import { countByStatus, inboxFilterSchema, listInbox } from './case-queries.ts'

/**
 * For `npm run bench` (issue 8): seeds `count` cases over the seeded regions and times what
 * the inbox page queries (first page + tab counts), unfiltered and filtered, as an admin.
 * Returns p95 in milliseconds. Use a throwaway database: the rows are not removed.
 */
export async function benchInbox(
  db: Db,
  opts: { count?: number; runs?: number } = {},
): Promise<{ 'inbox.p95_ms': number; 'inbox.filtered_p95_ms': number; 'inbox.cases': number }> {
  const count = opts.count ?? 100_000
  const runs = opts.runs ?? 50
  const regions = (await db.region.findMany({ select: { id: true } })).map((r) => r.id)
  const statuses = ['open', 'pending', 'resolved', 'closed']
  const topics = ['legal', 'technical', 'training', 'human', 'other']
  const start = Date.now()
  for (let i = 0; i < count; i += 5000) {
    await db.case.createMany({
      data: Array.from({ length: Math.min(5000, count - i) }, (_, j) => {
        const at = new Date(start - (i + j) * 60_000)
        return {
          topic: topics[(i + j) % topics.length]!,
          status: statuses[(i + j) % statuses.length]!,
          regionId: regions[(i + j) % regions.length] ?? null,
          channel: 'web',
          subtopic: randomUUID().slice(0, 8),
          firstResponseDueAt: new Date(at.getTime() + 8 * 3_600_000),
          lastInboundAt: at,
          lastActivityAt: at,
        }
      }),
    })
  }
  const admin: CurrentStaff = {
    id: 'bench',
    email: 'bench@minka.local',
    name: 'bench',
    role: 'admin',
    locale: 'es',
    regionIds: [],
    mustChangePassword: false,
  }
  const time = async (query: Record<string, string>) => {
    const f = inboxFilterSchema.parse(query)
    const samples: number[] = []
    for (let r = 0; r < runs; r++) {
      const t = performance.now()
      await Promise.all([
        listInbox(db, admin, f, new Date()),
        countByStatus(db, admin, f, new Date()),
      ])
      samples.push(performance.now() - t)
    }
    samples.sort((a, b) => a - b)
    return Math.round(samples[Math.floor(samples.length * 0.95)]! * 10) / 10
  }
  return {
    'inbox.p95_ms': await time({}),
    'inbox.filtered_p95_ms': await time({
      status: 'open',
      region: regions[0] ?? '',
      topic: 'legal',
    }),
    'inbox.cases': await db.case.count(),
  }
}
