import { Router, type Response } from 'express'
import { z } from 'zod'
import type { ContentFact, Requirement } from '../../generated/sqlite/index.js'
import { HttpError } from '../../app/http/http-error.ts'
import { renderPage, type AdminDeps } from '../admin-context.ts'
import { canWork, currentStaff } from '../auth/access.ts'
import { audit } from '../audit/audit.ts'
import { matchesSearch, pageOf, pageSchema, searchSchema } from './content-paging.ts'
import {
  changedFields,
  contentCountrySchema,
  factStatusSchema,
  formText,
  requiredText,
} from './content-schemas.ts'

const factFilter = z.object({
  q: searchSchema,
  country: contentCountrySchema.optional().catch(undefined),
  status: factStatusSchema.optional().catch(undefined),
  page: pageSchema,
})

const requirementFilter = z.object({
  q: searchSchema,
  country: z.enum(['BO', 'PA']).optional().catch(undefined),
  kind: z.enum(['step', 'document']).optional().catch(undefined),
  status: factStatusSchema.optional().catch(undefined),
  page: pageSchema,
})

/** A fact as staff type it: both languages, its source and how sure it is. */
export const factForm = z.object({
  titleEs: requiredText(300),
  textEs: requiredText(2000),
  titleEn: formText(300),
  textEn: formText(2000),
  source: formText(300),
  status: factStatusSchema,
})

/** A requirement (a formation step or a document): its name in both languages, source, status. */
export const requirementForm = z.object({
  titleEs: requiredText(300),
  titleEn: formText(300),
  source: formText(300),
  status: factStatusSchema,
})

/**
 * Formation steps, requirements and the other facts the bot tells (seeded from
 * shared/content): staff reword them, cite their source and confirm them. A fact saved as
 * `confirmado` records who confirmed it and when; any other status clears that. The editor
 * stores only what staff type.
 */
export function factRoutes(deps: AdminDeps & { now: () => Date }): Router {
  const { db } = deps
  const router = Router()
  const readOnly = (res: Response) => currentStaff(res.locals).role === 'viewer'

  router.get('/content/facts', async (req, res) => {
    const f = factFilter.parse(req.query)
    const all = (await db.contentFact.findMany({ orderBy: { id: 'asc' } })).filter(
      (r) =>
        (!f.country || r.country === f.country) &&
        (!f.status || r.status === f.status) &&
        matchesSearch(f.q, r.id, r.section, r.titleEs, r.textEs, r.titleEn, r.textEn, r.source),
    )
    const params = { q: f.q, country: f.country, status: f.status }
    renderPage(res, 'content/fact-list', {
      f,
      total: all.length,
      statuses: factStatusSchema.options,
      ...pageOf(all, f.page, '/admin/content/facts', params),
    })
  })

  const loadFact = async (id: string) => {
    const fact = await db.contentFact.findUnique({ where: { id } })
    if (!fact) throw new HttpError(404, 'admin.errors.not_found')
    return fact
  }

  const factPage = async (
    res: Response,
    fact: ContentFact,
    extra: { values?: Record<string, unknown>; error?: string; saved?: boolean } = {},
    status = 200,
  ) => {
    // a formation step is as sure as its weakest row: show the requirement beside its fact
    const requirement = await db.requirement.findUnique({ where: { id: fact.id } })
    renderPage(
      res,
      'content/fact-form',
      {
        fact,
        requirement,
        values: extra.values ?? fact,
        error: extra.error,
        saved: extra.saved,
        readOnly: readOnly(res),
        statuses: factStatusSchema.options,
      },
      status,
    )
  }

  router.get('/content/facts/:id', async (req, res) => {
    await factPage(res, await loadFact(String(req.params.id)), { saved: req.query.saved === '1' })
  })

  router.post('/content/facts/:id', canWork, async (req, res) => {
    const staff = currentStaff(res.locals)
    const fact = await loadFact(String(req.params.id))
    const parsed = factForm.safeParse(req.body)
    if (!parsed.success) {
      const error = parsed.error.issues.map((i) => String(i.path[0])).join(', ')
      return factPage(res, fact, { values: req.body as Record<string, unknown>, error }, 400)
    }
    const now = deps.now()
    const changed = changedFields(fact, parsed.data)
    if (Object.keys(changed.after).length > 0) {
      const confirmed = parsed.data.status === 'confirmado'
      const data = {
        ...parsed.data,
        verifiedBy: confirmed ? staff.email : null,
        verifiedAt: confirmed ? now : null,
      }
      await db.$transaction(async (tx) => {
        await tx.contentFact.update({ where: { id: fact.id }, data })
        await audit(
          tx,
          { staff, action: 'fact.update', entity: 'ContentFact', entityId: fact.id, ...changedFields(fact, data), ip: req.ip }, // prettier-ignore
          now,
        )
      })
    }
    res.redirect(303, `/admin/content/facts/${encodeURIComponent(fact.id)}?saved=1`)
  })

  router.get('/content/requirements', async (req, res) => {
    const f = requirementFilter.parse(req.query)
    const all =
      (await db.requirement.findMany({ orderBy: [{ country: 'asc' }, { kind: 'desc' }, { order: 'asc' }] })) // prettier-ignore
        .filter(
          (r) =>
            (!f.country || r.country === f.country) &&
            (!f.kind || r.kind === f.kind) &&
            (!f.status || r.status === f.status) &&
            matchesSearch(f.q, r.id, r.titleEs, r.titleEn, r.source),
        )
    const params = { q: f.q, country: f.country, kind: f.kind, status: f.status }
    renderPage(res, 'content/requirement-list', {
      f,
      total: all.length,
      statuses: factStatusSchema.options,
      ...pageOf(all, f.page, '/admin/content/requirements', params),
    })
  })

  const loadRequirement = async (id: string) => {
    const row = await db.requirement.findUnique({ where: { id } })
    if (!row) throw new HttpError(404, 'admin.errors.not_found')
    return row
  }

  const requirementPage = async (
    res: Response,
    requirement: Requirement,
    extra: { values?: Record<string, unknown>; error?: string; saved?: boolean } = {},
    status = 200,
  ) => {
    const fact = await db.contentFact.findUnique({ where: { id: requirement.id } })
    renderPage(
      res,
      'content/requirement-form',
      {
        requirement,
        fact,
        values: extra.values ?? requirement,
        error: extra.error,
        saved: extra.saved,
        readOnly: readOnly(res),
        statuses: factStatusSchema.options,
      },
      status,
    )
  }

  router.get('/content/requirements/:id', async (req, res) => {
    const requirement = await loadRequirement(String(req.params.id))
    await requirementPage(res, requirement, { saved: req.query.saved === '1' })
  })

  router.post('/content/requirements/:id', canWork, async (req, res) => {
    const staff = currentStaff(res.locals)
    const requirement = await loadRequirement(String(req.params.id))
    const parsed = requirementForm.safeParse(req.body)
    if (!parsed.success) {
      const error = parsed.error.issues.map((i) => String(i.path[0])).join(', ')
      const values = req.body as Record<string, unknown>
      return requirementPage(res, requirement, { values, error }, 400)
    }
    const diff = changedFields(requirement, parsed.data)
    if (Object.keys(diff.after).length > 0) {
      const now = deps.now()
      await db.$transaction(async (tx) => {
        await tx.requirement.update({ where: { id: requirement.id }, data: parsed.data })
        await audit(
          tx,
          { staff, action: 'requirement.update', entity: 'Requirement', entityId: requirement.id, ...diff, ip: req.ip }, // prettier-ignore
          now,
        )
      })
    }
    res.redirect(303, `/admin/content/requirements/${encodeURIComponent(requirement.id)}?saved=1`)
  })

  return router
}
