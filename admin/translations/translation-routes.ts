import { Router, type Response } from 'express'
import { z } from 'zod'
import { HttpError } from '../../app/http/http-error.ts'
import { translatorFor } from '../../app/i18n.ts'
import {
  LANGUAGES_SETTING,
  languageCodeSchema,
  languageNameSchema,
  readEnabledLanguages,
  serializeEnabledLanguages,
  BUILT_IN_LANGUAGES,
} from '../../bot/i18n-overrides/languages.ts'
import { TranslationOverrideSync, shippedResources } from '../../bot/i18n-overrides/overrides.ts'
import {
  beneficiaryKeys,
  fileText,
  placeholdersOf,
  samePlaceholders,
} from '../../bot/i18n-overrides/translation-keys.ts'
import { renderPage, type AdminDeps } from '../admin-context.ts'
import { adminOnly, canWork, currentStaff } from '../auth/access.ts'
import { audit } from '../audit/audit.ts'
import { queryString } from '../cases/case-routes.ts'
import {
  folded,
  matchesSearch,
  pageOf,
  pageSchema,
  searchSchema,
} from '../content/content-paging.ts'

const listFilter = z.object({
  lang: languageCodeSchema.optional().catch(undefined),
  q: searchSchema,
  missing: z.enum(['1']).optional().catch(undefined),
  page: pageSchema,
})

/** One key's text for one language; empty text removes the override (back to the files). */
const translationBody = z.object({
  lang: languageCodeSchema,
  key: z.string().min(1).max(200),
  value: z
    .string()
    .max(4000)
    .default('')
    .transform((v) => v.trim()),
  q: searchSchema,
  missing: z.enum(['1']).optional().catch(undefined),
  page: pageSchema,
})

const languageBody = z.object({ code: languageCodeSchema, name: languageNameSchema })

export type TranslationRow = {
  key: string
  es: string
  /** The text she reads in this language: the override, else the file's, else '' (Spanish). */
  value: string
  source: 'override' | 'file' | 'missing'
}

/**
 * Translations (issue 9): every text a woman may read, in Spanish and in one other language;
 * staff write a key's text for a language (stored in TranslationOverride, applied to the
 * shared i18next instance at once), and admins enable new languages for the bot to offer.
 */
export function translationRoutes(deps: AdminDeps & { now: () => Date }): Router {
  const { db } = deps
  const router = Router()
  const sync = new TranslationOverrideSync(db, deps.i18n, { logger: deps.logger })
  const files = shippedResources()
  const keys = beneficiaryKeys(files)
  const keySet = new Set(keys)

  /** Languages staff may translate into: every enabled language but Spanish, the reference. */
  const targets = async () => (await readEnabledLanguages(db)).filter((l) => l.code !== 'es')

  const rowsFor = async (lang: string): Promise<TranslationRow[]> => {
    const overrides = new Map(
      (await db.translationOverride.findMany({ where: { locale: lang } })).map((o) => [
        o.key,
        o.value,
      ]),
    )
    return keys.map((key) => {
      const override = overrides.get(key)
      const file = fileText(files, lang, key)
      return {
        key,
        es: fileText(files, 'es', key) ?? '',
        value: override ?? file ?? '',
        source: override !== undefined ? 'override' : file !== undefined ? 'file' : 'missing',
      }
    })
  }

  const listPage = async (
    res: Response,
    f: z.infer<typeof listFilter>,
    extra: { error?: { key: string; placeholders: string }; saved?: string } = {},
    status = 200,
  ) => {
    const languages = await targets()
    const lang = languages.find((l) => l.code === f.lang)?.code ?? languages[0]!.code
    const all = (await rowsFor(lang)).filter(
      (r) => (!f.missing || r.source === 'missing') && matchesSearch(f.q, r.key, r.es, r.value),
    )
    const params = { lang, q: f.q, missing: f.missing }
    renderPage(
      res,
      'translations/translations',
      {
        f: { ...f, lang },
        languages,
        builtIn: BUILT_IN_LANGUAGES,
        total: all.length,
        readOnly: currentStaff(res.locals).role === 'viewer',
        ...pageOf(all, f.page, '/admin/translations', params),
        ...extra,
      },
      status,
    )
  }

  router.get('/translations', async (req, res) => {
    const f = listFilter.parse(req.query)
    await listPage(res, f, { saved: typeof req.query.saved === 'string' ? req.query.saved : '' })
  })

  router.post('/translations', canWork, async (req, res) => {
    const staff = currentStaff(res.locals)
    const body = translationBody.parse(req.body)
    if (!(await targets()).some((l) => l.code === body.lang)) {
      throw new HttpError(400, 'admin-content.translations.unknown_language')
    }
    if (!keySet.has(body.key)) throw new HttpError(404, 'admin.errors.not_found')
    const spanish = fileText(files, 'es', body.key) ?? ''
    const filter = { lang: body.lang, q: body.q, missing: body.missing, page: body.page }
    if (body.value !== '' && !samePlaceholders(spanish, body.value)) {
      const placeholders = placeholdersOf(spanish)
        .map((p) => `{{${p}}}`)
        .join(' ')
      return listPage(res, filter, { error: { key: body.key, placeholders } }, 400)
    }
    const where = { locale_key: { locale: body.lang, key: body.key } }
    const before = await db.translationOverride.findUnique({ where })
    // the file's own text needs no override: clearing it keeps one source of truth
    const after =
      body.value === '' || body.value === fileText(files, body.lang, body.key) ? null : body.value
    if ((before?.value ?? null) !== after) {
      const now = deps.now()
      await db.$transaction(async (tx) => {
        if (after === null) await tx.translationOverride.delete({ where })
        else {
          await tx.translationOverride.upsert({
            where,
            create: { locale: body.lang, key: body.key, value: after, updatedBy: staff.email },
            update: { value: after, updatedBy: staff.email },
          })
        }
        await audit(
          tx,
          {
            staff,
            action: 'translation.update',
            entity: 'TranslationOverride',
            entityId: `${body.lang}:${body.key}`,
            before: { value: before?.value ?? null },
            after: { value: after },
            ip: req.ip,
          },
          now,
        )
      })
      await sync.load()
    }
    const back = queryString({ ...filter, page: String(body.page), saved: body.key })
    res.redirect(303, `/admin/translations${back}`)
  })

  router.post('/translations/languages', adminOnly, async (req, res) => {
    const staff = currentStaff(res.locals)
    const { code, name } = languageBody.parse(req.body)
    if ((BUILT_IN_LANGUAGES as readonly string[]).includes(code)) {
      throw new HttpError(400, 'admin-content.languages.built_in')
    }
    const before = await readEnabledLanguages(db)
    // she chooses by typing the name too: two languages must not answer to the same words
    const taken = [
      ...before.filter((l) => l.code !== code).map((l) => l.name),
      ...BUILT_IN_LANGUAGES.map((c) => translatorFor(deps.i18n, c)(`flows.language.${c}`)),
    ]
    if (taken.some((n) => folded(n) === folded(name))) {
      throw new HttpError(400, 'admin-content.languages.name_taken')
    }
    const after = before.some((l) => l.code === code)
      ? before.map((l) => (l.code === code ? { code, name } : l))
      : [...before, { code, name }]
    await saveLanguages(req.ip, staff, before, after, 'languages.enable')
    res.redirect(303, `/admin/translations${queryString({ lang: code })}`)
  })

  router.post('/translations/languages/:code/disable', adminOnly, async (req, res) => {
    const staff = currentStaff(res.locals)
    const code = languageCodeSchema.parse(req.params.code)
    const before = await readEnabledLanguages(db)
    if ((BUILT_IN_LANGUAGES as readonly string[]).includes(code)) {
      throw new HttpError(400, 'admin-content.languages.built_in')
    }
    if (!before.some((l) => l.code === code)) throw new HttpError(404, 'admin.errors.not_found')
    // her texts stay: enabling the language again brings them back
    const after = before.filter((l) => l.code !== code)
    await saveLanguages(req.ip, staff, before, after, 'languages.disable')
    res.redirect(303, '/admin/translations')
  })

  const saveLanguages = async (
    ip: string | undefined,
    staff: { id: string; email: string },
    before: { code: string; name: string }[],
    after: { code: string; name: string }[],
    action: string,
  ) => {
    const value = serializeEnabledLanguages(after)
    const now = deps.now()
    await db.$transaction(async (tx) => {
      await tx.setting.upsert({
        where: { key: LANGUAGES_SETTING },
        create: { key: LANGUAGES_SETTING, value },
        update: { value },
      })
      await audit(
        tx,
        {
          staff,
          action,
          entity: 'Setting',
          entityId: LANGUAGES_SETTING,
          before: serializeEnabledLanguages(before),
          after: value,
          ip,
        },
        now,
      )
    })
  }

  return router
}
