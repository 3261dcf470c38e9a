import express, { type ErrorRequestHandler, type Router } from 'express'
import { ZodError } from 'zod'
import type { Logger } from '../logger.ts'
import { fairAdmission } from './fair-admission.ts'
import { HttpError } from './http-error.ts'

/**
 * The HTTP application: routers for health, channels and (later) the admin panel, and the one
 * central error handler (STYLE.md, point 7).
 */
export function createHttpApp(routers: Router[], logger: Logger): express.Express {
  const app = express()
  app.disable('x-powered-by')
  app.set('trust proxy', 'loopback')
  app.use(fairAdmission())
  for (const router of routers) app.use(router)
  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found' })
  })
  const onError: ErrorRequestHandler = (error, req, res, _next) => {
    if (error instanceof HttpError) {
      res.status(error.status).json({ error: error.messageKey, ...error.details })
      return
    }
    if (error instanceof ZodError) {
      res
        .status(400)
        .json({ error: 'invalid_request', fields: error.issues.map((i) => i.path.join('.')) })
      return
    }
    const status = (error as { status?: number }).status
    if (status && status >= 400 && status < 500) {
      res.status(status).json({ error: 'bad_request' })
      return
    }
    logger.error({ err: error, path: req.path }, 'http: request failed')
    res.status(500).json({ error: 'internal_error' })
  }
  app.use(onError)
  return app
}
