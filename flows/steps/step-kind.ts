import { z } from 'zod'
import type { EngineContext } from '../context.ts'
import type { Effect } from '../effects.ts'
import type { OptionOutput, Output } from '../outputs.ts'

/** A step id, or the reserved `'end'`: finish this flow (return to the caller, if any). */
export const StepIdSchema = z.string().regex(/^[a-z][a-zA-Z0-9_]*$/, {
  message: 'a step id is lowerCamel or snake_case: letters, digits, _',
})
export const END = 'end'

/** An i18n key: `flows.<flow>.<name>` for flow text, `engine.<name>` for the engine's own. */
export const KeySchema = z.string().regex(/^[a-z][\w]*(\.[\w]+)+$/, { message: 'not an i18n key' })

/** Fields every step may have: data to load before the step runs. */
export const loadFields = {
  /** Loader the runtime must run (result in `ctx.data[load]`) before this step runs. */
  load: z.string().min(1).optional(),
  loadArgs: z.record(z.string(), z.unknown()).optional(),
}

/** What happens after a step ran or got its answer. */
export type Transition =
  | { kind: 'go'; next: string }
  | { kind: 'wait' }
  | { kind: 'call'; flowId: string; at?: string; next: string }
  | { kind: 'end' }

/** An answer the step could not use: the step has already said why and asked again. */
export type Retry = { kind: 'retry' }

/** Her answer: words, a tapped option, or a file she sent (only steps that accept media see it). */
export type Answer = { text: string; optionId?: string; media?: { kind: string; ref: string } }

export type LoaderRequest = { name: string; args?: Record<string, unknown> }

/** What a step handler may see and do; the engine builds one per step run. */
export type StepEnv = {
  readonly ctx: EngineContext
  readonly flowId: string
  readonly stepId: string
  /** This flow's saved answers (mutable). */
  readonly vars: Record<string, unknown>
  /** The step is asked again (after AYUDA, a miss, a welcome back), not reached anew. */
  readonly reask: boolean
  say(output: Output): void
  emit(effect: Effect): void
  /** A value with its `$var`/`$contact`/`$data` refs replaced. */
  resolve(value: unknown): unknown
  /** The value at `var.x`, `contact.country`, `data.loader.path`. */
  read(path: string): unknown
}

/**
 * One kind of step: its schema and how it runs. Adding a kind is one file in flows/steps/
 * with its test, plus one line in steps/index.ts.
 */
export type StepKind<S> = {
  /** Ids of steps of the same flow this step can go to (for the static checks). */
  targets(step: S): string[]
  /** Flows this step calls (and at which step), for the static checks. */
  calls?(step: S): { flowId: string; at?: string }[]
  /** Every i18n key the step itself uses. */
  keys(step: S): string[]
  /** Options fixed in the definition, for the ambiguity check. */
  staticOptions?(step: S): OptionOutput[]
  /** `$var` names the step reads. */
  varsRead?(step: S): string[]
  /** `$var` names the step saves. */
  varsSaved?(step: S): string[]
  /** Data needed before `enter`; default: the step's `load`. */
  loader?(step: S, env: StepEnv): LoaderRequest | undefined
  /** Run the step: say things, emit effects, then move on or wait for her answer. */
  enter(step: S, env: StepEnv): Transition
  /** Her answer to a waiting step. Only steps that can return `wait` have one. */
  receive?(step: S, answer: Answer, env: StepEnv): Transition | Retry
  /** Whether "0" is an answer here rather than MENU. */
  acceptsZero?(step: S): boolean
  /** Whether a photo, audio or document is an answer here (otherwise the engine thanks her). */
  acceptsMedia?(step: S): boolean
}
