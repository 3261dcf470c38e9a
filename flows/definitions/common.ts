/** Yes/no options many flows ask with; `flows.common.yes_synonyms` adds "claro", "ok"… */
export function yesNoOptions(onYes: string, onNo: string) {
  return [
    { id: 'yes', key: 'flows.common.yes', next: onYes },
    { id: 'no', key: 'flows.common.no', next: onNo },
  ]
}

export const LANGUAGE_OPTIONS = [
  { id: 'es', key: 'flows.language.es' },
  { id: 'en', key: 'flows.language.en' },
]

/** Option ids are the country codes the contact stores. */
export const COUNTRY_OPTIONS = [
  { id: 'BO', key: 'flows.country.bolivia' },
  { id: 'PA', key: 'flows.country.panama' },
]
