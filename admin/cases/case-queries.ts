import { z } from 'zod'
import type { Prisma } from '../../generated/sqlite/index.js'
import type { Db } from '../../app/db/open.ts'
import type { CurrentStaff } from '../admin-context.ts'
import { caseScope } from '../auth/access.ts'

export const PAGE_SIZE = 25
export const caseStatusSchema = z.enum(['open', 'pending', 'resolved', 'closed'])
export const casePrioritySchema = z.enum(['low', 'normal', 'high'])
export const caseTopics = ['legal', 'technical', 'training', 'human', 'other'] as const

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => (v ? v : undefined))
    .catch(undefined)

const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)))
  .optional()
  .catch(undefined)

/** The inbox's query string. Bad values fall back to "no filter" rather than an error page. */
export const inboxFilterSchema = z.object({
  status: z.enum(['open', 'pending', 'resolved', 'closed', 'all']).catch('open').default('open'),
  topic: optionalText(40),
  region: optionalText(40),
  /** A staff id, `me` or `none` (unassigned). */
  assignee: optionalText(60),
  overdue: z.literal('1').optional().catch(undefined),
  q: optionalText(200),
  country: z.enum(['BO', 'PA']).optional().catch(undefined),
  /** Opened on or after this UTC day (`YYYY-MM-DD`): the monitoring dashboard links here. */
  from: isoDay,
  /** Opened on or before this UTC day, inclusive. */
  to: isoDay,
  /** Keyset cursor: `<lastActivityAt ms>_<id>` of the last row of the previous page. */
  after: z
    .string()
    .regex(/^\d{1,15}_\d{1,12}$/)
    .optional()
    .catch(undefined),
})
export type InboxFilter = z.infer<typeof inboxFilterSchema>

/** Everything but status and cursor: the tabs' counts share it. */
export function inboxWhere(staff: CurrentStaff, f: InboxFilter, now: Date): Prisma.CaseWhereInput {
  const and: Prisma.CaseWhereInput[] = [caseScope(staff)]
  if (f.topic) and.push({ topic: f.topic })
  if (f.region) and.push({ regionId: f.region })
  if (f.country) and.push({ country: f.country })
  if (f.from) and.push({ createdAt: { gte: new Date(`${f.from}T00:00:00Z`) } })
  if (f.to) and.push({ createdAt: { lt: new Date(Date.parse(`${f.to}T00:00:00Z`) + 86_400_000) } })
  if (f.assignee === 'me') and.push({ assigneeId: staff.id })
  else if (f.assignee === 'none') and.push({ assigneeId: null })
  else if (f.assignee) and.push({ assigneeId: f.assignee })
  if (f.overdue) {
    and.push({
      firstResponseAt: null,
      firstResponseDueAt: { lt: now },
      status: { in: ['open', 'pending'] },
    })
  }
  if (f.q) {
    const id = /^#?(\d{1,9})$/.exec(f.q)
    and.push({
      OR: [
        ...(id ? [{ id: Number(id[1]) }] : []),
        { contact: { displayName: { contains: f.q } } },
        { group: { name: { contains: f.q } } },
        { messages: { some: { text: { contains: f.q } } } },
      ],
    })
  }
  return { AND: and }
}

/** The list's rows: the filters and the status tab (the cases CSV export shares it). */
export function inboxListWhere(
  staff: CurrentStaff,
  f: InboxFilter,
  now: Date,
): Prisma.CaseWhereInput {
  const where = inboxWhere(staff, f, now)
  return f.status === 'all' ? where : { AND: [where, { status: f.status }] }
}

const listSelect = {
  id: true,
  topic: true,
  subtopic: true,
  status: true,
  priority: true,
  channel: true,
  firstResponseDueAt: true,
  firstResponseAt: true,
  lastInboundAt: true,
  lastActivityAt: true,
  createdAt: true,
  contact: { select: { displayName: true, channel: true, erasedAt: true } },
  group: { select: { name: true } },
  region: { select: { name: true } },
  assignee: { select: { name: true } },
} satisfies Prisma.CaseSelect

export type InboxRow = Prisma.CaseGetPayload<{ select: typeof listSelect }>

/**
 * One page of the inbox, newest activity first (a case she just wrote in moves up), read by
 * keyset so page 400 costs what page 1 costs: the (regionId|status, lastActivityAt) indexes
 * serve it without reading the other 100,000 rows.
 */
export async function listInbox(
  db: Db,
  staff: CurrentStaff,
  f: InboxFilter,
  now: Date,
): Promise<{ rows: InboxRow[]; next?: string }> {
  const and: Prisma.CaseWhereInput[] = [inboxListWhere(staff, f, now)]
  if (f.after) {
    const [ms, id] = f.after.split('_').map(Number) as [number, number]
    const at = new Date(ms)
    and.push({ OR: [{ lastActivityAt: { lt: at } }, { lastActivityAt: at, id: { lt: id } }] })
  }
  const rows = await db.case.findMany({
    where: { AND: and },
    orderBy: [{ lastActivityAt: 'desc' }, { id: 'desc' }],
    take: PAGE_SIZE + 1,
    select: listSelect,
  })
  if (rows.length <= PAGE_SIZE) return { rows }
  rows.pop()
  const last = rows[rows.length - 1]!
  return { rows, next: `${last.lastActivityAt.getTime()}_${last.id}` }
}

/** Cases per status under the same filters, for the tabs. */
export async function countByStatus(
  db: Db,
  staff: CurrentStaff,
  f: InboxFilter,
  now: Date,
): Promise<Record<string, number>> {
  const groups = await db.case.groupBy({
    by: ['status'],
    where: inboxWhere(staff, f, now),
    _count: { _all: true },
  })
  const counts: Record<string, number> = { open: 0, pending: 0, resolved: 0, closed: 0, all: 0 }
  for (const g of groups) {
    counts[g.status] = g._count._all
    counts.all! += g._count._all
  }
  return counts
}

/** A cheap fingerprint of the list, so the page's poller re-renders only on a change. */
export async function inboxSignature(
  db: Db,
  staff: CurrentStaff,
  f: InboxFilter,
  now: Date,
): Promise<string> {
  const first = await db.case.findFirst({
    where: inboxListWhere(staff, f, now),
    orderBy: [{ lastActivityAt: 'desc' }, { id: 'desc' }],
    select: { id: true, updatedAt: true },
  })
  const counts = await countByStatus(db, staff, f, now)
  return `${first?.id ?? 0}:${first?.updatedAt.getTime() ?? 0}:${Object.values(counts).join(',')}`
}

export type SlaState =
  | { kind: 'answered' }
  | { kind: 'overdue'; byMs: number }
  | { kind: 'due'; inMs: number }
  | { kind: 'none' }

export function slaState(
  c: { firstResponseAt: Date | null; firstResponseDueAt: Date | null },
  now: Date,
): SlaState {
  if (c.firstResponseAt) return { kind: 'answered' }
  if (!c.firstResponseDueAt) return { kind: 'none' }
  const ms = c.firstResponseDueAt.getTime() - now.getTime()
  return ms < 0 ? { kind: 'overdue', byMs: -ms } : { kind: 'due', inMs: ms }
}
