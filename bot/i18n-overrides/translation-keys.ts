import { flattenKeys, type LocaleResources, type LocaleTree } from '../../app/i18n.ts'
import { lookupKey } from '../../flows/check.ts'

/**
 * Locale files only staff read: the admin panel's (`admin.json`, `admin-*.json`) and
 * WhatsApp's pairing and alert texts (terminal and the panel's settings page). Every other
 * file holds what a woman reads, and is offered for translation.
 */
export function isStaffFile(file: string): boolean {
  return file === 'admin' || file.startsWith('admin-') || file === 'whatsapp'
}

/**
 * Every key a beneficiary may read, from the Spanish files (the reference), sorted. A
 * feature file may keep its panel texts under an `admin` branch (`broadcasts.admin.*`):
 * those are staff texts too.
 */
export function beneficiaryKeys(resources: LocaleResources): string[] {
  const es = resources.es ?? {}
  return Object.entries(es)
    .filter(([file]) => !isStaffFile(file))
    .flatMap(([file, tree]) =>
      typeof tree === 'string' ? [file] : flattenKeys(tree as LocaleTree, `${file}.`),
    )
    .filter((key) => !key.split('.').includes('admin'))
    .sort()
}

/** A key's text in one language's files, or undefined. */
export function fileText(resources: LocaleResources, lng: string, key: string): string | undefined {
  const tree = resources[lng]
  return tree ? lookupKey(tree, key) : undefined
}

/** The `{{name}}` placeholders of a text (i18next interpolation), sorted, each once. */
export function placeholdersOf(text: string): string[] {
  return [...new Set([...text.matchAll(/\{\{\s*([^{}]+?)\s*\}\}/g)].map((m) => m[1]!))].sort()
}

/** Whether a translation names exactly the placeholders of the Spanish text. */
export function samePlaceholders(spanish: string, translation: string): boolean {
  const a = placeholdersOf(spanish)
  const b = placeholdersOf(translation)
  return a.length === b.length && a.every((p, i) => p === b[i])
}
