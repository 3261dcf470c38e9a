import { Router } from 'express'
import { z } from 'zod'
import { renderPage, type AdminDeps } from '../admin-context.ts'
import { adminOnly, currentStaff } from '../auth/access.ts'
import { audit } from '../audit/audit.ts'
import { caseTopics } from '../cases/case-queries.ts'

const hours = z.coerce
  .number()
  .int()
  .min(1)
  .max(24 * 30)

/** Settings (admin only): SLA hours per topic and the channels' state. */
export function settingsRoutes(deps: AdminDeps & { now: () => Date }): Router {
  const { db } = deps
  const router = Router()
  router.use('/settings', adminOnly)

  router.get('/settings', async (req, res) => {
    const rows = await db.setting.findMany({ where: { key: { startsWith: 'sla.hours.' } } })
    const sla = Object.fromEntries(rows.map((r) => [r.key.slice('sla.hours.'.length), r.value]))
    renderPage(res, 'settings/settings', {
      topics: caseTopics,
      sla,
      channels: Object.entries(deps.channelHealth()),
      saved: req.query.saved === '1',
    })
  })

  router.post('/settings/sla', async (req, res) => {
    const body = req.body as Record<string, unknown>
    const changes: Record<string, { before?: string; after: string }> = {}
    for (const topic of caseTopics) {
      const value = body[`sla_${topic}`]
      if (value === undefined || value === '') continue
      const after = String(hours.parse(value))
      const key = `sla.hours.${topic}`
      const before = await db.setting.findUnique({ where: { key } })
      if (before?.value === after) continue
      await db.setting.upsert({
        where: { key },
        create: { key, value: after },
        update: { value: after },
      })
      changes[topic] = { ...(before && { before: before.value }), after }
    }
    if (Object.keys(changes).length) {
      await audit(db, {
        staff: currentStaff(res.locals),
        action: 'settings.sla',
        entity: 'Setting',
        entityId: 'sla.hours',
        before: Object.fromEntries(Object.entries(changes).map(([k, v]) => [k, v.before])),
        after: Object.fromEntries(Object.entries(changes).map(([k, v]) => [k, v.after])),
        ip: req.ip,
      })
    }
    res.redirect(303, '/admin/settings?saved=1')
  })
  return router
}
