import { z } from 'zod'

export const contentCountrySchema = z.enum(['BO', 'PA', 'ambos'])

/**
 * How sure a fact is (content/README.md): `confirmado` is said as fact, `secundario` with the
 * light hedge, `por_confirmar` is not said and the bot offers a person instead.
 */
export const factStatusSchema = z.enum(['confirmado', 'secundario', 'por_confirmar'])
export type FactStatus = z.infer<typeof factStatusSchema>

/** A form text: trimmed, bounded; an absent field is ''. */
export const formText = (max: number) => z.string().trim().max(max).default('')
export const requiredText = (max: number) => z.string().trim().min(1).max(max)

/** An HTML checkbox: present ('1') when ticked, absent otherwise. */
export const checkbox = z
  .string()
  .optional()
  .transform((v) => v === '1' || v === 'on')

/** Keywords typed with commas: each trimmed, once, joined as the seed stores them. */
export function normalizeKeywords(text: string): string {
  const words = text
    .split(',')
    .map((w) => w.trim().replace(/\s+/g, ' '))
    .filter(Boolean)
  return [...new Set(words)].join(', ')
}

/** The fields of `after` whose value differs from `before`, with both values, for the audit. */
export function changedFields<T extends Record<string, unknown>>(
  before: T,
  after: Partial<T>,
): { before: Partial<T>; after: Partial<T> } {
  const b: Partial<T> = {}
  const a: Partial<T> = {}
  for (const key of Object.keys(after) as (keyof T)[]) {
    const was = before[key] instanceof Date ? (before[key] as Date).toISOString() : before[key]
    const now = after[key] instanceof Date ? (after[key] as Date).toISOString() : after[key]
    if (was !== now) {
      b[key] = before[key]
      a[key] = after[key]
    }
  }
  return { before: b, after: a }
}
