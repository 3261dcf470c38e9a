import { Router } from 'express'
import type { AdminDeps } from '../admin-context.ts'
import { factRoutes } from './fact-routes.ts'
import { faqRoutes } from './faq-routes.ts'
import { unansweredRoutes } from './unanswered-routes.ts'

/**
 * Content (issue 9): the FAQ, the questions the bot could not answer, and the facts and
 * requirements behind the formation steps. Every member of staff reads; admins and agents
 * edit; each change is audited with before and after.
 */
export function contentRoutes(deps: AdminDeps & { now: () => Date }): Router {
  const router = Router()
  router.get('/content', (_req, res) => res.redirect(303, '/admin/content/faq'))
  router.use(faqRoutes(deps))
  router.use(unansweredRoutes(deps))
  router.use(factRoutes(deps))
  return router
}
