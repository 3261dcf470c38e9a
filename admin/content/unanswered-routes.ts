import { Router } from 'express'
import type { Prisma } from '../../generated/sqlite/index.js'
import type { Db } from '../../app/db/open.ts'
import { HttpError } from '../../app/http/http-error.ts'
import { renderPage, type AdminDeps, type CurrentStaff } from '../admin-context.ts'
import { canWork, currentStaff } from '../auth/access.ts'
import { audit } from '../audit/audit.ts'
import { queryString } from '../cases/case-routes.ts'
import { PAGE_SIZE, pageSchema } from './content-paging.ts'

/** `UnansweredQuestion.faqId` of a question staff set aside without an FAQ entry. */
export const DISMISSED = 'dismissed'

/**
 * The questions a staff member may see: admins all; agents and viewers those of women in
 * their regions (what she wrote may say who she is), as with cases.
 */
function scopeOf(staff: CurrentStaff): Prisma.UnansweredQuestionWhereInput {
  return staff.role === 'admin' ? {} : { contact: { regionId: { in: staff.regionIds } } }
}

/** Phone numbers she may have typed (7+ digits, with spaces, dots or dashes) are not shown. */
export function withoutPhones(text: string): string {
  return text.replace(/\+?\d(?:[\s.-]?\d){6,}/g, '•••')
}

/** An open question by id, if this staff member may see it (else 404); phones masked. */
export async function unansweredInScope(db: Db, staff: CurrentStaff, id: string) {
  const row = await db.unansweredQuestion.findFirst({
    where: { id, faqId: null, ...scopeOf(staff) },
    select: { id: true, text: true, country: true, locale: true, createdAt: true },
  })
  if (!row) throw new HttpError(404, 'admin.errors.not_found')
  return { ...row, text: withoutPhones(row.text) }
}

/**
 * Questions the bot could not answer from the FAQ, newest first: staff turn one into an FAQ
 * entry (the form is prefilled with her words) or dismiss it. Never her phone or name.
 */
export function unansweredRoutes(deps: AdminDeps & { now: () => Date }): Router {
  const { db } = deps
  const router = Router()

  router.get('/content/unanswered', async (req, res) => {
    const staff = currentStaff(res.locals)
    const page = pageSchema.parse(req.query.page)
    const rows = await db.unansweredQuestion.findMany({
      where: { faqId: null, ...scopeOf(staff) },
      select: { id: true, text: true, country: true, locale: true, createdAt: true },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      skip: (page - 1) * PAGE_SIZE,
      take: PAGE_SIZE + 1,
    })
    const url = (p: number) => `/admin/content/unanswered${queryString({ page: String(p) })}`
    renderPage(res, 'content/unanswered', {
      rows: rows.slice(0, PAGE_SIZE).map((r) => ({ ...r, text: withoutPhones(r.text) })),
      prevUrl: page > 1 ? url(page - 1) : undefined,
      nextUrl: rows.length > PAGE_SIZE ? url(page + 1) : undefined,
      canEdit: staff.role !== 'viewer',
    })
  })

  router.post('/content/unanswered/:id/dismiss', canWork, async (req, res) => {
    const staff = currentStaff(res.locals)
    const row = await unansweredInScope(db, staff, String(req.params.id))
    const now = deps.now()
    await db.$transaction(async (tx) => {
      await tx.unansweredQuestion.update({ where: { id: row.id }, data: { faqId: DISMISSED } })
      await audit(
        tx,
        {
          staff,
          action: 'unanswered.dismiss',
          entity: 'UnansweredQuestion',
          entityId: row.id,
          before: { faqId: null },
          after: { faqId: DISMISSED },
          ip: req.ip,
        },
        now,
      )
    })
    res.redirect(303, '/admin/content/unanswered')
  })

  return router
}
