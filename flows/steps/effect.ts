import { z } from 'zod'
import { EFFECT_KINDS, EffectSchema } from '../effects.ts'
import { asRef, varRefsIn } from '../refs.ts'
import { StepIdSchema, loadFields, type StepKind } from './step-kind.ts'

/** A placeholder for refs when an effect template is checked: refs stand for strings. */
const REF_PLACEHOLDER = 'ref'

/**
 * An effect as written in a definition: an Effect whose values may be refs
 * (`{ text: { $var: 'question' } }`), resolved when the step runs.
 */
export const EffectTemplateSchema = z
  .object({ kind: z.enum(EFFECT_KINDS as [string, ...string[]]) })
  .catchall(z.unknown())
  .superRefine((template, issues) => {
    const sample = replaceRefs(template)
    const parsed = EffectSchema.safeParse(sample)
    if (!parsed.success) {
      const refs = refPaths(template)
      for (const issue of parsed.error.issues) {
        // a ref's value is known only at run time (where an invalid effect is not sent): only
        // its presence is checked here, not its format (a date, an enum value, digits)
        const path = issue.path.join('.')
        if (refs.has(path) && issue.code !== 'invalid_type') continue
        issues.addIssue({ code: 'custom', message: issue.message, path: issue.path })
      }
    }
  })

/** The dotted paths of the refs in a template. */
function refPaths(value: unknown, prefix = ''): Set<string> {
  const paths = new Set<string>()
  if (value === null || typeof value !== 'object') return paths
  for (const [k, v] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${k}` : k
    if (asRef(v)) paths.add(path)
    else for (const p of refPaths(v, path)) paths.add(p)
  }
  return paths
}

function replaceRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(replaceRefs)
  if (value === null || typeof value !== 'object') return value
  if (asRef(value)) return REF_PLACEHOLDER
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceRefs(v)]))
}

/** Asks the runtime to do one thing (create a case, register her…) and moves on. */
export const EffectStepSchema = z.strictObject({
  kind: z.literal('effect'),
  effect: EffectTemplateSchema,
  next: StepIdSchema,
  ...loadFields,
})
export type EffectStep = z.infer<typeof EffectStepSchema>

export const effectStep: StepKind<EffectStep> = {
  targets: (step) => [step.next],
  keys: () => [],
  varsRead: (step) => varRefsIn(step.effect),
  enter(step, env) {
    const effect = EffectSchema.safeParse(resolveTemplate(step.effect, env))
    // A ref that points at nothing (an optional answer she skipped) drops only that field;
    // an effect still invalid after that is not sent rather than sent wrong.
    if (effect.success) env.emit(effect.data)
    return { kind: 'go', next: step.next }
  },
}

/** Top-level refs resolved; numbers and booleans saved from answers become the strings effects take. */
function resolveTemplate(template: Record<string, unknown>, env: { resolve(v: unknown): unknown }) {
  const fields = Object.entries(template).map(([k, v]) => {
    const value = env.resolve(v)
    const isRef = asRef(v) !== undefined
    return [
      k,
      isRef && (typeof value === 'number' || typeof value === 'boolean') ? String(value) : value,
    ]
  })
  return Object.fromEntries(fields.filter(([, v]) => v !== undefined))
}
