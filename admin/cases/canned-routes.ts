import { randomUUID } from 'node:crypto'
import { Router } from 'express'
import { z } from 'zod'
import { renderPage, type AdminDeps } from '../admin-context.ts'
import { adminOnly, currentStaff } from '../auth/access.ts'
import { audit } from '../audit/audit.ts'

const cannedBody = z.object({
  title: z.string().trim().min(1).max(120),
  body: z.string().trim().min(1).max(4000),
  locale: z.enum(['es', 'en']).default('es'),
})

/** Canned replies (admin only): templates with variables such as {{name}} and {{case}}. */
export function cannedRoutes(deps: AdminDeps & { now: () => Date }): Router {
  const { db } = deps
  const router = Router()
  router.get('/canned', adminOnly, async (_req, res) => {
    const replies = await db.cannedReply.findMany({ orderBy: { title: 'asc' }, take: 500 })
    renderPage(res, 'cases/canned', { replies })
  })
  router.post('/canned', adminOnly, async (req, res) => {
    const data = cannedBody.parse(req.body)
    const id = randomUUID()
    await db.cannedReply.create({ data: { id, ...data } })
    await audit(db, {
      staff: currentStaff(res.locals),
      action: 'canned.create',
      entity: 'CannedReply',
      entityId: id,
      after: data,
      ip: req.ip,
    })
    res.redirect(303, '/admin/canned')
  })
  router.post('/canned/:id/delete', adminOnly, async (req, res) => {
    const before = await db.cannedReply.findUnique({ where: { id: String(req.params.id) } })
    if (before) {
      await db.cannedReply.delete({ where: { id: before.id } })
      await audit(db, {
        staff: currentStaff(res.locals),
        action: 'canned.delete',
        entity: 'CannedReply',
        entityId: before.id,
        before: { title: before.title, body: before.body },
        ip: req.ip,
      })
    }
    res.redirect(303, '/admin/canned')
  })
  return router
}
