import { z } from 'zod'
import {
  ValidatorSchema,
  validateAnswer,
  type ValidationFailure,
  type Validator,
} from '../answer-validators.ts'
import { VarsSchema } from '../outputs.ts'
import { varRefsIn } from '../refs.ts'
import { KeySchema, StepIdSchema, loadFields, type StepKind } from './step-kind.ts'

/**
 * A question answered in her own words, checked by a validator and saved as `saveAs`.
 * `error` replaces the engine's message for an answer the validator refuses.
 */
export const InputStepSchema = z.strictObject({
  kind: z.literal('input'),
  key: KeySchema,
  vars: VarsSchema.optional(),
  validator: ValidatorSchema,
  saveAs: z.string().min(1),
  next: StepIdSchema,
  error: KeySchema.optional(),
  ...loadFields,
})
export type InputStep = z.infer<typeof InputStepSchema>

/** The engine's message for each way an answer can be refused, and its vars. */
export function validationErrorKey(
  validator: Validator,
  reason: ValidationFailure,
): { key: string; vars?: Record<string, unknown> } {
  switch (validator.kind) {
    case 'text':
      if (reason === 'tooLong')
        return { key: 'engine.invalid_text_long', vars: { max: validator.max ?? 2000 } }
      return { key: 'engine.invalid_text_short', vars: { min: validator.min ?? 1 } }
    case 'integer':
      return { key: 'engine.invalid_integer', vars: { min: validator.min, max: validator.max } }
    case 'date':
      return { key: 'engine.invalid_date' }
    case 'phone':
      return { key: 'engine.invalid_phone' }
    case 'yesno':
      return { key: 'engine.invalid_yesno' }
  }
}

/** Every key `validationErrorKey` can return, for the static checks. */
export const VALIDATION_ERROR_KEYS = [
  'engine.invalid_text_long',
  'engine.invalid_text_short',
  'engine.invalid_integer',
  'engine.invalid_date',
  'engine.invalid_phone',
  'engine.invalid_yesno',
]

export const inputStep: StepKind<InputStep> = {
  targets: (step) => [step.next],
  keys: (step) => [step.key, ...(step.error ? [step.error] : [])],
  varsRead: (step) => varRefsIn(step.vars),
  varsSaved: (step) => [step.saveAs],
  acceptsZero: (step) =>
    step.validator.kind === 'integer' && step.validator.min <= 0 && step.validator.max >= 0,
  enter(step, env) {
    const vars = step.vars && (env.resolve(step.vars) as Record<string, unknown>)
    env.say({ kind: 'text', key: step.key, ...(vars && { vars }) })
    return { kind: 'wait' }
  },
  receive(step, answer, env) {
    const result = validateAnswer(answer.text, step.validator, {
      now: env.ctx.now,
      country: env.ctx.contact.country,
    })
    if (!result.ok) {
      const error = step.error
        ? { key: step.error }
        : validationErrorKey(step.validator, result.reason)
      env.say({ kind: 'text', ...error })
      return { kind: 'retry' }
    }
    env.vars[step.saveAs] = result.value
    return { kind: 'go', next: step.next }
  },
}
