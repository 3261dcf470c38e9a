import { Router } from 'express'
import { renderPage } from '../admin-context.ts'

/**
 * The simulator page: staff chat with the bot as a beneficiary through the web channel API
 * (/api/simulator/messages), from admin/static/simulator.js.
 */
export function simulatorPageRoutes(): Router {
  const router = Router()
  router.get('/simulator', (_req, res) => {
    renderPage(res, 'simulator', {})
  })
  return router
}
