import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { adminTestApp, createStaff, signIn } from '../admin-test-kit.ts'
import { seedMonitoringFixture, type FixtureRows } from './monitoring-fixture.ts'

let kit: Awaited<ReturnType<typeof adminTestApp>>
let rows: FixtureRows
type Session = Awaited<ReturnType<typeof signIn>>
let admin: Session
let agent: Session

beforeAll(async () => {
  kit = await adminTestApp()
  rows = await seedMonitoringFixture(kit.db, new Date())
  await createStaff(kit.db, 'agent@test.local', 'agent', ['BO-CB'])
  admin = await signIn(kit.app, 'admin@test.local')
  agent = await signIn(kit.app, 'agent@test.local')
})
afterAll(() => kit.cleanup())

const unescape = (s: string) =>
  s
    .replace(/&amp;/g, '&')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')

type Cell = { text: string; href?: string }
/** The rows of one dashboard table: each cell's text and link. */
function table(html: string, id: string): Cell[][] {
  const start = html.indexOf(`data-table="${id}"`)
  if (start < 0) throw new Error(`no table ${id}`)
  const body = html.slice(start, html.indexOf('</table>', start))
  const tbody = body.slice(body.indexOf('<tbody>'))
  return [...tbody.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((tr) =>
    [...tr[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) => {
      const href = /href="([^"]+)"/.exec(cell[1]!)?.[1]
      return {
        text: unescape(cell[1]!.replace(/<[^>]+>/g, '').trim()),
        ...(href && { href: unescape(href) }),
      }
    }),
  )
}
const number = (c: Cell | undefined) => Number(c?.text.replace(/[^\d]/g, ''))
const csvRows = (text: string): string[][] => parse(text, { bom: true }) as string[][]

describe('the dashboard', () => {
  it('shows every figure as a table and an accessible server-drawn chart, without scripts', async () => {
    const res = await admin.agent.get('/admin/monitoring')
    expect(res.status).toBe(200)
    for (const id of [
      'groups_by_phase_BO-ATC',
      'groups_by_phase_PA-ECV',
      'groups_by_rubro',
      'groups_by_region',
      'new_groups_by_month',
      'cases_summary',
      'cases_by_week',
      'trainings_by_month',
      'contacts_by_channel',
    ]) {
      expect(table(res.text, id).length).toBeGreaterThan(0)
    }
    expect(table(res.text, 'groups_by_phase_BO-ATC').length).toBe(4 + 2) // 4 phases, none, total
    expect(table(res.text, 'groups_by_phase_PA-ECV').length).toBe(3 + 2)
    const svgs = [...res.text.matchAll(/<svg[^>]*role="img"[^>]*>([\s\S]*?)<\/svg>/g)]
    expect(svgs.length).toBe(9)
    for (const [, inner] of svgs) {
      expect(inner).toMatch(/<title id="[^"]+-title">[^<]+<\/title>/)
      expect(inner).toMatch(/<desc id="[^"]+-desc">[^<]+<\/desc>/)
      expect(inner).toMatch(/<text class="value"[^>]*>\d+<\/text>/)
    }
    // the CSP allows no inline script: every <script> has a src
    expect(res.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/)
    expect(res.headers['content-security-policy']).toContain("script-src 'self'")
    // the rubro chart's bars are the table's numbers, as text
    const rubroTable = table(res.text, 'groups_by_rubro').map((r) => number(r[1]))
    const rubroChart = /data-chart="chart-rubro"[\s\S]*?<\/svg>/.exec(res.text)![0]
    const values = [...rubroChart.matchAll(/<text class="value"[^>]*>(\d+)<\/text>/g)].map((m) =>
      Number(m[1]),
    )
    expect(values).toEqual(rubroTable)
  })

  it("an agent sees only her region's numbers", async () => {
    const res = await agent.agent.get('/admin/monitoring')
    expect(res.status).toBe(200)
    const regions = table(res.text, 'groups_by_region')
    expect(regions.map((r) => r[0]!.text)).toEqual(['Cochabamba'])
    expect(number(regions[0]![2])).toBe(rows.groups.filter((g) => g.regionId === 'BO-CB').length)
    expect(res.text).not.toContain('<option value="BO-LP"')
    const whole = await admin.agent.get('/admin/monitoring')
    const opened = (html: string) => number(table(html, 'cases_summary')[0]![1])
    expect(opened(res.text)).toBeLessThan(opened(whole.text))
    expect(opened(res.text)).toBeGreaterThan(0)
  })

  it('answers 400 naming the field for a bad filter', async () => {
    const cases: [Session, string, string][] = [
      [admin, 'from=2026-02-30', 'from'],
      [admin, 'from=yesterday', 'from'],
      [admin, 'to=hola', 'to'], // found by the admin fuzz: a 500 before
      [admin, 'to=0', 'to'],
      [admin, 'from=2026-10-10&to=2026-10-01', 'to'],
      [admin, 'from=2020-01-01&to=2026-01-01', 'from'],
      [admin, 'country=AR', 'country'],
      [admin, 'region=XX-99', 'region'],
      [admin, 'country=PA&region=BO-LP', 'region'],
      [agent, 'region=BO-LP', 'region'], // not hers
    ]
    for (const [who, query, field] of cases) {
      for (const path of ['/admin/monitoring', '/admin/exports/indicators.csv']) {
        const res = await who.agent.get(`${path}?${query}`)
        expect(res.status, `${path}?${query}`).toBe(400)
        expect(res.text, `${path}?${query}`).toMatch(new RegExp(`<p>[^<]*\\b${field}\\b`))
        const json = await who.agent.get(`${path}?${query}`).set('accept', 'application/json')
        expect(json.body, `${path}?${query}`).toMatchObject({ fields: [field] })
      }
    }
    expect((await admin.agent.get('/admin/monitoring?country=&region=&from=&to=')).status).toBe(200)
  })

  it('every count links to a list that shows the same number, down to a single case', async () => {
    for (const who of [admin, agent]) {
      const page = (await who.agent.get('/admin/monitoring')).text
      const weeks = table(page, 'cases_by_week').filter((r) => number(r[1]) > 0)
      expect(weeks.length).toBeGreaterThan(3)
      for (const week of weeks.slice(0, 6)) {
        const inbox = await who.agent.get(week[1]!.href!)
        const all = /data-tab="all">[^<]*<span class="count">(\d+)<\/span>/.exec(inbox.text)
        expect(Number(all?.[1]), week[1]!.href).toBe(number(week[1]))
      }
      const total = table(page, 'cases_summary')[0]![1]!
      const list = await who.agent.get(total.href!)
      expect(list.text).toContain(`<span class="count">${number(total)}</span>`)
      const caseLink = /href="(\/admin\/cases\/\d+)"/.exec(list.text)![1]!
      expect((await who.agent.get(caseLink)).status).toBe(200)

      const trainings = /href="([^"]+)" data-test="section-link"/.exec(page)
      expect(trainings?.[1]).toMatch(/^\/admin\/trainings\?when=all/)
      expect((await who.agent.get(unescape(trainings![1]!))).status).toBe(200)

      const groupCells = [
        ...table(page, 'groups_by_phase_BO-ATC').map((r) => r[1]!),
        ...table(page, 'groups_by_rubro').map((r) => r[1]!),
        ...table(page, 'groups_by_region').map((r) => r[2]!),
      ].filter((c) => c.href)
      expect(groupCells.length).toBeGreaterThan(3)
      for (const cell of groupCells) {
        const groups = await who.agent.get(cell.href!)
        const shown = /data-test="group-total">(\d+)</.exec(groups.text)
        expect(Number(shown?.[1]), cell.href).toBe(number(cell))
      }
    }
  })
})

describe('CSV exports', () => {
  it('cases: the inbox filters and scope, names and phones for admins only, audited', async () => {
    const res = await admin.agent.get('/admin/exports/cases.csv?status=all')
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toContain('text/csv')
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="minka-cases-/)
    expect(res.text.startsWith('\uFEFF')).toBe(true)
    expect(res.text).toContain('\r\n')
    const [header, ...data] = csvRows(res.text)
    expect(header).toContain('Nombre')
    expect(header).toContain('Teléfono')
    expect(data.length).toBe(rows.cases.length)
    // accents, commas and quotes survive the round trip
    const c = rows.cases.find((x) => x.contactId === 'mon-c-0')!
    const line = data.find((d) => d[0] === String(c.id))!
    expect(line.at(-2)).toBe('Ñusta Quispe, "0"')
    expect(line.at(-1)).toBe('+591 71000000')
    const groupCase = rows.cases.find((x) => x.groupId)!
    const groupName = rows.groups.find((g) => g.id === groupCase.groupId)!.name
    expect(groupName).toMatch(/,.*«.*ñ/)
    expect(data.find((d) => d[0] === String(groupCase.id))![header!.indexOf('Grupo')]).toBe(
      groupName,
    )

    const mine = await agent.agent.get('/admin/exports/cases.csv?status=all&topic=legal')
    const [agentHeader, ...agentData] = csvRows(mine.text)
    expect(agentHeader).not.toContain('Teléfono')
    expect(mine.text).not.toContain('+591')
    expect(mine.text).not.toContain('Ñusta')
    const expected = rows.cases.filter((x) => x.regionId === 'BO-CB' && x.topic === 'legal')
    expect(agentData.map((d) => Number(d[0])).sort()).toEqual(expected.map((x) => x.id).sort())

    const audits = await kit.db.auditLog.findMany({
      where: { action: 'export.cases' },
      orderBy: { createdAt: 'asc' },
    })
    expect(audits.map((a) => [a.actor, JSON.parse(a.after!)])).toEqual([
      [
        'admin@test.local',
        { filters: { status: 'all' }, rows: rows.cases.length, personalData: true },
      ],
      [
        'agent@test.local',
        { filters: { status: 'all', topic: 'legal' }, rows: expected.length, personalData: false },
      ],
    ])
  })

  it("indicators: the dashboard's tables, in the staff member's scope, audited", async () => {
    const page = (await agent.agent.get('/admin/monitoring?from=2026-01-01')).text
    const res = await agent.agent.get('/admin/exports/indicators.csv?from=2026-01-01')
    expect(res.status).toBe(200)
    expect(res.text.startsWith('\uFEFF')).toBe(true)
    const [header, ...data] = csvRows(res.text)
    expect(header).toEqual(['Indicador', 'Categoría', 'Medida', 'Valor', 'Unidad'])
    const value = (indicator: string, category: string, measure: string) =>
      data.find((d) => d[0] === indicator && d[1] === category && d[2] === measure)?.[3]
    expect(value('Casos del periodo', 'Abiertos', 'Valor')).toBe(
      String(number(table(page, 'cases_summary')[0]![1])),
    )
    expect(value('Grupos por región', 'Cochabamba', 'Grupos')).toBe(
      String(rows.groups.filter((g) => g.regionId === 'BO-CB').length),
    )
    expect(data.some((d) => d[1] === 'La Paz')).toBe(false)
    expect(value('Filtros', 'Desde', '')).toBe('2026-01-01')
    const audit = await kit.db.auditLog.findFirstOrThrow({ where: { action: 'export.indicators' } })
    expect(audit.actor).toBe('agent@test.local')
    expect(JSON.parse(audit.after!).filters.from).toBe('2026-01-01')
  })
})
