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

const REF_KEYS = ['$var', '$contact', '$data'] as const

/**
 * The ref `value` is, or undefined. A plain check rather than `RefSchema.safeParse`: it runs
 * on every object of every step, and a failed zod parse is costly.
 */
export function asRef(value: unknown): Ref | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined
  const keys = Object.keys(value)
  if (keys.length !== 1) return undefined
  const key = keys[0] as (typeof REF_KEYS)[number]
  const path = (value as Record<string, unknown>)[key]
  return REF_KEYS.includes(key) && typeof path === 'string' && path !== ''
    ? (value as Ref)
    : undefined
}

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
  const r = asRef(value)
  if (r) {
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
  const ref = asRef(value)
  if (ref) return '$var' in ref ? [ref.$var.split('.')[0]!] : []
  return Object.values(value).flatMap(varRefsIn)
}
