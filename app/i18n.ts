import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import i18next, { type i18n, type TFunction } from 'i18next'

export const DEFAULT_LOCALE = 'es'
export const LOCALES_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'locales')

/** Nested translation tree, as in locales/<lng>/<file>.json. */
export type LocaleTree = { [key: string]: string | LocaleTree }
export type LocaleResources = Record<string, LocaleTree>

/**
 * Reads locales/<lng>/*.json. Each file is one feature's strings and becomes the first
 * segment of its keys: `engine.json`'s `hint` is `engine.hint`. One file per feature keeps
 * parallel work on different features out of each other's way.
 */
export function readLocaleResources(dir = LOCALES_DIR): LocaleResources {
  const resources: LocaleResources = {}
  for (const lng of readdirSync(dir, { withFileTypes: true })) {
    if (!lng.isDirectory()) continue
    const tree: LocaleTree = {}
    for (const file of readdirSync(path.join(dir, lng.name)).filter((f) => f.endsWith('.json'))) {
      tree[file.slice(0, -'.json'.length)] = JSON.parse(
        readFileSync(path.join(dir, lng.name, file), 'utf8'),
      ) as LocaleTree
    }
    resources[lng.name] = tree
  }
  return resources
}

/** Every leaf key of a tree, dotted (`engine.hint`). */
export function flattenKeys(tree: LocaleTree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) =>
    typeof v === 'string' ? [prefix + k] : flattenKeys(v, `${prefix}${k}.`),
  )
}

/**
 * A ready i18next instance over the given resources. Spanish is the default and fallback:
 * a key missing in another language shows the Spanish text, never the key.
 */
export async function createI18n(
  resources: LocaleResources = readLocaleResources(),
): Promise<i18n> {
  const instance = i18next.createInstance()
  await instance.init({
    resources: Object.fromEntries(
      Object.entries(resources).map(([lng, tree]) => [lng, { translation: tree }]),
    ),
    lng: DEFAULT_LOCALE,
    fallbackLng: DEFAULT_LOCALE,
    interpolation: { escapeValue: false }, // outputs are chat text; HTML escaping is the panel's job
    returnNull: false,
    initImmediate: false,
    showSupportNotice: false, // i18next prints an advert to the console otherwise
  })
  return instance
}

/** A translator fixed to one language, as the engine and the renderer need. */
export function translatorFor(instance: i18n, locale: string | null | undefined): TFunction {
  return instance.getFixedT(locale ?? DEFAULT_LOCALE)
}
