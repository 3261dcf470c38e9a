import { z } from 'zod'
import { PathSchema } from '../refs.ts'
import { StepIdSchema, loadFields, type StepKind } from './step-kind.ts'

export const ConditionSchema = z
  .strictObject({
    path: PathSchema,
    op: z.enum(['eq', 'neq', 'exists', 'missing', 'gt', 'lt', 'in']),
    value: z.unknown().optional(),
  })
  .refine((c) => c.op === 'exists' || c.op === 'missing' || c.value !== undefined, {
    message: 'this operator needs a value',
  })
  .refine((c) => c.op !== 'in' || Array.isArray(c.value), { message: 'in needs a list' })
export type Condition = z.infer<typeof ConditionSchema>

/** Goes to the first case whose condition holds, else to `else`. Says nothing. */
export const BranchStepSchema = z.strictObject({
  kind: z.literal('branch'),
  cases: z.array(z.strictObject({ when: ConditionSchema, next: StepIdSchema })).min(1),
  else: StepIdSchema,
  ...loadFields,
})
export type BranchStep = z.infer<typeof BranchStepSchema>

/** Whether a condition holds for a value; a value of the wrong type simply does not match. */
export function holds(condition: Condition, actual: unknown): boolean {
  const expected = condition.value
  switch (condition.op) {
    case 'eq':
      return actual === expected
    case 'neq':
      return actual !== expected
    case 'exists':
      return actual !== undefined && actual !== null
    case 'missing':
      return actual === undefined || actual === null
    case 'gt':
    case 'lt': {
      const comparable =
        (typeof actual === 'number' && typeof expected === 'number') ||
        (typeof actual === 'string' && typeof expected === 'string')
      if (!comparable) return false
      return condition.op === 'gt' ? actual > expected : actual < expected
    }
    case 'in':
      return Array.isArray(expected) && expected.includes(actual)
  }
}

export const branchStep: StepKind<BranchStep> = {
  targets: (step) => [...step.cases.map((c) => c.next), step.else],
  keys: () => [],
  varsRead: (step) =>
    step.cases.flatMap((c) => (c.when.path.startsWith('var.') ? [c.when.path.split('.')[1]!] : [])),
  enter(step, env) {
    const taken = step.cases.find((c) => holds(c.when, env.read(c.when.path)))
    return { kind: 'go', next: taken?.next ?? step.else }
  },
}
