import { Router, type Response } from 'express'
import { z } from 'zod'
import type { FaqEntry } from '../../generated/sqlite/index.js'
import { HttpError } from '../../app/http/http-error.ts'
import { clearFaqCache } from '../../bot/loaders/content-loaders.ts'
import { renderPage, type AdminDeps } from '../admin-context.ts'
import { canWork, currentStaff } from '../auth/access.ts'
import { audit } from '../audit/audit.ts'
import { matchesSearch, pageOf, pageSchema, searchSchema } from './content-paging.ts'
import {
  changedFields,
  checkbox,
  contentCountrySchema,
  factStatusSchema,
  formText,
  normalizeKeywords,
  requiredText,
} from './content-schemas.ts'
import { unansweredInScope } from './unanswered-routes.ts'

const faqFilter = z.object({
  q: searchSchema,
  country: contentCountrySchema.optional().catch(undefined),
  published: z.enum(['yes', 'no']).optional().catch(undefined),
  page: pageSchema,
})

/**
 * An FAQ entry as staff type it. Answers stay within 400 characters, like the seeded ones,
 * so the bot shows them whole; an empty English text falls back to the Spanish one.
 */
export const faqForm = z.object({
  questionEs: requiredText(200),
  answerEs: requiredText(400),
  questionEn: formText(200),
  answerEn: formText(400),
  keywords: formText(500).transform(normalizeKeywords),
  country: contentCountrySchema,
  status: factStatusSchema,
  basis: formText(300),
  published: checkbox,
  fromUnanswered: z.string().trim().max(80).optional(),
})
export type FaqForm = z.infer<typeof faqForm>

type FaqFields = Omit<FaqForm, 'fromUnanswered'>

function fieldsOf(form: FaqForm): FaqFields {
  const { fromUnanswered: _, ...fields } = form
  return fields
}

/** The next free FAQ-nn id (the seed's are FAQ-01 … FAQ-40). */
async function nextFaqId(deps: AdminDeps): Promise<string> {
  const ids = await deps.db.faqEntry.findMany({ select: { id: true } })
  const max = Math.max(0, ...ids.map((r) => Number(/^FAQ-(\d+)$/.exec(r.id)?.[1] ?? 0)))
  return `FAQ-${String(max + 1).padStart(2, '0')}`
}

/** FAQ editor: list, create, edit. Every change clears this process's FAQ index cache. */
export function faqRoutes(deps: AdminDeps & { now: () => Date }): Router {
  const { db } = deps
  const router = Router()

  const form = (
    res: Response,
    data: { entry?: FaqEntry; values: Record<string, unknown>; error?: string; saved?: boolean },
    status = 200,
  ) => {
    const staff = currentStaff(res.locals)
    renderPage(
      res,
      'content/faq-form',
      { ...data, readOnly: staff.role === 'viewer', statuses: factStatusSchema.options },
      status,
    )
  }

  router.get('/content/faq', async (req, res) => {
    const f = faqFilter.parse(req.query)
    const all = (await db.faqEntry.findMany({ orderBy: { id: 'asc' } })).filter(
      (e) =>
        (!f.country || e.country === f.country) &&
        (!f.published || e.published === (f.published === 'yes')) &&
        matchesSearch(f.q, e.id, e.questionEs, e.answerEs, e.questionEn, e.answerEn, e.keywords),
    )
    const params = { q: f.q, country: f.country, published: f.published }
    renderPage(res, 'content/faq-list', {
      f,
      total: all.length,
      ...pageOf(all, f.page, '/admin/content/faq', params),
    })
  })

  router.get('/content/faq/new', canWork, async (req, res) => {
    const from = typeof req.query.from === 'string' ? req.query.from : undefined
    const values: Partial<FaqForm> = { country: 'ambos', status: 'confirmado', published: true }
    if (from) {
      // her words become the question, in the language she wrote in
      const q = await unansweredInScope(db, currentStaff(res.locals), from)
      values.fromUnanswered = q.id
      values.country = contentCountrySchema.catch('ambos').parse(q.country)
      if (q.locale === 'en') values.questionEn = q.text.slice(0, 200)
      else values.questionEs = q.text.slice(0, 200)
    }
    form(res, { values })
  })

  router.post('/content/faq', canWork, async (req, res) => {
    const staff = currentStaff(res.locals)
    const parsed = faqForm.safeParse(req.body)
    if (!parsed.success) {
      return form(
        res,
        { values: req.body as Record<string, unknown>, error: errorOf(parsed.error) },
        400,
      )
    }
    const fields = fieldsOf(parsed.data)
    const from = parsed.data.fromUnanswered
      ? await unansweredInScope(db, staff, parsed.data.fromUnanswered)
      : undefined
    const now = deps.now()
    let id = await nextFaqId(deps)
    for (let attempt = 0; ; attempt++) {
      try {
        await db.$transaction(async (tx) => {
          await tx.faqEntry.create({ data: { id, ...fields } })
          if (from) {
            await tx.unansweredQuestion.update({ where: { id: from.id }, data: { faqId: id } })
          }
          await audit(
            tx,
            {
              staff,
              action: 'faq.create',
              entity: 'FaqEntry',
              entityId: id,
              after: { ...fields, ...(from && { fromUnanswered: from.id }) },
              ip: req.ip,
            },
            now,
          )
        })
        break
      } catch (err) {
        // another member of staff took the id at the same moment
        if ((err as { code?: string }).code !== 'P2002' || attempt >= 3) throw err
        id = await nextFaqId(deps)
      }
    }
    clearFaqCache()
    res.redirect(303, `/admin/content/faq/${id}?saved=1`)
  })

  const load = async (id: string) => {
    const entry = await db.faqEntry.findUnique({ where: { id } })
    if (!entry) throw new HttpError(404, 'admin.errors.not_found')
    return entry
  }

  router.get('/content/faq/:id', async (req, res) => {
    const entry = await load(String(req.params.id))
    form(res, { entry, values: entry, saved: req.query.saved === '1' })
  })

  router.post('/content/faq/:id', canWork, async (req, res) => {
    const staff = currentStaff(res.locals)
    const entry = await load(String(req.params.id))
    const parsed = faqForm.safeParse(req.body)
    if (!parsed.success) {
      const values = req.body as Record<string, unknown>
      return form(res, { entry, values, error: errorOf(parsed.error) }, 400)
    }
    const fields = fieldsOf(parsed.data)
    const diff = changedFields(entry, fields)
    if (Object.keys(diff.after).length > 0) {
      const now = deps.now()
      await db.$transaction(async (tx) => {
        await tx.faqEntry.update({ where: { id: entry.id }, data: fields })
        await audit(
          tx,
          {
            staff,
            action: 'faq.update',
            entity: 'FaqEntry',
            entityId: entry.id,
            ...diff,
            ip: req.ip,
          },
          now,
        )
      })
      clearFaqCache()
    }
    res.redirect(303, `/admin/content/faq/${entry.id}?saved=1`)
  })

  return router
}

/** The form fields a validation error names, for the page's message. */
export function errorOf(error: z.ZodError): string {
  return [...new Set(error.issues.map((i) => String(i.path[0] ?? '')))].filter(Boolean).join(', ')
}
