import { randomBytes } from 'node:crypto'
import path from 'node:path'
import express, { Router, type ErrorRequestHandler, type RequestHandler } from 'express'
import session from 'express-session'
import { csrfSync } from 'csrf-sync'
import helmet from 'helmet'
import { ZodError } from 'zod'
import { HttpError } from '../app/http/http-error.ts'
import { translatorFor } from '../app/i18n.ts'
import { ADMIN_DIR, adminLocaleSchema, renderPage, type AdminDeps } from './admin-context.ts'
import { adminOnly, requireStaff, loadStaff } from './auth/access.ts'
import { authRoutes, DEFAULT_LOGIN_LIMITS } from './auth/auth-routes.ts'
import { DbSessionStore } from './auth/session-store.ts'
import { auditRoutes } from './audit/audit-routes.ts'
import { broadcastRoutes } from './broadcasts/broadcast-routes.ts'
import { broadcastMediaUpload } from './broadcasts/media-upload.ts'
import { caseRoutes } from './cases/case-routes.ts'
import { groupRoutes } from './groups/group-routes.ts'
import { listRoutes } from './lists/list-routes.ts'
import { cannedRoutes } from './cases/canned-routes.ts'
import { staffRoutes } from './staff/staff-routes.ts'
import { trainingRoutes } from './trainings/training-routes.ts'
import { settingsRoutes } from './settings/settings-routes.ts'
import { simulatorPageRoutes } from './simulator/simulator-page.ts'
import { contentRoutes } from './content/content-routes.ts'
import { monitoringRoutes } from './monitoring/monitoring-routes.ts'
import { exportRoutes } from './exports/export-routes.ts'
import { translationRoutes } from './translations/translation-routes.ts'

/**
 * The staff panel under /admin: server-rendered pages behind a database-backed session, CSRF
 * tokens on every form, a strict Content-Security-Policy (scripts only from /admin/static).
 */
export function adminRouter(deps: AdminDeps): Router {
  const now = deps.now ?? (() => new Date())
  const idleMs = deps.sessionIdleMinutes * 60_000
  const store = new DbSessionStore(deps.db, idleMs, now)
  const prune = setInterval(() => {
    store.prune().catch((err: unknown) => deps.logger.warn({ err }, 'admin: session prune failed'))
  }, 3_600_000)
  prune.unref()

  const { csrfSynchronisedProtection, generateToken } = csrfSync({
    getTokenFromRequest: (req) => {
      const body = req.body as { _csrf?: unknown } | undefined
      return typeof body?._csrf === 'string' ? body._csrf : req.get('x-csrf-token')
    },
  })

  const outer = Router()
  const admin = Router()
  outer.use('/admin', admin)

  admin.use(
    '/static',
    express.static(path.join(ADMIN_DIR, 'static'), { index: false, maxAge: '1h' }),
  )
  admin.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          'default-src': ["'self'"],
          'script-src': ["'self'"],
          'style-src': ["'self'"],
          'img-src': ["'self'", 'data:'],
          'connect-src': ["'self'"],
          'form-action': ["'self'"],
          'frame-ancestors': ["'none'"],
          'object-src': ["'none'"],
          'base-uri': ["'none'"],
        },
      },
      // Staff may open the panel on plain http on a LAN; TLS is the reverse proxy's job.
      strictTransportSecurity: false,
    }),
  )
  // HSTS only on a request that arrived over HTTPS (directly, or through the trusted reverse
  // proxy's X-Forwarded-Proto): a LAN deployment on plain http keeps working.
  const hsts = helmet.strictTransportSecurity({ maxAge: 180 * 86_400 })
  admin.use((req, res, next) => (req.secure ? hsts(req, res, next) : next()))
  admin.use((_req, res, next) => {
    // Pages carry personal data: never keep them in a shared or back-button cache.
    res.set('Cache-Control', 'no-store')
    next()
  })
  admin.use(
    session({
      name: 'minka.sid',
      store,
      secret: deps.sessionSecret ?? randomBytes(32).toString('hex'),
      resave: false,
      saveUninitialized: false,
      // Every request pushes the expiry forward: the limit is idle time, not session age.
      rolling: true,
      cookie: {
        path: '/admin',
        httpOnly: true,
        sameSite: 'lax',
        secure: 'auto',
        maxAge: idleMs,
      },
    }),
  )
  admin.use(express.urlencoded({ extended: false, limit: '100kb' }))
  admin.use(loadStaff(deps.db))
  admin.use(localsFor(deps))
  admin.use(broadcastMediaUpload()) // multipart compose form: parsed before the CSRF check reads it
  admin.use(csrfSynchronisedProtection)
  admin.use((req, res, next) => {
    res.locals.csrf = generateToken(req)
    next()
  })

  admin.get('/', (_req, res) => res.redirect(303, '/admin/cases'))
  admin.use(
    authRoutes({
      db: deps.db,
      store,
      limits: { ...DEFAULT_LOGIN_LIMITS, ...deps.loginLimits },
      now,
    }),
  )
  admin.use(requireStaff)
  admin.use(caseRoutes({ ...deps, now }))
  admin.use(groupRoutes({ ...deps, now }))
  admin.use(listRoutes({ db: deps.db, now }))
  admin.use(cannedRoutes({ ...deps, now }))
  admin.use(broadcastRoutes({ ...deps, now }))
  admin.use(trainingRoutes({ ...deps, now }))
  admin.use(auditRoutes({ db: deps.db }))
  admin.use(staffRoutes({ db: deps.db, store, now }))
  admin.use(settingsRoutes({ ...deps, now }))
  admin.use(simulatorPageRoutes())
  admin.use(contentRoutes({ ...deps, now }))
  admin.use(translationRoutes({ ...deps, now }))
  admin.use(monitoringRoutes({ ...deps, now }))
  admin.use(exportRoutes({ ...deps, now }))
  // channel pairing (WhatsApp's QR and pairing code): whoever pairs takes over the number
  admin.use('/channels', adminOnly)
  for (const routes of deps.channelStaffRoutes ?? []) admin.use(routes)
  admin.use(() => {
    throw new HttpError(404, 'admin.errors.not_found')
  })
  admin.use(adminErrors(deps))
  return outer
}

function localsFor(deps: AdminDeps): RequestHandler {
  return (req, res, next) => {
    const asked = adminLocaleSchema.safeParse(req.query.lang)
    const lng = res.locals.staff?.locale ?? (asked.success ? asked.data : 'es')
    res.locals.lng = lng
    res.locals.t = translatorFor(deps.i18n, lng)
    res.locals.csrf = ''
    next()
  }
}

/** The panel's own error pages: HTML in her language, never a stack trace. */
function adminErrors(deps: AdminDeps): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    let status = 500
    let key = 'admin.errors.internal'
    // Invalid input names the offending fields (as the form calls them), so staff see what to fix.
    let fields: string[] = []
    if (error instanceof HttpError) {
      status = error.status
      key = error.messageKey
    } else if (error instanceof ZodError) {
      status = 400
      fields = invalidFields(error, req.body)
      key = fields.length > 0 ? 'admin.errors.invalid_fields' : 'admin.errors.bad_request'
    } else if ((error as { code?: string }).code === 'EBADCSRFTOKEN') {
      status = 403
      key = 'admin.errors.csrf'
    } else {
      const s = (error as { status?: number }).status
      if (s && s >= 400 && s < 500) {
        status = s
        key = 'admin.errors.bad_request'
      } else deps.logger.error({ err: error, path: req.path }, 'admin: request failed')
    }
    if (req.path.endsWith('.json') || req.get('accept')?.startsWith('application/json')) {
      res.status(status).json({ error: key, ...(fields.length > 0 && { fields }) })
      return
    }
    if (!res.locals.t) res.locals.t = translatorFor(deps.i18n, 'es')
    const params = { fields: fields.join(', '), count: fields.length }
    renderPage(res, 'error', { status, message: key, params }, status)
  }
}

/**
 * The form or query fields a ZodError is about: the first segment of each issue's path. A
 * route that parses one value (`schema.parse(body.status)`) gives issues without a path; when
 * the form sent exactly one field, that is the one.
 */
function invalidFields(error: ZodError, body: unknown): string[] {
  const names = error.issues.flatMap((issue) => {
    const first = issue.path[0]
    // an unknown key is reported on its parent: name the keys themselves
    if (issue.code === 'unrecognized_keys') return issue.keys
    return first === undefined ? [] : [String(first)]
  })
  if (names.length === 0 && body && typeof body === 'object') {
    const sent = Object.keys(body).filter((k) => k !== '_csrf')
    if (sent.length === 1) names.push(sent[0]!)
  }
  return [...new Set(names.map((n) => n.slice(0, 60)))].slice(0, 20)
}
