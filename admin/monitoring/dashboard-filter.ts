import { z } from 'zod'
import type { Db } from '../../app/db/open.ts'
import type { CurrentStaff } from '../admin-context.ts'
import { regionScope } from '../auth/access.ts'

const DAY_MS = 86_400_000
/** Longest period the dashboard sums over: weekly series stay readable, queries bounded. */
const MAX_RANGE_DAYS = 1096

/** `YYYY-MM-DD` that is a real calendar day (UTC). */
const daySchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine(
    (s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && dayOf(new Date(`${s}T00:00:00Z`)) === s,
  )

/** An empty form field (`region=`) means "no filter"; a wrong value is a 400 naming it. */
const blankAsUndefined = (v: unknown) => (v === '' ? undefined : v)

const dashboardQuerySchema = z.object({
  country: z.preprocess(blankAsUndefined, z.enum(['BO', 'PA']).optional()),
  region: z.preprocess(blankAsUndefined, z.string().max(40).optional()),
  from: z.preprocess(blankAsUndefined, daySchema.optional()),
  to: z.preprocess(blankAsUndefined, daySchema.optional()),
})
export type DashboardQuery = z.infer<typeof dashboardQuerySchema>

/**
 * What the indicators are computed over. Days are UTC calendar days; `to` is inclusive in the
 * query string and exclusive (`toExclusive`, the next midnight) in the queries.
 */
export type DashboardFilter = {
  country?: string
  region?: string
  /** The chosen region's country (which programme's phases to show). */
  regionCountry?: string
  /** Regions she may see; undefined for admins (every region, and rows without one). */
  scope?: string[]
  fromDay: string
  toDay: string
  from: Date
  toExclusive: Date
}

export function dayOf(d: Date): string {
  return d.toISOString().slice(0, 10)
}

function atMidnight(day: string): Date {
  return new Date(`${day}T00:00:00Z`)
}

/** Without dates: the last twelve calendar months up to today (UTC). */
function defaultFrom(toDay: string): string {
  const to = atMidnight(toDay)
  return dayOf(new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth() - 11, 1)))
}

/** The regions a staff member may pick (all for admins), for the filter menu and its check. */
export function regionsInScope(db: Db, staff: CurrentStaff) {
  const scope = regionScope(staff)
  return db.region.findMany({
    where: scope ? { id: { in: scope } } : {},
    orderBy: [{ country: 'asc' }, { name: 'asc' }],
    select: { id: true, name: true, country: true },
  })
}

/**
 * Parses the dashboard's query string strictly: a bad country, an unknown or out-of-scope
 * region (not in `regions`, from regionsInScope), an impossible date or a reversed or too long
 * range throw a ZodError whose issue path names the field (the panel answers 400 naming it).
 */
export function parseDashboardFilter(
  regions: { id: string; country: string }[],
  staff: CurrentStaff,
  query: unknown,
  now: Date,
): DashboardFilter {
  const scope = regionScope(staff)
  const countryOf = new Map(regions.map((r) => [r.id, r.country]))
  const q = dashboardQuerySchema
    .superRefine((v, ctx) => {
      if (v.region !== undefined) {
        const country = countryOf.get(v.region)
        if (!country || (v.country && v.country !== country)) {
          ctx.addIssue({ code: 'custom', path: ['region'], message: 'region not in scope' })
        }
      }
      // zod still runs this when a date failed its own check: only compare real days
      const validDay = (d: string | undefined) => d === undefined || daySchema.safeParse(d).success
      if (!validDay(v.from) || !validDay(v.to)) return
      const { fromDay, toDay } = resolveDays(v, now)
      const days = (atMidnight(toDay).getTime() - atMidnight(fromDay).getTime()) / DAY_MS
      if (days < 0) ctx.addIssue({ code: 'custom', path: ['to'], message: 'before from' })
      else if (days >= MAX_RANGE_DAYS) {
        ctx.addIssue({ code: 'custom', path: ['from'], message: 'range too long' })
      }
    })
    .parse(query)
  const { fromDay, toDay } = resolveDays(q, now)
  return {
    ...(q.country && { country: q.country }),
    ...(q.region && { region: q.region, regionCountry: countryOf.get(q.region) }),
    ...(scope && { scope }),
    fromDay,
    toDay,
    from: atMidnight(fromDay),
    toExclusive: new Date(atMidnight(toDay).getTime() + DAY_MS),
  }
}

/**
 * The period's first and last day. Without dates, the last twelve calendar months; with only
 * `from`, up to today (or `from` itself when that is later); with only `to`, the twelve
 * months before it.
 */
function resolveDays(q: DashboardQuery, now: Date): { fromDay: string; toDay: string } {
  const today = dayOf(now)
  const toDay = q.to ?? (q.from && q.from > today ? q.from : today)
  return { fromDay: q.from ?? defaultFrom(toDay), toDay }
}

/** A query string of the given parameters that have a value. */
export function queryString(params: Record<string, string | undefined>): string {
  const q = new URLSearchParams()
  for (const [key, v] of Object.entries(params)) if (v) q.set(key, v)
  return q.toString()
}

/** The filter as a query string for links and exports (what was chosen; dates always). */
export function filterQuery(f: DashboardFilter, extra: Record<string, string | undefined> = {}) {
  return queryString({
    country: f.country,
    region: f.region,
    from: f.fromDay,
    to: f.toDay,
    ...extra,
  })
}
