import type { TFunction } from 'i18next'
import type { Prisma } from '../../generated/sqlite/index.js'
import type { Db } from '../../app/db/open.ts'
import type { CurrentStaff } from '../admin-context.ts'
import { inboxListWhere, type InboxFilter } from '../cases/case-queries.ts'
import type { CsvTable } from './csv.ts'

/** Rows read per query: bounded memory per round trip whatever the export's size. */
const BATCH = 2000

const exportSelect = {
  id: true,
  createdAt: true,
  status: true,
  topic: true,
  subtopic: true,
  priority: true,
  channel: true,
  country: true,
  firstResponseDueAt: true,
  firstResponseAt: true,
  resolvedAt: true,
  closedAt: true,
  lastActivityAt: true,
  region: { select: { name: true } },
  group: { select: { name: true } },
  assignee: { select: { name: true } },
  contact: { select: { displayName: true, phone: true, erasedAt: true } },
} satisfies Prisma.CaseSelect

/**
 * The cases of the inbox's current list (same filters, same region scope), oldest first,
 * as a translated table. Her name and phone only with `personalData` (admins).
 */
export async function casesCsv(
  db: Db,
  staff: CurrentStaff,
  f: InboxFilter,
  now: Date,
  t: TFunction,
  opts: { personalData: boolean },
): Promise<CsvTable> {
  const k = (key: string) => t(`admin-monitoring.cases_csv.${key}`)
  const where = inboxListWhere(staff, f, now)
  const rows: CsvTable['rows'] = []
  for (let after = 0; ;) {
    const batch = await db.case.findMany({
      where: { AND: [where, { id: { gt: after } }] },
      orderBy: { id: 'asc' },
      take: BATCH,
      select: exportSelect,
    })
    for (const c of batch) {
      const contact = c.contact && !c.contact.erasedAt ? c.contact : null
      rows.push([
        c.id,
        c.createdAt,
        k(`status.${c.status}`),
        t(`admin.topics.${c.topic}`, { defaultValue: c.topic }),
        c.subtopic,
        t(`admin.priority.${c.priority}`, { defaultValue: c.priority }),
        c.channel,
        c.country,
        c.region?.name,
        c.group?.name,
        c.assignee?.name,
        c.firstResponseDueAt,
        c.firstResponseAt,
        k(`sla.${slaOutcome(c, now)}`),
        c.resolvedAt,
        c.closedAt,
        c.lastActivityAt,
        ...(opts.personalData ? [contact?.displayName, contact?.phone] : []),
      ])
    }
    if (batch.length < BATCH) break
    after = batch[batch.length - 1]!.id
  }
  return {
    header: [
      'case',
      'opened',
      'status',
      'topic',
      'subtopic',
      'priority',
      'channel',
      'country',
      'region',
      'group',
      'assignee',
      'due',
      'first_response',
      'sla',
      'resolved',
      'closed',
      'last_activity',
      ...(opts.personalData ? ['name', 'phone'] : []),
    ].map((h) => k(`header.${h}`)),
    rows,
  }
}

/**
 * Whether her first answer came in time, as the dashboard counts it: met, late (answered
 * after the due time, or not answered and the due time passed), waiting, or no due time.
 */
function slaOutcome(
  c: { firstResponseAt: Date | null; firstResponseDueAt: Date | null },
  now: Date,
): 'met' | 'late' | 'waiting' | 'none' {
  const due = c.firstResponseDueAt
  if (!due) return 'none'
  if (c.firstResponseAt) return c.firstResponseAt <= due ? 'met' : 'late'
  return due < now ? 'late' : 'waiting'
}
