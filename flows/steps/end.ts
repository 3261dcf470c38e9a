import { z } from 'zod'
import type { StepKind } from './step-kind.ts'

/** Finishes the flow: back to the flow that called it, or out of any flow. */
export const EndStepSchema = z.strictObject({ kind: z.literal('end') })
export type EndStep = z.infer<typeof EndStepSchema>

export const endStep: StepKind<EndStep> = {
  targets: () => [],
  keys: () => [],
  enter: () => ({ kind: 'end' }),
}
