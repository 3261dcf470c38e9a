import { Router } from 'express'
import type { AdminDeps } from '../admin-context.ts'
import { currentStaff } from '../auth/access.ts'
import { audit } from '../audit/audit.ts'
import { inboxFilterSchema } from '../cases/case-queries.ts'
import { parseDashboardFilter, regionsInScope } from '../monitoring/dashboard-filter.ts'
import { dashboardSections, indicatorsCsv } from '../monitoring/dashboard-tables.ts'
import { computeIndicators } from '../monitoring/indicators.ts'
import { casesCsv } from './case-export.ts'
import { sendCsv } from './csv.ts'

/** Only what was chosen, for the audit record (no undefined keys, no cursor). */
function chosen(filters: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(filters).filter(([k, v]) => v !== undefined && k !== 'after'),
  )
}

/**
 * CSV downloads (UTF-8 with BOM, CRLF: Excel opens accents right). Every export is audited
 * with its filters and row count; names and phone numbers go to admins only.
 */
export function exportRoutes(deps: AdminDeps & { now: () => Date }): Router {
  const { db, now } = deps
  const router = Router()

  router.get('/exports/cases.csv', async (req, res) => {
    const staff = currentStaff(res.locals)
    // The inbox's own filters, read as the inbox reads them: the file is the list she sees.
    const f = inboxFilterSchema.parse(req.query)
    const at = now()
    const personalData = staff.role === 'admin'
    const table = await casesCsv(db, staff, f, at, res.locals.t, { personalData })
    await audit(
      db,
      {
        staff,
        action: 'export.cases',
        entity: 'Case',
        after: { filters: chosen(f), rows: table.rows.length, personalData },
        ip: req.ip,
      },
      at,
    )
    sendCsv(res, `minka-cases-${at.toISOString().slice(0, 10)}.csv`, table)
  })

  router.get('/exports/indicators.csv', async (req, res) => {
    const staff = currentStaff(res.locals)
    const at = now()
    const f = parseDashboardFilter(await regionsInScope(db, staff), staff, req.query, at)
    const indicators = await computeIndicators(db, f, at)
    const { t, lng } = res.locals
    const table = indicatorsCsv(dashboardSections(indicators, f, t, lng), f, t)
    await audit(
      db,
      {
        staff,
        action: 'export.indicators',
        after: {
          filters: chosen({ country: f.country, region: f.region, from: f.fromDay, to: f.toDay }),
          rows: table.rows.length,
        },
        ip: req.ip,
      },
      at,
    )
    sendCsv(res, `minka-indicators-${f.fromDay}-${f.toDay}.csv`, table)
  })

  return router
}
