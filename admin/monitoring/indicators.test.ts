import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLogger } from '../../app/logger.ts'
import { seedProgramme } from '../../prisma/seed/seed.ts'
import { freshPostgres, freshSqlite, type TestDatabase } from '../../test/support/test-db.ts'
import type { CurrentStaff } from '../admin-context.ts'
import { parseDashboardFilter, regionsInScope, type DashboardFilter } from './dashboard-filter.ts'
import { computeIndicators } from './indicators.ts'
import { seedMonitoringFixture, type FixtureRows } from './monitoring-fixture.ts'

const NOW = new Date('2026-11-25T15:00:00Z')
const FROM = '2026-09-01'
const TO = '2026-11-25'

const staff = (role: CurrentStaff['role'], regionIds: string[] = []): CurrentStaff => ({
  id: `s-${role}`,
  email: `${role}@test.local`,
  name: role,
  role,
  locale: 'es',
  regionIds,
  mustChangePassword: false,
})

// ---- The oracle: the same figures counted in plain JavaScript over the inserted rows. ----

type Place = { country: string | null; regionId: string | null }
const day = (d: Date) => d.toISOString().slice(0, 10)
const inPeriod = (d: Date | null, f: DashboardFilter) =>
  d !== null && d >= f.from && d < f.toExclusive
const inPlace = (row: Place, f: DashboardFilter) =>
  (!f.country || row.country === f.country) &&
  (!f.region || row.regionId === f.region) &&
  (!f.scope || (row.regionId !== null && f.scope.includes(row.regionId)))
function monday(d: Date): string {
  const midnight = new Date(`${day(d)}T00:00:00Z`)
  return day(new Date(midnight.getTime() - ((midnight.getUTCDay() + 6) % 7) * 86_400_000))
}
function tally<T>(rows: T[], key: (r: T) => string | null): Map<string | null, number> {
  const m = new Map<string | null, number>()
  for (const r of rows) m.set(key(r), (m.get(key(r)) ?? 0) + 1)
  return m
}

function expected(rows: FixtureRows, f: DashboardFilter) {
  const groups = rows.groups.filter((g) => inPlace(g, f))
  const cases = rows.cases.filter((c) => inPlace(c, f) && inPeriod(c.createdAt, f))
  const answeredInPeriod = rows.cases.filter((c) => inPlace(c, f) && inPeriod(c.firstResponseAt, f))
  const met = (c: FixtureRows['cases'][number]) =>
    c.firstResponseAt !== null &&
    c.firstResponseDueAt !== null &&
    c.firstResponseAt.getTime() <= c.firstResponseDueAt.getTime()
  const late = (c: FixtureRows['cases'][number]) =>
    c.firstResponseDueAt !== null &&
    (c.firstResponseAt
      ? c.firstResponseAt.getTime() > c.firstResponseDueAt.getTime()
      : c.firstResponseDueAt.getTime() < NOW.getTime())
  const durations = cases
    .filter((c) => c.firstResponseAt)
    .map((c) => c.firstResponseAt!.getTime() - c.createdAt.getTime())
    .sort((a, b) => a - b)
  const mid = durations.length / 2
  const median =
    durations.length === 0
      ? null
      : durations.length % 2
        ? durations[Math.floor(mid)]!
        : (durations[mid - 1]! + durations[mid]!) / 2
  const trainings = rows.trainings.filter(
    (t) => inPlace(t, f) && inPeriod(t.startsAt, f) && t.status !== 'cancelled',
  )
  const regs = rows.registrations.filter(
    (r) => r.status === 'registered' && trainings.some((t) => t.id === r.trainingId),
  )
  const over = (r: { trainingId: string }) =>
    trainings.find((t) => t.id === r.trainingId)!.endsAt < NOW
  const contacts = rows.contacts.filter((c) => inPlace(c, f))
  return {
    byPhase: tally(groups, (g) => g.currentPhaseId),
    byRubro: tally(groups, (g) => g.rubroId),
    byRegion: tally(groups, (g) => g.regionId),
    newByMonth: tally(
      groups.filter((g) => inPeriod(g.createdAt, f)),
      (g) => day(g.createdAt).slice(0, 7),
    ),
    openedByWeek: tally(cases, (c) => monday(c.createdAt)),
    answeredByWeek: tally(answeredInPeriod, (c) => monday(c.firstResponseAt!)),
    opened: cases.length,
    answered: answeredInPeriod.length,
    inSla: cases.filter(met).length,
    late: cases.filter(late).length,
    median,
    trainings: trainings.length,
    registered: regs.length,
    attended: regs.filter((r) => r.attended === true).length,
    registeredOver: regs.filter(over).length,
    active: tally(
      contacts.filter(
        (c) =>
          inPeriod(c.lastInboundAt, f) &&
          c.consentAt &&
          !c.optedOutAt &&
          !c.erasedAt &&
          !c.unreachableAt,
      ),
      (c) => c.channel,
    ),
    optedOut: tally(
      contacts.filter((c) => inPeriod(c.optedOutAt, f)),
      (c) => c.channel,
    ),
  }
}

function compare(
  actual: Awaited<ReturnType<typeof computeIndicators>>,
  exp: ReturnType<typeof expected>,
) {
  const phaseCounts = new Map<string | null, number>()
  let noPhase = 0
  for (const p of actual.groupsByPhase) {
    for (const ph of p.phases) if (ph.count > 0) phaseCounts.set(ph.phaseId, ph.count)
    noPhase += p.noPhase
    expect(p.total).toBe(p.phases.reduce((a, ph) => a + ph.count, 0) + p.noPhase)
  }
  if (noPhase > 0) phaseCounts.set(null, noPhase)
  expect(phaseCounts).toEqual(exp.byPhase)
  expect(new Map(actual.groupsByRubro.map((r) => [r.rubroId, r.count]))).toEqual(exp.byRubro)
  expect(new Map(actual.groupsByRegion.map((r) => [r.regionId, r.count]))).toEqual(exp.byRegion)
  expect(
    new Map(actual.newGroupsByMonth.filter((m) => m.count > 0).map((m) => [m.month, m.count])),
  ).toEqual(exp.newByMonth)
  expect(
    new Map(actual.casesByWeek.filter((w) => w.opened > 0).map((w) => [w.week, w.opened])),
  ).toEqual(exp.openedByWeek)
  expect(
    new Map(actual.casesByWeek.filter((w) => w.answered > 0).map((w) => [w.week, w.answered])),
  ).toEqual(exp.answeredByWeek)
  expect(actual.cases.opened).toBe(exp.opened)
  expect(actual.cases.answered).toBe(exp.answered)
  expect(actual.cases.inSla).toBe(exp.inSla)
  expect(actual.cases.late).toBe(exp.late)
  expect(actual.cases.slaShare).toBeCloseTo(exp.inSla / (exp.inSla + exp.late), 10)
  expect(actual.cases.medianFirstResponseMs).toBeCloseTo(exp.median ?? NaN, -1)
  expect(actual.trainings.trainings).toBe(exp.trainings)
  expect(actual.trainings.registered).toBe(exp.registered)
  expect(actual.trainings.attended).toBe(exp.attended)
  if (exp.registeredOver > 0) {
    expect(actual.trainings.attendanceRate).toBeCloseTo(exp.attended / exp.registeredOver, 10)
  }
  const nonZero = (k: 'active' | 'optedOut') =>
    new Map(actual.contactsByChannel.filter((c) => c[k] > 0).map((c) => [c.channel, c[k]]))
  expect(nonZero('active')).toEqual(exp.active)
  expect(nonZero('optedOut')).toEqual(exp.optedOut)
}

describe.each([
  ['SQLite', freshSqlite],
  ['PostgreSQL', () => freshPostgres(4)],
] as const)('monitoring indicators on %s', (_name, open) => {
  let database: TestDatabase
  let rows: FixtureRows
  const figures = async (who: CurrentStaff, query: Record<string, string>) => {
    const regions = await regionsInScope(database.db, who)
    const f = parseDashboardFilter(regions, who, { from: FROM, to: TO, ...query }, NOW)
    return { f, actual: await computeIndicators(database.db, f, NOW) }
  }

  beforeAll(async () => {
    database = await open()
    await seedProgramme(database.db, {
      adminEmail: 'admin@test.local',
      adminPassword: 'a-long-test-password',
      log: createLogger('silent'),
    })
    rows = await seedMonitoringFixture(database.db, NOW)
  })
  afterAll(() => database?.cleanup())

  it('every figure equals an independent count of the rows, for an admin without filters', async () => {
    const { f, actual } = await figures(staff('admin'), {})
    const exp = expected(rows, f)
    // the data set exercises every branch it claims to
    expect(exp.inSla).toBeGreaterThan(0)
    expect(exp.late).toBeGreaterThan(0)
    expect(actual.cases.waiting).toBeGreaterThan(0)
    expect(exp.opened).toBeLessThan(rows.cases.length) // some cases are before the period
    expect(exp.byRegion.get(null)).toBeGreaterThan(0)
    expect(exp.optedOut.size).toBeGreaterThan(1)
    expect(exp.attended).toBeGreaterThan(0)
    expect(exp.registered).toBeGreaterThan(exp.registeredOver) // a training still ahead
    compare(actual, exp)
    expect(actual.groupsByPhase.map((p) => [p.programmeId, p.phases.length])).toEqual([
      ['BO-ATC', 4],
      ['PA-ECV', 3],
    ])
  })

  it('filters by country, by region and by a shorter period', async () => {
    const queries: Record<string, string>[] = [
      { country: 'PA' },
      { region: 'BO-LP' },
      { from: '2026-10-15' },
      { country: 'BO', from: '2026-11-03', to: '2026-11-20' }, // weeks cut at both ends
    ]
    for (const query of queries) {
      const { f, actual } = await figures(staff('admin'), query)
      compare(actual, expected(rows, f))
    }
    const pa = await figures(staff('admin'), { country: 'PA' })
    expect(pa.actual.groupsByPhase.map((p) => p.programmeId)).toEqual(['PA-ECV'])
  })

  it("an agent of one region sees only that region's numbers", async () => {
    const agent = staff('agent', ['BO-CB'])
    const { f, actual } = await figures(agent, {})
    expect(f.scope).toEqual(['BO-CB'])
    compare(actual, expected(rows, f))
    expect(actual.groupsByRegion.map((r) => r.regionId)).toEqual(['BO-CB'])
    const all = await figures(staff('admin'), {})
    expect(actual.cases.opened).toBeLessThan(all.actual.cases.opened)
    // another region is not a filter she may use
    await expect(figures(agent, { region: 'BO-LP' })).rejects.toThrow(/region/)
  })
})
