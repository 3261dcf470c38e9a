import { z } from 'zod'
import { matchOption, type MatchableOption } from '../match-option.ts'
import { OptionOutputSchema, VarsSchema, type OptionOutput } from '../outputs.ts'
import { varRefsIn } from '../refs.ts'
import { KeySchema, StepIdSchema, loadFields, type StepEnv, type StepKind } from './step-kind.ts'

export const ChoiceOptionSchema = z.strictObject({
  id: z.string().regex(/^[\w-]+$/),
  key: KeySchema,
  vars: VarsSchema.optional(),
  next: StepIdSchema.optional(),
})

/**
 * A question with numbered options. Options are fixed (`options`) or come from a loader
 * (`optionsFrom`: an array of `{ id, key, vars? }`; `empty` when it has none). Where to go:
 * the option's `next`, else `on[optionId]`, else `next`. `saveAs` keeps the chosen id.
 */
export const ChoiceStepSchema = z
  .strictObject({
    kind: z.literal('choice'),
    key: KeySchema,
    vars: VarsSchema.optional(),
    options: z.array(ChoiceOptionSchema).min(1).optional(),
    optionsFrom: z.string().min(1).optional(),
    empty: StepIdSchema.optional(),
    next: StepIdSchema.optional(),
    on: z.record(z.string(), StepIdSchema).optional(),
    saveAs: z.string().min(1).optional(),
    ...loadFields,
  })
  .superRefine((step, issues) => {
    if ((step.options === undefined) === (step.optionsFrom === undefined)) {
      issues.addIssue({ code: 'custom', message: 'a choice has either options or optionsFrom' })
    }
    if (step.optionsFrom !== undefined && step.empty === undefined) {
      issues.addIssue({
        code: 'custom',
        message: 'optionsFrom needs an empty step',
        path: ['empty'],
      })
    }
    if (
      step.optionsFrom !== undefined &&
      step.load !== undefined &&
      step.load !== step.optionsFrom
    ) {
      issues.addIssue({ code: 'custom', message: 'load and optionsFrom name different loaders' })
    }
    if (step.optionsFrom !== undefined && step.next === undefined && step.on === undefined) {
      issues.addIssue({ code: 'custom', message: 'optionsFrom needs next or on', path: ['next'] })
    }
    for (const [i, option] of (step.options ?? []).entries()) {
      if (
        option.next === undefined &&
        step.on?.[option.id] === undefined &&
        step.next === undefined
      ) {
        issues.addIssue({
          code: 'custom',
          message: `option ${option.id} leads nowhere`,
          path: ['options', i],
        })
      }
    }
    const ids = (step.options ?? []).map((o) => o.id)
    if (new Set(ids).size !== ids.length) {
      issues.addIssue({ code: 'custom', message: 'two options share an id', path: ['options'] })
    }
  })
export type ChoiceStep = z.infer<typeof ChoiceStepSchema>

/** What a loader gives for `optionsFrom`. */
export const LoadedOptionsSchema = z.array(OptionOutputSchema)

/** The options shown, kept in the flow's vars so "2" means what she saw, even if data changed. */
const SHOWN = '_shown'
const ShownSchema = z.object({ stepId: z.string(), options: z.array(OptionOutputSchema) })

function shownOptions(env: StepEnv): OptionOutput[] | undefined {
  const shown = ShownSchema.safeParse(env.vars[SHOWN])
  return shown.success && shown.data.stepId === env.stepId ? shown.data.options : undefined
}

function loaderName(step: ChoiceStep): string | undefined {
  return step.optionsFrom ?? step.load
}

/** The options an answer is matched against (null: a loaded list she has not been shown). */
function currentOptions(step: ChoiceStep, env: StepEnv): OptionOutput[] | undefined {
  return (
    step.options?.map(({ id, key, vars }) => ({ id, key, ...(vars && { vars }) })) ??
    shownOptions(env)
  )
}

function ask(step: ChoiceStep, options: OptionOutput[], env: StepEnv) {
  const vars = step.vars && (env.resolve(step.vars) as Record<string, unknown>)
  env.say({ kind: 'choice', key: step.key, ...(vars && { vars }), options })
}

/**
 * Her label for an option plus its `<key>_synonyms`, when the locale has them. Getters: an
 * answer by number never needs them translated.
 */
function matchable(option: OptionOutput, env: StepEnv): MatchableOption {
  return {
    id: option.id,
    get label() {
      return env.ctx.t(option.key, option.vars)
    },
    get synonyms() {
      const synonymsKey = `${option.key}_synonyms`
      const synonyms = env.ctx.t(synonymsKey)
      return synonyms === synonymsKey ? [] : synonyms.split(',')
    },
  }
}

export const choiceStep: StepKind<ChoiceStep> = {
  targets: (step) => [
    ...(step.options ?? []).flatMap((o) => (o.next ? [o.next] : [])),
    ...Object.values(step.on ?? {}),
    ...(step.next ? [step.next] : []),
    ...(step.empty ? [step.empty] : []),
  ],
  keys: (step) => [step.key, ...(step.options ?? []).map((o) => o.key)],
  staticOptions: (step) => step.options ?? [],
  varsRead: (step) => varRefsIn(step.vars),
  varsSaved: (step) => (step.saveAs ? [step.saveAs] : []),
  loader(step, env) {
    const name = loaderName(step)
    if (name === undefined || (env.reask && shownOptions(env))) return undefined
    const args = step.loadArgs && (env.resolve(step.loadArgs) as Record<string, unknown>)
    return { name, ...(args && { args }) }
  },
  enter(step, env) {
    if (step.options) {
      ask(step, currentOptions(step, env)!, env)
      return { kind: 'wait' }
    }
    const shown = env.reask ? shownOptions(env) : undefined
    const loaded = shown ?? LoadedOptionsSchema.safeParse(env.ctx.data[step.optionsFrom!]).data
    if (!loaded || loaded.length === 0) return { kind: 'go', next: step.empty! }
    env.vars[SHOWN] = { stepId: env.stepId, options: loaded }
    ask(step, loaded, env)
    return { kind: 'wait' }
  },
  receive(step, answer, env) {
    const options = currentOptions(step, env)
    // A loaded list she was never shown (state from an older engine): ask it afresh.
    if (!options) return { kind: 'go', next: env.stepId }
    const byId = options.find((o) => o.id === answer.optionId)
    const match = byId
      ? { ok: true as const, optionId: byId.id }
      : matchOption(
          answer.text,
          options.map((o) => matchable(o, env)),
        )
    if (!match.ok) {
      env.say({ kind: 'text', key: 'engine.hint_choice', vars: { max: options.length } })
      ask(step, options, env)
      return { kind: 'retry' }
    }
    Reflect.deleteProperty(env.vars, SHOWN)
    if (step.saveAs) env.vars[step.saveAs] = match.optionId
    const fixed = step.options?.find((o) => o.id === match.optionId)
    const next = fixed?.next ?? step.on?.[match.optionId] ?? step.next
    return next === undefined ? { kind: 'end' } : { kind: 'go', next }
  },
}
