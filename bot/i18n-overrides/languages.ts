import { z } from 'zod'
import type { Db } from '../../app/db/open.ts'

/** The languages Minka ships texts for; they are always offered. Spanish is the fallback. */
export const BUILT_IN_LANGUAGES = ['es', 'en'] as const

/** Setting row holding the offered languages (seeded as `["es","en"]`). */
export const LANGUAGES_SETTING = 'languages.enabled'

/** An ISO 639 code: two letters (qu, ay) or three (gym). */
export const languageCodeSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z]{2,3}$/)

export const languageNameSchema = z.string().trim().min(1).max(60)

/**
 * The setting's value: a JSON array whose items are a code (the built-in languages, as the
 * seed writes them) or `{ code, name }` for a language staff enabled, `name` being how she
 * reads it in the language question ("Runa simi").
 */
export const enabledLanguagesSchema = z
  .array(
    z.union([
      languageCodeSchema.transform((code) => ({ code, name: '' })),
      z.object({ code: languageCodeSchema, name: z.string().trim().max(60) }),
    ]),
  )
  .max(50)

export type EnabledLanguage = { code: string; name: string }

function isBuiltIn(code: string): boolean {
  return (BUILT_IN_LANGUAGES as readonly string[]).includes(code)
}

/**
 * The languages offered, built-in ones first, each once. A missing or broken setting offers
 * the built-in languages: a typo in the database must not take the language question away.
 */
export function parseEnabledLanguages(value: string | null | undefined): EnabledLanguage[] {
  let items: EnabledLanguage[] = []
  try {
    const parsed = enabledLanguagesSchema.safeParse(JSON.parse(value ?? '[]'))
    if (parsed.success) items = parsed.data
  } catch {
    // not JSON: built-in languages only
  }
  const extra = new Map<string, EnabledLanguage>()
  for (const item of items) {
    if (!isBuiltIn(item.code) && item.name !== '' && !extra.has(item.code)) {
      extra.set(item.code, item)
    }
  }
  return [...BUILT_IN_LANGUAGES.map((code) => ({ code, name: '' })), ...extra.values()]
}

/** The setting's text for a list of languages (built-in ones as bare codes, as seeded). */
export function serializeEnabledLanguages(languages: readonly EnabledLanguage[]): string {
  return JSON.stringify(
    parseEnabledLanguages(JSON.stringify(languages)).map((l) => (isBuiltIn(l.code) ? l.code : l)),
  )
}

export async function readEnabledLanguages(db: Pick<Db, 'setting'>): Promise<EnabledLanguage[]> {
  const row = await db.setting.findUnique({ where: { key: LANGUAGES_SETTING } })
  return parseEnabledLanguages(row?.value)
}

/** Option key for a language's name in the language question (built-in, else its own name). */
export function languageOption(language: EnabledLanguage): {
  id: string
  key: string
  vars?: Record<string, string>
} {
  return isBuiltIn(language.code)
    ? { id: language.code, key: `flows.language.${language.code}` }
    : { id: language.code, key: 'flows.language.other', vars: { name: language.name } }
}
