import { z } from 'zod'

/**
 * A value in a definition read at run time: `{ $var: 'topic' }` (this flow's saved answers),
 * `{ $contact: 'country' }` / `{ $contact: 'fields.region' }`, `{ $data: 'loader.path' }`.
 * `{ $effect: 'name' }` is not resolved here: the runtime fills it after applying effects.
 */
export const RefSchema = z.union([
  z.strictObject({ $var: z.string().min(1) }),
  z.strictObject({ $contact: z.string().min(1) }),
  z.strictObject({ $data: z.string().min(1) }),
])
export type Ref = z.infer<typeof RefSchema>

/** Where a path starts: `var.x`, `contact.country`, `data.upcomingTrainings.length`. */
export const PathSchema = z.string().regex(/^(var|contact|data)\.[\w.]+$/, {
  message: 'a path starts with var., contact. or data.',
})

export type PathRoots = {
  var: Record<string, unknown>
  contact: Record<string, unknown>
  data: Record<string, unknown>
}

/** The value at a dotted path, or undefined. */
export function readPath(roots: PathRoots, path: string): unknown {
  const [root, ...rest] = path.split('.')
  let value: unknown = roots[root as keyof PathRoots]
  for (const part of rest) {
    if (value === null || typeof value !== 'object') return undefined
    value = (value as Record<string, unknown>)[part]
  }
  return value
}

/** `value` with every Ref inside replaced by what it points to. */
export function resolveRefs(value: unknown, roots: PathRoots): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveRefs(v, roots))
  if (value === null || typeof value !== 'object') return value
  const ref = RefSchema.safeParse(value)
  if (ref.success) {
    const r = ref.data
    if ('$var' in r) return readPath(roots, `var.${r.$var}`)
    if ('$contact' in r) return readPath(roots, `contact.${r.$contact}`)
    return readPath(roots, `data.${r.$data}`)
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveRefs(v, roots)]))
}

/** The `$var` names a value refers to (the checks make sure some step saves them). */
export function varRefsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(varRefsIn)
  if (value === null || typeof value !== 'object') return []
  const ref = RefSchema.safeParse(value)
  if (ref.success) return '$var' in ref.data ? [ref.data.$var.split('.')[0]!] : []
  return Object.values(value).flatMap(varRefsIn)
}
