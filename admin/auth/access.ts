import type { RequestHandler } from 'express'
import type { Prisma } from '../../generated/sqlite/index.js'
import type { Db } from '../../app/db/open.ts'
import { HttpError } from '../../app/http/http-error.ts'
import { adminLocaleSchema, roleSchema, type CurrentStaff, type Role } from '../admin-context.ts'

/**
 * Loads the signed-in staff member on every request (not from the session copy), so disabling
 * an account or changing her role or regions takes effect on her next click.
 */
export function loadStaff(db: Db): RequestHandler {
  return async (req, res, next) => {
    const id = req.session.staffId
    if (!id) return next()
    const row = await db.staff.findUnique({ where: { id }, include: { regions: true } })
    if (!row || row.disabledAt) {
      await new Promise<void>((resolve) => req.session.destroy(() => resolve()))
      return next()
    }
    res.locals.staff = {
      id: row.id,
      email: row.email,
      name: row.name,
      role: roleSchema.catch('viewer').parse(row.role),
      locale: adminLocaleSchema.catch('es').parse(row.locale),
      regionIds: row.regions.map((r) => r.regionId),
      mustChangePassword: row.mustChangePassword,
    }
    next()
  }
}

/** Pages behind sign-in: a visitor goes to the sign-in page; JSON callers get 401. */
export const requireStaff: RequestHandler = (req, res, next) => {
  const staff = res.locals.staff
  if (!staff) {
    if (req.method === 'GET' && !req.path.endsWith('.json')) {
      res.redirect(303, `/admin/login?next=${encodeURIComponent(req.originalUrl)}`)
      return
    }
    throw new HttpError(401, 'admin.errors.signed_out')
  }
  // A generated password is for one use: nothing else until she picks her own.
  if (staff.mustChangePassword && !req.path.startsWith('/account/password')) {
    if (req.method === 'GET') return res.redirect(303, '/admin/account/password')
    throw new HttpError(403, 'admin.errors.must_change_password')
  }
  next()
}

export function requireRole(...roles: Role[]): RequestHandler {
  return (_req, res, next) => {
    if (!res.locals.staff || !roles.includes(res.locals.staff.role)) {
      throw new HttpError(403, 'admin.errors.forbidden')
    }
    next()
  }
}

/** Staff who may change cases (reply, note, assign, status): viewers only read. */
export const canWork = requireRole('admin', 'agent')
export const adminOnly = requireRole('admin')

/**
 * The cases a staff member may see. Admins see all; agents and viewers see the cases of their
 * regions. A case with no region (she has not told hers yet) is visible to admins only, who
 * route it — documented in the README.
 */
export function caseScope(staff: CurrentStaff): Prisma.CaseWhereInput {
  return staff.role === 'admin' ? {} : { regionId: { in: staff.regionIds } }
}

/** Regions a staff member may filter by; undefined means every region. */
export function regionScope(staff: CurrentStaff): string[] | undefined {
  return staff.role === 'admin' ? undefined : staff.regionIds
}

export function currentStaff(locals: { staff?: CurrentStaff }): CurrentStaff {
  if (!locals.staff) throw new HttpError(401, 'admin.errors.signed_out')
  return locals.staff
}
