import { Router } from 'express'
import { z } from 'zod'
import type { Prisma } from '../../generated/sqlite/index.js'
import type { Db } from '../../app/db/open.ts'
import { renderPage } from '../admin-context.ts'
import { adminOnly } from '../auth/access.ts'
import { queryString } from '../cases/case-routes.ts'

const PAGE = 50
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .optional()
  .catch(undefined)

const auditFilter = z.object({
  action: z.string().trim().max(60).optional().catch(undefined),
  staff: z.string().trim().max(320).optional().catch(undefined),
  from: day,
  to: day,
  page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1),
})

/** The audit log (admin only): newest first, filtered by action, staff email and dates. */
export function auditRoutes(opts: { db: Db }): Router {
  const router = Router()
  router.get('/audit', adminOnly, async (req, res) => {
    const f = auditFilter.parse(req.query)
    const where: Prisma.AuditLogWhereInput = {
      ...(f.action && { action: { startsWith: f.action } }),
      ...(f.staff && { actor: { contains: f.staff.toLowerCase() } }),
      ...((f.from || f.to) && {
        createdAt: {
          ...(f.from && { gte: new Date(`${f.from}T00:00:00Z`) }),
          ...(f.to && { lt: new Date(Date.parse(`${f.to}T00:00:00Z`) + 86_400_000) }),
        },
      }),
    }
    const rows = await opts.db.auditLog.findMany({
      where,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      skip: (f.page - 1) * PAGE,
      take: PAGE + 1,
    })
    const hasNext = rows.length > PAGE
    const base = { action: f.action, staff: f.staff, from: f.from, to: f.to }
    renderPage(res, 'audit/audit', {
      f,
      rows: rows.slice(0, PAGE),
      prevUrl:
        f.page > 1
          ? `/admin/audit${queryString({ ...base, page: String(f.page - 1) })}`
          : undefined,
      nextUrl: hasNext
        ? `/admin/audit${queryString({ ...base, page: String(f.page + 1) })}`
        : undefined,
    })
  })
  return router
}
