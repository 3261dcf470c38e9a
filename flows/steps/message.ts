import { z } from 'zod'
import { VarsSchema } from '../outputs.ts'
import { varRefsIn } from '../refs.ts'
import { KeySchema, StepIdSchema, loadFields, type StepKind } from './step-kind.ts'

/** Says one thing and moves on. */
export const MessageStepSchema = z.strictObject({
  kind: z.literal('message'),
  key: KeySchema,
  vars: VarsSchema.optional(),
  next: StepIdSchema,
  ...loadFields,
})
export type MessageStep = z.infer<typeof MessageStepSchema>

export const messageStep: StepKind<MessageStep> = {
  targets: (step) => [step.next],
  keys: (step) => [step.key],
  varsRead: (step) => varRefsIn(step.vars),
  enter(step, env) {
    const vars = step.vars && (env.resolve(step.vars) as Record<string, unknown>)
    env.say({ kind: 'text', key: step.key, ...(vars && { vars }) })
    return { kind: 'go', next: step.next }
  },
}
