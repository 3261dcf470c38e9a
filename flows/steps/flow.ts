import { z } from 'zod'
import { StepIdSchema, loadFields, type StepKind } from './step-kind.ts'

export const FlowIdSchema = z.string().regex(/^[a-z][a-z0-9_]*$/, {
  message: 'a flow id is snake_case',
})

/** Runs another flow (from its start, or from `at`) and continues at `next` when it ends. */
export const FlowStepSchema = z.strictObject({
  kind: z.literal('flow'),
  flow: FlowIdSchema,
  at: StepIdSchema.optional(),
  next: StepIdSchema,
  ...loadFields,
})
export type FlowStep = z.infer<typeof FlowStepSchema>

export const flowStep: StepKind<FlowStep> = {
  targets: (step) => [step.next],
  calls: (step) => [{ flowId: step.flow, ...(step.at !== undefined && { at: step.at }) }],
  keys: () => [],
  enter: (step) => ({
    kind: 'call',
    flowId: step.flow,
    next: step.next,
    ...(step.at !== undefined && { at: step.at }),
  }),
}
