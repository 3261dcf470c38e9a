import type { TFunction } from 'i18next'
import type { CsvTable } from '../exports/csv.ts'
import type { ChartInput } from './charts.ts'
import { queryString, type DashboardFilter } from './dashboard-filter.ts'
import type { Indicators } from './indicators.ts'

/**
 * A cell of a dashboard table: its text on the page; its number and unit in the CSV export;
 * a link down to the list it counts, where one exists.
 */
export type Cell = { text: string; value?: number; unit?: 'percent' | 'hours'; href?: string }

/** One table of the dashboard, with the chart drawn from the same rows. */
export type DashboardTable = {
  id: string
  title: string
  note?: string
  columns: string[]
  rows: Cell[][]
  chart?: ChartInput
}

export type DashboardSection = {
  id: string
  title: string
  note?: string
  /** The list behind the section, when no single count can link to it. */
  link?: { href: string; text: string }
  tables: DashboardTable[]
}

const label = (text: string): Cell => ({ text })

/**
 * The dashboard's tables in the staff member's language: what the page draws (table and
 * chart) and what the indicators CSV exports, from one place so they cannot disagree.
 */
export function dashboardSections(
  ind: Indicators,
  f: DashboardFilter,
  t: TFunction,
  lng: 'es' | 'en',
): DashboardSection[] {
  const k = (key: string, opts?: Record<string, unknown>) =>
    t(`admin-monitoring.${key}`, opts ?? {})
  const count = (n: number, href?: string): Cell => ({
    text: n.toLocaleString(lng === 'en' ? 'en-GB' : 'es-BO'),
    value: n,
    ...(href && n > 0 && { href }),
  })
  const percent = (share: number | null): Cell =>
    share === null
      ? { text: '—' }
      : {
          text: `${Math.round(share * 1000) / 10} %`,
          value: Math.round(share * 1000) / 10,
          unit: 'percent',
        }
  const groupsLink = (extra: Record<string, string | undefined>) =>
    `/admin/groups?${queryString({ country: f.country, region: f.region, ...extra })}`
  const casesLink = (fromDay: string, toDay: string) =>
    `/admin/cases?${queryString({ status: 'all', country: f.country, region: f.region, from: fromDay, to: toDay })}`
  const name = (o: { nameEs: string; nameEn: string }) => (lng === 'en' ? o.nameEn : o.nameEs)
  const month = (m: string) => monthLabel(m, lng)

  const phaseTables: DashboardTable[] = ind.groupsByPhase.map((p) => {
    const rows: Cell[][] = p.phases.map((ph) => [
      label(`${ph.order}. ${name(ph)}`),
      count(ph.count, groupsLink({ phase: ph.phaseId })),
    ])
    if (p.noPhase > 0) rows.push([label(k('groups.no_phase')), count(p.noPhase)])
    rows.push([label(k('total')), count(p.total, groupsLink({ country: p.country }))])
    return {
      id: `groups_by_phase_${p.programmeId}`,
      title: name(p),
      columns: [k('groups.phase'), k('groups.count')],
      rows,
      chart: {
        id: `chart-phase-${p.programmeId}`,
        title: k('groups.by_phase_chart', { programme: name(p) }),
        desc: k('groups.by_phase_desc', {
          programme: name(p),
          total: p.total,
          phases: p.phases.length,
        }),
        orientation: 'horizontal',
        series: [],
        data: p.phases.map((ph) => ({
          label: `${ph.order}. ${name(ph)}`,
          values: [ph.count],
          hrefs: [groupsLink({ phase: ph.phaseId })],
        })),
      },
    }
  })

  const rubroLabel = (r: { rubroId: string | null; nameEs: string; nameEn: string }) =>
    r.rubroId ? name(r) : k('groups.no_rubro')
  const regionLabel = (r: { regionId: string | null; name: string }) =>
    r.regionId ? r.name : k('groups.no_region')
  const weekLabel = (from: string) => `${from.slice(8, 10)}/${from.slice(5, 7)}`

  return [
    {
      id: 'groups',
      title: k('groups.title'),
      note: k('groups.snapshot_note'),
      tables: [
        ...phaseTables,
        {
          id: 'groups_by_rubro',
          title: k('groups.by_rubro'),
          columns: [k('groups.rubro'), k('groups.count')],
          rows: ind.groupsByRubro.map((r) => [
            label(rubroLabel(r)),
            count(r.count, r.rubroId ? groupsLink({ rubro: r.rubroId }) : undefined),
          ]),
          chart: {
            id: 'chart-rubro',
            title: k('groups.by_rubro'),
            desc: k('groups.by_rubro_desc', { n: ind.groupsByRubro.length }),
            orientation: 'horizontal',
            series: [],
            data: ind.groupsByRubro.map((r) => ({
              label: rubroLabel(r),
              values: [r.count],
              hrefs: [r.rubroId ? groupsLink({ rubro: r.rubroId }) : undefined],
            })),
          },
        },
        {
          id: 'groups_by_region',
          title: k('groups.by_region'),
          columns: [k('groups.region'), k('groups.country'), k('groups.count')],
          rows: ind.groupsByRegion.map((r) => [
            label(regionLabel(r)),
            label(r.country),
            count(r.count, r.regionId ? groupsLink({ region: r.regionId }) : undefined),
          ]),
          chart: {
            id: 'chart-region',
            title: k('groups.by_region'),
            desc: k('groups.by_region_desc', { n: ind.groupsByRegion.length }),
            orientation: 'horizontal',
            series: [],
            data: ind.groupsByRegion.map((r) => ({
              label: regionLabel(r),
              values: [r.count],
              hrefs: [r.regionId ? groupsLink({ region: r.regionId }) : undefined],
            })),
          },
        },
        {
          id: 'new_groups_by_month',
          title: k('groups.new_by_month'),
          note: k('period_note'),
          columns: [k('month'), k('groups.new')],
          rows: ind.newGroupsByMonth.map((m) => [label(month(m.month)), count(m.count)]),
          chart: {
            id: 'chart-new-groups',
            title: k('groups.new_by_month'),
            desc: k('groups.new_by_month_desc', {
              total: ind.newGroupsByMonth.reduce((a, m) => a + m.count, 0),
              months: ind.newGroupsByMonth.length,
            }),
            orientation: 'vertical',
            series: [],
            data: ind.newGroupsByMonth.map((m) => ({ label: month(m.month), values: [m.count] })),
          },
        },
      ],
    },
    {
      id: 'cases',
      title: k('cases.title'),
      note: k('cases.sla_note'),
      tables: [
        {
          id: 'cases_summary',
          title: k('cases.summary'),
          columns: [k('indicator'), k('value')],
          rows: [
            [label(k('cases.opened')), count(ind.cases.opened, casesLink(f.fromDay, f.toDay))],
            [label(k('cases.answered')), count(ind.cases.answered)],
            [label(k('cases.in_sla')), count(ind.cases.inSla)],
            [label(k('cases.late')), count(ind.cases.late)],
            [label(k('cases.waiting')), count(ind.cases.waiting)],
            [label(k('cases.sla_share')), percent(ind.cases.slaShare)],
            [label(k('cases.median')), duration(ind.cases.medianFirstResponseMs, k)],
          ],
          chart: {
            id: 'chart-sla',
            title: k('cases.sla_chart'),
            desc: k('cases.sla_desc', {
              share: percent(ind.cases.slaShare).text,
              inSla: ind.cases.inSla,
              late: ind.cases.late,
              waiting: ind.cases.waiting,
            }),
            orientation: 'horizontal',
            series: [],
            data: [
              { label: k('cases.in_sla'), values: [ind.cases.inSla] },
              { label: k('cases.late'), values: [ind.cases.late] },
              { label: k('cases.waiting'), values: [ind.cases.waiting] },
            ],
          },
        },
        {
          id: 'cases_by_week',
          title: k('cases.by_week'),
          columns: [
            k('week'),
            k('cases.opened'),
            k('cases.answered'),
            k('cases.in_sla'),
            k('cases.late'),
            k('cases.sla_share'),
          ],
          rows: ind.casesByWeek.map((w) => [
            label(w.fromDay === w.toDay ? w.fromDay : `${w.fromDay} – ${w.toDay}`),
            count(w.opened, casesLink(w.fromDay, w.toDay)),
            count(w.answered),
            count(w.inSla),
            count(w.late),
            percent(w.inSla + w.late > 0 ? w.inSla / (w.inSla + w.late) : null),
          ]),
          chart: {
            id: 'chart-cases-week',
            title: k('cases.by_week'),
            desc: k('cases.by_week_desc', {
              weeks: ind.casesByWeek.length,
              opened: ind.cases.opened,
              answered: ind.cases.answered,
            }),
            orientation: 'vertical',
            series: [k('cases.opened'), k('cases.answered')],
            data: ind.casesByWeek.map((w) => ({
              label: weekLabel(w.fromDay),
              values: [w.opened, w.answered],
              hrefs: [casesLink(w.fromDay, w.toDay), undefined],
            })),
          },
        },
      ],
    },
    {
      id: 'trainings',
      title: k('trainings.title'),
      note: k('trainings.note'),
      // the trainings list has no period filter: it is linked whole, not per count
      link: {
        href: `/admin/trainings?${queryString({ when: 'all', country: f.country, region: f.region })}`,
        text: k('trainings.list_link'),
      },
      tables: [
        {
          id: 'trainings_by_month',
          title: k('trainings.by_month'),
          columns: [
            k('month'),
            k('trainings.trainings'),
            k('trainings.registered'),
            k('trainings.attended'),
            k('trainings.rate'),
          ],
          rows: [
            ...ind.trainingsByMonth.map((m) => [
              label(month(m.month)),
              count(m.trainings),
              count(m.registered),
              count(m.attended),
              percent(m.attendanceRate),
            ]),
            [
              label(k('total')),
              count(ind.trainings.trainings),
              count(ind.trainings.registered),
              count(ind.trainings.attended),
              percent(ind.trainings.attendanceRate),
            ],
          ],
          chart: {
            id: 'chart-trainings',
            title: k('trainings.by_month'),
            desc: k('trainings.desc', {
              registered: ind.trainings.registered,
              attended: ind.trainings.attended,
            }),
            orientation: 'vertical',
            series: [k('trainings.registered'), k('trainings.attended')],
            data: ind.trainingsByMonth.map((m) => ({
              label: month(m.month),
              values: [m.registered, m.attended],
            })),
          },
        },
      ],
    },
    {
      id: 'contacts',
      title: k('contacts.title'),
      note: k('contacts.note'),
      tables: [
        {
          id: 'contacts_by_channel',
          title: k('contacts.by_channel'),
          columns: [k('contacts.channel'), k('contacts.active'), k('contacts.opted_out')],
          rows: ind.contactsByChannel.map((c) => [
            label(k(`channels.${c.channel}`, { defaultValue: c.channel })),
            count(c.active),
            count(c.optedOut),
          ]),
          chart: {
            id: 'chart-contacts',
            title: k('contacts.by_channel'),
            desc: k('contacts.desc', {
              active: ind.contactsByChannel.reduce((a, c) => a + c.active, 0),
              optedOut: ind.contactsByChannel.reduce((a, c) => a + c.optedOut, 0),
            }),
            orientation: 'horizontal',
            series: [k('contacts.active'), k('contacts.opted_out')],
            data: ind.contactsByChannel.map((c) => ({
              label: k(`channels.${c.channel}`, { defaultValue: c.channel }),
              values: [c.active, c.optedOut],
            })),
          },
        },
      ],
    },
  ]
}

function duration(
  ms: number | null,
  k: (key: string, o?: Record<string, unknown>) => string,
): Cell {
  if (ms === null) return { text: '—' }
  const minutes = Math.round(ms / 60_000)
  const text =
    minutes < 60
      ? k('duration.minutes', { m: minutes })
      : minutes < 48 * 60
        ? k('duration.hours', { h: Math.floor(minutes / 60), m: minutes % 60 })
        : k('duration.days', {
            d: Math.floor(minutes / 1440),
            h: Math.floor((minutes % 1440) / 60),
          })
  return { text, value: Math.round((ms / 3_600_000) * 10) / 10, unit: 'hours' }
}

function monthLabel(month: string, lng: 'es' | 'en'): string {
  const d = new Date(`${month}-01T00:00:00Z`)
  return new Intl.DateTimeFormat(lng === 'en' ? 'en-GB' : 'es-BO', {
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(d)
}

/**
 * The M&E indicators as one long CSV table (indicator, category, measure, value, unit), the
 * shape spreadsheets pivot best, preceded by the filters it was computed with.
 */
export function indicatorsCsv(
  sections: DashboardSection[],
  f: DashboardFilter,
  t: TFunction,
): CsvTable {
  const k = (key: string) => t(`admin-monitoring.${key}`)
  const rows: CsvTable['rows'] = [
    [k('csv.filters'), k('filters.from'), '', f.fromDay, ''],
    [k('csv.filters'), k('filters.to'), '', f.toDay, ''],
    [k('csv.filters'), k('filters.country'), '', f.country ?? k('filters.all'), ''],
    [k('csv.filters'), k('filters.region'), '', f.region ?? k('filters.all'), ''],
  ]
  for (const section of sections) {
    for (const table of section.tables) {
      for (const row of table.rows) {
        const [first, ...cells] = row
        cells.forEach((cell, i) => {
          if (cell.value === undefined && cell.text === '—') return
          rows.push([
            table.title,
            first?.text ?? '',
            table.columns[i + 1] ?? '',
            cell.value ?? cell.text,
            cell.unit ? k(`csv.unit_${cell.unit}`) : '',
          ])
        })
      }
    }
  }
  return {
    header: [
      k('csv.indicator'),
      k('csv.category'),
      k('csv.measure'),
      k('csv.value'),
      k('csv.unit'),
    ],
    rows,
  }
}
