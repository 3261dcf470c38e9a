/** Longest prefix of a message that matching looks at: a 64 KB paste must stay cheap. */
export const MATCH_TEXT_LIMIT = 200

/**
 * Text reduced to what matching cares about: lower case, no accents, no punctuation or emoji,
 * single spaces. Keycap emoji keep their digit ("2️⃣" → "2"); "🔟" becomes "10".
 */
export function normalizeText(text: string, limit = MATCH_TEXT_LIMIT): string {
  return text
    .slice(0, limit)
    .replaceAll('🔟', ' 10 ')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '') // accents, and the variation selector and keycap of "2️⃣"
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
}

/** The whole words of normalised text. */
export function wordsOf(normalized: string): string[] {
  return normalized === '' ? [] : normalized.split(' ')
}

/** Whether `phrase` (normalised) occurs in `normalized` as whole words. */
export function containsPhrase(normalized: string, phrase: string): boolean {
  return phrase !== '' && ` ${normalized} `.includes(` ${phrase} `)
}

/** Whether there is anything to read: at least one letter or digit. */
export function hasWords(text: string): boolean {
  return normalizeText(text) !== ''
}
