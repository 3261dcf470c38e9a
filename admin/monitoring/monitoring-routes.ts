import { Router } from 'express'
import { renderPage, type AdminDeps } from '../admin-context.ts'
import { currentStaff } from '../auth/access.ts'
import { barChart } from './charts.ts'
import { filterQuery, parseDashboardFilter, regionsInScope } from './dashboard-filter.ts'
import { dashboardSections } from './dashboard-tables.ts'
import { computeIndicators } from './indicators.ts'

/**
 * The monitoring and evaluation dashboard (issue 9), for every staff role: each figure over
 * her regions only, each table with its chart, each count linking down to the list it sums.
 */
export function monitoringRoutes(deps: AdminDeps & { now: () => Date }): Router {
  const { db, now } = deps
  const router = Router()

  router.get('/monitoring', async (req, res) => {
    const staff = currentStaff(res.locals)
    const at = now()
    const regions = await regionsInScope(db, staff)
    const f = parseDashboardFilter(regions, staff, req.query, at)
    const indicators = await computeIndicators(db, f, at)
    const sections = dashboardSections(indicators, f, res.locals.t, res.locals.lng).map((s) => ({
      ...s,
      tables: s.tables.map((table) => ({
        ...table,
        chartModel: table.chart ? barChart(table.chart) : undefined,
      })),
    }))
    const query = filterQuery(f)
    renderPage(res, 'monitoring/dashboard', {
      f,
      regions,
      sections,
      exports: {
        indicators: `/admin/exports/indicators.csv?${query}`,
        cases: `/admin/exports/cases.csv?${filterQuery(f, { status: 'all' })}`,
      },
    })
  })

  return router
}
