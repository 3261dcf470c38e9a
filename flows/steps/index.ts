import { z } from 'zod'
import { BranchStepSchema, branchStep } from './branch.ts'
import { ChoiceStepSchema, choiceStep } from './choice.ts'
import { EffectStepSchema, effectStep } from './effect.ts'
import { EndStepSchema, endStep } from './end.ts'
import { FlowStepSchema, flowStep } from './flow.ts'
import { InputStepSchema, inputStep } from './input.ts'
import { MessageStepSchema, messageStep } from './message.ts'
import { UploadStepSchema, uploadStep } from './upload.ts'
import type { StepKind } from './step-kind.ts'

/** Every kind of step a flow may use. A new kind: one file here and one line in each list. */
export const StepSchema = z.discriminatedUnion('kind', [
  MessageStepSchema,
  ChoiceStepSchema,
  InputStepSchema,
  BranchStepSchema,
  EffectStepSchema,
  FlowStepSchema,
  EndStepSchema,
  UploadStepSchema,
])
export type Step = z.infer<typeof StepSchema>

const KINDS: { [K in Step['kind']]: StepKind<Extract<Step, { kind: K }>> } = {
  message: messageStep,
  choice: choiceStep,
  input: inputStep,
  branch: branchStep,
  effect: effectStep,
  flow: flowStep,
  end: endStep,
  upload: uploadStep,
}

/** The handler for a step's kind. */
export function kindOf<S extends Step>(step: S): StepKind<S> {
  // The map is keyed by kind, so KINDS[step.kind] handles exactly S; TypeScript cannot
  // correlate the two through the union.
  return KINDS[step.kind] as unknown as StepKind<S>
}
