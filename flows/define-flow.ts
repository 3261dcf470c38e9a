import { z } from 'zod'
import { FlowIdSchema } from './steps/flow.ts'
import { StepSchema } from './steps/index.ts'
import { StepIdSchema } from './steps/step-kind.ts'

/**
 * A flow: versioned data. Raise `specVersion` when a change would confuse a conversation
 * stored mid-flow (steps renamed, meaning changed): such conversations restart the flow.
 */
export const FlowSchema = z.strictObject({
  id: FlowIdSchema,
  specVersion: z.number().int().min(1),
  start: StepIdSchema,
  steps: z.record(StepIdSchema, StepSchema),
})
export type Flow = z.infer<typeof FlowSchema>
export type FlowDefinition = z.input<typeof FlowSchema>

/** Types a flow definition as it is written; `loadFlows` validates and checks it. */
export function defineFlow(definition: FlowDefinition): FlowDefinition {
  return definition
}
