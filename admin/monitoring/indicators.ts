import { Prisma } from '../../generated/sqlite/index.js'
import type { Db } from '../../app/db/open.ts'
import { dayOf, type DashboardFilter } from './dashboard-filter.ts'

/**
 * The monitoring and evaluation figures (issue 9), computed with aggregate SQL (groupBy and
 * GROUP BY queries) so the dashboard costs the same with 100,000 cases as with 100: no row
 * list ever reaches JavaScript, only one row per day, phase, rubro, region or channel.
 *
 * Snapshots (groups by phase, rubro and region) are the state today and ignore the dates;
 * flows (new groups, cases, trainings, contacts) count what happened in the period.
 * Days and weeks are UTC; a week starts on Monday.
 */
export type Indicators = {
  groupsByPhase: ProgrammePhases[]
  newGroupsByMonth: { month: string; count: number }[]
  groupsByRubro: { rubroId: string | null; nameEs: string; nameEn: string; count: number }[]
  groupsByRegion: { regionId: string | null; name: string; country: string; count: number }[]
  casesByWeek: CaseWeek[]
  cases: CaseTotals
  trainingsByMonth: TrainingMonth[]
  trainings: Omit<TrainingMonth, 'month'>
  contactsByChannel: { channel: string; active: number; optedOut: number }[]
}

export type ProgrammePhases = {
  programmeId: string
  country: string
  nameEs: string
  nameEn: string
  phases: { phaseId: string; order: number; nameEs: string; nameEn: string; count: number }[]
  /** Groups of the programme (or of its country, with none) that have no phase yet. */
  noPhase: number
  total: number
}

/** Cases opened in a week and what became of their first response. */
export type CaseWeek = {
  /** Monday of the week. */
  week: string
  /** The week's days inside the period (the first and last week may be cut). */
  fromDay: string
  toDay: string
  opened: number
  /** First responses given this week (to cases opened this week or before, in the period). */
  answered: number
  inSla: number
  late: number
}

export type CaseTotals = {
  opened: number
  answered: number
  /** Opened in the period and first answered by their due time. */
  inSla: number
  /** Answered after their due time, or unanswered with the due time passed. */
  late: number
  /** Unanswered and still within their due time: not yet in or out of the SLA. */
  waiting: number
  /** inSla ÷ (inSla + late); null with nothing decided yet. */
  slaShare: number | null
  /** Median time from opening to first response, of the period's cases that were answered. */
  medianFirstResponseMs: number | null
}

export type TrainingMonth = {
  month: string
  trainings: number
  registered: number
  attended: number
  /** attended ÷ registrations of trainings already over; null when none is over yet. */
  attendanceRate: number | null
}

type Provider = 'sqlite' | 'postgresql'

// Every raw query is built with Prisma.sql and passed whole: the PostgreSQL client's own
// template tag would not recognise fragments made by the SQLite client's Prisma namespace.

/**
 * The database behind a client. The Db type is the SQLite client's (app/db/open.ts) while the
 * object may be PostgreSQL's; Prisma keeps the provider on the instance, and only the median
 * below is spelt differently.
 */
function providerOf(db: Db): Provider {
  const p = (db as unknown as { _activeProvider?: string })._activeProvider
  return p === 'postgresql' ? 'postgresql' : 'sqlite'
}

/** The region filter and staff scope, as SQL over a table with "regionId" and "country". */
function placeSql(f: DashboardFilter, alias = ''): Prisma.Sql {
  const col = (name: string) => Prisma.raw(`${alias}"${name}"`)
  const parts: Prisma.Sql[] = []
  if (f.country) parts.push(Prisma.sql`${col('country')} = ${f.country}`)
  if (f.region) parts.push(Prisma.sql`${col('regionId')} = ${f.region}`)
  if (f.scope) {
    parts.push(
      f.scope.length > 0
        ? Prisma.sql`${col('regionId')} IN (${Prisma.join(f.scope)})`
        : Prisma.sql`1 = 0`,
    )
  }
  return parts.length > 0 ? Prisma.sql` AND ${Prisma.join(parts, ' AND ')}` : Prisma.empty
}

/** The same, for Prisma's query API. */
function placeWhere(f: DashboardFilter) {
  const and: { country?: string; regionId?: string | { in: string[] } }[] = []
  if (f.country) and.push({ country: f.country })
  if (f.region) and.push({ regionId: f.region })
  if (f.scope) and.push({ regionId: { in: f.scope } })
  return and
}

/** `YYYY-MM` of a timestamp column on both providers (ISO text in SQLite, timestamp in PG). */
const monthSql = (column: string) => Prisma.raw(`substr(CAST(${column} AS TEXT), 1, 7)`)

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v))

export async function computeIndicators(
  db: Db,
  f: DashboardFilter,
  now: Date,
): Promise<Indicators> {
  const [groups, newGroupsByMonth, cases, trainings, contactsByChannel] = await Promise.all([
    groupSnapshots(db, f),
    newGroups(db, f),
    caseFigures(db, f, now),
    trainingFigures(db, f, now),
    contactFigures(db, f),
  ])
  return { ...groups, newGroupsByMonth, ...cases, ...trainings, contactsByChannel }
}

async function groupSnapshots(db: Db, f: DashboardFilter) {
  const where = { AND: placeWhere(f) }
  const [byPhase, byRubro, byRegion, programmes, rubros, regions] = await Promise.all([
    db.group.groupBy({
      by: ['country', 'programmeId', 'currentPhaseId'],
      where,
      _count: { _all: true },
    }),
    db.group.groupBy({ by: ['rubroId'], where, _count: { _all: true } }),
    db.group.groupBy({ by: ['regionId'], where, _count: { _all: true } }),
    db.programme.findMany({
      orderBy: { id: 'asc' },
      include: { phases: { orderBy: { order: 'asc' } } },
    }),
    db.rubro.findMany({ select: { id: true, nameEs: true, nameEn: true } }),
    db.region.findMany({ select: { id: true, name: true, country: true } }),
  ])

  const programmeOfPhase = new Map(
    programmes.flatMap((p) => p.phases.map((ph) => [ph.id, p.id] as const)),
  )
  const perProgramme = new Map<string, ProgrammePhases>(
    programmes.map((p) => [
      p.id,
      {
        programmeId: p.id,
        country: p.country,
        nameEs: p.nameEs,
        nameEn: p.nameEn,
        phases: p.phases.map((ph) => ({
          phaseId: ph.id,
          order: ph.order,
          nameEs: ph.nameEs,
          nameEn: ph.nameEn,
          count: 0,
        })),
        noPhase: 0,
        total: 0,
      },
    ]),
  )
  for (const g of byPhase) {
    // A group follows its phase's programme, else its own, else its country's (as its page).
    const programmeId =
      (g.currentPhaseId && programmeOfPhase.get(g.currentPhaseId)) ??
      g.programmeId ??
      programmes.find((p) => p.country === g.country)?.id
    const p = programmeId ? perProgramme.get(programmeId) : undefined
    if (!p) continue
    const phase = p.phases.find((ph) => ph.phaseId === g.currentPhaseId)
    if (phase) phase.count += g._count._all
    else p.noPhase += g._count._all
    p.total += g._count._all
  }
  const country = f.country ?? f.regionCountry
  const shown = [...perProgramme.values()].filter((p) => !country || p.country === country)

  const rubroById = new Map(rubros.map((r) => [r.id, r]))
  const regionById = new Map(regions.map((r) => [r.id, r]))
  const byCount = (a: { count: number }, b: { count: number }) => b.count - a.count
  return {
    groupsByPhase: shown,
    groupsByRubro: byRubro
      .map((g) => {
        const r = g.rubroId ? rubroById.get(g.rubroId) : undefined
        return {
          rubroId: g.rubroId,
          nameEs: r?.nameEs ?? g.rubroId ?? '',
          nameEn: r?.nameEn ?? g.rubroId ?? '',
          count: g._count._all,
        }
      })
      .sort(byCount),
    groupsByRegion: byRegion
      .map((g) => {
        const r = g.regionId ? regionById.get(g.regionId) : undefined
        return {
          regionId: g.regionId,
          name: r?.name ?? g.regionId ?? '',
          country: r?.country ?? '',
          count: g._count._all,
        }
      })
      .sort(byCount),
  }
}

async function newGroups(db: Db, f: DashboardFilter) {
  const rows = await db.$queryRaw<{ month: string; n: unknown }[]>(Prisma.sql`
    SELECT ${monthSql('"createdAt"')} AS month, COUNT(*) AS n
    FROM "Group"
    WHERE "createdAt" >= ${f.from} AND "createdAt" < ${f.toExclusive}${placeSql(f)}
    GROUP BY ${monthSql('"createdAt"')}`)
  const counts = new Map(rows.map((r) => [r.month, num(r.n)]))
  return monthsOf(f).map((month) => ({ month, count: counts.get(month) ?? 0 }))
}

/**
 * One aggregate per week as one statement of UNION ALL parts, each a range read of an index
 * that covers it ("Case_period_sla_idx", "Case_first_response_idx"): no sort of 100,000 rows
 * as a GROUP BY on a day expression would need, and the same SQL on both providers.
 */
function perWeekSql(
  weeks: CaseWeek[],
  f: DashboardFilter,
  column: string,
  aggregates: Prisma.Sql,
): Prisma.Sql {
  const col = Prisma.raw(`"${column}"`)
  return Prisma.join(
    weeks.map((w, i) => {
      const start = new Date(`${w.fromDay}T00:00:00Z`)
      const end = new Date(Date.parse(`${w.toDay}T00:00:00Z`) + 86_400_000)
      return Prisma.sql`SELECT ${Prisma.raw(String(i))} AS w, ${aggregates} FROM "Case"
        WHERE ${col} >= ${start} AND ${col} < ${end}${placeSql(f)}`
    }),
    ' UNION ALL ',
  )
}

async function caseFigures(db: Db, f: DashboardFilter, now: Date) {
  const weeks = weeksOf(f)
  // Sequential on purpose: the median needs the count of answered cases, and SQLite runs one
  // query at a time anyway.
  // Few comparisons per row (text ones cost most on SQLite); late and waiting follow:
  // answered with a due time = in time + answered late; unanswered = past due + waiting.
  const openedRows = await db.$queryRaw<
    {
      w: unknown
      opened: unknown
      answered: unknown
      with_due: unknown
      in_sla: unknown
      unanswered_due: unknown
      past_due: unknown
    }[]
  >(
    perWeekSql(
      weeks,
      f,
      'createdAt',
      Prisma.sql`COUNT(*) AS opened,
        COUNT("firstResponseAt") AS answered,
        COUNT("firstResponseDueAt") AS with_due,
        COUNT(CASE WHEN "firstResponseAt" <= "firstResponseDueAt" THEN 1 END) AS in_sla,
        COUNT(CASE WHEN "firstResponseAt" IS NULL THEN "firstResponseDueAt" END) AS unanswered_due,
        COUNT(CASE WHEN "firstResponseAt" IS NULL AND "firstResponseDueAt" < ${now} THEN 1 END)
          AS past_due`,
    ),
  )
  const answeredRows = await db.$queryRaw<{ w: unknown; n: unknown }[]>(
    perWeekSql(weeks, f, 'firstResponseAt', Prisma.sql`COUNT(*) AS n`),
  )

  const totals = { opened: 0, answered: 0, inSla: 0, late: 0, waiting: 0 }
  let answeredOfOpened = 0
  for (const r of openedRows) {
    const w = weeks[num(r.w)]
    if (!w) continue
    const answeredWithDue = num(r.with_due) - num(r.unanswered_due)
    w.opened = num(r.opened)
    w.inSla = num(r.in_sla)
    w.late = answeredWithDue - w.inSla + num(r.past_due)
    totals.opened += w.opened
    totals.inSla += w.inSla
    totals.late += w.late
    totals.waiting += num(r.unanswered_due) - num(r.past_due)
    answeredOfOpened += num(r.answered)
  }
  for (const r of answeredRows) {
    const w = weeks[num(r.w)]
    if (!w) continue
    w.answered = num(r.n)
    totals.answered += w.answered
  }
  const decided = totals.inSla + totals.late
  const period = Prisma.sql`"createdAt" >= ${f.from} AND "createdAt" < ${f.toExclusive}`
  return {
    casesByWeek: weeks,
    cases: {
      ...totals,
      slaShare: decided > 0 ? totals.inSla / decided : null,
      medianFirstResponseMs: await medianFirstResponse(db, f, period, answeredOfOpened),
    },
  }
}

/**
 * The median time to a first answer of the period's cases. PostgreSQL has percentile_cont;
 * SQLite reads only the middle one or two of the sorted times (LIMIT … OFFSET, twice as fast
 * as ranking every row with window functions at 100,000 cases). Both average the two middle
 * values of an even count.
 */
async function medianFirstResponse(
  db: Db,
  f: DashboardFilter,
  period: Prisma.Sql,
  answered: number,
): Promise<number | null> {
  if (answered === 0) return null
  const where = Prisma.sql`WHERE ${period} AND "firstResponseAt" IS NOT NULL${placeSql(f)}`
  const rows =
    providerOf(db) === 'postgresql'
      ? await db.$queryRaw<{ ms: unknown }[]>(Prisma.sql`
          SELECT percentile_cont(0.5) WITHIN GROUP (
            ORDER BY EXTRACT(EPOCH FROM ("firstResponseAt" - "createdAt")) * 1000
          ) AS ms
          FROM "Case" ${where}`)
      : await db.$queryRaw<{ ms: unknown }[]>(Prisma.sql`
          SELECT (julianday("firstResponseAt") - julianday("createdAt")) * 86400000.0 AS ms
          FROM "Case" ${where}
          ORDER BY ms
          LIMIT ${answered % 2 === 1 ? 1 : 2} OFFSET ${Math.floor((answered - 1) / 2)}`)
  const values = rows.map((r) => Number(r.ms)).filter((v) => Number.isFinite(v))
  if (values.length === 0) return null
  return Math.round(values.reduce((a, v) => a + v, 0) / values.length)
}

async function trainingFigures(db: Db, f: DashboardFilter, now: Date) {
  const trainingWhere = {
    AND: [
      ...placeWhere(f),
      { startsAt: { gte: f.from, lt: f.toExclusive } },
      { status: { not: 'cancelled' } },
    ],
  }
  const [trainings, registrations] = await Promise.all([
    db.training.findMany({
      where: trainingWhere,
      select: { id: true, startsAt: true, endsAt: true },
    }),
    db.trainingRegistration.groupBy({
      by: ['trainingId', 'attended'],
      where: { status: 'registered', training: trainingWhere },
      _count: { _all: true },
    }),
  ])
  const months = new Map<string, TrainingMonth & { registeredOver: number }>(
    monthsOf(f).map((month) => [
      month,
      { month, trainings: 0, registered: 0, attended: 0, attendanceRate: null, registeredOver: 0 },
    ]),
  )
  const monthOfTraining = new Map<string, { month: string; over: boolean }>()
  for (const t of trainings) {
    const month = dayOf(t.startsAt).slice(0, 7)
    monthOfTraining.set(t.id, { month, over: t.endsAt < now })
    const m = months.get(month)
    if (m) m.trainings += 1
  }
  for (const r of registrations) {
    const t = monthOfTraining.get(r.trainingId)
    const m = t && months.get(t.month)
    if (!t || !m) continue
    m.registered += r._count._all
    if (t.over) m.registeredOver += r._count._all
    if (r.attended) m.attended += r._count._all
  }
  const total = { trainings: 0, registered: 0, attended: 0, registeredOver: 0 }
  const byMonth: TrainingMonth[] = []
  for (const { registeredOver, ...m } of months.values()) {
    total.trainings += m.trainings
    total.registered += m.registered
    total.attended += m.attended
    total.registeredOver += registeredOver
    byMonth.push({ ...m, attendanceRate: registeredOver > 0 ? m.attended / registeredOver : null })
  }
  const { registeredOver, ...sums } = total
  return {
    trainingsByMonth: byMonth,
    trainings: {
      ...sums,
      attendanceRate: registeredOver > 0 ? sums.attended / registeredOver : null,
    },
  }
}

/**
 * Active: she wrote in the period and can still be reached (consented, not opted out, not
 * erased, not unreachable). Opt-outs: she sent BAJA in the period (and has not come back).
 */
async function contactFigures(db: Db, f: DashboardFilter) {
  const place = placeWhere(f)
  const period = { gte: f.from, lt: f.toExclusive }
  const [active, optedOut] = await Promise.all([
    db.contact.groupBy({
      by: ['channel'],
      where: {
        AND: [
          ...place,
          {
            lastInboundAt: period,
            consentAt: { not: null },
            optedOutAt: null,
            erasedAt: null,
            unreachableAt: null,
          },
        ],
      },
      _count: { _all: true },
    }),
    db.contact.groupBy({
      by: ['channel'],
      where: { AND: [...place, { optedOutAt: period }] },
      _count: { _all: true },
    }),
  ])
  const channels = new Map<string, { channel: string; active: number; optedOut: number }>(
    ['whatsapp', 'telegram', 'web'].map((channel) => [
      channel,
      { channel, active: 0, optedOut: 0 },
    ]),
  )
  const row = (channel: string) => {
    let r = channels.get(channel)
    if (!r) channels.set(channel, (r = { channel, active: 0, optedOut: 0 }))
    return r
  }
  for (const g of active) row(g.channel).active = g._count._all
  for (const g of optedOut) row(g.channel).optedOut = g._count._all
  return [...channels.values()]
}

/** Every month of the period, `YYYY-MM`, so months without activity show as zero. */
function monthsOf(f: Pick<DashboardFilter, 'from' | 'toExclusive'>): string[] {
  const months: string[] = []
  const last = new Date(f.toExclusive.getTime() - 1)
  for (
    let y = f.from.getUTCFullYear(), m = f.from.getUTCMonth();
    y < last.getUTCFullYear() || (y === last.getUTCFullYear() && m <= last.getUTCMonth());
    m === 11 ? ((m = 0), y++) : m++
  ) {
    months.push(`${y}-${String(m + 1).padStart(2, '0')}`)
  }
  return months
}

/** Monday (UTC) of the week of a `YYYY-MM-DD` day. */
function mondayOf(day: string): string {
  const d = new Date(`${day}T00:00:00Z`)
  const back = (d.getUTCDay() + 6) % 7
  return dayOf(new Date(d.getTime() - back * 86_400_000))
}

/** Every week touching the period, with its days cut to the period. */
function weeksOf(f: Pick<DashboardFilter, 'fromDay' | 'toDay'>): CaseWeek[] {
  const weeks: CaseWeek[] = []
  for (let monday = mondayOf(f.fromDay); monday <= f.toDay;) {
    const next = new Date(new Date(`${monday}T00:00:00Z`).getTime() + 7 * 86_400_000)
    const sunday = dayOf(new Date(next.getTime() - 86_400_000))
    weeks.push({
      week: monday,
      fromDay: monday < f.fromDay ? f.fromDay : monday,
      toDay: sunday > f.toDay ? f.toDay : sunday,
      opened: 0,
      answered: 0,
      inSla: 0,
      late: 0,
    })
    monday = dayOf(next)
  }
  return weeks
}
