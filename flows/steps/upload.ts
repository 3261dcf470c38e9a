import { z } from 'zod'
import { hasWords } from '../normalize-text.ts'
import { VarsSchema } from '../outputs.ts'
import { varRefsIn } from '../refs.ts'
import { KeySchema, StepIdSchema, loadFields, type StepKind } from './step-kind.ts'

/** Longest text answer an upload step keeps (the same bound as a case description). */
const MAX_TEXT = 2000
const MIN_TEXT = 3
const TOO_LONG = 'engine.invalid_text_long'

/**
 * A question answered with a file: a photo, a voice note or a document. The file's ref is
 * saved as `saveAs`; a caption, or (with `textAs`) words alone, are saved as `textAs`.
 * Anything else gets `error` and the question again.
 */
export const UploadStepSchema = z.strictObject({
  kind: z.literal('upload'),
  key: KeySchema,
  vars: VarsSchema.optional(),
  saveAs: z.string().min(1),
  /** Also accept words instead of a file, saved here. */
  textAs: z.string().min(1).optional(),
  next: StepIdSchema,
  error: KeySchema,
  ...loadFields,
})
export type UploadStep = z.infer<typeof UploadStepSchema>

export const uploadStep: StepKind<UploadStep> = {
  targets: (step) => [step.next],
  keys: (step) => [step.key, step.error, TOO_LONG],
  varsRead: (step) => varRefsIn(step.vars),
  varsSaved: (step) => [step.saveAs, ...(step.textAs ? [step.textAs] : [])],
  acceptsMedia: () => true,
  enter(step, env) {
    const vars = step.vars && (env.resolve(step.vars) as Record<string, unknown>)
    env.say({ kind: 'text', key: step.key, ...(vars && { vars }) })
    return { kind: 'wait' }
  },
  receive(step, answer, env) {
    const text = answer.text.trim()
    if (text.length > MAX_TEXT && (step.textAs || !answer.media)) {
      env.say({ kind: 'text', key: TOO_LONG, vars: { max: MAX_TEXT } })
      return { kind: 'retry' }
    }
    const words = hasWords(text) && text.length >= MIN_TEXT ? text : undefined
    // answers from an earlier pass through this step must not linger
    Reflect.deleteProperty(env.vars, step.saveAs)
    if (step.textAs) Reflect.deleteProperty(env.vars, step.textAs)
    if (answer.media) {
      env.vars[step.saveAs] = answer.media.ref
      if (step.textAs && words) env.vars[step.textAs] = words
      return { kind: 'go', next: step.next }
    }
    if (step.textAs && words) {
      env.vars[step.textAs] = words
      return { kind: 'go', next: step.next }
    }
    env.say({ kind: 'text', key: step.error })
    return { kind: 'retry' }
  },
}
