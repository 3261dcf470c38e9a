import { randomUUID } from 'node:crypto'
import argon2 from 'argon2'
import { Router } from 'express'
import { z } from 'zod'
import type { Db } from '../../app/db/open.ts'
import { HttpError } from '../../app/http/http-error.ts'
import { generatePassword } from '../../prisma/seed/seed.ts'
import { adminLocaleSchema, renderPage, roleSchema } from '../admin-context.ts'
import { adminOnly, currentStaff } from '../auth/access.ts'
import type { DbSessionStore } from '../auth/session-store.ts'
import { audit } from '../audit/audit.ts'

const regionList = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))

const staffBody = z.object({
  email: z.email().trim().toLowerCase(),
  name: z.string().trim().min(1).max(120),
  role: roleSchema,
  locale: adminLocaleSchema.default('es'),
  regions: regionList,
})

/** Staff accounts (admin only): create, disable/enable, reset a password. */
export function staffRoutes(opts: { db: Db; store: DbSessionStore; now: () => Date }): Router {
  const { db, store } = opts
  const router = Router()
  router.use('/staff', adminOnly)

  const page = async (extra: Record<string, unknown> = {}) => ({
    members: await db.staff.findMany({
      orderBy: [{ disabledAt: 'asc' }, { name: 'asc' }],
      include: { regions: true },
      take: 1000,
    }),
    regions: await db.region.findMany({
      where: { active: true },
      orderBy: [{ country: 'asc' }, { name: 'asc' }],
    }),
    ...extra,
  })

  router.get('/staff', async (_req, res) => {
    renderPage(res, 'staff/staff', await page())
  })

  router.post('/staff', async (req, res) => {
    const parsed = staffBody.safeParse(req.body)
    if (!parsed.success) {
      return renderPage(res, 'staff/staff', await page({ error: 'admin.staff.invalid' }), 400)
    }
    const data = parsed.data
    if (await db.staff.findUnique({ where: { email: data.email } })) {
      return renderPage(res, 'staff/staff', await page({ error: 'admin.staff.exists' }), 409)
    }
    const known = await db.region.count({ where: { id: { in: data.regions } } })
    if (known !== data.regions.length) throw new HttpError(400, 'admin.errors.bad_request')
    const password = generatePassword()
    const id = randomUUID()
    await db.staff.create({
      data: {
        id,
        email: data.email,
        name: data.name,
        role: data.role,
        locale: data.locale,
        passwordHash: await argon2.hash(password, { type: argon2.argon2id }),
        mustChangePassword: true,
        regions: { create: data.regions.map((regionId) => ({ regionId })) },
      },
    })
    await audit(db, {
      staff: currentStaff(res.locals),
      action: 'staff.create',
      entity: 'Staff',
      entityId: id,
      after: { email: data.email, role: data.role, regions: data.regions },
      ip: req.ip,
    })
    // Shown once, on this response only; only its hash is kept.
    renderPage(res, 'staff/staff', await page({ created: { email: data.email, password } }))
  })

  router.post('/staff/:id/disable', async (req, res) => {
    const me = currentStaff(res.locals)
    if (String(req.params.id) === me.id) throw new HttpError(400, 'admin.staff.not_yourself')
    const before = await db.staff.findUnique({ where: { id: req.params.id } })
    if (!before) throw new HttpError(404, 'admin.errors.not_found')
    const disabledAt = before.disabledAt ? null : opts.now()
    await db.staff.update({ where: { id: before.id }, data: { disabledAt } })
    if (disabledAt) await store.destroyAllOf(before.id)
    await audit(db, {
      staff: me,
      action: disabledAt ? 'staff.disable' : 'staff.enable',
      entity: 'Staff',
      entityId: before.id,
      before: { disabled: Boolean(before.disabledAt) },
      after: { disabled: Boolean(disabledAt) },
      ip: req.ip,
    })
    res.redirect(303, '/admin/staff')
  })

  router.post('/staff/:id/reset', async (req, res) => {
    const before = await db.staff.findUnique({ where: { id: req.params.id } })
    if (!before) throw new HttpError(404, 'admin.errors.not_found')
    const password = generatePassword()
    await db.staff.update({
      where: { id: before.id },
      data: {
        passwordHash: await argon2.hash(password, { type: argon2.argon2id }),
        mustChangePassword: true,
        failedLogins: 0,
        lockedUntil: null,
      },
    })
    await store.destroyAllOf(before.id)
    await audit(db, {
      staff: currentStaff(res.locals),
      action: 'staff.reset_password',
      entity: 'Staff',
      entityId: before.id,
      ip: req.ip,
    })
    renderPage(res, 'staff/staff', await page({ created: { email: before.email, password } }))
  })

  return router
}
