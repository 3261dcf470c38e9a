import { randomBytes } from 'node:crypto'
import argon2 from 'argon2'
import { Router, type Request, type Response } from 'express'
import { rateLimit } from 'express-rate-limit'
import { z } from 'zod'
import type { Db } from '../../app/db/open.ts'
import { HttpError } from '../../app/http/http-error.ts'
import { adminLocaleSchema, renderPage, type LoginLimits } from '../admin-context.ts'
import { audit } from '../audit/audit.ts'
import { currentStaff, requireStaff } from './access.ts'
import type { DbSessionStore } from './session-store.ts'

export const DEFAULT_LOGIN_LIMITS: LoginLimits = {
  windowMs: 15 * 60_000,
  perIp: 30,
  perAccount: 10,
  lockAfter: 5,
  lockMinutes: 15,
}

const loginBody = z.object({
  email: z.string().trim().toLowerCase().max(320),
  password: z.string().max(1024),
  next: z.string().optional(),
})

export const passwordSchema = z.string().min(12).max(256)

// Verifying against this when the account does not exist keeps the response time the same,
// so timing does not reveal which emails are staff.
const dummyHash = argon2.hash(randomBytes(16).toString('hex'), { type: argon2.argon2id })

/** Only local paths under /admin, so `next` cannot send her to another site. */
function safeNext(next: string | undefined): string {
  return next && /^\/admin(\/[\w\-/.?=&%]*)?$/.test(next) && !next.startsWith('//')
    ? next
    : '/admin/cases'
}

function renderLogin(res: Response, status: number, error?: string, email = '', next = '') {
  renderPage(res, 'login', { error, email, next }, status)
}

export function authRoutes(opts: {
  db: Db
  store: DbSessionStore
  limits: LoginLimits
  now: () => Date
}): Router {
  const { db, limits, now } = opts
  const router = Router()

  const tooMany = (req: Request, res: Response) => {
    void audit(db, { actor: emailOf(req), action: 'auth.login_throttled', ip: req.ip }, now())
    renderLogin(res, 429, 'admin.login.too_many', emailOf(req))
  }
  // Both count only failures (a successful sign-in answers 303): a typo costs nothing.
  const perIp = rateLimit({
    windowMs: limits.windowMs,
    limit: limits.perIp,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: tooMany,
  })
  const perAccount = rateLimit({
    windowMs: limits.windowMs,
    limit: limits.perAccount,
    skipSuccessfulRequests: true,
    standardHeaders: false,
    legacyHeaders: false,
    keyGenerator: (req) => `account:${emailOf(req)}`,
    handler: tooMany,
  })

  router.get('/login', (req, res) => {
    if (res.locals.staff) return res.redirect(303, '/admin/cases')
    const next = typeof req.query.next === 'string' ? req.query.next : ''
    renderLogin(res, 200, undefined, '', next)
  })

  router.post('/login', perIp, perAccount, async (req, res) => {
    const { email, password, next } = loginBody.parse(req.body)
    const staff = await db.staff.findUnique({ where: { email } })
    const at = now()
    if (staff?.lockedUntil && staff.lockedUntil > at) {
      await audit(db, { staff, action: 'auth.login_locked', ip: req.ip }, at)
      return renderLogin(res, 429, 'admin.login.locked', email, next)
    }
    const ok = staff
      ? await argon2.verify(staff.passwordHash, password)
      : await argon2.verify(await dummyHash, password).then(() => false)
    if (!staff || !ok || staff.disabledAt) {
      if (staff) {
        const failed = staff.failedLogins + 1
        const lock = failed >= limits.lockAfter
        await db.staff.update({
          where: { id: staff.id },
          data: {
            failedLogins: lock ? 0 : failed,
            ...(lock && { lockedUntil: new Date(at.getTime() + limits.lockMinutes * 60_000) }),
          },
        })
      }
      await audit(
        db,
        { staff: staff ?? undefined, actor: email, action: 'auth.login_failed', ip: req.ip },
        at,
      )
      return renderLogin(res, 401, 'admin.login.failed', email, next)
    }
    await db.staff.update({
      where: { id: staff.id },
      data: { failedLogins: 0, lockedUntil: null, lastLoginAt: at },
    })
    // A new session id at sign-in: a session id planted before sign-in is worthless after.
    await new Promise<void>((resolve, reject) =>
      req.session.regenerate((err) => (err ? reject(err) : resolve())),
    )
    req.session.staffId = staff.id
    await new Promise<void>((resolve, reject) =>
      req.session.save((err) => (err ? reject(err) : resolve())),
    )
    await audit(db, { staff, action: 'auth.login', ip: req.ip }, at)
    res.redirect(303, staff.mustChangePassword ? '/admin/account/password' : safeNext(next))
  })

  router.post('/logout', async (req, res) => {
    const staff = res.locals.staff
    if (staff) await audit(db, { staff, action: 'auth.logout', ip: req.ip }, now())
    await new Promise<void>((resolve) => req.session.destroy(() => resolve()))
    res.clearCookie('minka.sid', { path: '/admin' })
    res.redirect(303, '/admin/login')
  })

  router.get('/account/password', requireStaff, (_req, res) => {
    renderPage(res, 'password', {})
  })

  router.post('/account/password', requireStaff, async (req, res) => {
    const staff = currentStaff(res.locals)
    const body = z
      .object({ current: z.string().max(1024), password: z.string(), confirm: z.string() })
      .parse(req.body)
    const row = await db.staff.findUniqueOrThrow({ where: { id: staff.id } })
    let error: string | undefined
    if (!(await argon2.verify(row.passwordHash, body.current))) error = 'admin.password.wrong'
    else if (!passwordSchema.safeParse(body.password).success) error = 'admin.password.too_short'
    else if (body.password !== body.confirm) error = 'admin.password.mismatch'
    else if (body.password === body.current) error = 'admin.password.same'
    if (error) return renderPage(res, 'password', { error }, 400)
    await db.staff.update({
      where: { id: staff.id },
      data: {
        passwordHash: await argon2.hash(body.password, { type: argon2.argon2id }),
        mustChangePassword: false,
      },
    })
    await audit(db, { staff, action: 'auth.password_changed', ip: req.ip }, now())
    res.locals.staff = { ...staff, mustChangePassword: false }
    renderPage(res, 'password', { done: true })
  })

  router.post('/account/locale', requireStaff, async (req, res) => {
    const staff = currentStaff(res.locals)
    const parsed = adminLocaleSchema.safeParse((req.body as { locale?: unknown }).locale)
    if (!parsed.success) throw new HttpError(400, 'admin.errors.bad_request')
    await db.staff.update({ where: { id: staff.id }, data: { locale: parsed.data } })
    await audit(db, {
      staff,
      action: 'staff.locale',
      entity: 'Staff',
      entityId: staff.id,
      before: staff.locale,
      after: parsed.data,
      ip: req.ip,
    })
    res.redirect(303, '/admin/cases')
  })

  return router
}

function emailOf(req: Request): string {
  const email = (req.body as { email?: unknown } | undefined)?.email
  return typeof email === 'string' ? email.trim().toLowerCase().slice(0, 320) : ''
}
